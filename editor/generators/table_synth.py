"""Table generator ``table_synth``: rows drawn from pandera's hypothesis strategies.

The draws are deterministic (``derandomize``) and capped in number and time: pandera
turns checks it cannot express as strategies (custom checks) into filters, which can
make drawing slow, so this generator stops after ``BUDGET_S`` and says so in the
candidates' origin.  Schemas pandera cannot synthesise give no candidates (and a note).
For a cell, a drawn number at an end of the schema's range that no row holds is left
out (:func:`unseen_bound`).
"""

from __future__ import annotations

import datetime as dt
import math
import time
import warnings
from typing import Any, Iterable

from editor.candidates import Candidate
from editor.stages import StageContext, generators
from editor.tables.build import apply_formulas, cell_candidate, profiles, row_candidate
from editor.tables.slot import TableSlot

BUDGET_S = 1.5
DRAWS = 6


class _Stop(Exception):
    pass


def draw_rows(schema: Any, n: int, budget_s: float = BUDGET_S) -> tuple[list[dict[str, Any]], bool]:
    """Up to ``n`` rows (dicts) from the schema's strategy; True when the time budget ran out."""
    # pylint: disable=import-outside-toplevel
    from hypothesis import HealthCheck, Phase, given, settings

    from editor.tables.frame import relaxed

    strategy = synthesisable(relaxed(schema)).strategy(size=1)
    rows: list[dict[str, Any]] = []
    start = time.perf_counter()
    timed_out = False

    @settings(
        derandomize=True,
        max_examples=n,
        database=None,
        phases=[Phase.generate],
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(frame):
        if time.perf_counter() - start > budget_s:
            raise _Stop
        if len(frame):
            rows.append(frame.iloc[0].to_dict())

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            collect()  # pylint: disable=no-value-for-parameter
        except _Stop:
            timed_out = True
    return rows, timed_out


GFV_FRAME_CHECKS = ("columns_ordered", "columns_sum")


def synthesisable(schema: Any) -> Any:
    """The schema without what hypothesis could only meet by filtering (and so, slowly).

    gfv's row rules are dropped (the validators still judge every drawn row), and a text
    column with a ``date_format`` check is drawn as a datetime between its bounds (written
    back in the column's format by :func:`text_of`).
    """
    import pandera.pandas as pa  # pylint: disable=import-outside-toplevel

    columns = {}
    for name, col in schema.columns.items():
        fmt = next((c for c in col.checks if c.name == "date_format"), None)
        if fmt is None:
            columns[name] = col
            continue
        stats = fmt.statistics or {}
        bounds = [stats.get("min_value") or "1900-01-01", stats.get("max_value") or "2100-01-01"]
        columns[name] = pa.Column(
            "datetime64[ns]", checks=[pa.Check.in_range(*bounds)], nullable=col.nullable
        )
    checks = [c for c in (schema.checks or []) if c.name not in GFV_FRAME_CHECKS]
    return pa.DataFrameSchema(columns, checks=checks or None, coerce=True, strict=schema.strict)


def text_of(value: Any, prof: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if hasattr(value, "to_pydatetime"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = value.to_pydatetime()
    if isinstance(value, dt.datetime) and prof is not None and getattr(prof, "date_format", None):
        return prof.date_format.write(value)
    if isinstance(value, dt.datetime):
        date_only = value.time() == dt.time() or (prof is not None and prof.kind == "date")
        return value.date().isoformat() if date_only else value.isoformat()
    if (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and prof is not None
        and prof.kind in ("int", "float")
    ):
        return prof.fmt(float(value))
    return str(value.item() if hasattr(value, "item") else value)


def unseen_bound(text: str, prof: Any) -> bool:
    """Whether ``text`` is a bound of the schema's range for a number column that no row holds.

    hypothesis draws a range's ends first (``in_range(0, 155.6)`` gives 0), and an inferred
    range often ends at a round number no row has (prices from 10 to 155: ``min_value: 0``).
    Such a value is no guess of a cell: it is left out of a cell's candidates (it is short,
    and so cheap for the model to score, and won the ranking on matplotlib's Stocks.csv).
    """
    if prof is None or prof.kind not in ("int", "float") or not text:
        return False
    try:
        value = float(text)
    except ValueError:
        return False
    # the column is read only for a value at a bound
    return value in (prof.low, prof.high) and value not in prof.numeric()


class TableSynthGenerator:
    name = "table_synth"

    def __init__(self, ctx: StageContext) -> None:
        self.ctx = ctx

    def generate(self, slot: TableSlot, limit: int) -> Iterable[Candidate]:
        if not isinstance(slot, TableSlot) or slot.schema is None:
            return []
        try:
            drawn, timed_out = draw_rows(slot.schema, min(DRAWS, limit))
        except Exception as exc:  # pylint: disable=broad-exception-caught  # pandera/hypothesis limits
            self.ctx.note(
                f"table_synth: pandera cannot synthesise this schema ({type(exc).__name__}: {exc})"[:300]
            )
            return []
        profs = profiles(slot)
        out = []
        for k, rec in enumerate(drawn):
            row = [text_of(rec.get(c), profs.get(c)) for c in slot.header]
            if slot.column is not None:
                if unseen_bound(row[slot.col_index], profs.get(slot.column)):
                    continue
                out.append(
                    cell_candidate(row[slot.col_index], self.name, -4.0 - 0.1 * k, timed_out=timed_out)
                )
            else:
                row = apply_formulas(slot, row, profs)
                out.append(row_candidate(slot, row, self.name, -4.0 - 0.1 * k, timed_out=timed_out))
        return out


@generators.register("table_synth")
def make_table_synth(ctx: StageContext) -> TableSynthGenerator:
    return TableSynthGenerator(ctx)
