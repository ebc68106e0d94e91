"""``gfv suggest TABLE --row N|next [--column NAME] [--schema S]``: the table branch of suggest."""

from __future__ import annotations

import argparse
import json

from editor.cli.common import choose_model, config_for, stderr_progress
from editor.errors import ExitCode, GfvError


def run_table_suggest(args: argparse.Namespace) -> int:
    # pylint: disable-next=import-outside-toplevel
    from editor.cli.suggest_cmd import render_text
    from editor.tables.engine import suggest_cells  # pylint: disable=import-outside-toplevel

    if args.row is None:
        raise GfvError(f"{args.file}: a table needs --row N (1-based data row) or --row next", ExitCode.USAGE)
    if args.line is not None or args.col is not None:
        raise GfvError("--line/--col are for code files; use --row and --column for a table", ExitCode.USAGE)
    if args.k is not None and args.k < 1:
        raise GfvError("--k must be at least 1", ExitCode.USAGE)
    config = config_for(args, near=args.file.resolve())
    choice = choose_model(args, config)
    result = suggest_cells(
        args.file,
        args.row,
        args.column,
        schema=args.schema,
        k=args.k,
        config=config,
        model_path=choice.path,
        model_name=choice.name,
    )
    for note in result.notes:
        stderr_progress(note)
    if args.format == "json":
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    else:
        print(render_text(result, "", args.show_rejected))
    return ExitCode.OK if result.candidates else ExitCode.FINDINGS
