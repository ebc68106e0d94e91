"""The next N rows of a table as one block (``gfv suggest TABLE --rows next:N``, Ctrl+N with a count).

Rows are chained: row i+1 is proposed by the table pipeline for the table extended by
rows 1..i, so sequences, dates and keys go on across the block (the ``table_series``
generator sees the block's rows as the table's last ones, and the row validators judge
row i+1's keys against the table and rows 1..i).  A beam search keeps alternatives: at
each row every kept partial block is extended by each valid candidate the pipeline shows
for its next row, and the ``width`` best partial blocks (the mean of their rows' ``final``
scores) go on; after the last row the ``k`` best blocks remain.  That costs at most
``1 + width * (N - 1)`` pipeline calls.

Each block is a :class:`~editor.candidates.Candidate` of kind ``"block"``: its text is
the rows' CSV records (the file's dialect) joined by newlines, its ``origin["rows"]`` says
which generator proposed each row (and why), and it is shown only when it passes the
block validation of :mod:`editor.tables.block_check`; a block that fails is listed under
``rejected`` with the reasons.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Sequence

from editor.candidates import Candidate
from editor.config import Config, load_config
from editor.errors import ExitCode, GfvError
from editor.pipeline import SuggestResult
from editor.tables.block_check import block_text, extended, validate_block
from editor.tables.csvdoc import TableDocument
from editor.tables.slot import TableSlot

MAX_ROWS = 50
BEAM = 3
SOURCE = "row_block"
UNSCORED = -10.0  # the score of a row candidate no stage scored (never seen from the table pipeline)
_SPEC = re.compile(r"next:(\d+)")


def parse_rows(spec: Any) -> int:
    """N from ``"next:N"`` (1 <= N <= ``MAX_ROWS``); a usage error otherwise."""
    match = _SPEC.fullmatch(spec.strip()) if isinstance(spec, str) else None
    if match is None or not 1 <= int(match.group(1)) <= MAX_ROWS:
        raise GfvError(
            f"--rows takes next:N with N from 1 to {MAX_ROWS} (e.g. next:5), got {spec!r}", ExitCode.USAGE
        )
    return int(match.group(1))


def row_score(cand: Candidate) -> float:
    """A row candidate's score in the beam: its ``final`` score, else its ``ngram`` score."""
    for key in ("final", "ngram"):
        value = cand.scores.get(key)
        if value is not None:
            return float(value)
    return UNSCORED


@dataclass
class _Partial:
    """The first rows of a block: the row candidates and the table they extend."""

    cands: list[Candidate]
    rows: list[list[str]]
    table: TableDocument  # the table without the block

    @cached_property
    def document(self) -> TableDocument:
        """The table extended by the rows (made only for the partial blocks the beam keeps)."""
        return extended(self.table, self.rows)

    @property
    def score(self) -> float:
        """The mean of the rows' scores (the beam's order)."""
        return sum(row_score(c) for c in self.cands) / len(self.cands) if self.cands else 0.0

    def grown(self, cand: Candidate, row: list[str]) -> "_Partial":
        """This partial block with one more row."""
        return _Partial([*self.cands, cand], [*self.rows, row], self.table)


def table_validators(config: Config) -> list[Any]:
    """The row validators ``[tool.gfv.tables] validators`` names, built once per call."""
    # pylint: disable-next=import-outside-toplevel
    from editor.stages import StageContext, load_builtin_stages, validators

    load_builtin_stages()
    context = StageContext(config, resources={})
    return [validators.get(name)(context) for name in config.tables.validators]


