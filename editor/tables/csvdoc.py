"""A CSV/TSV file as a document that keeps its dialect, quoting and line endings.

Every record keeps its raw text, so saving an edited table rewrites only the
records that changed (in the file's own dialect) and leaves every other byte alone.
Malformed input is refused with a :class:`~editor.errors.GfvError` (exit 2) that says
where: a bad encoding, an empty file, a header with empty or duplicate names, a
ragged row, an unterminated quote.

Comment lines (``#``) before the header, as in matplotlib's ``Stocks.csv``
(``# Data source: ...``), are the table's preamble: kept byte for byte, not records
(:func:`preamble_lines`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, replace
from pathlib import Path

from editor.errors import ExitCode, GfvError
from editor.files import BOM, DiskStamp, atomic_write, disk_stamp, read_existing_text


@dataclass(frozen=True)
class Dialect:
    delimiter: str = ","
    quotechar: str = '"'
    quote_all: bool = False
    newline: str = "\n"  # "\n" or "\r\n"

    def format_row(self, values: list[str]) -> str:
        """One record in this dialect, without the line ending."""
        buf = io.StringIO()
        writer = csv.writer(
            buf,
            delimiter=self.delimiter,
            quotechar=self.quotechar,
            quoting=csv.QUOTE_ALL if self.quote_all else csv.QUOTE_MINIMAL,
            lineterminator="\n",
        )
        writer.writerow(values)
        return buf.getvalue()[:-1]

    def parse_row(self, text: str) -> list[str]:
        """The fields of one record; ValueError if ``text`` is not exactly one record."""
        try:
            rows = list(
                csv.reader(
                    io.StringIO(text, newline=""),
                    delimiter=self.delimiter,
                    quotechar=self.quotechar,
                    strict=True,
                )
            )
        except csv.Error as exc:
            raise ValueError(f"not a valid CSV record: {exc}") from None
        if len(rows) != 1:
            raise ValueError(f"expected one CSV record, got {len(rows)}")
        return rows[0]


@dataclass
class TableDocument:
    """Header, rows (lists of strings) and the raw text of each record."""

    path: Path | None
    header: list[str]
    rows: list[list[str]]
    dialect: Dialect
    raw_header: str = ""
    raw_rows: list[str | None] = field(default_factory=list)  # None: changed, re-rendered on save
    final_newline: bool = True
    stamp: DiskStamp | None = None
    bom: bool = False  # a UTF-8 byte-order mark before the header, kept on save
    preamble: list[str] = field(default_factory=list)  # comment lines before the header, kept as read

    @property
    def columns(self) -> list[str]:
        return self.header

    def index(self, column: str) -> int:
        try:
            return self.header.index(column)
        except ValueError:
            raise GfvError(
                f"{self.path}: no column {column!r} (columns: {', '.join(self.header)})", ExitCode.USAGE
            ) from None

    def record_text(self, values: list[str]) -> str:
        return self.dialect.format_row(values)

    def text(self) -> str:
        """The whole file, with unchanged records byte-for-byte as read."""
        nl = self.dialect.newline
        parts = [*self.preamble, self.raw_header]
        for row, raw in zip(self.rows, self.raw_rows):
            parts.append(raw if raw is not None else self.record_text(row))
        out = nl.join(parts)
        return out + nl if self.final_newline else out

    def with_row(self, values: list[str], at: int | None = None) -> "TableDocument":
        """A copy with ``values`` replacing row ``at`` (0-based), or appended when ``at`` is None."""
        self._check_width(values, "new row")
        rows, raws = [list(r) for r in self.rows], list(self.raw_rows)
        if at is None or at == len(rows):
            rows.append(list(values))
            raws.append(None)
        else:
            rows[at], raws[at] = list(values), None
        return replace(self, rows=rows, raw_rows=raws)

    def _check_width(self, values: list[str], what: str) -> None:
        if len(values) != len(self.header):
            raise GfvError(
                f"{what} has {len(values)} fields; the header has {len(self.header)}", ExitCode.USAGE
            )

    def save(self, path: Path | None = None) -> DiskStamp:
        """Atomic write (temp file, fsync, rename; mode kept)."""
        target = Path(path or self.path)  # type: ignore[arg-type]
        self.stamp = atomic_write(target, self.text(), bom=self.bom)
        return self.stamp

    @classmethod
    def load(cls, path: Path) -> "TableDocument":
        path = Path(path)
        text, data = read_existing_text(path)
        doc = cls.parse(text, path)
        doc.stamp, doc.bom = disk_stamp(path), data.startswith(BOM)
        return doc

    @classmethod
    def parse(cls, text: str, path: Path | None = None) -> "TableDocument":  # pylint: disable=too-many-locals
        where = str(path) if path else "<table>"
        if not text.strip():
            raise GfvError(f"{where}: empty file; a table needs at least a header row", ExitCode.USAGE)
        newline = "\r\n" if "\r\n" in text else "\n"
        final_newline = text.endswith("\n")
        lines = text.split(newline)
        if final_newline:
            lines = lines[:-1]
        skip = preamble_lines(lines)
        preamble, lines = lines[:skip], lines[skip:]
        if not "".join(lines).strip():
            raise GfvError(
                f"{where}: only comment lines; a table needs at least a header row", ExitCode.USAGE
            )
        dialect = sniff(lines[0], path)
        reader = csv.reader(
            _Lines(lines), delimiter=dialect.delimiter, quotechar=dialect.quotechar, strict=True
        )
        records: list[tuple[list[str], str]] = []
        start = 0
        try:
            for fields in reader:
                end = reader.line_num
                records.append((fields, newline.join(lines[start:end])))
                start = end
        except csv.Error as exc:
            raise GfvError(
                f"{where}: line {reader.line_num + skip}: malformed CSV: {exc}", ExitCode.USAGE
            ) from None
        (header, raw_header), body = records[0], records[1:]
        check_header(header, where)
        rows, raws = [], []
        for n, (fields, raw) in enumerate(body, 2):
            if not fields and not raw.strip():
                raise GfvError(f"{where}: record {n} is a blank line; remove it", ExitCode.USAGE)
            if len(fields) != len(header):
                raise GfvError(
                    f"{where}: record {n} has {len(fields)} fields, the header has {len(header)}"
                    f" (ragged row): {raw[:80]!r}",
                    ExitCode.USAGE,
                )
            rows.append(fields)
            raws.append(raw)
        quote_all = raw_header.startswith(dialect.quotechar) and all(
            r.startswith(dialect.quotechar) for r in raws[:20]
        )
        return cls(
            path,
            header,
            rows,
            replace(dialect, quote_all=quote_all, newline=newline),
            raw_header,
            raws,
            final_newline,
            preamble=preamble,
        )


def preamble_lines(lines: list[str]) -> int:
    """How many of the first ``lines`` are comments before the header: lines starting with ``#``.

    The last of them is the header after all when it has as many fields as the line after it
    (a header such as ``#id,name``)."""
    skip = 0
    while skip < len(lines) - 1 and lines[skip].lstrip().startswith("#"):
        skip += 1
    if skip:
        delimiter = sniff(lines[skip], None).delimiter
        if lines[skip - 1].count(delimiter) == lines[skip].count(delimiter) > 0:
            skip -= 1
    return skip


class _Lines:
    """Feeds physical lines to csv.reader, which counts them in ``line_num``."""

    def __init__(self, lines: list[str]) -> None:
        self._it = iter(lines)

    def __iter__(self):
        return self

    def __next__(self) -> str:
        return next(self._it) + "\n"


def check_header(header: list[str], where: str) -> None:
    if any(not h.strip() for h in header):
        raise GfvError(f"{where}: the header has an empty column name: {header}", ExitCode.USAGE)
    seen = set()
    for name in header:
        if name in seen:
            raise GfvError(f"{where}: the header names column {name!r} twice", ExitCode.USAGE)
        seen.add(name)


def sniff(text: str, path: Path | None) -> Dialect:
    """Delimiter from the suffix (.tsv: tab), else the commonest of , TAB ; | in the header line."""
    first = text.split("\n", 1)[0]
    if path is not None and path.suffix.lower() == ".tsv":
        delimiter = "\t"
    else:
        counts = {d: first.count(d) for d in (",", "\t", ";", "|")}
        delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    return Dialect(delimiter=delimiter, quotechar='"')
