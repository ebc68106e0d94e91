"""``gfv bench block``: held-out function bodies (editor/bench/block_bench.py)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from editor.cli.common import add_config_args, add_model_args, choose_model, config_for, ensure_ngram
from editor.errors import ExitCode, GfvError


def register_block(bsub: argparse._SubParsersAction) -> None:
    block = bsub.add_parser(
        "block",
        help="gfv vs qwen-direct on held-out function bodies (2-8 lines) of real code",
        description=(
            "Remove the body (2-8 lines, after its docstring) of sampled functions of the --repo folders and ask each"
            " system for it at the emptied line (a block slot). Reports exact (the top-1 body, line by line),"
            " edit_sim, valid_shown (syntax, black, pylint), llm_ms (time inside llama_decode) and wall time, for"
            " gfv, gfv-nollm and qwen-direct (Qwen's greedy FIM body to the dedent)."
        ),
    )
    block.add_argument("--repo", type=Path, action="append", required=True,
                       help="a directory of Python code (repeat for several)")  # fmt: skip
    block.add_argument(
        "--tasks", type=int, default=30, help="bodies, spread evenly over the repos (default 30)"
    )
    block.add_argument("--seed", type=int, default=0)
    block.add_argument("--systems", default="gfv,gfv-nollm,qwen-direct", help="comma-separated subset")
    block.add_argument("--format", choices=["markdown", "json"], default="markdown")
    block.add_argument("--progress", action="store_true", help="report each task on stderr")
    add_model_args(block)
    add_config_args(block)
    block.set_defaults(handler=run_block)


def run_block(args: argparse.Namespace) -> int:
    # pylint: disable-next=import-outside-toplevel
    from editor.bench.block_bench import SYSTEMS, render_markdown, run_block_bench

    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = sorted(set(systems) - set(SYSTEMS))
    if unknown or not systems or args.tasks < 1:
        raise GfvError(f"bad arguments: systems must be among {SYSTEMS}, --tasks >= 1", ExitCode.USAGE)
    config = config_for(args)
    choice = choose_model(args, config)
    ensure_ngram(config)
    loud = sys.stderr.isatty() or args.progress
    progress = (lambda m: print(f"gfv bench: {m}", file=sys.stderr, flush=True)) if loud else None
    result = run_block_bench(args.repo, choice.path, config, tasks=args.tasks, seed=args.seed, systems=systems,
                             progress=progress)  # fmt: skip
    print(json.dumps(result, indent=2) if args.format == "json" else render_markdown(result))
    return ExitCode.OK
