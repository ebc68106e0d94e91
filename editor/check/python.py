"""The Python file checker: syntax, black and pylint errors over whole files.

It reuses the validators' machinery: :func:`validators.syntax.parse_tolerant`
(with no tolerance: a whole file must parse), black's mode from the nearest
``[tool.black]`` (:func:`validators.black_format.project_mode`), and the pylint
validator's shared in-process linter (errors and fatals only, no config file).

* A file that does not parse gets one ``SYN001`` finding; black and pylint would
  only repeat it, so they are skipped for that file.
* black: one ``BLK006`` finding per place black would change (the first
  ``black_hunks``, then one summary finding); ``BLK003`` when black cannot parse
  the file; ``BLK005`` when black fails internally.
* pylint: ``PYL-<msgid>`` per message (``PYL-E0602`` ...); ``PYL999`` when pylint
  could not check the file.  All files of a chunk are linted in one pylint run, on
  the real paths, so relative imports and sibling modules resolve.
* A validator that could not check a file never lets it pass: ``BLK005`` and
  ``PYL999`` ("not checked") are errors, as in the suggest pipeline
  (docs/verdict-codes.md).
* ``GFV001``: the file cannot be read or decoded.
"""

from __future__ import annotations

import difflib
import io
import os
import tokenize
from dataclasses import dataclass, field, replace
from importlib.metadata import version
from pathlib import Path
from typing import Sequence

from editor import __version__
from editor.check.checkers import FileOutcome, file_checkers
from editor.check.findings import Finding, parse_suppressions
from editor.check.settings import CheckConfig


@dataclass
class _File:
    path: Path
    text: str | None = None
    findings: list[Finding] = field(default_factory=list)
    lint: bool = False
    parsed: bool = False
    sandbox: dict | None = None
    cacheable: bool = True


