"""``gfv suggest TABLE --row N|next [--column NAME] | --rows next:N``: the table branch of suggest."""

from __future__ import annotations

import argparse
import json

from editor.cli.common import choose_model, config_for, stderr_progress
from editor.errors import ExitCode, GfvError
from editor.pipeline import SuggestResult


def run_table_suggest(args: argparse.Namespace) -> int:  # pylint: disable=too-many-branches
    """Suggest a cell, a row or (``--rows next:N``) a block of rows; see ``gfv suggest --help``."""
    # pylint: disable-next=import-outside-toplevel
    from editor.cli.suggest_cmd import render_text
    from editor.tables.engine import suggest_cells  # pylint: disable=import-outside-toplevel

    rows = getattr(args, "rows", None)
    if rows is not None and (args.row is not None or args.column is not None):
        raise GfvError(
            "--rows next:N proposes whole new rows; it excludes --row and --column", ExitCode.USAGE
        )
    if args.row is None and rows is None:
        raise GfvError(
            f"{args.file}: a table needs --row N (1-based data row), --row next or --rows next:N",
            ExitCode.USAGE,
        )
    if args.line is not None or args.col is not None:
        raise GfvError("--line/--col are for code files; use --row and --column for a table", ExitCode.USAGE)
    if args.k is not None and args.k < 1:
        raise GfvError("--k must be at least 1", ExitCode.USAGE)
    if args.block:
        raise GfvError("--block is for code files; a table takes --rows next:N", ExitCode.USAGE)
    if rows is not None:
        from editor.tables.row_block import parse_rows  # pylint: disable=import-outside-toplevel

        n = parse_rows(rows)  # before the config and the model: a bad spec fails fast
    config = config_for(args, near=args.file.resolve())
    choice = choose_model(args, config)
    common = {"schema": args.schema, "k": args.k, "config": config, "model_path": choice.path,
              "model_name": choice.name}  # fmt: skip
    if rows is not None:
        from editor.tables.row_block import suggest_block  # pylint: disable=import-outside-toplevel

        result = suggest_block(args.file, n, **common)
    else:
        result = suggest_cells(args.file, args.row, args.column, **common)
    for note in result.notes:
        stderr_progress(note)
    if args.format == "json":
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    elif rows is not None:
        print(render_blocks(result, args.show_rejected))
    else:
        print(render_text(result, "", args.show_rejected))
    return ExitCode.OK if result.candidates else ExitCode.FINDINGS


def render_blocks(result: SuggestResult, show_rejected: bool = False) -> str:
    """Text output of ``--rows next:N``: each block's rows, each with the generator that proposed it."""
    # pylint: disable=too-many-locals
    lines = [] if result.candidates else ["no valid block"]
    for i, cand in enumerate(result.candidates, 1):
        records = cand.text.split("\n")
        origins = cand.origin.get("rows", [])
        width = max(len(r) for r in records)
        lines.append(f"{i}. [block, {len(origins)} row{'s' if len(origins) != 1 else ''}]")
        for j, record in enumerate(records):
            where = origins[j] if j < len(origins) and len(records) == len(origins) else None
            lines.append(f"   | {record:<{width}}" + (f"  ← {where['source']}" if where else ""))
        score = " ".join(f"{k}={cand.scores[k]:.3f}" for k in ("ngram", "llm", "final") if k in cand.scores)
        lines.append(f"   {score}  [{' '.join(sorted({v.code for v in cand.verdicts}))}]")
    if show_rejected and result.rejected:
        lines.append("rejected:")
        for cand in result.rejected:
            why = "; ".join(f"{v.code} {v.message}" for v in cand.failures)
            lines.append(f"   {cand.text!r}: {why}")
    total = result.timings_ms.get("total", 0.0)
    calls = result.work.get("block", {}).get("calls", 0)
    shown, rejected = len(result.candidates), len(result.rejected)
    lines.append(f"({shown} shown, {rejected} rejected, {calls} row requests, {total:.0f} ms)")
    return "\n".join(lines)
