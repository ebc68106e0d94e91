"""``gfv bench table --row next``: hold out a table's last rows in turn and ask for the next row.

For each of the last ``rows`` data rows (position ``j``), the table cut after row ``j - 1``
(every kept record byte for byte) is written to a temporary folder and every system is asked
for the next row; the truth is row ``j``.  The schema is ``--schema``, the one gfv finds,
or one inferred from the rows *before every held-out one* (no truth leaks in).  The
profile of those same rows says which columns are keys of the sequence (its column and
its group column) and each number column's typical change (median absolute change between
consecutive rows of the same series, taken in the held-out row's own series).

Per held-out row and system, from the top-1 row: ``key_exact`` (every key column equal;
only for tables with a sequence), ``num_1pct`` and ``num_typical`` (the share of the number
columns within 1 % of the truth / within the column's typical change), ``valid_shown``
(pandera, the ``table_schema`` validator, on every shown row), ``cold_ms`` (the whole
request after ``scorer.reset()``) and ``first_ms`` (until the first candidate exists: for
gfv its generators and validators before any LLM work, for qwen-direct its whole answer).
"""

from __future__ import annotations

import statistics
from dataclasses import replace
from pathlib import Path
from typing import Callable

from editor.bench.metrics import mean_or_none
from editor.bench.systems import _Counting
from editor.bench.table_bench import QwenDirectCell, _SchemaCheck, _Workspace, inferred_schema
from editor.config import Config
from editor.errors import ExitCode, GfvError
from editor.ranking.llm import get_scorer
from editor.tables.csvdoc import TableDocument
from editor.tables.engine import open_table, suggest_cells
from editor.tables.profile import profile
from editor.tables.rules import rules_for
from editor.tables.schema import find_schema_path
from editor.tables.series import is_varying_number

SYSTEMS = ["gfv", "qwen-direct"]


def truncated_text(doc: TableDocument, keep: int) -> str:
    """The table with only its first ``keep`` data rows (each kept record byte for byte)."""
    return replace(doc, rows=doc.rows[:keep], raw_rows=doc.raw_rows[:keep], final_newline=True).text()


def key_columns(doc: TableDocument, keep: int) -> list[str]:
    """The sequence columns of the first ``keep`` rows and their group columns (empty: no sequence)."""
    profs = profile(doc.header, doc.rows[:keep], None)
    keys: list[str] = []
    for name, prof in profs.items():
        if prof.sequence is not None:
            keys += [c for c in (prof.sequence.group, name) if c and c not in keys]
    return keys


def typical_changes(doc: TableDocument, keep: int) -> tuple[str | None, dict[str, dict[str, float]]]:
    """(group column, per varying number column: its median absolute change between consecutive
    rows of one series, per series value, and over all series under ``"*"``)."""
    rows = doc.rows[:keep]
    profs = profile(doc.header, rows, None)
    group = next((p.sequence.group for p in profs.values() if p.sequence and p.sequence.group), None)
    g = doc.header.index(group) if group else None
    out = {}
    for c, name in enumerate(doc.header):
        if not is_varying_number(profs[name]):
            continue
        last: dict[str, float] = {}
        diffs: dict[str, list[float]] = {}
        for r in rows:
            try:
                v = float(r[c])
            except ValueError:
                continue
            k = r[g] if g is not None else ""
            if k in last:
                diffs.setdefault(k, []).append(abs(v - last[k]))
            last[k] = v
        pooled = [d for ds in diffs.values() for d in ds]
        if pooled:
            out[name] = {k: statistics.median(ds) for k, ds in diffs.items()}
            out[name]["*"] = statistics.median(pooled)
    return group, out


def typical_for(truth: list[str], header: list[str], group: str | None, typical: dict) -> dict[str, float]:
    """Each column's typical change in the truth row's series (over all series if it has none yet)."""
    key = truth[header.index(group)] if group else ""
    return {c: per.get(key, per["*"]) for c, per in typical.items()}


def score_row(guess: list[str] | None, truth: list[str], header: list[str], keys: list[str],
              typical: dict[str, float]) -> dict:  # fmt: skip
    """key_exact, and per number column: within 1 % / within the typical change."""
    out: dict = {"key_exact": None, "num_1pct": [], "num_typical": []}
    if keys:
        out["key_exact"] = bool(guess) and all(guess[header.index(k)] == truth[header.index(k)] for k in keys)
    for name, change in typical.items():
        i = header.index(name)
        try:
            t = float(truth[i])
        except ValueError:
            continue
        try:
            g = float(guess[i]) if guess else None
        except ValueError:
            g = None
        out["num_1pct"].append(g is not None and abs(g - t) <= max(1e-6, 0.01 * abs(t)))
        out["num_typical"].append(g is not None and abs(g - t) <= change + 1e-9)
    return out


class QwenDirectRow(QwenDirectCell):
    """Greedy completion of the next CSV record from the table ranker's own context."""

    def complete(self, slot) -> list[str]:
        text, _n = self.scorer.generate(self.ranker.context(slot), max_tokens=160, stop="\n")
        text = text.split("\n")[0].strip()
        return [text] if text else []

    def ask(self, path: Path) -> tuple[list[str], float]:
        run = self.counting.measure(
            lambda: self.complete(open_table(path, self.schema, self.config).slot("next"))
        )
        return run.shown, run.ms


