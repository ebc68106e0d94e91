"""``gfv train [PATHS...]``: build the KenLM n-gram model over Python token streams."""

from __future__ import annotations

import argparse
from pathlib import Path

from editor.cli.common import add_config_args, config_for, stderr_progress
from editor.errors import ExitCode


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "train",
        help="train the n-gram model (default corpus: the Python stdlib + this git repo's Python files)",
        description=(
            "Build a KenLM n-gram model over Python token streams with lmplz and build_binary (built once from the"
            " pinned kenlm sdist and cached). PATHS are files or directories of Python code; without PATHS the"
            " corpus is the Python stdlib plus the Python files of the current git repository and, with"
            " generators.train_installed or --installed, the installed packages' sources. Re-running on an"
            " unchanged corpus is a no-op (keyed by a content hash). The trained model becomes the current one."
        ),
    )
    p.add_argument("paths", nargs="*", type=Path, help="Python files or directories to train on")
    p.add_argument(
        "--order", type=int, default=None, help="n-gram order (default: config generators.order, 6)"
    )
    p.add_argument(
        "--installed",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="without PATHS: add the installed packages' sources (default: config generators.train_installed)",
    )
    p.add_argument("--force", action="store_true", help="retrain even if the corpus is unchanged")
    add_config_args(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from editor.ngram.train import default_corpus, train  # pylint: disable=import-outside-toplevel

    config = config_for(args)
    order = args.order or config.generators.order
    installed = config.generators.train_installed if args.installed is None else args.installed
    paths = args.paths or default_corpus(Path.cwd(), installed)
    info = train(paths, order=order, progress=stderr_progress, force=args.force)
    state = "unchanged corpus, reused" if info.reused else f"trained in {info.seconds:.1f} s"
    stderr_progress(f"n-gram model: {info.tokens:,} tokens from {info.files} files ({state})")
    print(info.path)
    return ExitCode.OK
