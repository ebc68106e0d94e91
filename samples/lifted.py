"""Sums and extremes of a training log's numbers: the block demonstration (README, "Blocks").

``total_load`` has no body yet.  On its empty line gfv proposes whole bodies: the
bodies of the similar functions above, adapted to its parameter, and the block
templates.  All of them lint clean; ``lifted_properties.py`` keeps only the bodies
that really sum the loads:

    gfv suggest samples/lifted.py --line 39 --col 1 --no-llm --show-rejected
"""


def total_reps(reps: list[int]) -> int:
    """All repetitions of a session."""
    total = 0
    for r in reps:
        total += r
    return total


def heaviest(loads: list[float]) -> float:
    """The heaviest load, 0.0 for none."""
    best = 0.0
    for load in loads:
        best = max(best, load)
    return best


def sets_over(loads: list[float], limit: float) -> int:
    """How many sets were heavier than ``limit``."""
    count = 0
    for load in loads:
        if load > limit:
            count += 1
    return count


def total_load(loads: list[float]) -> float:
    """All the weight lifted, in kg."""
