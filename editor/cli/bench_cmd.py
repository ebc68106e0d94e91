"""``gfv bench``: benchmarks that report what they measured here."""

from __future__ import annotations

import argparse
import json
import sysconfig
from pathlib import Path

from editor.cli.bench_block_cmd import register_block
from editor.cli.bench_typing_cmd import register_typing
from editor.cli.common import add_config_args, add_model_args, choose_model, config_for
from editor.errors import ExitCode, GfvError
from editor.models.locate import locate_model


def register(sub: argparse._SubParsersAction) -> None:
    bench = sub.add_parser("bench", help="measure gfv on real code", description="Benchmarks.")
    bsub = bench.add_subparsers(dest="bench_command", metavar="BENCH")
    ranker = bsub.add_parser(
        "ranker",
        help="candidates scored per second by the Qwen ranker, cold vs warm (KV cache)",
        description=(
            "Score the true rest of sampled lines against distractors with the real model: candidates per second, "
            "cold (new context) and warm (one more character typed) latency, tokens evaluated, and top-1 accuracy "
            "under mean and sum normalisation."
        ),
    )
    ranker.add_argument(
        "files",
        nargs="*",
        type=Path,
        help="Python files (default: the bundled sample and stdlib's argparse.py)",
    )
    ranker.add_argument("--slots", type=int, default=10, help="slots sampled per file (default 10)")
    ranker.add_argument("--seed", type=int, default=0)
    ranker.add_argument("--format", choices=["text", "json"], default="text")
    add_model_args(ranker)
    add_config_args(ranker)
    ranker.set_defaults(handler=run_ranker)
    code = bsub.add_parser(
        "code",
        help="gfv vs ngram-only vs qwen-direct vs qwen-direct-5 on held-out lines of a real repository",
        description=(
            "Build tasks deterministically from the Python files of --repo: hold out a share of the files, train the"
            " n-gram model on the rest plus the stdlib, sample target lines from the held-out files, and run every"
            " system on the same tasks with the same model and context window. Reports em1, hit5, edit_sim,"
            " valid_shown, LLM tokens (prefill / incremental), LLM calls and cold/warm latency."
        ),
    )
    code.add_argument("--repo", type=Path, required=True, help="a directory of Python code")
    code.add_argument("--tasks", type=int, default=50, help="number of target lines (default 50)")
    code.add_argument("--holdout", type=float, default=0.2, help="share of files held out (default 0.2)")
    code.add_argument("--seed", type=int, default=0)
    code.add_argument(
        "--cut", choices=["start", "random"], default="start", help="cursor at the line's start or inside it"
    )
    code.add_argument("--systems", default=",".join(["gfv", "ngram-only", "qwen-direct", "qwen-direct-5"]),
                      help="comma-separated subset of the systems")  # fmt: skip
    code.add_argument("--format", choices=["text", "json", "markdown"], default="text")
    code.add_argument("--plot", type=Path, help="write a PNG of quality against warm latency and LLM tokens")
    code.add_argument(
        "--warm",
        default=None,
        help="comma-separated systems that also get the warm request (default: all of --systems)",
    )
    code.add_argument(
        "--progress", action="store_true", help="report each task on stderr even without a terminal"
    )
    code.add_argument(
        "--peer-model",
        help="the larger model of the peer-direct systems: a .gguf path or a pinned name (qwen2.5-coder-1.5b)",
    )
    add_model_args(code)
    add_config_args(code)
    code.set_defaults(handler=run_code)
    table = bsub.add_parser(
        "table",
        help="gfv vs qwen-direct on masked cells of a real CSV/TSV table",
        description=(
            "Pick --cells non-empty cells of --csv (seeded), blank each one in a temporary copy of the table and ask"
            " every system for its value with the same model and context rows. Schema: --schema, else the one gfv"
            " finds for the table, else one inferred from the table minus the masked rows. Reports cell_exact,"
            " cell_tol (numbers within 1%% or 1e-6), hit5, valid_shown (pandera), LLM tokens and cold/warm ms per cell."
        ),
    )
    table.add_argument("--csv", type=Path, required=True, help="a CSV or TSV table")
    table.add_argument("--schema", type=Path, help="pandera schema (YAML, or .py with a DataFrameModel)")
    table.add_argument("--cells", type=int, default=20, help="number of masked cells (default 20)")
    table.add_argument("--seed", type=int, default=0)
    table.add_argument("--k", type=int, default=5, help="candidates gfv shows per cell (default 5)")
    table.add_argument(
        "--systems", default="gfv,qwen-direct", help="comma-separated subset of gfv,qwen-direct"
    )
    table.add_argument("--no-warm", action="store_true", help="skip the warm (same cell again) request")
    table.add_argument(
        "--row",
        choices=["next"],
        help="next: hold out the table's last --rows rows in turn and ask for the next row (key columns exact,"
        " numbers within 1%% / within the column's typical change, valid_shown, time to the first candidate)",
    )
    table.add_argument("--rows", type=int, default=8, help="--row next: held-out last rows (default 8)")
    table.add_argument("--format", choices=["text", "json"], default="text")
    add_model_args(table)
    add_config_args(table)
    table.set_defaults(handler=run_table)
    register_typing(bsub)
    register_block(bsub)
    bench.set_defaults(handler=lambda _args: bench.print_help() or ExitCode.USAGE)


