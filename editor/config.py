"""Configuration from ``[tool.gfv]`` in pyproject.toml or from gfv.toml, validated strictly.

Unknown keys, wrong types and out-of-range values are errors that name the key,
the file and, where it helps, the closest valid key.
"""

from __future__ import annotations

import dataclasses
import difflib
import tomllib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_type_hints

from editor.check.settings import CheckConfig
from editor.errors import ExitCode, GfvError


@dataclass
class GeneratorsConfig:
    enabled: list[str] = field(
        default_factory=lambda: [
            "ngram", "templates", "retrieval", "exports", "llm_draft", "draft_lookalike",
            "block_templates", "block_retrieval", "llm_block_draft",  # block slots only (editor/blocks.py)
        ]
    )  # fmt: skip
    beam_width: int = 12
    max_tokens: int = 24
    max_candidates: int = 40
    cache_weight: float = 0.3  # interpolation weight of the document cache model
    order: int = 6  # n-gram order used when training
    train_installed: bool = False  # also the installed packages' sources (measured: docs/benchmarks.md)


@dataclass
class ValidatorsConfig:
    pre_rank: list[str] = field(default_factory=lambda: ["syntax", "names", "black"])
    post_rank: list[str] = field(default_factory=lambda: ["pylint", "properties"])
    post_rank_top: int = 8


@dataclass
class RankerConfig:
    name: str = "llm"  # "llm" or "ngram"
    pool: int = 8  # how many pre-validated candidates the LLM scores, drafts aside (docs/benchmarks.md)
    start_pool: int = (
        1  # the same at the start of a line (only indentation typed): 1 = the draft first, unranked
    )
    block_pool: int = 3  # the same in a block slot (bodies: 10-15 tokens each; docs/benchmarks.md)
    blend: float = 0.85  # weight of the LLM score in the final score (rest: n-gram)
    normalisation: str = "sum"  # "sum" or "mean" of token log-probabilities (measured: docs/benchmarks.md)
    draft_confidence: float = (
        0.3  # no ranking when every token of the valid draft had p >= this; 0 = always rank (docs/benchmarks.md)
    )
    draft_floor: float = 0.0  # drop the draft once its summed log-probability falls below this; 0 = never
    prompt_lookup: bool = (
        False  # the document's repeats as speculative drafts: slower on this 2-core machine (docs/benchmarks.md)
    )
    skip_margin: float = (
        1.0  # skip the LLM mid-line when the best cheap score leads the next by this much (or is alone); 0 = never
    )
    context_before: int = (
        32  # lines of prefix context (the prefix starts 32-47 lines up: see ranking/llm.ANCHOR)
    )
    context_after: int = 10  # lines of suffix context
    context_tokens: int = 1024  # token budget of that window: over it, the lines nearest the cursor; 0 = none
    threads: int = 2
    n_ctx: int = 4096


@dataclass
class TuiConfig:
    debounce_ms: int = 150  # pause in typing before suggestions are requested; 0 = only Ctrl+Space
    journal_interval_s: float = 2.0  # how often unsaved edits are journaled
    k: int | None = None  # candidates shown in the panel; None = the top-level k


@dataclass
class TablesConfig:
    """``[tool.gfv.tables]``: rules for CSV/TSV tables (syntax in editor/tables/rules.py)."""

    schemas: list[str] = field(default_factory=list)  # "sessions.csv: sessions.schema.yaml"
    primary_keys: list[str] = field(default_factory=list)  # "athletes.csv: athlete_id"
    foreign_keys: list[str] = field(
        default_factory=list
    )  # "sessions.csv: athlete_id -> athletes.csv: athlete_id"
    formulas: list[str] = field(default_factory=list)  # "sessions.csv: volume_kg = sets * reps * load_kg"
    globs: list[str] = field(default_factory=lambda: ["*.csv", "*.tsv"])  # files gfv check treats as tables
    generators: list[str] = field(
        default_factory=lambda: [
            "table_series",
            "table_schema",
            "table_observed",
            "table_column_ngram",
            "table_copy_edit",
            "table_synth",
        ]
    )
    validators: list[str] = field(default_factory=lambda: ["table_schema", "table_keys", "table_formula"])
    context_rows: int = 24  # rows of CSV context the ranker sees around the slot


@dataclass
class PropertiesConfig:
    timeout_s: float = 10.0  # wall clock (and CPU) per candidate's sandboxed run
    memory_mb: int = 512  # address-space limit of the sandboxed process
    max_examples: int = 50  # hypothesis examples per property
    workers: int = 2  # candidates checked in parallel
    disk_mb: int = 64  # size of the sandbox's work dir (a tmpfs, with bubblewrap)
    require_isolation: bool = False  # refuse to run properties without an OS layer confining the file system


