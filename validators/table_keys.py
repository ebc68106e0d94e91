"""Primary and foreign keys from ``[tool.gfv.tables]`` (tables only).

Codes: ``KEY000`` passes (or no key rules), ``KEY001`` the primary key duplicates an
existing row, ``KEY002`` a primary-key cell is empty, ``KEY003`` a foreign key has no
match in the referenced table, ``KEY004`` the referenced table cannot be read.
``details.cells`` lists the failing cells (1-based data row, column, value).
"""

from __future__ import annotations

from typing import Sequence

from editor.candidates import Candidate, Verdict
from editor.errors import GfvError
from editor.stages import StageContext, validators
from editor.tables.slot import TableSlot
from validators._table import cell, per_candidate


class TableKeysValidator:
    name = "table_keys"
    cost = "cheap"

    def validate(self, slot: TableSlot, candidates: Sequence[Candidate]) -> list[list[Verdict]]:
        if not isinstance(slot, TableSlot):
            return [[] for _ in candidates]
        return per_candidate(self.name, slot, candidates, lambda row: self._judge(slot, row), "KEY005")

    def _judge(self, slot: TableSlot, row: list[str]) -> list[Verdict]:
        rules, header, out = slot.rules, slot.header, []
        pk = rules.primary_key
        if pk and (slot.column is None or slot.column in pk):
            key = tuple(row[header.index(c)] for c in pk)
            empty = [c for c, v in zip(pk, key) if v == ""]
            if empty:
                out.append(
                    Verdict(
                        self.name,
                        False,
                        "KEY002",
                        f"primary key cell empty: {', '.join(empty)}",
                        details={"cells": [cell(slot, c, "") for c in empty]},
                    )
                )
            elif key in slot.key_set(pk):
                out.append(
                    Verdict(
                        self.name,
                        False,
                        "KEY001",
                        f"primary key ({', '.join(pk)}) = ({', '.join(key)}) already exists",
                        details={"cells": [cell(slot, c, v) for c, v in zip(pk, key)]},
                    )
                )
        for fk in rules.foreign_keys:
            if slot.column is not None and slot.column not in fk.columns:
                continue
            key = tuple(row[header.index(c)] for c in fk.columns)
            if all(v == "" for v in key):
                continue  # an empty reference is the schema's business (nullable or not)
            try:
                refs = slot.ref_values(fk)
            except GfvError as exc:
                out.append(Verdict(self.name, False, "KEY004", f"cannot read {fk.ref_table}: {exc.message}"))
                continue
            if key not in refs:
                out.append(
                    Verdict(
                        self.name,
                        False,
                        "KEY003",
                        f"{', '.join(fk.columns)} = {', '.join(key)} not found in"
                        f" {fk.ref_table} ({', '.join(fk.ref_columns)})",
                        details={
                            "cells": [cell(slot, c, v) for c, v in zip(fk.columns, key)],
                            "references": f"{fk.ref_table}: {', '.join(fk.ref_columns)}",
                        },
                    )
                )
        return out or [
            Verdict(self.name, True, "KEY000", "keys hold" if (pk or rules.foreign_keys) else "no key rules")
        ]


@validators.register("table_keys")
def make_table_keys(ctx: StageContext) -> TableKeysValidator:
    del ctx
    return TableKeysValidator()
