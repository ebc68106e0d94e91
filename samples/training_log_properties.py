"""Properties of samples/training_log.py, checked by gfv's "properties" validator.

Each ``prop_*`` function is a hypothesis ``@given`` test whose first parameter is the
module under test (``mod``): gfv passes the module with the candidate inserted.  A
property covers the functions it reads as ``mod.<name>``.
"""

import datetime as dt
import math

from hypothesis import given
from hypothesis import strategies as st


def sessions(mod):
    """A list of sessions of the module under test, with non-negative loads."""
    one = st.builds(
        mod.Session,
        date=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31)),
        athlete_id=st.sampled_from(["a1", "a2", "b7"]),
        exercise=st.sampled_from(["squat", "bench", "deadlift"]),
        sets=st.integers(0, 10),
        reps=st.integers(0, 20),
        load_kg=st.floats(0, 400, allow_nan=False),
        rpe=st.floats(1, 10, allow_nan=False),
    )
    return st.lists(one, max_size=10)


@given(st.data())
def prop_sort_sessions_is_a_permutation(mod, data):
    xs = data.draw(sessions(mod), label="sessions")
    out = mod.sort_sessions(list(xs))
    assert sorted(map(repr, out)) == sorted(map(repr, xs))


@given(st.data())
def prop_sort_sessions_is_ordered_by_date(mod, data):
    out = mod.sort_sessions(data.draw(sessions(mod), label="sessions"))
    assert all(a.date <= b.date for a, b in zip(out, out[1:]))


@given(st.data())
def prop_weekly_volume_is_never_negative(mod, data):
    totals = mod.weekly_volume(data.draw(sessions(mod), label="sessions"))
    assert all(v >= 0 for v in totals.values())


@given(st.data())
def prop_weekly_volume_sums_the_session_volumes(mod, data):
    xs = data.draw(sessions(mod), label="sessions")
    totals = mod.weekly_volume(xs)
    assert math.isclose(sum(totals.values()), sum(s.volume_kg for s in xs), rel_tol=1e-9, abs_tol=1e-6)
