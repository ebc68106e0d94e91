"""``gfv batch TASKS.jsonl --out RESULTS.jsonl``: suggestions for many slots, resumable, in parallel."""

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

BATCH_EXIT_CODES = """exit codes:
  0  every task has a result
  1  some tasks became error records (bad task, missing file, slot out of range)
  2  usage error: bad arguments, unreadable tasks file, a results file that is not gfv's, bad config
  3  internal error: a worker could not start (model load) or died
"""


def register(sub: argparse._SubParsersAction) -> None:
    """Add the command's parser."""
    p = sub.add_parser(
        "batch",
        help="suggest completions for many slots from a JSON-lines task file (resumable)",
        description=(
            'Each line of TASKS is {"id": ..., "file": "path.py", "line": L, "col": C, "k": 5} (1-based;'
            ' "block": true asks for whole blocks, as `gfv suggest --block`),'
            ' or a table task {"id": ..., "file": "x.csv", "row": N|"next", "column": NAME, "k": 5}.'
            " Each line of RESULTS is the task's id, file, line and col (row and column) with the same fields as"
            ' `gfv suggest --format json`, or {"id": ..., "error": {"code": ..., "message": ...}}.'
            " Re-running skips the tasks already in RESULTS."
        ),
        epilog=BATCH_EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("tasks", type=Path, help="tasks, one JSON object a line")
    p.add_argument("--out", type=Path, required=True, help="results file (appended to; created if missing)")
    p.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=1,
        help="worker processes, one loaded model each (default 1; 0 = as many as CPUs and memory allow)",
    )
    p.add_argument(
        "--root", type=Path, default=None, help="folder relative task files are resolved against (default: .)"
    )
    p.add_argument(
        "--retry-errors", action="store_true", help="run again the tasks whose result is an error record"
    )
    p.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar on stderr (default: only on a terminal)",
    )
    add_model_args(p)
    add_config_args(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the command; returns its exit code."""
    # pylint: disable=import-outside-toplevel
    from editor.batch.runner import plan_jobs, run_batch

    if args.jobs < 0:
        raise GfvError("--jobs must be 0 (automatic) or more", ExitCode.USAGE)
    if args.out.exists() and args.out.is_dir():
        raise GfvError(f"{args.out}: is a directory; --out needs a file", ExitCode.USAGE)
    if not args.tasks.is_file():
        raise GfvError(f"{args.tasks}: no such tasks file", ExitCode.USAGE)
    root = (args.root or Path.cwd()).resolve()
    if not root.is_dir():
        raise GfvError(f"--root {root}: not a directory", ExitCode.USAGE)
    config = config_for(args)
    ensure_ngram(config)
    choice = choose_model(args, config)
    llm = choice.path is not None and config.ranker.name == "llm"
    plan = plan_jobs(args.jobs, llm, config.ranker.threads)
    for note in plan.notes:
        stderr_progress(note)
    try:
        summary = run_batch(
            args.tasks,
            args.out,
            config,
            (choice.path, choice.name),
            plan,
            root,
            retry_errors=args.retry_errors,
            progress=args.progress,
            say=stderr_progress,
        )
    except KeyboardInterrupt:
        stderr_progress(f"{args.out} holds whole records only; re-run the same command to resume")
        raise
    threads = f" ({plan.threads} llama.cpp thread{'s' if plan.threads != 1 else ''} each)" if llm else ""
    retried = f", {summary.dropped_errors} error records retried" if summary.dropped_errors else ""
    stderr_progress(
        f"batch: {summary.done} tasks run, {summary.errors} error records, {summary.skipped} already in"
        f" {args.out}{retried}; {summary.jobs} worker{'s' if summary.jobs != 1 else ''}{threads},"
        f" {summary.seconds:.1f}s"
    )
    return summary.exit_code
