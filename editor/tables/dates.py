"""Dates and times as a table writes them: detect the format, parse, write back the same way.

The format comes from pandas' own guesser (``pandas.tseries.api.guess_datetime_format``),
tried month-first and day-first on a few of the column's values; a guess is kept only
when *every* sampled value parses with it and is written back byte for byte (so
``Jan 1 2000`` keeps its unpadded day, ``+01:00`` its colon).  Two things the guesser
does not do are adapted around it, not hand-parsed: two-digit years (``19-Sep-03``: the
value is guessed with its century and the format's ``%Y`` becomes ``%y``) and literal
weekday names (``Mon, 05 Mar 2021``: the literal becomes ``%a``).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import warnings
from dataclasses import dataclass

_TWO_DIGIT_YEAR = re.compile(r"^(.*\D)(\d{2})$")
_WEEKDAYS = re.compile(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b")
_LONG_WEEKDAYS = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_UNPADDED = {"%d": "%-d", "%m": "%-m", "%H": "%-H", "%I": "%-I"}
SAMPLE = 60


@dataclass(frozen=True)
class DateFormat:
    """How one column writes its dates: a strptime format and the strftime format that writes it back."""

    parse_fmt: str
    write_fmt: str
    tz: str = ""  # "" (none or +hhmm), "colon" (+hh:mm) or "Z"

    @property
    def has_time(self) -> bool:
        return any(t in self.parse_fmt for t in ("%H", "%I", "%M", "%S"))

    @property
    def iso_date(self) -> bool:
        return self.parse_fmt == "%Y-%m-%d"

    def parse(self, text: str) -> dt.datetime:
        """The datetime ``text`` stands for; ValueError when it is not written in this format."""
        text = str(text).strip()
        if self.tz == "Z" and text.endswith("Z"):
            text = text[:-1] + "+0000"
        return dt.datetime.strptime(text, self.parse_fmt)

    def write(self, value: dt.datetime) -> str:
        fmt = self.write_fmt
        if "%z" in fmt and self.tz:
            off = value.utcoffset()
            if self.tz == "Z" and (off is None or not off):
                zone = "Z"
            else:
                minutes = int((off or dt.timedelta()).total_seconds() // 60)
                sign = "+" if minutes >= 0 else "-"
                zone = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
            fmt = fmt.replace("%z", zone.replace("%", "%%"))
        return value.strftime(fmt)

    def round_trips(self, text: str) -> bool:
        try:
            return self.write(self.parse(text)) == str(text).strip()
        except (ValueError, OverflowError):
            return False

    def to_json(self) -> dict:
        return {"format": self.parse_fmt, "write": self.write_fmt, "tz": self.tz}


def _guesses(value: str) -> list[str]:
    """pandas' guesses for one value (month-first, day-first), with the two adaptations above."""
    from pandas.tseries.api import guess_datetime_format  # pylint: disable=import-outside-toplevel

    out: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for dayfirst in (False, True):
            for text, short_year in ((value, False), *_century(value)):
                try:
                    fmt = guess_datetime_format(text, dayfirst=dayfirst)
                except (ValueError, TypeError):
                    fmt = None
                if not fmt:
                    continue
                if short_year:
                    if not fmt.endswith("%Y"):
                        continue
                    fmt = fmt[:-2] + "%y"
                fmt = _LONG_WEEKDAYS.sub("%A", fmt)
                fmt = _WEEKDAYS.sub("%a", fmt)
                if fmt not in out:
                    out.append(fmt)
    return out


def _century(value: str) -> list[tuple[str, bool]]:
    m = _TWO_DIGIT_YEAR.match(value)
    if not m or re.search(r"\d{3,}", value):
        return []
    return [(f"{m.group(1)}20{m.group(2)}", True)]


def _writers(parse_fmt: str, values: list[str]) -> DateFormat | None:
    """The parse format with the write format (padding, zone style) that gives ``values`` back."""
    tz = ""
    if "%z" in parse_fmt:
        if all(v.endswith("Z") or re.search(r"[+-]\d\d:\d\d$", v) for v in values):
            tz = "Z" if any(v.endswith("Z") for v in values) else "colon"
    tokens = [t for t in _UNPADDED if t in parse_fmt]
    for flags in itertools.product((False, True), repeat=len(tokens)):
        write = parse_fmt
        for token, unpadded in zip(tokens, flags):
            if unpadded:
                write = write.replace(token, _UNPADDED[token])
        fmt = DateFormat(parse_fmt, write, tz)
        if all(fmt.round_trips(v) for v in values):
            return fmt
    return None


def _sample(values: list[str], n: int = SAMPLE) -> list[str]:
    if len(values) <= n:
        return values
    step = len(values) / n
    return [values[int(i * step)] for i in range(n)] + [values[-1]]


def _regularity(fmt: DateFormat, values: list[str]) -> float:
    """How well the values read this way form a sequence (a day-first misreading is irregular)."""
    from editor.tables.sequence import fit_runs  # pylint: disable=import-outside-toplevel

    fit = fit_runs([[fmt.parse(v) for v in values[-200:]]], True)
    return fit[3] - fit[4] if fit else 0.0


def detect(values: list[str]) -> DateFormat | None:
    """The date format every non-empty value is written in, or None when they are not dates."""
    present = [str(v).strip() for v in values if str(v).strip()]
    if not present:
        return None
    if all(v.lstrip("+-").isdigit() for v in present):
        # bare numbers are dates only as 8-digit YYYYMMDD (years alone stay integers)
        if not all(len(v) == 8 and v[:2] in ("17", "18", "19", "20", "21") for v in present):
            return None
    sample = _sample(present)
    guesses: list[str] = []
    for v in (sample[0], sample[-1], sample[len(sample) // 2], max(sample, key=len)):
        for g in _guesses(v):
            if g not in guesses:
                guesses.append(g)
    found = [f for f in (_writers(g, sample) for g in guesses) if f is not None]
    found = [f for f in found if all(f.round_trips(v) for v in present[-400:])]
    if not found:
        return None
    if len(found) > 1:  # ambiguous (01/02/2020): the more regular reading; on a tie, month first
        found.sort(key=lambda f: -_regularity(f, present))  # a stable sort keeps the guess order
    return found[0]
