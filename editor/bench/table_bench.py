"""``gfv bench table``: gfv against Qwen's own completion on masked cells of a real table.

Cells are picked deterministically (``seed``) among the non-empty cells of the table.
Each one is blanked, one at a time, in a temporary copy of the table (the other files
of its folder are linked beside it, so schemas and foreign-key tables resolve as for
the original), and every system is asked for the value of that cell:

* ``gfv``: :func:`editor.tables.engine.suggest_cells` with the real model (table
  generators, pandera and key/formula validators, Qwen ranking).
* ``qwen-direct``: Qwen's greedy completion of the cell, with the same context tokens as
  gfv's table ranker (header + the nearest rows before + the row's earlier cells, and
  the rest of the row + the rows after as FIM suffix), up to the delimiter or newline.

Schema: ``--schema``, else the one gfv would find (config, or ``STEM.schema.yaml``
beside the table), else one inferred from the table *minus every masked row*, so no
true value leaks into it.  The same pandera validator (``table_schema``) judges every
system's shown candidates.  Per cell and system: a cold request (KV and score caches
cleared), then a warm one (the same cell again at once); quality comes from the cold one.
"""

from __future__ import annotations

import csv
import io
import random
import shutil
import statistics
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from editor.bench.metrics import latency_summary, mean_or_none
from editor.bench.systems import SystemRun, _Counting
from editor.candidates import Candidate
from editor.config import Config
from editor.errors import ExitCode, GfvError
from editor.ranking.llm import get_scorer
from editor.stages import StageContext, load_builtin_stages, validators
from editor.tables.csvdoc import TableDocument
from editor.tables.engine import open_table, suggest_cells
from editor.tables.schema import find_schema_path, infer_schema
from editor.tables.rules import rules_for

SYSTEMS = ["gfv", "qwen-direct"]
REL_TOL, ABS_TOL = 0.01, 1e-6


@dataclass(frozen=True)
class MaskedCell:
    row: int  # 0-based data row
    column: str
    truth: str


def pick_cells(doc: TableDocument, n: int, seed: int) -> list[MaskedCell]:
    """``n`` distinct non-empty cells, the same for the same table and seed."""
    pool = [(r, c) for r, row in enumerate(doc.rows) for c, v in enumerate(row) if v.strip()]
    picked = random.Random(seed).sample(pool, min(n, len(pool)))
    return [MaskedCell(r, doc.header[c], doc.rows[r][c]) for r, c in picked]


def masked_text(doc: TableDocument, cell: MaskedCell) -> str:
    """The whole table with that one cell empty (every other record byte-for-byte)."""
    row = list(doc.rows[cell.row])
    row[doc.index(cell.column)] = ""
    return doc.with_row(row, cell.row).text()


def _number(text: str) -> float | None:
    try:
        return float(text.strip())
    except ValueError:
        return None


def cell_exact(guess: str | None, truth: str) -> bool:
    return guess is not None and guess.strip() == truth.strip()


def cell_tol(guess: str | None, truth: str) -> bool:
    """Numbers within 1% (relative) or 1e-6 (absolute); anything else must match exactly."""
    if guess is None:
        return False
    a, b = _number(guess), _number(truth)
    if a is None or b is None:
        return cell_exact(guess, truth)
    return abs(a - b) <= max(ABS_TOL, REL_TOL * abs(b))


def inferred_schema(doc: TableDocument, skip_rows: set[int]) -> object:
    """A pandera schema inferred from the rows that are not masked (no truth leaks in)."""
    # pylint: disable-next=import-outside-toplevel
    from editor.cli.infer_schema_cmd import _typed
    from editor.tables.frame import to_frame  # pylint: disable=import-outside-toplevel

    rows = [r for i, r in enumerate(doc.rows) if i not in skip_rows]
    if not rows:
        raise GfvError(f"{doc.path}: no unmasked rows left to infer a schema from", ExitCode.USAGE)
    return infer_schema(_typed(to_frame(doc.header, rows)))


