"""``gfv``: argument parsing and dispatch.  Every command returns an ExitCode; no tracebacks."""

from __future__ import annotations

import argparse
import sys
from typing import Callable

from editor import __version__
from editor.errors import ExitCode, GfvError

EXIT_CODES_HELP = """exit codes:
  0  success
  1  findings: no valid candidate (suggest)
  2  usage error: bad arguments, bad input file, bad config, bad model file
  3  internal error: a tool build, download or model load failed
"""


def build_parser() -> argparse.ArgumentParser:
    # pylint: disable-next=import-outside-toplevel
    from editor.cli import (
        batch_cmd,
        bench_cmd,
        check_cmd,
        edit_cmd,
        infer_schema_cmd,
        model_cmd,
        suggest_cmd,
        train_cmd,
    )

    parser = argparse.ArgumentParser(
        prog="gfv",
        description=(
            "gfv (generate · filter · validate): cheap generators propose completions, validators "
            "drop invalid ones, a small local LLM ranks the rest in context."
        ),
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"gfv {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (
        suggest_cmd,
        train_cmd,
        model_cmd,
        bench_cmd,
        check_cmd,
        batch_cmd,
        edit_cmd,
        infer_schema_cmd,
    ):
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    if not getattr(args, "handler", None):
        parser.print_help()
        return ExitCode.USAGE
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return int(handler(args))
    except GfvError as exc:
        print(f"gfv: error: {exc.message}", file=sys.stderr)
        return int(exc.code)
    except KeyboardInterrupt:
        print("gfv: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return ExitCode.OK
    except Exception as exc:  # pylint: disable=broad-exception-caught
        print(
            f"gfv: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug; please report it with the command you ran (GFV_DEBUG=1 shows the traceback).",
            file=sys.stderr,
        )
        if __import__("os").environ.get("GFV_DEBUG"):
            raise
        return ExitCode.INTERNAL