class GfvRow:
    name = "gfv"

    def __init__(self, scorer, config: Config, schema: Path | None, model_path: Path, k: int) -> None:
        self.config, self.schema, self.model_path, self.k = config, schema, model_path, k
        self.counting = _Counting(scorer)
        self.first_ms = 0.0

    def ask(self, path: Path) -> tuple[list[str], float]:
        holder = {}

        def run():
            result = suggest_cells(path, "next", schema=self.schema, k=self.k, config=self.config,
                                   model_path=self.model_path, model_name="qwen")  # fmt: skip
            holder["t"] = result.timings_ms
            return [c.text for c in result.candidates]

        out = self.counting.measure(run)
        t = holder["t"]
        self.first_ms = sum(v for k, v in t.items() if k.startswith(("generate.", "validate.")))
        return out.shown, out.ms


def run_next_row_bench(  # pylint: disable=too-many-locals,too-many-arguments
    csv_path: Path, model_path: Path, config: Config, *, rows: int = 8, k: int = 5,
    schema: Path | None = None, systems: list[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict:  # fmt: skip
    """Hold out the last ``rows`` rows in turn; see the module docstring."""
    csv_path = Path(csv_path)
    doc = TableDocument.load(csv_path)
    n = len(doc.rows)
    if rows < 1 or n - rows < 3:
        raise GfvError(f"--csv {csv_path}: {n} data rows; --rows must leave at least 3 rows before the held-out ones",
                       ExitCode.USAGE)  # fmt: skip
    say = progress or (lambda _m: None)
    first = n - rows
    keys, (group, typical) = key_columns(doc, first), typical_changes(doc, first)
    ws = _Workspace(csv_path)
    try:
        schema_note = str(schema) if schema else None
        if schema is None:
            found = find_schema_path(csv_path, None, rules_for(config.tables, csv_path, config.source).schema)
            if found is not None:
                schema_note = str(found)
            else:
                schema = ws.dir / f"{csv_path.stem}.bench-inferred.schema.yaml"
                schema.write_text(inferred_schema(doc, set(range(first, n))).to_yaml(), encoding="utf-8")
                schema_note = f"inferred from the first {first} rows"
        scorer = get_scorer(model_path, n_ctx=config.ranker.n_ctx, threads=config.ranker.threads)
        makers = {"gfv": lambda: GfvRow(scorer, config, schema, model_path, k),
                  "qwen-direct": lambda: QwenDirectRow(scorer, config, schema)}  # fmt: skip
        runners = {name: makers[name]() for name in (systems or SYSTEMS)}
        checker = _SchemaCheck(config)
        tallies: dict[str, dict[str, list]] = {s: {"key": [], "p1": [], "typ": [], "valid": [], "ms": [], "first": []}
                                               for s in runners}  # fmt: skip
        per_row = []
        for j in range(first, n):
            ws.table.write_text(truncated_text(doc, j), encoding="utf-8", newline="")
            slot = open_table(ws.table, schema, config).slot("next")
            entry: dict = {"row": j + 1, "truth": doc.record_text(doc.rows[j])}
            for name, runner in runners.items():
                scorer.reset()
                shown, ms = runner.ask(ws.table)
                shown = shown[:k]
                try:
                    top = slot.document.dialect.parse_row(shown[0]) if shown else None
                    top = top if top and len(top) == len(doc.header) else None
                except ValueError:
                    top = None
                s = score_row(
                    top, doc.rows[j], doc.header, keys, typical_for(doc.rows[j], doc.header, group, typical)
                )
                t = tallies[name]
                if s["key_exact"] is not None:
                    t["key"].append(float(s["key_exact"]))
                t["p1"] += [float(x) for x in s["num_1pct"]]
                t["typ"] += [float(x) for x in s["num_typical"]]
                t["valid"] += [float(v) for v in checker.valid(slot, shown)]
                t["ms"].append(ms)
                t["first"].append(getattr(runner, "first_ms", 0.0) or ms)
                entry[name] = shown
            per_row.append(entry)
            say(f"row {j + 1 - first}/{rows}: " + ", ".join(
                f"{s} key={mean_or_none(t['key'])}" for s, t in tallies.items()))  # fmt: skip
    finally:
        ws.close()

    def summary(t: dict) -> dict:
        return {
            "key_exact": mean_or_none(t["key"]),
            "num_within_1pct": mean_or_none(t["p1"]),
            "num_within_typical": mean_or_none(t["typ"]),
            "valid_shown": mean_or_none(t["valid"]),
            "shown_per_row": round(len(t["valid"]) / max(len(t["ms"]), 1), 2),
            "cold_ms_p50": round(statistics.median(t["ms"]), 1),
            "first_candidate_ms_p50": round(statistics.median(t["first"]), 1),
        }

    return {"mode": "row next", "csv": str(csv_path), "rows": n, "held_out": rows, "k": k, "schema": schema_note,
            "key_columns": keys, "typical_change": {c: {g: round(v, 6) for g, v in per.items()} for c, per in typical.items()},
            "systems": {s: summary(t) for s, t in tallies.items()}, "per_row": per_row}  # fmt: skip


def render_next(result: dict) -> str:
    lines = [
        f"row next: {result['csv']} ({result['rows']} rows, last {result['held_out']} held out)"
        f"  keys: {', '.join(result['key_columns']) or '-'}  schema: {result['schema']}",
        f"{'system':12} {'key':>6} {'1%':>6} {'typical':>8} {'valid':>6} {'shown':>6} {'cold p50':>9} {'first p50':>9}",
    ]

    def num(v, w):
        return f"{v:{w}.3f}" if v is not None else f"{'-':>{w}}"

    for name, s in result["systems"].items():
        lines.append(
            f"{name:12} {num(s['key_exact'], 6)} {num(s['num_within_1pct'], 6)} {num(s['num_within_typical'], 8)}"
            f" {num(s['valid_shown'], 6)} {s['shown_per_row']:6.2f} {s['cold_ms_p50']:9.1f}"
            f" {s['first_candidate_ms_p50']:9.1f}"
        )
    return "\n".join(lines)
