"""Findings of ``gfv check`` and the ``# gfv: ignore[CODE]`` suppressions.

A finding's ``line`` and ``col`` are 1-based (as in ``path:line:col`` and SARIF).

Suppressions, in Python comments (found with :mod:`tokenize`, so ``#`` inside a
string does not count):

* ``x = 1  # gfv: ignore[PYL-E0602]`` after code: that line only;
* ``# gfv: ignore[BLK006]`` on a line of its own in the file's header (before the
  first line of code): the whole file;
* ``# gfv: ignore[...]`` on a line of its own anywhere else: the next code line.

Inside the brackets: codes separated by commas.  An entry matches a code exactly,
a pylint symbol (``undefined-variable``), or, when it is letters only, every code
it starts (``PYL``, ``BLK``).  ``# gfv: ignore`` without brackets matches every code.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import asdict, dataclass, field
from typing import Any

SUPPRESSION = re.compile(r"#\s*gfv:\s*ignore\b(?:\[([^\]]*)\])?")
ALL = frozenset({"*"})


@dataclass
class Finding:
    """One problem in one file."""

    line: int
    col: int
    code: str
    message: str
    checker: str  # the validator that found it: syntax, black, pylint, gfv
    severity: str = "error"  # "error" fails the check; "warning" (e.g. a tool crashed) does not
    symbol: str | None = None  # pylint's symbol, when there is one
    end_line: int | None = None
    path: str = ""  # filled in by the runner (cached results do not hold it)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        return {k: v for k, v in out.items() if v is not None}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Finding":
        return cls(**data)


@dataclass
class Suppressions:
    """Codes suppressed for the whole file and per 1-based line."""

    file_codes: frozenset[str] = frozenset()
    line_codes: dict[int, frozenset[str]] = field(default_factory=dict)

    @staticmethod
    def matches(entries: frozenset[str], finding: Finding) -> bool:
        """True when one of ``entries`` covers the finding's code."""
        if not entries:
            return False
        if "*" in entries:
            return True
        code = finding.code
        for entry in entries:
            if entry in (code, finding.symbol):
                return True
            if entry.isalpha() and code.upper().startswith(entry.upper()):
                return True
        return False

    def suppresses(self, finding: Finding) -> bool:
        """True when a file-level or a line-level suppression covers the finding."""
        return self.matches(self.file_codes, finding) or self.matches(
            self.line_codes.get(finding.line, frozenset()), finding
        )

    def filter(self, findings: list[Finding]) -> tuple[list[Finding], int]:
        """(kept findings, how many were suppressed)."""
        kept = [f for f in findings if not self.suppresses(f)]
        return kept, len(findings) - len(kept)


def _codes(match: re.Match) -> frozenset[str]:
    inside = match.group(1)
    if inside is None:
        return ALL
    codes = frozenset(c.strip() for c in inside.split(",") if c.strip())
    return codes or ALL


def _comments(text: str) -> list[tuple[int, bool, str]]:
    """(1-based line, standalone?, comment text) for every comment; tolerant of broken files."""
    found: list[tuple[int, bool, str]] = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.COMMENT:
                found.append((tok.start[0], not tok.line[: tok.start[1]].strip(), tok.string))
        return found
    except (tokenize.TokenError, SyntaxError, ValueError):
        pass  # a broken file: fall back to a line scan (a '#' in a string may then count)
    found = []
    for number, line in enumerate(text.split("\n"), 1):
        idx = line.find("#")
        if idx >= 0:
            found.append((number, not line[:idx].strip(), line[idx:]))
    return found


def parse_suppressions(text: str) -> Suppressions:
    """The ``# gfv: ignore[...]`` suppressions of a Python file (see the module docstring)."""
    if "gfv:" not in text:
        return Suppressions()
    lines = text.split("\n")

    def is_code(number: int) -> bool:
        stripped = lines[number - 1].strip() if 0 < number <= len(lines) else ""
        return bool(stripped) and not stripped.startswith("#")

    first_code = next((n for n in range(1, len(lines) + 1) if is_code(n)), len(lines) + 1)
    file_codes: set[str] = set()
    line_codes: dict[int, set[str]] = {}
    for number, standalone, comment in _comments(text):
        match = SUPPRESSION.search(comment)
        if not match:
            continue
        codes = _codes(match)
        if not standalone:
            line_codes.setdefault(number, set()).update(codes)
        elif number < first_code:
            file_codes.update(codes)
        else:
            target = next((n for n in range(number + 1, len(lines) + 1) if is_code(n)), None)
            if target is not None:
                line_codes.setdefault(target, set()).update(codes)
    return Suppressions(frozenset(file_codes), {k: frozenset(v) for k, v in line_codes.items()})