def propose_block(  # pylint: disable=too-many-arguments,too-many-locals
    pipeline: Any,
    slot: TableSlot,
    n: int,
    k: int | None,
    row_validators: Sequence[Any],
    *,
    width: int = BEAM,
    stop: Callable[[], bool] = lambda: False,
) -> SuggestResult:
    """Up to ``k`` validated blocks of ``n`` rows appended after ``slot``'s table (a new-row slot).

    ``pipeline`` is anything with ``suggest(slot, k) -> SuggestResult`` (the table
    pipeline); ``stop()`` is asked between pipeline calls (a stale TUI request).
    """
    if slot.column is not None or not slot.is_new_row:
        raise GfvError("a block of rows is proposed after the last row (--rows next:N), not in a cell")
    k = k or 5
    start, timings, notes, calls = time.perf_counter(), {"row_requests": 0.0}, list(slot.notes), 0
    beam, model = [_Partial([], [], slot.document)], getattr(pipeline, "model", None)
    for i in range(n):
        grown: dict[str, _Partial] = {}
        for part in beam:
            if stop():
                work = {"block": {"rows": n, "calls": calls}}
                return SuggestResult([], [], _total(timings, start), model, [*notes, "stopped"], work)
            row_slot = TableSlot(part.document, len(part.document.rows), None, slot.schema, slot.rules)
            result = pipeline.suggest(row_slot, k)
            calls += 1
            timings["row_requests"] += result.timings_ms.get("total", 0.0)
            notes.extend(m for m in result.notes if m not in notes)
            for cand in result.candidates:
                try:
                    row = row_slot.candidate_row(cand.text)
                except ValueError:
                    continue  # a shown row candidate is a row; nothing else can extend the block
                new = part.grown(cand, row)
                grown.setdefault(block_text(slot.document, new.rows), new)
        beam = sorted(grown.values(), key=lambda p: -p.score)[: k if i == n - 1 else width]
        if not beam:
            notes.append(f"no valid candidate for block row {i + 1} of {n}")
            break
    check = time.perf_counter()
    shown, rejected = [], []
    for part in beam:
        cand = _block_candidate(slot, part, width)
        cand.verdicts = validate_block(slot.document, cand.text, slot.schema, slot.rules, row_validators)
        (shown if cand.ok else rejected).append(cand)
    timings["validate.block"] = (time.perf_counter() - check) * 1000
    work = {"block": {"rows": n, "beam": width, "calls": calls, "first_row": len(slot.document.rows) + 1}}
    return SuggestResult(shown[:k], rejected, _total(timings, start), model, notes, work)


def _total(timings: dict[str, float], start: float) -> dict[str, float]:
    return {**timings, "total": (time.perf_counter() - start) * 1000}


def _block_candidate(slot: TableSlot, part: _Partial, width: int) -> Candidate:
    """The block's candidate: its rows' text, the mean of their scores, and each row's origin."""
    first = len(slot.document.rows) + 1
    rows = []
    for n, cand in enumerate(part.cands):
        row: dict[str, Any] = {"row": first + n, "source": cand.source, "final": cand.scores.get("final")}
        row.update({k: v for k, v in cand.origin.items() if k in ("why", "also_from", "copied_from")})
        rows.append(row)
    scores: dict[str, float] = {}
    for key in ("ngram", "llm"):
        values = [c.scores.get(key) for c in part.cands]
        if values and all(v is not None for v in values):
            scores[key] = round(sum(values) / len(values), 4)  # type: ignore[arg-type]
    scores["final"] = round(part.score, 4)
    origin = {"rows": rows, "beam": width}
    return Candidate(block_text(slot.document, part.rows), SOURCE, "block", scores, origin=origin)


def suggest_block(  # pylint: disable=too-many-arguments
    path: Path,
    n: int,
    *,
    schema: Path | None = None,
    k: int | None = None,
    config: Config | None = None,
    model_path: Path | None = None,
    model_name: str | None = None,
) -> SuggestResult:
    """The one-call API (``gfv suggest TABLE --rows next:N``, ``gfv batch``): blocks of ``n`` new rows."""
    # pylint: disable-next=import-outside-toplevel
    from editor.tables.engine import open_table, slot_info, table_pipeline

    config = config or load_config(start=Path(path).resolve().parent)
    table = open_table(path, schema, config)
    slot = table.slot("next")
    pipeline = table_pipeline(config, model_path, model_name)
    result = propose_block(pipeline, slot, n, k or config.k, table_validators(config))
    result.notes = [*table.notes, *(m for m in result.notes if m not in table.notes)]
    result.work["slot"] = slot_info(path, table, len(table.document.rows) + 1, "block", rows=n)
    return result
