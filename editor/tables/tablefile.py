"""A table file as ``gfv check`` needs it, without loading its rows.

:func:`open_table_file` reads the header and the dialect, finds the schema and the rules
(as :func:`editor.tables.engine.open_table` does, with the same errors);
:func:`scan_records` streams the file once with :mod:`csv` to refuse what the editor
refuses (bad UTF-8, a ragged row, a blank line, a broken quote) in O(1) memory, because
the engines' readers let some of it through (pandas and polars read a short row as empty
cells); :func:`record_lines` maps data rows to the physical line they start on (a quoted
field may span lines), for the rows that have findings only; :func:`reference_keys`
reads only the key columns of a referenced table.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from editor.errors import ExitCode, GfvError
from editor.tables.csvdoc import check_header, preamble_lines, sniff
from editor.tables.rules import ForeignKey, TableRules
from editor.tables.schema import schema_and_rules

PREAMBLE_MAX = 1000  # comment lines read before the header, at most


class TableFileError(GfvError):
    """The file cannot be read as a table; ``line`` is where (1 when unknown)."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message, ExitCode.USAGE)
        self.line = line


@dataclass
class TableFile:
    path: Path
    header: list[str]
    delimiter: str
    quotechar: str
    schema: Any
    rules: TableRules
    skip: int = 0  # comment lines before the header (the preamble)


def _reader(fh: Any, delimiter: str, quotechar: str) -> Any:
    return csv.reader(fh, delimiter=delimiter, quotechar=quotechar, strict=True)


def _skip(fh: Any, lines: int) -> None:
    for _ in range(lines):
        fh.readline()


def read_header(path: Path) -> tuple[list[str], str, int]:
    """The header record, the delimiter (:func:`editor.tables.csvdoc.sniff` on its line) and
    the number of comment lines before it (:func:`editor.tables.csvdoc.preamble_lines`)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            first: list[str] = []
            while len(first) < PREAMBLE_MAX and (line := fh.readline()):
                first.append(line.rstrip("\r\n"))
                if not first[-1].lstrip().startswith("#"):
                    break
            skip = preamble_lines(first)
            delimiter = sniff(first[skip] if skip < len(first) else "", path).delimiter
            fh.seek(0)
            _skip(fh, skip)
            header = next(_reader(fh, delimiter, '"'), None)
    except UnicodeDecodeError as exc:
        raise TableFileError(f"{path}: not UTF-8 text (byte {exc.start} of the header)") from None
    except csv.Error as exc:
        raise TableFileError(f"{path}: malformed CSV header: {exc}") from None
    except OSError as exc:
        raise TableFileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if not header or not "".join(header).strip():
        raise TableFileError(f"{path}: empty file; a table needs at least a header row")
    try:
        check_header(header, str(path))
    except GfvError as exc:
        raise TableFileError(exc.message) from None
    return header, delimiter, skip


def open_table_file(path: Path, config: Any = None) -> TableFile:
    """Header, dialect, schema and rules of ``path``; a problem is a :class:`TableFileError`."""
    from editor.config import load_config  # pylint: disable=import-outside-toplevel

    path = Path(path)
    header, delimiter, skip = read_header(path)
    try:
        config = config or load_config(start=path.resolve().parent)
        schema, _, rules, _ = schema_and_rules(path, header, config)
    except TableFileError:
        raise
    except GfvError as exc:
        raise TableFileError(exc.message) from None
    return TableFile(path, header, delimiter, '"', schema, rules, skip)


def scan_records(table: TableFile) -> int:
    """Data rows of the file; TableFileError at the first record the editor would refuse."""
    width, n = len(table.header), 0
    reader = None
    try:
        with table.path.open(encoding="utf-8-sig", newline="") as fh:
            _skip(fh, table.skip)
            reader = _reader(fh, table.delimiter, table.quotechar)
            next(reader)
            for fields in reader:
                n += 1
                if len(fields) != width:
                    what = (
                        "is a blank line; remove it"
                        if not fields
                        else (f"has {len(fields)} fields, the header has {width} (ragged row)")
                    )
                    line = reader.line_num + table.skip
                    raise TableFileError(f"{table.path}: line {line}: data row {n} {what}", line)
    except UnicodeDecodeError as exc:
        raise TableFileError(f"{table.path}: not UTF-8 text (byte {exc.start})") from None
    except csv.Error as exc:
        line = reader.line_num + table.skip if reader is not None else 1
        raise TableFileError(f"{table.path}: line {line}: malformed CSV: {exc}", line) from None
    return n


def record_lines(table: TableFile, rows: Iterable[int]) -> dict[int, int]:
    """Physical (1-based) line on which each 1-based data row in ``rows`` starts."""
    wanted = sorted({r for r in rows if r > 0})
    out: dict[int, int] = {}
    if not wanted:
        return out
    with table.path.open(encoding="utf-8-sig", newline="") as fh:
        _skip(fh, table.skip)
        reader = _reader(fh, table.delimiter, table.quotechar)
        next(reader)
        start, i = reader.line_num + 1 + table.skip, 0
        for n, _ in enumerate(reader, 1):
            if n == wanted[i]:
                out[n] = start
                i += 1
                if i == len(wanted):
                    break
            start = reader.line_num + 1 + table.skip
    return out


def reference_keys(table: TableFile, fk: ForeignKey) -> set[tuple[str, ...]]:
    """The key tuples of the table ``fk`` references (only its key columns are read)."""
    import pandas as pd  # pylint: disable=import-outside-toplevel

    ref_path = table.path.parent / fk.ref_table
    if ref_path.resolve() == table.path.resolve():
        ref_header, delimiter, skip = table.header, table.delimiter, table.skip
    else:
        ref_header, delimiter, skip = read_header(ref_path)
    missing = [c for c in fk.ref_columns if c not in ref_header]
    if missing:
        raise TableFileError(
            f"{table.path}: the foreign key's table {fk.ref_table} has no column {', '.join(missing)}"
        )
    try:
        frame = pd.read_csv(
            ref_path,
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            usecols=list(fk.ref_columns),
            encoding="utf-8-sig",
            skiprows=skip,
        )
    except (ValueError, OSError, UnicodeDecodeError) as exc:  # pandas' ParserError is a ValueError
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise TableFileError(
            f"{table.path}: cannot read the foreign key's table {fk.ref_table}: {msg}"
        ) from None
    return set(zip(*(frame[c] for c in fk.ref_columns)))