def run_ranker(args: argparse.Namespace) -> int:
    from editor.bench.ranker_bench import bench_ranker  # pylint: disable=import-outside-toplevel

    config = config_for(args)
    choice = choose_model(args, config)
    if choice.path is None:
        raise GfvError(
            f"the ranker benchmark needs a model: {choice.reason}; run `gfv model fetch`", ExitCode.USAGE
        )
    files = args.files or [
        Path(__file__).resolve().parents[2] / "samples" / "training_log.py",
        Path(sysconfig.get_paths()["stdlib"]) / "argparse.py",
    ]
    result = bench_ranker(choice.path, files, args.slots, args.seed, config.ranker.threads)
    if args.format == "json":
        print(json.dumps(result.to_json(), indent=2))
    else:
        for key, value in result.to_json().items():
            print(f"{key:24} {value}")
    return ExitCode.OK


def run_code(args: argparse.Namespace) -> int:
    import sys  # pylint: disable=import-outside-toplevel

    from editor.bench.code_bench import (
        SYSTEMS,
        plot,
        render_markdown,
        render_table,
        run_code_bench,
    )  # pylint: disable=import-outside-toplevel

    config = config_for(args)
    choice = choose_model(args, config)
    if choice.path is None:
        raise GfvError(
            f"the code benchmark needs a model: {choice.reason}; run `gfv model fetch`", ExitCode.USAGE
        )
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = sorted(set(systems) - set(SYSTEMS))
    if unknown or args.tasks < 1 or not 0 < args.holdout < 1:
        raise GfvError(
            f"bad arguments: systems must be among {SYSTEMS}, --tasks >= 1, 0 < --holdout < 1", ExitCode.USAGE
        )
    loud = sys.stderr.isatty() or args.progress
    progress = (lambda m: print(f"gfv bench: {m}", file=sys.stderr, flush=True)) if loud else None
    peer = locate_model(args.peer_model, None).path if args.peer_model else None
    result = run_code_bench(args.repo, choice.path, config, tasks=args.tasks, holdout=args.holdout, seed=args.seed,
                            cut=args.cut, systems=systems, progress=progress, peer_model=peer,
                            warm=None if args.warm is None else [w.strip() for w in args.warm.split(",") if w.strip()])  # fmt: skip
    render = {"json": lambda r: json.dumps(r, indent=2), "markdown": render_markdown, "text": render_table}
    print(render[args.format](result))
    if args.plot:
        plot(result, args.plot)
    return ExitCode.OK


def run_table(args: argparse.Namespace) -> int:
    """``gfv bench table``: masked cells of --csv, gfv vs qwen-direct."""
    import sys  # pylint: disable=import-outside-toplevel

    # pylint: disable-next=import-outside-toplevel
    from editor.bench.table_bench import SYSTEMS, render_table, run_table_bench
    from editor.tables.schema import require_tables_extra  # pylint: disable=import-outside-toplevel

    require_tables_extra()
    if args.row == "next" and args.rows < 1:
        raise GfvError("bad arguments: --rows >= 1", ExitCode.USAGE)
    config = config_for(args, near=args.csv.resolve())
    choice = choose_model(args, config)
    if choice.path is None:
        raise GfvError(
            f"the table benchmark needs a model: {choice.reason}; run `gfv model fetch`", ExitCode.USAGE
        )
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = sorted(set(systems) - set(SYSTEMS))
    if unknown or not systems or args.cells < 1 or args.k < 1:
        raise GfvError(
            f"bad arguments: systems must be among {SYSTEMS}, --cells >= 1, --k >= 1", ExitCode.USAGE
        )
    progress = (
        (lambda m: print(f"gfv bench: {m}", file=sys.stderr, flush=True)) if sys.stderr.isatty() else None
    )
    if args.row == "next":
        # pylint: disable-next=import-outside-toplevel
        from editor.bench.table_next_bench import render_next, run_next_row_bench

        result = run_next_row_bench(args.csv, choice.path, config, rows=args.rows, k=args.k, schema=args.schema,
                                    systems=systems, progress=progress)  # fmt: skip
        print(json.dumps(result, indent=2) if args.format == "json" else render_next(result))
        return ExitCode.OK
    result = run_table_bench(
        args.csv, choice.path, config, cells=args.cells, seed=args.seed, k=args.k,
        schema=args.schema, systems=systems, warm=not args.no_warm, progress=progress,
    )  # fmt: skip
    print(json.dumps(result, indent=2) if args.format == "json" else render_table(result))
    return ExitCode.OK
