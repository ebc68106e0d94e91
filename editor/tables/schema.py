"""Pandera schemas: load (YAML via pandera's IO, or a DataFrameModel in a Python file), check, infer.

pandas and pandera are imported inside the functions (the ``gfv[tables]`` extra).
"""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path
from typing import Any

from editor.errors import ExitCode, GfvError
from editor.tables.checks import register_checks


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
        raise GfvError(
            f"{path}: the schema file is empty (it must declare the table's columns)", ExitCode.USAGE
        )
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
    """pandera's inference, tightened (see :func:`infer_schema_report`); the schema only."""
    return infer_schema_report(frame, max_categories, unique_ids)[0]


def infer_schema_report(  # pylint: disable=too-many-locals
    frame: Any, max_categories: int = 12, unique_ids: bool = True
) -> tuple[Any, list[str]]:
    """(schema, what was inferred beyond pandera's own inference, one line each).

    Dates in any format ``editor.tables.dates`` detects: ISO dates become datetimes, others
    stay text with a ``date_format`` check that records the format; both get the observed
    range plus a year either side.  Categories (``isin``), numeric ranges with 10 % headroom
    (a series may go on past its extremes; never below 0 when the column never is), unique
    id-like columns, a primary key (:func:`editor.tables.inference.primary_key`; one column:
    ``unique``, several: the frame's ``unique``), and row-wise relations as frame checks
    (``columns_ordered``, ``columns_sum``).
    """
    require_tables_extra()
    register_checks()
    import pandas as pd  # pylint: disable=import-outside-toplevel
    import pandera.pandas as pa  # pylint: disable=import-outside-toplevel

    from editor.tables import inference  # pylint: disable=import-outside-toplevel
    from editor.tables.dates import detect  # pylint: disable=import-outside-toplevel

    base = pa.infer_schema(frame)
    columns, notes, special = {}, [], set()
    n = len(frame)
    for name, col in base.columns.items():
        series = frame[name]
        non_null = series.dropna()
        checks = list(col.checks)
        dtype = col.dtype
        kind = str(dtype)
        strings = non_null.astype(str)
        fmt = detect(strings.tolist()) if len(strings) else None
        if fmt is not None:
            special.add(name)
            when = sorted(fmt.parse(v) for v in strings)
            low, high = _years(when[0], -1), _years(when[-1], 1)
            if fmt.iso_date and not pd.api.types.is_numeric_dtype(series):
                dtype = "datetime64[ns]"
                checks = [pa.Check.in_range(low, high)]
                how = "dtype datetime64"
            else:
                if not pd.api.types.is_numeric_dtype(series):
                    dtype = "str"
                checks = [pa.Check.date_format(format=fmt.parse_fmt, min_value=low, max_value=high)]
                how = "check date_format"
            notes.append(f"{name}: dates written as {fmt.parse_fmt!r} ({how}), {low} .. {high}")
        elif kind.startswith("string") or kind == "object":
            dtype = "str"
            if 0 < strings.nunique() <= max_categories and strings.nunique() < max(2, n // 2):
                checks = [pa.Check.isin(sorted(strings.unique().tolist()))]
            elif len(strings):
                checks = [pa.Check.str_length(int(strings.str.len().min()), int(strings.str.len().max()) * 2)]
            else:  # never filled in: nothing to bound its text by
                checks = []
        elif pd.api.types.is_numeric_dtype(series) and len(non_null):
            checks = [pa.Check.in_range(*_headroom(series, non_null))]
        unique = bool(
            unique_ids
            and n > 1
            and non_null.is_unique
            and len(non_null) == n
            and _looks_like_id(name, strings)
        )
        columns[name] = pa.Column(dtype, checks=checks, nullable=bool(series.isna().any()), unique=unique)
    special |= _sequence_columns(frame)
    key = inference.primary_key(frame, special)
    frame_unique = None
    if key:
        if len(key) == 1:
            col = columns[key[0]]
            columns[key[0]] = pa.Column(col.dtype, checks=col.checks, nullable=col.nullable, unique=True)
        else:
            frame_unique = list(key)
        notes.append(f"primary key: ({', '.join(key)}): unique and never empty on all {n} rows")
    frame_checks = []
    pairs = inference.ordered_pairs(frame, skip=special)
    if pairs:
        frame_checks.append(pa.Check.columns_ordered(pairs=[list(p) for p in pairs]))
        notes.append("row rule (check columns_ordered): " + ", ".join(f"{a} <= {b}" for a, b in pairs))
    for total, parts, tol in inference.sums(frame, skip=special):
        frame_checks.append(pa.Check.columns_sum(total=total, parts=list(parts), tolerance=tol))
        notes.append(f"row rule (check columns_sum): {total} = {' + '.join(parts)} (within {tol:g})")
    schema = pa.DataFrameSchema(
        columns, checks=frame_checks or None, coerce=True, strict=True, unique=frame_unique, name=None
    )
    return schema, notes


def _sequence_columns(frame: Any) -> set[str]:
    """Columns that step regularly (per group, maybe): key-like even when they are integers."""
    from editor.tables.profile import profile  # pylint: disable=import-outside-toplevel

    import pandas as pd  # pylint: disable=import-outside-toplevel

    header = [str(c) for c in frame.columns]
    rows = [["" if pd.isna(v) else str(v) for v in rec] for rec in frame.itertuples(index=False)]
    return {name for name, prof in profile(header, rows, None).items() if prof.sequence is not None}


def _years(when: Any, delta: int) -> str:
    try:
        return when.replace(year=when.year + delta).date().isoformat()
    except ValueError:  # 29 February
        return when.replace(year=when.year + delta, day=28).date().isoformat()


def _headroom(series: Any, non_null: Any) -> tuple[Any, Any]:
    """The observed range widened by a tenth of its span each way (integers stay integers)."""
    import pandas as pd  # pylint: disable=import-outside-toplevel

    lo, hi = _pyval(non_null.min()), _pyval(non_null.max())
    margin = (hi - lo) * 0.1
    low, high = lo - margin, hi + margin
    if lo >= 0:
        low = max(0, low)
    if pd.api.types.is_integer_dtype(series):
        return int(math.floor(low)), int(math.ceil(high))
    return float(low), float(high)


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
