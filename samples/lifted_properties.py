"""Properties of samples/lifted.py, checked by gfv's "properties" validator (docs/sandbox.md)."""

import math

from hypothesis import given
from hypothesis import strategies as st

LOADS = st.lists(st.floats(0, 500, allow_nan=False), max_size=12)


@given(LOADS)
def prop_total_load_is_the_sum(mod, loads):
    assert math.isclose(mod.total_load(loads), math.fsum(loads), rel_tol=1e-9, abs_tol=1e-6)


@given(LOADS)
def prop_heaviest_is_the_largest(mod, loads):
    assert mod.heaviest(loads) == max(loads, default=0.0)


@given(st.lists(st.integers(0, 30), max_size=12))
def prop_total_reps_is_the_sum(mod, reps):
    assert mod.total_reps(reps) == sum(reps)