def decode_source(data: bytes) -> str:
    """Python source bytes to text, honouring a BOM or a PEP 263 coding line (UTF-8 by default)."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    text = data.decode(encoding)
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def black_hunks(text: str, formatted: str, limit: int) -> list[Finding]:  # pylint: disable=too-many-locals
    """One BLK006 finding per changed region (1-based lines of the original), at most ``limit`` + 1."""
    old, new = text.split("\n"), formatted.split("\n")
    ops = [
        op for op in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes() if op[0] != "equal"
    ]
    findings = []
    for tag, i1, i2, j1, j2 in ops[:limit]:
        first = min(i1 + 1, len(old))
        last = max(i2, first)
        if tag == "insert":
            what = f"black would insert {j2 - j1} line{'s' if j2 - j1 != 1 else ''} here"
        elif tag == "delete":
            what = f"black would delete line{'s' if last > first else ''} {first}" + (
                f"-{last}" if last > first else ""
            )
        else:
            span = f"lines {first}-{last}" if last > first else f"line {first}"
            preview = next((line.strip() for line in new[j1:j2] if line.strip()), "")
            preview = preview if len(preview) <= 60 else preview[:57] + "..."
            what = f"black would reformat {span}" + (f"; black writes: {preview}" if preview else "")
        findings.append(Finding(first, 1, "BLK006", what, "black", end_line=last))
    if len(ops) > limit:
        rest = ops[limit:]
        findings.append(
            Finding(
                min(rest[0][1] + 1, len(old)),
                1,
                "BLK006",
                f"black would also change {len(rest)} more place{'' if len(rest) == 1 else 's'};"
                " run `black` on the file",
                "black",
            )
        )
    return findings


class PythonChecker:
    """Whole-file syntax, black and pylint checks (see module docstring)."""

    name = "python"
    scope = "file"

    def __init__(self, cfg: CheckConfig) -> None:
        self.validators = list(cfg.python)
        self.globs = list(cfg.python_files)
        self.hunks = cfg.black_hunks
        self.limits_args = tuple(cfg.properties_limits or ())

    def fingerprint(self) -> str:
        """gfv, black, pylint and astroid versions, the enabled validators and pylint's arguments."""
        parts = [f"gfv={__version__}", f"validators={','.join(self.validators)}", f"hunks={self.hunks}"]
        if "black" in self.validators:
            parts.append(f"black={version('black')}")
        if "pylint" in self.validators:
            from validators.pylint_errors import PYLINT_ARGS  # pylint: disable=import-outside-toplevel

            parts += [f"pylint={version('pylint')}", f"astroid={version('astroid')}", " ".join(PYLINT_ARGS)]
        return ";".join(parts)

    def file_fingerprint(self, path: Path) -> str:
        """black's mode for the file (from the nearest [tool.black]); its properties file and limits."""
        parts = []
        if "black" in self.validators:
            parts.append(self._mode(path).get_cache_key())
        if "properties" in self.validators:
            from editor.check.props import properties_fingerprint  # pylint: disable=import-outside-toplevel

            parts.append(properties_fingerprint(path, self.limits_args))
        return ";".join(parts)

    @staticmethod
    def _mode(path: Path):
        from validators.black_format import project_mode  # pylint: disable=import-outside-toplevel

        mode = project_mode(str(path.resolve().parent))
        return replace(mode, is_pyi=path.suffix == ".pyi")

    def check(self, paths: Sequence[Path]) -> list[FileOutcome]:
        """Syntax and black per file, then pylint on every file that parsed, in one run."""
        files = [self._read(Path(p)) for p in paths]
        for item in files:
            if item.text is not None:
                self._syntax_and_black(item)
        if "pylint" in self.validators:
            self._pylint([f for f in files if f.lint])
        if "properties" in self.validators:
            for item in files:
                if item.parsed:
                    self._properties(item)
        outcomes = []
        for item in files:
            item.findings.sort(key=lambda f: (f.line, f.col, f.code))
            if item.text is None:
                outcomes.append(FileOutcome(item.findings))
                continue
            kept, suppressed = parse_suppressions(item.text).filter(item.findings)
            outcomes.append(FileOutcome(kept, suppressed, item.sandbox, item.cacheable))
        return outcomes

    def _properties(self, item: _File) -> None:
        """The module's properties on the file as it is (only when it has a properties file)."""
        if not item.path.with_name(item.path.stem + "_properties.py").is_file():
            return
        # pylint: disable=import-outside-toplevel
        from editor.check.props import check_properties
        from validators._sandbox import Limits

        findings, item.sandbox = check_properties(item.path, item.text or "", Limits(*self.limits_args))
        item.findings.extend(findings)
        item.cacheable = not any(f.code == "PROP002" for f in findings)  # a timeout may be load: retry

    @staticmethod
    def _read(path: Path) -> _File:
        item = _File(path)
        try:
            item.text = decode_source(path.read_bytes())
        except (OSError, SyntaxError, UnicodeDecodeError, LookupError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            item.findings.append(
                Finding(1, 1, "GFV001", f"cannot read the file as Python source: {reason}", "gfv")
            )
        return item

    def _syntax_and_black(self, item: _File) -> None:
        from validators.syntax import parse_tolerant  # pylint: disable=import-outside-toplevel

        text = item.text or ""
        if "syntax" in self.validators:
            lines = (text[:-1] if text.endswith("\n") else text).split("\n")
            outcome = parse_tolerant(lines, window=range(0))
            if not outcome.ok:
                err = outcome.error
                msg = (err.msg if err is not None else "") or "invalid syntax"
                item.findings.append(
                    Finding(
                        outcome.line or 1, (outcome.col or 0) + 1, "SYN001", f"syntax error: {msg}", "syntax"
                    )
                )
                return
        item.parsed = True
        if "black" in self.validators:
            item.findings.extend(self._black(item.path, text))
        item.lint = "pylint" in self.validators

    def _black(self, path: Path, text: str) -> list[Finding]:
        import black  # pylint: disable=import-outside-toplevel

        try:
            formatted = black.format_file_contents(text, fast=True, mode=self._mode(path))
        except black.NothingChanged:
            return []
        except black.InvalidInput as exc:
            return [Finding(1, 1, "BLK003", f"black cannot parse the file: {exc}", "black")]
        except Exception as exc:  # pylint: disable=broad-except  # black's own internal errors
            return [Finding(1, 1, "BLK005", f"not checked: black failed: {exc}", "black")]
        return black_hunks(text, formatted, self.hunks)

    def _pylint(self, files: list[_File]) -> None:
        if not files:
            return
        by_path = {os.path.realpath(f.path): f for f in files}
        try:
            messages = lint_paths(list(by_path))
        except Exception as exc:  # pylint: disable=broad-except  # pylint must not break the check
            for item in files:
                item.findings.append(
                    Finding(
                        1,
                        1,
                        "PYL999",
                        f"not checked: pylint crashed: {type(exc).__name__}: {exc}",
                        "pylint",
                    )
                )
            return
        for real, item in by_path.items():
            for msg in messages.get(real, []):
                if msg.msg_id[:1] not in ("E", "F"):  # pragma warnings (W0012) slip past --disable=all
                    continue
                crashed = msg.msg_id in ("F0001", "F0002")
                item.findings.append(
                    Finding(
                        max(msg.line or 1, 1),
                        (msg.column or 0) + 1,
                        "PYL999" if crashed else f"PYL-{msg.msg_id}",
                        (f"not checked: pylint could not check this file: {msg.msg}" if crashed else msg.msg)
                        + f" ({msg.symbol})",
                        "pylint",
                        symbol=msg.symbol,
                    )
                )


def lint_paths(paths: list[str]) -> dict[str, list]:
    """pylint E/F messages per real path, from one run of the validator's shared linter.

    The files about to be linted are dropped from astroid's cache first, so a
    long-lived process sees edited files afresh; modules they import stay cached
    (a worker infers a package's modules once, not once per chunk).
    """
    # pylint: disable=import-outside-toplevel,protected-access
    from astroid import MANAGER
    from pylint.utils import LinterStats

    from validators import pylint_errors

    with pylint_errors._LOCK:
        linter, reporter = pylint_errors._linter()
        wanted = set(paths)
        stale = [
            name
            for name, module in MANAGER.astroid_cache.items()
            if getattr(module, "file", None) and os.path.realpath(module.file) in wanted
        ]
        for name in stale:
            MANAGER.astroid_cache.pop(name, None)
        reporter.by_path = {}
        linter.stats = LinterStats()
        try:
            linter.check(paths)
            return dict(reporter.by_path)
        finally:
            reporter.by_path = {}


@file_checkers.register("python")
def make_python_checker(cfg: CheckConfig) -> PythonChecker | None:
    """Factory for the registry; None when no Python validator is enabled."""
    return PythonChecker(cfg) if cfg.python else None
