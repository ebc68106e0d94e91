"""A test-only generator, "fixed": a fixed list of candidates with fixed cheap scores.

It is an *input* to the end-to-end tests, not a mock: it is registered through the
normal registry (``editor.stages.generators``) and everything after it (validators,
repairs, the Qwen ranker, the sandbox) is gfv's own.  It lets a test choose the cheap
order of the candidates, so that what it checks (the LLM reorders them, a validator
rejects the cheap favourite) does not depend on today's n-gram model.

The candidates come from the environment variable ``GFV_FIXED_CANDIDATES``: a JSON
list of ``[text, score]`` pairs; the score is the candidate's ``ngram`` score (the
cheap score the pipeline orders by, blends with the LLM's and uses for its skip
margin).  Enable it with ``[generators] enabled = ["fixed"]``.

Run as a script, it is ``gfv`` with this generator registered:
``python tests/e2e/fixed_generator.py suggest FILE --line L --col C``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

if __name__ == "__main__":  # run as a script: gfv from this repository, as `python -m gfv_entry` in it
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

# pylint: disable=wrong-import-position
from editor.candidates import Candidate
from editor.document import Slot
from editor.stages import StageContext, generators

ENV = "GFV_FIXED_CANDIDATES"
NAME = "fixed"


def fixed_env(pairs: list[tuple[str, float]]) -> dict[str, str]:
    """The environment entry that makes the "fixed" generator propose ``pairs``."""
    return {ENV: json.dumps([[text, score] for text, score in pairs])}


class FixedGenerator:
    name = NAME

    def __init__(self, pairs: list[tuple[str, float]]) -> None:
        self.pairs = pairs

    def generate(self, slot: Slot, limit: int) -> list[Candidate]:
        del slot
        return [
            Candidate(text=text, source=NAME, scores={"ngram": float(score)}, origin={"fixed_rank": i})
            for i, (text, score) in enumerate(self.pairs[:limit])
        ]


def make_fixed_generator(ctx: StageContext) -> FixedGenerator:
    del ctx
    raw = os.environ.get(ENV)
    if raw is None:
        raise RuntimeError(f"the 'fixed' test generator needs {ENV} (a JSON list of [text, score])")
    return FixedGenerator([(str(text), float(score)) for text, score in json.loads(raw)])


if NAME not in generators:
    generators.register(NAME)(make_fixed_generator)


if __name__ == "__main__":
    from gfv_entry import main  # pylint: disable=import-outside-toplevel,wrong-import-position

    sys.exit(main(sys.argv[1:]))
