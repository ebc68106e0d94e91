"""The table file checker for ``gfv check``: CSV/TSV files against their schema and rules.

Scope ``set``: all tables come in one call, because foreign keys span files.  Which
files are tables: ``[tables] globs`` of the config ``gfv check`` uses.  Each table's
header, schema and rules are read (:mod:`editor.tables.tablefile`; the rules come from
the config nearest each table), its records are streamed once to refuse malformed input
(one ``GFV001`` finding, at the bad record's line), then an engine validates it
(:mod:`editor.tables.engines`: ``pandas`` chunks by default, ``polars``, ``dask``) with
the key columns of the tables its foreign keys reference.  Data rows with findings are
mapped to the physical line they start on (quoted fields may span lines).
The checker is off when pandas or pandera are not installed (the light hook install);
nothing heavy is imported until a table is checked.
"""

from __future__ import annotations

import contextlib
import importlib.util
from pathlib import Path
from typing import Any, Sequence

from editor import __version__
from editor.check.checkers import FileOutcome, file_checkers
from editor.check.findings import Finding
from editor.check.settings import CheckConfig

CAP = 200


class TableChecker:
    name = "tables"
    scope = "set"

    def __init__(
        self, globs: Sequence[str] = ("*.csv", "*.tsv"), engine: str = "pandas", scheduler: str | None = None
    ) -> None:
        self.globs = tuple(globs)
        self.engine = engine
        self.scheduler = scheduler

    def fingerprint(self) -> str:
        """Tool versions and the engine.  The engines report identical problems, but the
        polars engine adds a TAB998 warning for a check it cannot run, so results can differ."""
        from importlib.metadata import version  # pylint: disable=import-outside-toplevel

        return (
            f"gfv={__version__} pandera={version('pandera')} pandas={version('pandas')} engine={self.engine}"
        )

    def file_fingerprint(self, path: Path) -> str:
        """The schema, the config and the tables its foreign keys reference change its result."""
        # pylint: disable=import-outside-toplevel
        from editor.config import find_config_file, load_config
        from editor.errors import GfvError
        from editor.tables.rules import rules_for

        cfg = find_config_file(path.parent)
        extras = [cfg, *path.parent.glob(f"{path.stem}.schema.*")]
        try:
            config = load_config(start=path.resolve().parent)
            rules = rules_for(config.tables, path, config.source)
            extras += [path.parent / fk.ref_table for fk in rules.foreign_keys]
        except GfvError:
            pass  # a bad config is the check's finding, not the fingerprint's
        parts = []
        for extra in extras:
            if extra is not None and extra.is_file():
                stat = extra.stat()
                parts.append(f"{extra}:{stat.st_mtime_ns}:{stat.st_size}")
        return ";".join(parts)

    def check(self, paths: Sequence[Path]) -> list[FileOutcome]:
        from editor.tables.engines import EngineOptions  # pylint: disable=import-outside-toplevel

        options = EngineOptions(scheduler=self.scheduler)
        with contextlib.ExitStack() as stack:
            session: list[Any] = []  # the engine's session (dask client), started for the first table

            def start() -> Any:
                from editor.tables.engines import engine_session  # pylint: disable=import-outside-toplevel

                if not session:
                    session.append(stack.enter_context(engine_session(self.engine, options)))
                return session[0]

            return [FileOutcome(self._one(Path(p), options, start)) for p in paths]

    def _one(self, path: Path, options: Any, session: Any) -> list[Finding]:
        # pylint: disable=import-outside-toplevel
        from editor.errors import GfvError
        from editor.tables.engines import EngineUnavailable, validate_table
        from editor.tables.tablefile import (
            TableFileError,
            open_table_file,
            record_lines,
            reference_keys,
            scan_records,
        )

        try:
            table = open_table_file(path)
            scan_records(table)
            refs = {fk: reference_keys(table, fk) for fk in table.rules.foreign_keys}
            stats = validate_table(
                self.engine,
                path,
                table.schema,
                table.rules,
                table.delimiter,
                refs=refs,
                cap=CAP,
                options=options,
                session=session(),
                skip=table.skip,
            )
        except TableFileError as exc:
            return [Finding(exc.line, 1, "GFV001", exc.message, "gfv")]
        except EngineUnavailable:
            raise  # not about this file: the run cannot go on (exit 2)
        except GfvError as exc:
            return [Finding(1, 1, "GFV001", exc.message, "gfv")]
        lines = record_lines(table, (p.row for p in stats.problems))
        findings = [Finding(lines.get(p.row, 1), 1, p.code, p.message, "tables") for p in stats.problems]
        if stats.truncated:
            findings.append(Finding(1, 1, "TAB999", f"{stats.truncated} more problems not listed", "tables"))
        for note in stats.notes:
            findings.append(Finding(1, 1, "TAB998", note, "tables", severity="warning"))
        return findings


@file_checkers.register("tables")
def make_table_checker(cfg: CheckConfig) -> TableChecker | None:
    if importlib.util.find_spec("pandas") is None or importlib.util.find_spec("pandera") is None:
        return None
    return TableChecker(cfg.table_globs, cfg.table_engine, cfg.dask_scheduler)
