"""Properties of samples/session_order.py, checked by gfv's "properties" validator.

Each ``prop_*`` function is a hypothesis ``@given`` test whose first parameter is the
module under test (``mod``): gfv passes the module with the candidate inserted.  A
property covers the functions it reads as ``mod.<name>``.
"""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

DATES = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))


def sessions(mod):
    """A list of sessions of the module under test."""
    one = st.builds(
        mod.Session,
        date=DATES,
        exercise=st.sampled_from(["squat", "bench", "deadlift"]),
        reps=st.integers(1, 12),
        load_kg=st.floats(0, 300, allow_nan=False),
    )
    return st.lists(one, max_size=8)


@given(st.data())
def prop_chronological_is_a_permutation(mod, data):
    xs = data.draw(sessions(mod), label="sessions")
    out = mod.chronological(list(xs))
    assert sorted(map(repr, out)) == sorted(map(repr, xs))


@given(st.data())
def prop_chronological_is_ordered_by_date(mod, data):
    xs = data.draw(sessions(mod), label="sessions")
    out = mod.chronological(list(xs))
    assert all(a.date <= b.date for a, b in zip(out, out[1:]))


@given(st.data())
def prop_by_load_is_heaviest_first(mod, data):
    out = mod.by_load(data.draw(sessions(mod), label="sessions"))
    assert all(a.load_kg >= b.load_kg for a, b in zip(out, out[1:]))


@given(st.data())
def prop_latest_is_the_last_date(mod, data):
    xs = data.draw(sessions(mod).filter(bool), label="sessions")
    assert mod.latest(xs).date == max(s.date for s in xs)
