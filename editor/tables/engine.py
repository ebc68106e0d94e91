"""The table side of the engine: open a table with its schema and rules, make a slot, suggest.

:func:`suggest_cells` is the one-call API (used by ``gfv suggest`` on a table and by
benchmarks); :func:`table_pipeline` builds a :class:`~editor.pipeline.Pipeline` whose
generators, validators and ranker are the table ones named in ``[tool.gfv.tables]``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from editor.config import Config, load_config
from editor.errors import ExitCode, GfvError
from editor.pipeline import Pipeline, SuggestResult
from editor.tables.csvdoc import TableDocument
from editor.tables.rules import TableRules
from editor.tables.schema import require_tables_extra, schema_and_rules
from editor.tables.slot import TableSlot


@dataclass
class OpenTable:
    document: TableDocument
    schema: Any
    schema_path: Path | None
    rules: TableRules
    notes: list[str]

    def slot(self, row: int | str, column: str | None = None) -> TableSlot:
        """``row``: 1-based data row, or "next" to append one."""
        n = len(self.document.rows)
        if row == "next":
            index = n
        else:
            try:
                index = int(row) - 1
            except (TypeError, ValueError):
                raise GfvError(
                    f"--row must be a 1-based row number or 'next', got {row!r}", ExitCode.USAGE
                ) from None
            if not 0 <= index < n:
                raise GfvError(
                    f"row {row} is out of range (the table has {n} data rows; --row next adds one)",
                    ExitCode.USAGE,
                )
        return TableSlot(self.document, index, column, self.schema, self.rules, list(self.notes))


def open_table(path: Path, schema: Path | None = None, config: Config | None = None) -> OpenTable:
    """Read the table, find and check its schema and rules; every problem is a usage error."""
    require_tables_extra()
    path = Path(path)
    config = config or load_config(start=path.resolve().parent)
    document = TableDocument.load(path)
    loaded, schema_path, rules, notes = schema_and_rules(path, document.header, config, schema)
    return OpenTable(document, loaded, schema_path, rules, notes)


def table_config(config: Config, model_path: Path | None) -> Config:
    """``config`` with the table stages in place of the code ones."""
    t = config.tables
    return dataclasses.replace(
        config,
        generators=dataclasses.replace(config.generators, enabled=list(t.generators)),
        validators=dataclasses.replace(config.validators, pre_rank=list(t.validators), post_rank=[]),
        ranker=dataclasses.replace(
            config.ranker, name="table_llm" if model_path and config.ranker.name == "llm" else "ngram"
        ),
    )


_PIPELINES: dict[tuple, Pipeline] = {}


def table_pipeline(config: Config, model_path: Path | None, model_name: str | None = None) -> Pipeline:
    key = (id(config), str(model_path))
    if key not in _PIPELINES:
        _PIPELINES.clear()
        _PIPELINES[key] = Pipeline(table_config(config, model_path), model_path, model_name)
        _PIPELINES[key]._config_ref = config  # pylint: disable=protected-access  # keeps id(config) alive
    return _PIPELINES[key]


def suggest_cells(  # pylint: disable=too-many-arguments
    path: Path,
    row: int | str = "next",
    column: str | None = None,
    *,
    schema: Path | None = None,
    k: int | None = None,
    config: Config | None = None,
    model_path: Path | None = None,
    model_name: str | None = None,
) -> SuggestResult:
    """Ranked, validated candidates for one table slot (a cell, or the row ``row``/"next")."""
    config = config or load_config(start=Path(path).resolve().parent)
    table = open_table(path, schema, config)
    slot = table.slot(row, column)
    result = table_pipeline(config, model_path, model_name).suggest(slot, k)
    result.notes = [*table.notes, *result.notes]
    result.work["slot"] = slot_info(path, table, slot.row + 1, slot.kind, column=column)
    return result


def slot_info(path: Path, table: OpenTable, row: int, kind: str, **where: Any) -> dict[str, Any]:
    """What a result's ``work["slot"]`` says of the slot it answers (1-based ``row``)."""
    schema = str(table.schema_path) if table.schema_path else None
    return {"table": str(path), "row": row, **where, "kind": kind, "schema": schema}
