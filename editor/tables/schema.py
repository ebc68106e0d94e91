"""Pandera schemas: load (YAML via pandera's IO, or a DataFrameModel in a Python file), check, infer.

pandas and pandera are imported inside the functions (the ``gfv[tables]`` extra).
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from typing import Any

from editor.errors import ExitCode, GfvError
from editor.tables.checks import register_checks

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def require_tables_extra() -> None:
    for mod in ("pandas", "pandera"):
        if importlib.util.find_spec(mod) is None:
            raise GfvError(
                f"tables need {mod}: install gfv with the tables extra (pip install 'gfv[tables]')",
                ExitCode.USAGE,
            )


def load_schema(path: Path) -> Any:
    """A ``DataFrameSchema`` from a pandera YAML file or a Python file defining a DataFrameModel."""
    require_tables_extra()
    import pandera.pandas as pa  # pylint: disable=import-outside-toplevel

    path = Path(path)
    if not path.is_file():
        raise GfvError(f"{path}: schema file not found", ExitCode.USAGE)
    register_checks()
    if path.suffix == ".py":
        return _has_columns(_schema_from_python(path, pa), path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GfvError(f"{path}: cannot read the schema file: {exc}", ExitCode.USAGE) from None
    if not text.strip():
        raise GfvError(f"{path}: the schema file is empty (it must declare the table's columns)", ExitCode.USAGE)
    try:
        schema = pa.DataFrameSchema.from_yaml(text)
    except Exception as exc:  # pylint: disable=broad-exception-caught  # yaml, pandera and KeyError alike
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise GfvError(f"{path}: not a valid pandera YAML schema: {msg}", ExitCode.USAGE) from None
    if not isinstance(schema, pa.DataFrameSchema):
        raise GfvError(f"{path}: not a pandera DataFrameSchema", ExitCode.USAGE)
    return _has_columns(schema, path)


def _has_columns(schema: Any, path: Path) -> Any:
    """A schema that declares no column checks nothing: refuse it rather than pass every row."""
    if not getattr(schema, "columns", None):
        raise GfvError(
            f"{path}: the schema declares no columns, so it would check nothing"
            " (write one with `gfv infer-schema TABLE`)",
            ExitCode.USAGE,
        )
    return schema


def _schema_from_python(path: Path, pa: Any) -> Any:
    name = f"gfv_schema_{abs(hash(str(path.resolve())))}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise GfvError(f"{path}: cannot load as a Python module", ExitCode.USAGE)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # pylint: disable=broad-exception-caught
        raise GfvError(
            f"{path}: the schema module failed to import: {type(exc).__name__}: {exc}", ExitCode.USAGE
        ) from None
    found = [
        obj
        for obj in vars(module).values()
        if isinstance(obj, type)
        and issubclass(obj, pa.DataFrameModel)
        and obj is not pa.DataFrameModel
        and obj.__module__ == name
    ]
    schemas = [obj for obj in vars(module).values() if isinstance(obj, pa.DataFrameSchema)]
    if len(found) + len(schemas) != 1:
        raise GfvError(
            f"{path}: define exactly one pandera DataFrameModel (or DataFrameSchema); found {len(found) + len(schemas)}",
            ExitCode.USAGE,
        )
    return found[0].to_schema() if found else schemas[0]


def check_columns(schema: Any, header: list[str], table: Path | None, schema_path: Any) -> None:
    """The schema's columns must be exactly the file's (order free); else a clear usage error."""
    cols = list(schema.columns)
    missing = [c for c in cols if c not in header]
    extra = [c for c in header if c not in cols]
    if missing or (extra and schema.strict):
        parts = []
        if missing:
            parts.append(f"the schema has columns the file lacks: {', '.join(missing)}")
        if extra:
            parts.append(f"the file has columns the schema lacks: {', '.join(extra)}")
        raise GfvError(
            f"{table}: schema {schema_path} does not match the file's header ({'; '.join(parts)})",
            ExitCode.USAGE,
        )


def find_schema_path(table: Path, explicit: Path | None, configured: str | None) -> Path | None:
    """--schema, else the config's schema for the table, else TABLE_STEM.schema.yaml/.py beside it."""
    if explicit is not None:
        return explicit
    if configured:
        return (table.parent / configured) if not Path(configured).is_absolute() else Path(configured)
    for suffix in (".schema.yaml", ".schema.yml", ".schema.py"):
        candidate = table.with_name(table.stem + suffix)
        if candidate.is_file():
            return candidate
    return None


