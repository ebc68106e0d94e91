"""gfv's own pandera checks, registered with ``pandera.extensions`` so they live in schema YAML.

* ``date_format(format, min_value, max_value)`` (column, element-wise): the cell is a date
  written in ``format`` (a ``strptime`` format; the one ``gfv infer-schema`` detected) and,
  when bounds are given, between them (ISO ``YYYY-MM-DD``, inclusive).  This is where an
  inferred schema records a column's date format.
* ``columns_ordered(pairs)`` (frame): for each ``[a, b]`` in ``pairs``, ``a <= b`` on every
  row where both are numbers (``Low <= Open``).
* ``columns_sum(total, parts, tolerance)`` (frame): ``total == sum(parts)`` within
  ``tolerance`` on every row where all are numbers.

A YAML schema naming these checks loads only once they are registered: :func:`register_checks`
runs before every schema load and inference (it is idempotent).  Empty cells pass (nullability
is the column's business).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

_REGISTERED = False


def _date_ok(value: Any, fmt: str, low: str | None, high: str | None) -> bool:
    if value is None or (isinstance(value, float) and value != value):
        return True
    from editor.tables.dates import DateFormat  # pylint: disable=import-outside-toplevel

    try:
        when = DateFormat(fmt, fmt, "Z" if str(value).endswith("Z") else "").parse(str(value))
    except (ValueError, OverflowError):
        return False
    day = when.date().isoformat()
    return (low is None or day >= str(low)[:10]) and (high is None or day <= str(high)[:10])


def _numbers(frame: Any, name: str) -> Any:
    import pandas as pd  # pylint: disable=import-outside-toplevel

    return pd.to_numeric(frame[name], errors="coerce")


def register_checks() -> None:
    """Register gfv's checks with pandera (once per process)."""
    global _REGISTERED  # pylint: disable=global-statement
    if _REGISTERED:
        return
    import pandera.extensions as extensions  # pylint: disable=import-outside-toplevel

    @extensions.register_check_method(
        statistics=["format", "min_value", "max_value"], check_type="element_wise"
    )
    def date_format(value, *, format, min_value=None, max_value=None):  # pylint: disable=redefined-builtin
        return _date_ok(value, format, min_value, max_value)

    @extensions.register_check_method(statistics=["pairs"])
    def columns_ordered(frame, *, pairs):
        ok = None
        for a, b in pairs:
            x, y = _numbers(frame, a), _numbers(frame, b)
            holds = (x <= y) | x.isna() | y.isna()
            ok = holds if ok is None else ok & holds
        return ok if ok is not None else True

    @extensions.register_check_method(statistics=["total", "parts", "tolerance"])
    def columns_sum(frame, *, total, parts, tolerance):
        t = _numbers(frame, total)
        s = sum(_numbers(frame, p) for p in parts)
        return ((t - s).abs() <= float(tolerance)) | t.isna() | s.isna()

    del date_format, columns_ordered, columns_sum
    _REGISTERED = True


def iso_day(value: dt.datetime) -> str:
    return value.date().isoformat()
