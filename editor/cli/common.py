"""Helpers shared by the commands: config, model choice, progress output."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from editor.config import Config, load_config
from editor.models.locate import ModelChoice, locate_model


def add_config_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config", type=Path, help="config file (default: nearest gfv.toml or pyproject.toml [tool.gfv])"
    )


def add_model_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model", help="path to a GGUF model (default: GFV_MODEL, then config, then the fetched model)"
    )
    parser.add_argument(
        "--no-llm", action="store_true", help="rank by n-gram score only, without loading a model"
    )


def config_for(args: argparse.Namespace, near: Path | None = None) -> Config:
    return load_config(getattr(args, "config", None), start=near.parent if near else None)


def choose_model(args: argparse.Namespace, config: Config) -> ModelChoice:
    if getattr(args, "no_llm", False):
        return ModelChoice(None, "disabled with --no-llm")
    return locate_model(getattr(args, "model", None), config.model, config.source)


def stderr_progress(message: str) -> None:
    print(f"gfv: {message}", file=sys.stderr, flush=True)


def ensure_ngram(config: Config) -> None:
    """Train the n-gram model on the default corpus first when the config uses one and none exists."""
    if "ngram" in config.generators.enabled and not config.ngram_model:
        from editor.ngram.train import ensure_trained  # pylint: disable=import-outside-toplevel

        gens = config.generators
        ensure_trained(stderr_progress, order=gens.order, installed=gens.train_installed)
