"""``gfv check PATHS...``: validate whole files (the pre-commit hook and CI entry point).

This module and everything it imports stay light: no model, n-gram, TUI or table
stack (a test asserts it), so the pre-commit hook installs and starts fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from editor.errors import ExitCode, GfvError

CHECK_EXIT_CODES = """exit codes:
  0  clean: no findings (warnings, e.g. a tool that could not check a file, do not count)
  1  findings
  2  usage or config error: bad arguments, a path that does not exist, bad config
  3  internal error
"""


def register(sub: argparse._SubParsersAction) -> None:
    """Add the command's parser."""
    p = sub.add_parser(
        "check",
        help="validate whole files: syntax, black, pylint errors, properties (the pre-commit hook)",
        description=(
            "Validate whole files. Python files go through syntax, black and pylint's error checks,"
            " and a module with a <module>_properties.py beside it has its hypothesis properties run"
            " in the sandbox (PROP001 with the shrunk counterexample; see docs/sandbox.md);"
            " CSV/TSV tables through their pandera schema, keys and formulas (--engine)."
            " Directories are walked. Findings go to stdout, diagnostics to stderr."
            " Suppress a finding with '# gfv: ignore[CODE]' on its line, or for the whole file on a line"
            " of its own before the first line of code (see docs/check.md)."
        ),
        epilog=CHECK_EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "paths", nargs="*", type=Path, help="files or directories (default: the current directory)"
    )
    p.add_argument(
        "--format", choices=["text", "json", "sarif"], default="text", help="output format (default: text)"
    )
    p.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=None,
        help="worker processes (default: config check.jobs, else one per CPU)",
    )
    p.add_argument("--no-cache", action="store_true", help="check every file again, ignoring cached results")
    p.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="CODES",
        help="comma-separated codes (or pylint symbols, or prefixes like BLK) never to report; repeatable",
    )
    p.add_argument(
        "--select",
        metavar="VALIDATORS",
        help="comma-separated Python validators to run (default: config check.python)",
    )
    p.add_argument(
        "--properties",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="run <module>_properties.py properties in the sandbox (default: on when config check.python"
        " lists 'properties', as it does by default)",
    )
    p.add_argument(
        "--engine",
        choices=["pandas", "polars", "dask"],
        default=None,
        help="engine that validates CSV/TSV tables (default: config check.table_engine, else pandas);"
        " polars and dask need the gfv[polars] / gfv[dask] extras",
    )
    p.add_argument(
        "--dask-scheduler",
        metavar="ADDRESS",
        help="with --engine dask: a running Dask scheduler, e.g. tcp://host:8786"
        " (default: $GFV_DASK_SCHEDULER, else config check.dask_scheduler, else a local cluster)",
    )
    p.add_argument(
        "--config", type=Path, help="config file (default: nearest gfv.toml or pyproject.toml [tool.gfv])"
    )
    p.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar on stderr (default: only on a terminal)",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the command; returns its exit code."""
    # pylint: disable=import-outside-toplevel
    from editor.check.checkers import build_checkers, collect_targets
    from editor.check.report import render
    from editor.check.runner import run_check
    from editor.check.settings import load_check_config, validate_check_config

    if args.jobs is not None and args.jobs < 1:
        raise GfvError("--jobs must be at least 1", ExitCode.USAGE)
    cfg = load_check_config(args.config, Path.cwd())
    if args.select is not None:
        cfg.python = [v.strip() for v in args.select.split(",") if v.strip()]
        validate_check_config(cfg, "--select")
    if args.properties is not None:
        cfg.python = [v for v in cfg.python if v != "properties"] + (
            ["properties"] if args.properties else []
        )
    if args.engine is not None:
        cfg.table_engine = args.engine
    if args.dask_scheduler is not None:
        if cfg.table_engine != "dask":
            raise GfvError("--dask-scheduler needs --engine dask", ExitCode.USAGE)
        cfg.dask_scheduler = args.dask_scheduler
    elif os.environ.get("GFV_DASK_SCHEDULER"):
        cfg.dask_scheduler = os.environ["GFV_DASK_SCHEDULER"]
    if cfg.table_engine != "pandas":
        from editor.tables.engines import require_engine  # light: looks the packages up only

        require_engine(cfg.table_engine)
    cfg.ignore = list(cfg.ignore) + [
        c.strip() for value in args.ignore for c in value.split(",") if c.strip()
    ]
    root = Path.cwd()
    targets, notes = collect_targets(args.paths or [Path(".")], build_checkers(cfg), cfg.exclude, root)
    for note in notes:
        print(f"gfv: {note}", file=sys.stderr)
    report = run_check(targets, cfg, jobs=args.jobs, use_cache=not args.no_cache, progress=args.progress)
    sys.stdout.write(render(report, args.format) + "\n")
    sys.stdout.flush()
    return report.exit_code