def infer_schema(frame: Any, max_categories: int = 12, unique_ids: bool = True) -> Any:
    """pandera's inference, tightened: ISO dates, categories, observed ranges, unique ids."""
    require_tables_extra()
    import pandas as pd  # pylint: disable=import-outside-toplevel
    import pandera.pandas as pa  # pylint: disable=import-outside-toplevel

    base = pa.infer_schema(frame)
    columns = {}
    n = len(frame)
    for name, col in base.columns.items():
        series = frame[name]
        non_null = series.dropna()
        checks = list(col.checks)
        dtype = col.dtype
        kind = str(dtype)
        strings = non_null.astype(str)
        if kind.startswith("string") or kind == "object":
            dtype = "str"
            if len(strings) and strings.map(lambda s: bool(_DATE.match(s))).all():
                dtype = "datetime64[ns]"
                checks = [pa.Check.in_range(str(strings.min()), _next_year(str(strings.max())))]
            elif 0 < strings.nunique() <= max_categories and strings.nunique() < max(2, n // 2):
                checks = [pa.Check.isin(sorted(strings.unique().tolist()))]
            else:
                checks = [pa.Check.str_length(int(strings.str.len().min()), int(strings.str.len().max()) * 2)]
        elif pd.api.types.is_numeric_dtype(series) and len(non_null):
            lo, hi = non_null.min(), non_null.max()
            checks = [pa.Check.in_range(_pyval(lo), _pyval(hi))]
        unique = bool(
            unique_ids
            and n > 1
            and non_null.is_unique
            and len(non_null) == n
            and _looks_like_id(name, strings)
        )
        columns[name] = pa.Column(dtype, checks=checks, nullable=bool(series.isna().any()), unique=unique)
    return pa.DataFrameSchema(columns, coerce=True, strict=True, name=None)


def _next_year(iso: str) -> str:
    return f"{int(iso[:4]) + 1}{iso[4:]}"


def _pyval(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def _looks_like_id(name: str, strings: Any) -> bool:
    return (
        name.lower() in {"id", "key"}
        or name.lower().endswith(("_id", "_key", "_code"))
        or (strings.str.fullmatch(r"[A-Za-z]+[-_]?\d+").all())
    )


def schema_to_yaml(schema: Any) -> str:
    return schema.to_yaml()


def schema_and_rules(
    path: Path, header: list[str], config: Any, explicit: Path | None = None
) -> tuple[Any, Path | None, Any, list[str]]:
    """(schema or None, its path, the table's rules, notes) for the table ``path`` with ``header``.

    What the editor (:func:`editor.tables.engine.open_table`) and ``gfv check``
    (:mod:`editor.tables.tablefile`) both need; every problem is a usage error.
    """
    from editor.tables.rules import rules_for  # pylint: disable=import-outside-toplevel

    rules = rules_for(config.tables, path, config.source)
    schema_path = find_schema_path(path, explicit, rules.schema)
    notes, loaded = [], None
    if schema_path is not None:
        loaded = load_schema(schema_path)
        check_columns(loaded, header, path, schema_path)
    else:
        notes.append(
            f"{path.name}: no schema (--schema, tables.schemas or {path.stem}.schema.yaml);"
            " validating keys and formulas only"
        )
    missing = sorted(c for c in rules.columns_used() if c not in header)
    if missing:
        raise GfvError(
            f"{path}: the table rules in {config.source} name columns the file lacks: {', '.join(missing)}",
            ExitCode.USAGE,
        )
    return loaded, schema_path, rules, notes
