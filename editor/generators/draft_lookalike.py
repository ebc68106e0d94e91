"""The "draft_lookalike" generator: the project's own line most like the model's draft.

At the start of a line (nothing typed but indentation) the model's greedy line is the
one guess that knows what the code needs next, and the cheap generators know what the
project's code says.  Where the draft is not the line, a line of the document or of the
project much like it sometimes is: the same statement with a name the project uses
(``if wait:`` for the draft ``if locate:``), or the draft without a wrong tail
(``for column in self.columns`` for ``for column in self.columns:``, which sat inside a
comprehension).  Like prompt lookup, but keyed on what the model wrote instead of what
the user typed.

A *late* generator that runs after ``llm_draft`` (it reads the draft from ``earlier``):
among the code lines of the open document and of the project (the retrieval
generator's indexes, editor/generators/retrieval.py) that begin with the draft's first
word, it proposes the one most similar to the draft (``difflib`` ratio at least
``MIN_RATIO``).  The draft itself is left out, and so are the code lines right above and
below the cursor, which are there already (as in retrieval's lookups).  No LLM call: its
cost is string matching over at most ``MAX_LINES`` lines.  Its cheap score is the log of
that ratio, so it follows the retrieved lines the project is sure of and leads the
n-gram's guesses.  It is not repaired (``origin["no_repairs"]``): its evidence is that
it was seen as it is, and a lookalike whose names are undefined here (``return result``
for the draft ``return Result(``) is the wrong line, not one to edit.

Only at the start of a line: with code typed, the retrieval generator already proposes
every line of the project that continues it, and the LLM ranks them.  Decided on the
start cuts of click and rich (tuning corpora, docs/benchmarks.md "Code, round 19").
"""

from __future__ import annotations

import difflib
import math
import re
from typing import Sequence

from editor.candidates import Candidate
from editor.document import Slot
from editor.generators.retrieval import RetrievalGenerator, lines_with_prefix, neighbour_lines, short_path
from editor.pool import LINE_DRAFT
from editor.stages import StageContext, generators

MIN_RATIO = 0.6  # difflib's ratio of a line to the draft (2 * matching chars / both lengths)
MAX_LINES = 2000  # lines sharing the draft's first word that are compared with it
_FIRST_WORD = re.compile(r"[A-Za-z_]\w*|\S")


class DraftLookalikeGenerator:
    """The document's or the project's line most like the LLM's line draft (module docstring)."""

    name = "draft_lookalike"
    late = True

    def __init__(self, retrieval: RetrievalGenerator | None = None) -> None:
        self.retrieval = retrieval or RetrievalGenerator()

    def generate(self, slot: Slot, limit: int, earlier: Sequence[Candidate] = ()) -> list[Candidate]:
        if limit < 1 or slot.typed.strip() or slot.after_cursor.strip():
            return []
        draft = next((c.text.strip() for c in earlier if c.source == LINE_DRAFT and "\n" not in c.text), "")
        if not draft:
            return []
        best = self._most_like(slot, draft)
        if best is None:
            return []
        line, ratio, where = best
        return [
            Candidate(
                text=line,
                source="draft_lookalike",
                scores={"cheap": round(math.log(ratio), 4)},
                origin={
                    "like_draft": draft,
                    "ratio": round(ratio, 4),
                    "seen_in": short_path(where),
                    "no_repairs": "a line seen elsewhere, proposed as it was seen: never edited",
                },
            )
        ]

    def _most_like(self, slot: Slot, draft: str) -> tuple[str, float, str] | None:
        word = _FIRST_WORD.match(draft)
        if word is None:
            return None
        lines: dict[str, str] = {}
        for line, _n, where in lines_with_prefix(word.group(0), *self.retrieval.sources(slot), MAX_LINES):
            if _whole_word(line, word.group(0)):
                lines.setdefault(line, where)
        for known in (draft, *neighbour_lines(slot)):  # the draft, and the lines already above and below
            lines.pop(known, None)
        matcher = difflib.SequenceMatcher(a=None, b=draft, autojunk=False)
        best: tuple[str, float, str] | None = None
        for line, where in lines.items():
            matcher.set_seq1(line)
            floor = max(MIN_RATIO, best[1] if best else 0.0)
            if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
                continue
            ratio = matcher.ratio()
            if ratio >= floor and (best is None or ratio > best[1]):
                best = (line, ratio, where)
        return best


def _whole_word(line: str, word: str) -> bool:
    """``line`` begins with ``word`` as a whole word: ``iffy`` does not begin with the word ``if``."""
    ends_in_name = word[-1:].isalnum() or word[-1:] == "_"
    after = line[len(word) : len(word) + 1]
    return not (ends_in_name and (after.isalnum() or after == "_"))


@generators.register("draft_lookalike")
def make_draft_lookalike_generator(ctx: StageContext) -> DraftLookalikeGenerator:
    del ctx
    return DraftLookalikeGenerator()
