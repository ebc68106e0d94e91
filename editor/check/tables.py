"""The table file checker for ``gfv check``: CSV/TSV files against their schema and rules.

Scope ``set``: all tables come in one call, because foreign keys span files.  Each
table is read with :class:`~editor.tables.csvdoc.TableDocument` rules (malformed input
is one ``GFV001`` finding), then validated in chunks (:mod:`editor.tables.chunked`).
Schemas and rules come from the config nearest each table (``[tool.gfv.tables]``).
The checker is off when pandas or pandera are not installed (the light hook install);
nothing heavy is imported until a table is checked.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Sequence

from editor import __version__
from editor.check.checkers import FileOutcome, file_checkers
from editor.check.findings import Finding
from editor.check.settings import CheckConfig

CAP = 200


class TableChecker:
    name = "tables"
    scope = "set"
    globs = ("*.csv", "*.tsv")

    def fingerprint(self) -> str:
        from importlib.metadata import version  # pylint: disable=import-outside-toplevel

        return f"gfv={__version__} pandera={version('pandera')} pandas={version('pandas')}"

    def file_fingerprint(self, path: Path) -> str:
        """The schema and config a table is judged by change its result."""
        from editor.config import find_config_file  # pylint: disable=import-outside-toplevel

        parts = []
        cfg = find_config_file(path.parent)
        for extra in [cfg, *path.parent.glob(f"{path.stem}.schema.*")]:
            if extra is not None and extra.is_file():
                parts.append(f"{extra}:{extra.stat().st_mtime_ns}")
        return ";".join(parts)

    def check(self, paths: Sequence[Path]) -> list[FileOutcome]:
        return [FileOutcome(self._one(Path(p))) for p in paths]

    @staticmethod
    def _one(path: Path) -> list[Finding]:
        # pylint: disable=import-outside-toplevel
        from editor.errors import GfvError
        from editor.tables.chunked import validate_file
        from editor.tables.engine import open_table

        try:
            table = open_table(path)
            refs = {}
            for fk in table.rules.foreign_keys:
                slot = table.slot("next")
                refs[fk] = slot.ref_values(fk)
            stats = validate_file(
                path, table.schema, table.rules, table.document.dialect.delimiter, refs=refs, cap=CAP
            )
        except GfvError as exc:
            return [Finding(1, 1, "GFV001", exc.message, "gfv")]
        findings = [Finding(p.row + 1, 1, p.code, p.message, "tables") for p in stats.problems]
        if stats.truncated:
            findings.append(Finding(1, 1, "TAB999", f"{stats.truncated} more problems not listed", "tables"))
        return findings


@file_checkers.register("tables")
def make_table_checker(cfg: CheckConfig) -> TableChecker | None:
    del cfg
    if importlib.util.find_spec("pandas") is None or importlib.util.find_spec("pandera") is None:
        return None
    return TableChecker()
