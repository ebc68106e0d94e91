"""``gfv bench``: benchmarks that report what they measured here."""

from __future__ import annotations

import argparse
import json
import sysconfig
from pathlib import Path

from editor.cli.common import add_config_args, add_model_args, choose_model, config_for
from editor.errors import ExitCode, GfvError


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
    ranker.add_argument("files", nargs="*", type=Path, help="Python files (default: the bundled sample and stdlib's argparse.py)")
    ranker.add_argument("--slots", type=int, default=10, help="slots sampled per file (default 10)")
    ranker.add_argument("--seed", type=int, default=0)
    ranker.add_argument("--format", choices=["text", "json"], default="text")
    add_model_args(ranker)
    add_config_args(ranker)
    ranker.set_defaults(handler=run_ranker)
    bench.set_defaults(handler=lambda _args: bench.print_help() or ExitCode.USAGE)


def run_ranker(args: argparse.Namespace) -> int:
    from editor.bench.ranker_bench import bench_ranker  # pylint: disable=import-outside-toplevel

    config = config_for(args)
    choice = choose_model(args, config)
    if choice.path is None:
        raise GfvError(f"the ranker benchmark needs a model: {choice.reason}; run `gfv model fetch`", ExitCode.USAGE)
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
