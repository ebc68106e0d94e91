"""``gfv edit FILE``: the Textual editor (needs the ``tui`` extra)."""

from __future__ import annotations

import argparse
from pathlib import Path

from editor.cli.common import (
    add_config_args,
    add_model_args,
    choose_model,
    config_for,
    ensure_ngram,
    stderr_progress,
)
from editor.errors import ExitCode, GfvError
from editor.files import read_for_edit


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "edit",
        help="edit a Python file or a CSV/TSV table with validated, ranked suggestions (Textual TUI)",
        description=(
            "Open FILE (created on first save) in a keyboard-first editor. Suggestions come on a pause in"
            " typing and with Ctrl+Space; Tab accepts, Ctrl+Right accepts a word, Up/Down or Alt+[/Alt+]"
            " cycle, Esc dismisses, F4 shows the rejected candidates, F2 a candidate's trace, Ctrl+S saves"
            " atomically, Ctrl+P opens the command palette. Unsaved edits are journaled and offered for"
            " recovery after a crash. A .csv/.tsv FILE opens as a table: Ctrl+Space fills the selected cell,"
            " Ctrl+N proposes a new row, Enter edits a cell (the row is re-validated)."
        ),
    )
    p.add_argument(
        "file", type=Path, help="a Python file (UTF-8; created on first save if missing) or a CSV/TSV table"
    )
    p.add_argument("--schema", type=Path, help="tables: pandera schema (YAML, or .py with a DataFrameModel)")
    add_model_args(p)
    add_config_args(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from editor.tables import TABLE_SUFFIXES  # pylint: disable=import-outside-toplevel

    if args.file.suffix.lower() in TABLE_SUFFIXES:
        return run_table(args)
    loaded = read_for_edit(args.file)  # refuses a directory, binary and non-UTF-8 content (exit 2)
    config = config_for(args, near=args.file.absolute())
    try:
        from editor.tui.app import EditorApp  # pylint: disable=import-outside-toplevel
        from editor.tui.engine import SuggestionEngine, TuiSettings  # pylint: disable=import-outside-toplevel
    except ImportError as exc:
        raise _needs_tui(exc) from None
    try:
        ensure_ngram(config)
    except Exception as exc:  # pylint: disable=broad-exception-caught
        stderr_progress(f"n-gram model unavailable ({getattr(exc, 'message', exc)}); the editor will say so")
    model_path, model_name = _model(args, config)
    engine = SuggestionEngine(config, model_path, model_name, file_path=loaded.path)
    app = EditorApp(loaded, engine, TuiSettings.from_config(config))
    app.run()
    return ExitCode.OK


def _model(args: argparse.Namespace, config) -> tuple:  # type: ignore[no-untyped-def]
    try:
        choice = choose_model(args, config)
        return choice.path, choice.name
    except GfvError as exc:
        stderr_progress(f"model not usable ({exc.message}); the editor runs in n-gram mode")
        return None, None


def run_table(args: argparse.Namespace) -> int:
    """``gfv edit TABLE.csv``: the table view (needs the ``tui`` and ``tables`` extras)."""
    from editor.tables.engine import open_table  # pylint: disable=import-outside-toplevel

    config = config_for(args, near=args.file.absolute())
    table = open_table(args.file, args.schema, config)  # every problem with the table is exit 2
    try:
        # pylint: disable-next=import-outside-toplevel
        from editor.tui.table_app import TableApp, TableEngine, TuiSettings
    except ImportError as exc:
        raise _needs_tui(exc) from None
    model_path, model_name = _model(args, config)
    engine = TableEngine(table, config, model_path, model_name)
    TableApp(table.document, engine, TuiSettings.from_config(config)).run()
    return ExitCode.OK


def _needs_tui(exc: ImportError) -> GfvError:
    message = f"gfv edit needs the TUI extra ({exc.name} is missing): pip install 'gfv[tui]'"
    return GfvError(message, ExitCode.USAGE)
