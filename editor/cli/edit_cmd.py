"""``gfv edit FILE``: the Textual editor (needs the ``tui`` extra)."""

from __future__ import annotations

import argparse
from pathlib import Path

from editor.cli.common import add_config_args, add_model_args, choose_model, config_for, stderr_progress
from editor.errors import ExitCode, GfvError
from editor.files import read_for_edit


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "edit",
        help="edit a Python file with validated, ranked suggestions (Textual TUI)",
        description=(
            "Open FILE (created on first save) in a keyboard-first editor. Suggestions come on a pause in"
            " typing and with Ctrl+Space; Tab accepts, Ctrl+Right accepts a word, Up/Down or Alt+[/Alt+]"
            " cycle, Esc dismisses, F4 shows the rejected candidates, F2 a candidate's trace, Ctrl+S saves"
            " atomically, Ctrl+P opens the command palette. Unsaved edits are journaled and offered for"
            " recovery after a crash."
        ),
    )
    p.add_argument("file", type=Path, help="a Python file (UTF-8); created on first save if missing")
    add_model_args(p)
    add_config_args(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    loaded = read_for_edit(args.file)  # refuses a directory, binary and non-UTF-8 content (exit 2)
    config = config_for(args, near=args.file.absolute())
    try:
        from editor.tui.app import EditorApp  # pylint: disable=import-outside-toplevel
        from editor.tui.engine import SuggestionEngine, TuiSettings  # pylint: disable=import-outside-toplevel
    except ImportError as exc:
        raise GfvError(
            f"gfv edit needs the TUI extra ({exc.name} is missing): pip install 'gfv[tui]'", ExitCode.USAGE
        ) from None
    if "ngram" in config.generators.enabled and not config.ngram_model:
        try:
            from editor.ngram.train import ensure_trained  # pylint: disable=import-outside-toplevel

            ensure_trained(stderr_progress)
        except Exception as exc:  # pylint: disable=broad-exception-caught
            stderr_progress(
                f"n-gram model unavailable ({getattr(exc, 'message', exc)}); the editor will say so"
            )
    try:
        choice = choose_model(args, config)
        model_path, model_name = choice.path, choice.name
    except GfvError as exc:
        stderr_progress(f"model not usable ({exc.message}); the editor runs in n-gram mode")
        model_path, model_name = None, None
    engine = SuggestionEngine(config, model_path, model_name, file_path=loaded.path)
    app = EditorApp(loaded, engine, TuiSettings.from_config(config))
    app.run()
    return ExitCode.OK
