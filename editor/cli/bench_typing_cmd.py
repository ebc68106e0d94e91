"""``gfv bench typing``: the typing replay (editor/bench/typing_bench.py)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from editor.cli.common import add_config_args, add_model_args, choose_model, config_for
from editor.errors import ExitCode, GfvError
from editor.models.locate import locate_model


def register_typing(bsub: argparse._SubParsersAction) -> None:
    typing = bsub.add_parser(
        "typing",
        help="replay typing of held-out lines keystroke by keystroke: latency and keystrokes saved",
        description=(
            "Type target lines of held-out files of --repo character by character on a real clock, asking for"
            " suggestions as gfv edit does (prefetch on a move, a request after each keystroke's debounce), and"
            " accepting the top candidate when it is the rest of the line. Reports every request's latency"
            " (p50/p95/max), the latency after a move, the time to the first candidate and the keystrokes saved,"
            " for gfv and qwen-direct."
        ),
    )
    typing.add_argument("--repo", type=Path, required=True, help="a directory of Python code")
    typing.add_argument("--lines", type=int, default=30, help="target lines to type (default 30)")
    typing.add_argument("--holdout", type=float, default=0.2, help="share of files held out (default 0.2)")
    typing.add_argument("--seed", type=int, default=0)
    typing.add_argument(
        "--systems",
        default="gfv,qwen-direct",
        help="comma-separated subset of gfv,qwen-direct,gfv-blocking,peer-direct (--peer-model)",
    )
    typing.add_argument("--key-ms", type=float, default=300.0, help="time between keystrokes (default 300)")
    typing.add_argument("--debounce-ms", type=float, default=None,
                        help="pause after a keystroke before the editor asks (default: [tool.gfv.tui] debounce_ms)")  # fmt: skip
    typing.add_argument("--settle-ms", type=float, default=1000.0,
                        help="pause after moving to a new line before typing (default 1000)")  # fmt: skip
    typing.add_argument("--fixed-cadence", action="store_true",
                        help="keystrokes every --key-ms whatever the editor does (default: the user waits for each answer)")  # fmt: skip
    typing.add_argument("--format", choices=["json", "markdown"], default="markdown")
    typing.add_argument("--progress", action="store_true", help="report each line on stderr")
    typing.add_argument(
        "--peer-model",
        help="the larger model of the peer-direct system: a .gguf path or a pinned name (qwen2.5-coder-1.5b)",
    )
    add_model_args(typing)
    add_config_args(typing)
    typing.set_defaults(handler=run_typing)


def run_typing(args: argparse.Namespace) -> int:
    # pylint: disable-next=import-outside-toplevel
    from editor.bench.typing_bench import SYSTEMS, ReplayClock, render_markdown, run_typing_bench

    config = config_for(args)
    choice = choose_model(args, config)
    if choice.path is None:
        raise GfvError(
            f"the typing replay needs a model: {choice.reason}; run `gfv model fetch`", ExitCode.USAGE
        )
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    debounce = config.tui.debounce_ms if args.debounce_ms is None else args.debounce_ms
    if sorted(set(systems) - set(SYSTEMS)) or not systems or args.lines < 1 or not 0 < args.holdout < 1 \
            or not 0 <= debounce <= args.key_ms or args.settle_ms < 0:  # fmt: skip
        raise GfvError(
            f"bad arguments: systems among {SYSTEMS}, --lines >= 1, 0 < --holdout < 1,"
            " 0 <= --debounce-ms <= --key-ms, --settle-ms >= 0",
            ExitCode.USAGE,
        )
    progress = (lambda m: print(f"gfv bench: {m}", file=sys.stderr, flush=True)) if args.progress else None
    clock = ReplayClock(
        key_ms=args.key_ms, debounce_ms=debounce, settle_ms=args.settle_ms, fixed=args.fixed_cadence
    )
    peer = locate_model(args.peer_model, None).path if args.peer_model else None
    result = run_typing_bench(args.repo, choice.path, config, lines=args.lines, holdout=args.holdout,
                              seed=args.seed, systems=systems, clock=clock, progress=progress,
                              peer_model=peer)  # fmt: skip
    print(json.dumps(result, indent=2) if args.format == "json" else render_markdown(result))
    return ExitCode.OK
