"""``[tool.gfv.check]``: what ``gfv check`` runs on which files.

The dataclass lives here (not in ``editor/config.py``) and imports nothing from
it, so ``Config`` can grow a ``check: CheckConfig`` field without an import
cycle.  Until it has one, :func:`load_check_config` reads the table itself with
the same strict rules (unknown keys, wrong types are usage errors) and still
validates the rest of ``[tool.gfv]``.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from editor.errors import ExitCode, GfvError

PYTHON_VALIDATORS = ("syntax", "black", "pylint", "properties")
TABLE_ENGINES = ("pandas", "polars", "dask")  # editor.tables.engines.ENGINES (not imported: stays light)


@dataclass
class CheckConfig:
    """Settings of ``gfv check`` (see docs/check.md)."""

    python: list[str] = field(default_factory=lambda: list(PYTHON_VALIDATORS))  # whole-file validators
    python_files: list[str] = field(default_factory=lambda: ["*.py", "*.pyi"])  # globs of Python files
    exclude: list[str] = field(
        default_factory=lambda: [".*", "__pycache__", "venv", "node_modules", "build", "dist", "*.egg-info"]
    )  # names skipped while walking a directory (explicitly named files are always checked)
    ignore: list[str] = field(default_factory=list)  # codes (or pylint symbols) never reported
    jobs: int = 0  # worker processes; 0 = one per CPU
    cache: bool = True  # reuse results for unchanged files
    black_hunks: int = 10  # at most this many BLK006 findings per file, then one summary finding
    table_engine: str = "pandas"  # validates CSV/TSV tables: pandas (chunks), polars, dask
    dask_scheduler: str | None = None  # --engine dask: a running scheduler (tcp://host:8786); else local
    # not a check key: [tables] globs of the same config, the files the table checker takes
    table_globs: list[str] = field(default_factory=lambda: ["*.csv", "*.tsv"], metadata={"key": False})
    # not a check key: [tool.gfv.properties] of the same config, the property sandbox's limits
    properties_limits: Any = field(default=None, metadata={"key": False})


def validate_check_config(cfg: CheckConfig, where: str) -> CheckConfig:
    """Checks the types cannot express: known validator names, at least one glob."""
    unknown = [name for name in cfg.python if name not in PYTHON_VALIDATORS]
    if unknown:
        raise GfvError(
            f"{where}: 'check.python' has unknown validator {unknown[0]!r}"
            f" (valid: {', '.join(PYTHON_VALIDATORS)})",
            ExitCode.USAGE,
        )
    if cfg.python and not cfg.python_files:
        raise GfvError(f"{where}: 'check.python_files' must list at least one glob", ExitCode.USAGE)
    if cfg.black_hunks < 1:
        raise GfvError(f"{where}: 'check.black_hunks' must be at least 1", ExitCode.USAGE)
    if cfg.table_engine not in TABLE_ENGINES:
        raise GfvError(
            f"{where}: 'check.table_engine' must be one of {', '.join(TABLE_ENGINES)},"
            f" got {cfg.table_engine!r}",
            ExitCode.USAGE,
        )
    return cfg


def _limits(properties) -> Any:
    """The sandbox limits of a ``PropertiesConfig`` (as a tuple: no validators import here)."""
    return (
        properties.timeout_s, properties.memory_mb, properties.max_examples,
        properties.disk_mb, properties.require_isolation,
    )  # fmt: skip


def load_check_config(explicit: Path | None = None, start: Path | None = None) -> CheckConfig:
    """The ``[tool.gfv.check]`` table of the config ``load_config`` would use, validated."""
    # pylint: disable=import-outside-toplevel,protected-access
    from editor import config as config_mod

    if "check" in {f.name for f in dataclasses.fields(config_mod.Config)}:  # once Config has the field
        full = config_mod.load_config(explicit, start)
        cfg = getattr(full, "check")
        cfg.table_globs = list(full.tables.globs)
        cfg.properties_limits = _limits(full.properties)
        return validate_check_config(cfg, full.source)
    path = explicit if explicit is not None else config_mod.find_config_file(start or Path.cwd())
    if path is None:
        return CheckConfig()
    if not path.is_file():
        raise GfvError(f"{path}: config file not found", ExitCode.USAGE)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise GfvError(f"{path}: not valid TOML: {exc}", ExitCode.USAGE) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GfvError(f"{path}: cannot read config: {exc}", ExitCode.USAGE) from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("gfv", {})
        where = f"{path} [tool.gfv]"
    else:
        where = str(path)
    data = dict(data)
    check = data.pop("check", {})
    full = config_mod._build(config_mod.Config, data, where, ())  # the rest of the config must be valid too
    if not isinstance(check, dict):
        raise GfvError(f"{where}: 'check' must be a table", ExitCode.USAGE)
    cfg = config_mod._build(CheckConfig, check, where, ("check",))
    cfg.table_globs = list(full.tables.globs)
    cfg.properties_limits = _limits(full.properties)
    return validate_check_config(cfg, where)
