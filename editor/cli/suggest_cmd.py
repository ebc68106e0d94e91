"""``gfv suggest FILE --line L --col C``: ranked, validated candidates for one cursor position."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from editor.cli.common import (
    add_config_args,
    add_model_args,
    choose_model,
    config_for,
    ensure_ngram,
    stderr_progress,
)
from editor.document import Document
from editor.errors import ExitCode, GfvError
from editor.pipeline import Pipeline, SuggestResult


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "suggest",
        help="propose validated, ranked completions at a cursor position",
        description=(
            "Propose completions for FILE at LINE:COL (1-based). The text before the cursor on that line is"
            " what the user has typed; each candidate's text is what would be inserted at the cursor."
            " The file is never modified."
        ),
    )
    p.add_argument("file", type=Path, help="a Python file, or a CSV/TSV table (UTF-8)")
    p.add_argument("--line", type=int, help="1-based line of the cursor (Python files; required)")
    p.add_argument("--col", type=int, help="1-based column of the cursor (1 = start of line; required)")
    p.add_argument("--row", help="tables: 1-based data row to fill, or 'next' for a new row")
    p.add_argument(
        "--rows",
        help="tables: 'next:N' proposes the next N rows (1-50) as one block, validated as a block",
    )
    p.add_argument("--column", help="tables: the column of the cell to fill (default: the whole row)")
    p.add_argument("--schema", type=Path, help="tables: pandera schema (YAML, or .py with a DataFrameModel)")
    p.add_argument(
        "--block",
        action="store_true",
        help="propose whole blocks (several lines) at the cursor; the cursor's line must hold nothing but"
        " indentation (a block is proposed without it on the empty line after a block header)",
    )
    p.add_argument("--k", type=int, default=None, help="how many candidates to show (default: config k, 5)")
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    p.add_argument("--show-rejected", action="store_true", help="text format: also list rejected candidates")
    add_model_args(p)
    add_config_args(p)
    p.set_defaults(handler=run)


def _check_position(args: argparse.Namespace) -> None:
    if args.line < 1 or args.col < 1:
        raise GfvError("--line and --col are 1-based and must be at least 1", ExitCode.USAGE)
    if args.k is not None and args.k < 1:
        raise GfvError("--k must be at least 1", ExitCode.USAGE)


def run(args: argparse.Namespace) -> int:
    from editor.tables import TABLE_SUFFIXES  # pylint: disable=import-outside-toplevel

    is_table = args.file.suffix.lower() in TABLE_SUFFIXES
    if args.rows is not None and not is_table:
        raise GfvError(
            f"--rows is for tables ({', '.join(sorted(TABLE_SUFFIXES))}), not {args.file}", ExitCode.USAGE
        )
    if args.row is not None or args.rows is not None or is_table:
        from editor.tables.cli import run_table_suggest  # pylint: disable=import-outside-toplevel

        return run_table_suggest(args)
    if args.line is None or args.col is None:
        raise GfvError("--line and --col are required for a code file (--row for a table)", ExitCode.USAGE)
    _check_position(args)
    doc = Document.load(args.file)
    slot = doc.slot(args.line - 1, args.col - 1, block=args.block)
    if args.block and (slot.typed.strip() or slot.after_cursor.strip()):
        raise GfvError(
            f"--block needs a cursor on a line holding nothing but indentation; line {args.line} holds"
            f" {slot.current_line.strip()!r}",
            ExitCode.USAGE,
        )
    config = config_for(args, near=args.file.resolve())
    ensure_ngram(config)
    choice = choose_model(args, config)
    pipeline = Pipeline(config, choice.path, choice.name)
    result = pipeline.suggest(slot, args.k)
    for note in result.notes:
        stderr_progress(note)
    if args.format == "json":
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    else:
        print(render_text(result, slot.typed, args.show_rejected))
    return ExitCode.OK if result.candidates else ExitCode.FINDINGS


def render_text(result: SuggestResult, typed: str, show_rejected: bool = False) -> str:
    lines = []
    if not result.candidates:
        lines.append("no valid candidate")
    for i, cand in enumerate(result.candidates, 1):
        s = cand.scores
        score = " ".join(f"{k}={s[k]:.3f}" for k in ("ngram", "llm", "final") if s.get(k) is not None)
        if cand.kind == "block":
            n = cand.text.count("\n") + 1
            lines.append(f"{i}. [block, {n} line{'s' if n != 1 else ''}]")
            lines.extend(f"   | {line}" for line in (typed + cand.text).split("\n"))
        else:
            lines.append(f"{i}. {typed}\u2038{cand.text}".replace("\n", "\u23ce"))
        lines.append(f"   source={cand.source} {score}  [{' '.join(v.code for v in cand.verdicts)}]")
    if show_rejected and result.rejected:
        lines.append("rejected:")
        for cand in result.rejected:
            why = "; ".join(f"{v.code} {v.message}" for v in cand.failures)
            lines.append(f"   {cand.text!r} ({cand.source}): {why}")
            for verdict in cand.failures:
                example = verdict.details.get("counterexample") if verdict.details else None
                if example:
                    lines.append(f"      counterexample: {' '.join(str(example).split())}")
    total = result.timings_ms.get("total", 0.0)
    lines.append(f"({len(result.candidates)} shown, {len(result.rejected)} rejected, {total:.0f} ms)")
    return "\n".join(lines)