@dataclass
class Config:
    model: str | None = None  # path to a GGUF or a pinned name (gfv model list); else GFV_MODEL, else the default
    ngram_model: str | None = None  # directory of a trained n-gram model
    k: int = 5
    generators: GeneratorsConfig = field(default_factory=GeneratorsConfig)
    validators: ValidatorsConfig = field(default_factory=ValidatorsConfig)
    ranker: RankerConfig = field(default_factory=RankerConfig)
    tui: TuiConfig = field(default_factory=TuiConfig)
    check: CheckConfig = field(default_factory=CheckConfig)
    tables: TablesConfig = field(default_factory=TablesConfig)
    properties: PropertiesConfig = field(default_factory=PropertiesConfig)
    source: str = "defaults"  # where the config came from (not a config key)


_CHOICES = {
    ("ranker", "name"): {"llm", "ngram"},
    ("ranker", "normalisation"): {"mean", "sum"},
}
_RANGES = {
    ("ranker", "blend"): (0.0, 1.0),
    ("ranker", "draft_confidence"): (0.0, 1.0),
    ("ranker", "draft_floor"): (-1000.0, 0.0),
    ("ranker", "block_pool"): (1, 64),
    ("ranker", "start_pool"): (1, 64),
    ("ranker", "context_tokens"): (0, 65536),
    ("generators", "cache_weight"): (0.0, 1.0),
    ("properties", "timeout_s"): (0.5, 600.0),
    ("properties", "memory_mb"): (64, 65536),
    ("properties", "max_examples"): (1, 100000),
    ("properties", "workers"): (1, 64),
    ("properties", "disk_mb"): (1, 65536),
}


def _build(cls: type, data: dict[str, Any], where: str, path: tuple[str, ...]) -> Any:
    hints = get_type_hints(cls)
    # "source" and fields with metadata key=False are filled in by gfv, not read from the file
    fields = {f.name for f in dataclasses.fields(cls) if f.name != "source" and f.metadata.get("key", True)}
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        dotted = ".".join((*path, key))
        if key not in fields:
            close = difflib.get_close_matches(key, fields, n=1)
            hint = (
                f" (did you mean {close[0]!r}?)" if close else f" (valid keys: {', '.join(sorted(fields))})"
            )
            raise GfvError(f"{where}: unknown config key {dotted!r}{hint}", ExitCode.USAGE)
        kwargs[key] = _coerce(hints[key], value, where, dotted, (*path, key))
    return cls(**kwargs)


def _coerce(hint: Any, value: Any, where: str, dotted: str, path: tuple[str, ...]) -> Any:
    if dataclasses.is_dataclass(hint):
        if not isinstance(value, dict):
            raise GfvError(f"{where}: {dotted!r} must be a table", ExitCode.USAGE)
        return _build(hint, value, where, path)
    expected = {int: "an integer", float: "a number", str: "a string", bool: "true or false"}
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is list:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise GfvError(f"{where}: {dotted!r} must be a list of strings", ExitCode.USAGE)
        return value
    base = next((a for a in args if a is not type(None)), hint) if args else hint
    ok = isinstance(value, base) and not (base is int and isinstance(value, bool))
    if base is float and isinstance(value, int) and not isinstance(value, bool):
        value, ok = float(value), True
    if not ok:
        raise GfvError(
            f"{where}: {dotted!r} must be {expected.get(base, base)}, got {value!r}", ExitCode.USAGE
        )
    if path[-2:] in _CHOICES and value not in _CHOICES[path[-2:]]:
        choices = ", ".join(sorted(_CHOICES[path[-2:]]))
        raise GfvError(f"{where}: {dotted!r} must be one of {choices}, got {value!r}", ExitCode.USAGE)
    if path[-2:] in _RANGES:
        lo, hi = _RANGES[path[-2:]]
        if not lo <= value <= hi:
            raise GfvError(f"{where}: {dotted!r} must be between {lo} and {hi}, got {value}", ExitCode.USAGE)
    if base is int and value < 0:
        raise GfvError(f"{where}: {dotted!r} must not be negative, got {value}", ExitCode.USAGE)
    return value


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise GfvError(f"{path}: not valid TOML: {exc}", ExitCode.USAGE) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GfvError(f"{path}: cannot read config: {exc}", ExitCode.USAGE) from None


def find_config_file(start: Path) -> Path | None:
    """The nearest gfv.toml, or pyproject.toml with a [tool.gfv] table, from ``start`` upwards."""
    start = start.resolve()
    for folder in [start, *start.parents] if start.is_dir() else [start.parent, *start.parent.parents]:
        gfv = folder / "gfv.toml"
        if gfv.is_file():
            return gfv
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "gfv" in _read_toml(pyproject).get("tool", {}):
            return pyproject
    return None


def load_config(explicit: Path | None = None, start: Path | None = None) -> Config:
    """Load and validate config from ``explicit``, else the nearest config file, else defaults."""
    path = explicit if explicit is not None else find_config_file(start or Path.cwd())
    if path is None:
        return Config()
    if not path.is_file():
        raise GfvError(f"{path}: config file not found", ExitCode.USAGE)
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("gfv", {})
        where = f"{path} [tool.gfv]"
    else:
        where = str(path)
    config = _build(Config, data, where, ())
    from editor.tables.rules import parse_table_rules  # pylint: disable=import-outside-toplevel

    parse_table_rules(config.tables, where)
    config.source = where
    return config
