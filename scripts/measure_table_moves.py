"""Time to the first candidate after a move in an open table, as ``gfv edit`` on a table gets it.

The table engine answers a cell or row request in two steps (editor/tui/table_engine.py):
the cheap stage's answer, whose candidates have passed every table validator, then the
ranked one.  This opens a real table with the real model, asks once to load everything
(the table is open), then moves: along a row cell by cell, and down a column row by row,
timing each request's early answer (what the user sees first) and its ranked answer.

    python scripts/measure_table_moves.py TABLE.csv [--moves 12] [--schema S.yaml]

Prints JSON: p50/p95/max of both times, and how many early answers were empty.
Wrap it in ``flock /tmp/gfv-llm.lock`` when other model work may run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from editor.bench.metrics import percentile
from editor.config import load_config
from editor.models.fetch import default_model_path
from editor.tables.engine import open_table
from editor.tui.table_engine import TableEngine, TableRequest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("table", type=Path)
    parser.add_argument("--moves", type=int, default=12)
    parser.add_argument("--schema", type=Path)
    args = parser.parse_args(argv)
    config = load_config(start=args.table.resolve().parent)
    table = open_table(args.table, args.schema, config)
    engine = TableEngine(table, config, default_model_path(), "qwen")
    doc = table.document
    ids = iter(range(1, 10_000))

    def ask(row: int, column: str | None) -> dict:
        request = TableRequest(next(ids), 1, (row, 0), "", 5, document=doc, row=row, column=column)
        start = time.perf_counter()
        first: list[float] = []
        early_empty = []

        def early(result) -> None:
            first.append((time.perf_counter() - start) * 1000)
            early_empty.append(not result.candidates)

        result = engine.suggest(request, early=early)
        ranked = (time.perf_counter() - start) * 1000
        shown_first = first[0] if first else ranked  # no early answer: the ranked one is the first
        return {"first_ms": shown_first, "ranked_ms": ranked, "early": bool(first), "shown": len(result.candidates)}

    start_row = max(len(doc.rows) - args.moves - 2, 1)
    ask(start_row, doc.header[0])  # the table is open: model loaded, context in the cache
    moves = []
    for i in range(args.moves // 2):  # along the row, cell by cell
        moves.append(("cell", ask(start_row, doc.header[(i + 1) % len(doc.header)])))
    for i in range(args.moves - args.moves // 2):  # down one column, row by row
        moves.append(("row", ask(start_row + 1 + i, doc.header[-1])))
    firsts = [m["first_ms"] for _, m in moves]
    ranked = [m["ranked_ms"] for _, m in moves]
    out = {
        "table": str(args.table),
        "rows": len(doc.rows),
        "moves": len(moves),
        "first_candidate_ms": {"p50": round(statistics.median(firsts), 1), "p95": round(percentile(firsts, 0.95), 1),
                               "max": round(max(firsts), 1)},  # fmt: skip
        "ranked_ms": {"p50": round(statistics.median(ranked), 1), "p95": round(percentile(ranked, 0.95), 1),
                      "max": round(max(ranked), 1)},  # fmt: skip
        "without_early_answer": sum(not m["early"] for _, m in moves),
        "per_move": [{"kind": k, **{key: round(v, 1) if isinstance(v, float) else v for key, v in m.items()}}
                     for k, m in moves],  # fmt: skip
    }
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
