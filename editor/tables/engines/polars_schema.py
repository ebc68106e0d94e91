"""Our pandas pandera schema as text-to-type casts and a pandera.polars schema.

Cells arrive as text.  :func:`port_schema` gives, per column, the polars expression that
converts the text to the column's dtype (a cell that does not convert becomes null and
is reported as ``coerce_dtype(...)`` by the engine) and a ``pandera.polars`` schema with
the column's ``nullable`` flag and its checks.  Built-in checks with a polars
implementation in pandera (``in_range``, ``ge``, ``isin``, ``str_matches``,
``str_length``, ...) are rebuilt from their statistics (temporal bounds become
datetimes); anything else (a custom or registered check, a lambda, a groupby check, a
frame-wide check, a regex column, a dtype without a polars counterpart) cannot run on
polars and becomes a note, never a silent pass.  Uniqueness is not ported: the engine
checks unique columns and keys itself, with the other engines' semantics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from editor.tables.problems import check_label, coerce_label


@dataclass
class PortedSchema:
    casts: dict[str, Any]  # column -> polars expression from the text column to the typed one
    schema: Any  # pandera.polars DataFrameSchema over the typed columns (no coercion)
    labels: dict[tuple[str, int], str]  # (column, polars check number) -> the pandas check's label
    coerce_labels: dict[str, str]  # column -> "coerce_dtype('int64')", as the pandas engine says
    notes: list[str] = field(default_factory=list)


def polars_dtype(dtype: Any) -> Any:
    """The polars dtype for a pandas/pandera dtype, or None when there is none we convert to."""
    import polars as pl  # pylint: disable=import-outside-toplevel

    name = str(dtype).lower()
    if name in ("str", "string", "object") or name.startswith("string"):
        return pl.Utf8
    ints = {"int8": pl.Int8, "int16": pl.Int16, "int32": pl.Int32, "int64": pl.Int64}
    ints.update({f"u{k}": getattr(pl, f"UInt{k[3:]}") for k in ints})
    floats = {"float32": pl.Float32, "float64": pl.Float64}
    if name in ints or name in floats:
        return ints.get(name) or floats[name]
    if name.startswith("datetime64[") and "," not in name:
        return pl.Datetime(name[len("datetime64[") : -1])
    if name == "date":
        return pl.Date
    return None


def _cast(column: str, dtype: Any) -> Any:
    import polars as pl  # pylint: disable=import-outside-toplevel

    col = pl.col(column)
    if dtype == pl.Utf8:
        return col
    if dtype == pl.Date:
        return col.str.to_date(strict=False)
    if isinstance(dtype, pl.Datetime):
        return col.str.to_datetime(time_unit=dtype.time_unit, strict=False)
    return col.cast(dtype, strict=False)


def _portable(check: Any) -> bool:
    """A built-in check that pandera implements for polars frames."""
    # pylint: disable=import-outside-toplevel,protected-access,unused-import
    import pandera.backends.polars.builtin_checks  # noqa: F401  # registers the polars built-ins
    from pandera.api.checks import Check
    from pandera.api.function_dispatch import Dispatcher
    from pandera.api.polars.types import PolarsData

    # a schema's checks hold copies of the dispatchers: ask the registry, by name
    builtin = Check.CHECK_FUNCTION_REGISTRY.get(check.name)
    return (
        isinstance(getattr(check, "_check_fn", None), Dispatcher)
        and builtin is not None
        and PolarsData in builtin._function_registry
        and not check.groupby
        and not check.element_wise
    )


def _temporal(value: Any, dtype: Any) -> Any:
    import pandas as pd  # pylint: disable=import-outside-toplevel
    import polars as pl  # pylint: disable=import-outside-toplevel

    if isinstance(value, (list, tuple, set, frozenset)):
        return type(value)(_temporal(v, dtype) for v in value)
    if isinstance(value, (str, pd.Timestamp)) or hasattr(value, "isoformat"):
        stamp = pd.Timestamp(value)
        return stamp.date() if dtype == pl.Date else stamp.to_pydatetime()
    return value


def _rebuild(check: Any, dtype: Any) -> Any:
    """The same built-in check, its bounds converted for temporal columns."""
    import pandera.polars as pap  # pylint: disable=import-outside-toplevel
    import polars as pl  # pylint: disable=import-outside-toplevel

    stats = dict(check.statistics or {})
    if dtype == pl.Date or isinstance(dtype, pl.Datetime):
        stats = {k: _temporal(v, dtype) if not k.startswith("include_") else v for k, v in stats.items()}
    return getattr(pap.Check, check.name)(
        **stats, ignore_na=check.ignore_na, raise_warning=check.raise_warning, error=check.error
    )


def port_schema(schema: Any, engine: str = "polars") -> PortedSchema:
    """Convert a pandas ``DataFrameSchema`` (see the module docstring)."""
    import pandera.polars as pap  # pylint: disable=import-outside-toplevel
    import polars as pl  # pylint: disable=import-outside-toplevel

    casts: dict[str, Any] = {}
    columns: dict[str, Any] = {}
    labels: dict[tuple[str, int], str] = {}
    coerce: dict[str, str] = {}
    notes: list[str] = []
    for name, col in schema.columns.items():
        dtype = polars_dtype(col.dtype) if col.dtype is not None else pl.Utf8
        if dtype is None:
            notes.append(
                f"column {name}: dtype {col.dtype} has no polars counterpart in gfv;"
                f" its cells are judged as text by --engine {engine}"
            )
            dtype = pl.Utf8
        if getattr(col, "regex", False):
            notes.append(f"column {name}: regex column names are not checked by --engine {engine}")
            continue
        casts[name] = _cast(name, dtype).alias(name)
        coerce[name] = coerce_label(col.dtype)
        checks = []
        for check in col.checks:
            if not _portable(check):
                notes.append(
                    f"column {name}: check {check_label(check)} has no polars implementation;"
                    f" not checked by --engine {engine} (--engine pandas or dask run it)"
                )
                continue
            labels[(name, len(checks))] = check_label(check)
            checks.append(_rebuild(check, dtype))
        columns[name] = pap.Column(dtype, checks=checks, nullable=col.nullable, coerce=False)
    for check in schema.checks:
        notes.append(
            f"table check {check_label(check)}: frame-wide checks are not checked by --engine {engine}"
            " (--engine pandas or dask run it)"
        )
    return PortedSchema(casts, pap.DataFrameSchema(columns, strict=False), labels, coerce, notes)