class _Workspace:
    """A temporary folder holding the masked copy, with the table's siblings linked beside it."""

    def __init__(self, csv_path: Path) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="gfv-bench-table-"))
        for sib in csv_path.resolve().parent.iterdir():
            if sib.is_file() and sib.name != csv_path.name:
                (self.dir / sib.name).symlink_to(sib)
        self.table = self.dir / csv_path.name

    def close(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


class QwenDirectCell:
    """Greedy completion of one cell from the table ranker's own context tokens."""

    name = "qwen-direct"

    def __init__(self, scorer, config: Config, schema: Path | None) -> None:
        from editor.ranking.table_llm import TableLlmRanker  # pylint: disable=import-outside-toplevel

        self.scorer = scorer
        self.config = config
        self.schema = schema
        self.ranker = TableLlmRanker(scorer, config.ranker.normalisation, config.tables.context_rows)
        self.counting = _Counting(scorer)

    def complete(self, slot) -> list[str]:
        d = slot.document.dialect.delimiter
        text, _n = self.scorer.generate(self.ranker.context(slot), max_tokens=32, stop=d)
        text = text.split("\n")[0]  # up to the delimiter or the end of the record, whichever comes first
        if text.startswith(slot.document.dialect.quotechar):  # a quoted cell may hold the delimiter
            try:
                text = next(
                    csv.reader(io.StringIO(text), delimiter=d, quotechar=slot.document.dialect.quotechar)
                )[0]
            except (StopIteration, csv.Error, IndexError):
                pass
        text = text.strip()
        return [text] if text else []

    def run(self, path: Path, cell: MaskedCell) -> tuple[SystemRun, object]:
        holder = {}

        def ask():
            slot = open_table(path, self.schema, self.config).slot(cell.row + 1, cell.column)
            holder["slot"] = slot
            return self.complete(slot)

        return self.counting.measure(ask), holder["slot"]


class GfvCells:
    name = "gfv"

    def __init__(self, scorer, config: Config, schema: Path | None, model_path: Path, k: int) -> None:
        self.config, self.schema, self.model_path, self.k = config, schema, model_path, k
        self.counting = _Counting(scorer)

    def run(self, path: Path, cell: MaskedCell) -> tuple[SystemRun, None]:
        def ask():
            result = suggest_cells(path, cell.row + 1, cell.column, schema=self.schema, k=self.k,
                                   config=self.config, model_path=self.model_path, model_name="qwen")  # fmt: skip
            return [c.text for c in result.candidates]

        return self.counting.measure(ask), None


class _SchemaCheck:
    """pandera (the ``table_schema`` validator) judges every system's shown candidates alike."""

    def __init__(self, config: Config) -> None:
        load_builtin_stages()
        self.validator = validators.get("table_schema")(StageContext(config))

    def valid(self, slot, texts: list[str]) -> list[bool]:
        if not texts:
            return []
        cands = [Candidate(t, "bench") for t in texts]
        return [all(v.ok for v in verdicts) for verdicts in self.validator.validate(slot, cands)]


@dataclass
class _Tally:
    exact: list[float] = field(default_factory=list)
    tol: list[float] = field(default_factory=list)
    hit5: list[float] = field(default_factory=list)
    valid: list[float] = field(default_factory=list)  # one entry per shown candidate
    prefill: list[int] = field(default_factory=list)
    incremental: list[int] = field(default_factory=list)
    cold_ms: list[float] = field(default_factory=list)
    warm_ms: list[float] = field(default_factory=list)

    def add(self, run: SystemRun, truth: str, valid: list[bool]) -> None:
        top = run.shown[0] if run.shown else None
        self.exact.append(float(cell_exact(top, truth)))
        self.tol.append(float(cell_tol(top, truth)))
        self.hit5.append(float(any(cell_exact(s, truth) for s in run.shown[:5])))
        self.valid.extend(float(v) for v in valid)
        self.prefill.append(run.prefill)
        self.incremental.append(run.incremental)
        self.cold_ms.append(run.ms)

    def summary(self) -> dict:
        mean = mean_or_none
        return {
            "cell_exact": mean(self.exact),
            "cell_tol": mean(self.tol),
            "hit5": mean(self.hit5),
            "valid_shown": mean(self.valid),
            "shown_per_cell": round(len(self.valid) / max(len(self.exact), 1), 2),
            "llm_tokens": {"prefill": mean(self.prefill), "incremental": mean(self.incremental)},
            "ms_per_cell": latency_summary(self.cold_ms, self.warm_ms),
        }


def _schema_for(csv_path: Path, explicit: Path | None, config: Config, doc, cells, ws: _Workspace):
    """(schema path to pass, how it was chosen)."""
    if explicit is not None:
        return explicit.resolve(), str(explicit)
    found = find_schema_path(csv_path, None, rules_for(config.tables, csv_path, config.source).schema)
    if found is not None:
        return None, str(found)  # gfv finds it beside the (linked) copy, as it would for the file
    out = ws.dir / f"{csv_path.stem}.bench-inferred.schema.yaml"
    out.write_text(inferred_schema(doc, {c.row for c in cells}).to_yaml(), encoding="utf-8")
    return out, f"inferred from the {len(doc.rows) - len({c.row for c in cells})} unmasked rows"


def run_table_bench(  # pylint: disable=too-many-locals,too-many-arguments
    csv_path: Path, model_path: Path, config: Config, *, cells: int = 20, seed: int = 0, k: int = 5,
    schema: Path | None = None, systems: list[str] | None = None, warm: bool = True,
    progress: Callable[[str], None] | None = None,
) -> dict:  # fmt: skip
    """Mask the cells, ask every system cold then warm, and summarise; see the module docstring."""
    csv_path = Path(csv_path)
    doc = TableDocument.load(csv_path)
    masked = pick_cells(doc, cells, seed)
    if not masked:
        raise GfvError(f"--csv {csv_path}: no non-empty cells to mask", ExitCode.USAGE)
    say = progress or (lambda _m: None)
    names = systems or SYSTEMS
    ws = _Workspace(csv_path)
    try:
        schema_path, schema_note = _schema_for(csv_path, schema, config, doc, masked, ws)
        scorer = get_scorer(model_path, n_ctx=config.ranker.n_ctx, threads=config.ranker.threads)
        makers = {
            "gfv": lambda: GfvCells(scorer, config, schema_path, model_path, k),
            "qwen-direct": lambda: QwenDirectCell(scorer, config, schema_path),
        }
        runners = [makers[n]() for n in names]
        checker = _SchemaCheck(config)
        tallies = {n: _Tally() for n in names}
        per_cell = []
        for i, cell in enumerate(masked, 1):
            ws.table.write_text(masked_text(doc, cell), encoding="utf-8", newline="")
            slot = open_table(ws.table, schema_path, config).slot(cell.row + 1, cell.column)
            per_cell.append({"row": cell.row + 1, "column": cell.column, "truth": cell.truth})
            for runner in runners:
                scorer.reset()
                cold, _ = runner.run(ws.table, cell)
                per_cell[-1][runner.name] = cold.shown[:k]
                tallies[runner.name].add(cold, cell.truth, checker.valid(slot, cold.shown[:k]))
                if warm:
                    tallies[runner.name].warm_ms.append(runner.run(ws.table, cell)[0].ms)
            say(f"cell {i}/{len(masked)} ({cell.column} row {cell.row + 1}): "
                + ", ".join(f"{n} exact={statistics.mean(t.exact):.2f}" for n, t in tallies.items()))  # fmt: skip
    finally:
        ws.close()
    return {
        "cells": len(masked),
        "csv": str(csv_path),
        "rows": len(doc.rows),
        "columns": len(doc.header),
        "seed": seed,
        "k": k,
        "schema": schema_note,
        "systems": {n: t.summary() for n, t in tallies.items()},
        "per_cell": per_cell,
    }


def render_table(result: dict) -> str:
    """The summary as an aligned text table (the JSON has everything)."""
    head = (f"{'system':12} {'exact':>6} {'tol':>6} {'hit5':>6} {'valid':>6} {'shown':>6} {'prefill':>8} {'incr':>7}"
            f" {'cold p50':>9} {'cold p95':>9} {'warm p50':>9} {'warm p95':>9}")  # fmt: skip
    rows = [
        f"cells: {result['cells']}  csv: {result['csv']} ({result['rows']} rows x {result['columns']} columns)"
        f"  seed: {result['seed']}  schema: {result['schema']}",
        head,
    ]

    def num(v, w, p):
        return f"{v:{w}.{p}f}" if v is not None else f"{'-':>{w}}"

    for name, s in result["systems"].items():
        ms = s["ms_per_cell"]
        rows.append(
            f"{name:12} {num(s['cell_exact'], 6, 3)} {num(s['cell_tol'], 6, 3)} {num(s['hit5'], 6, 3)}"
            f" {num(s['valid_shown'], 6, 3)} {s['shown_per_cell']:6.2f} {num(s['llm_tokens']['prefill'], 8, 1)}"
            f" {num(s['llm_tokens']['incremental'], 7, 1)} {num(ms['cold']['p50'], 9, 1)} {num(ms['cold']['p95'], 9, 1)}"
            f" {num(ms['warm']['p50'], 9, 1)} {num(ms['warm']['p95'], 9, 1)}"
        )
    return "\n".join(rows)
