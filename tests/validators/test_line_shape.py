"""The one-line fast paths of the syntax and black validators (validators/_line_shape.py)."""

from __future__ import annotations

import ast
import random
import sysconfig
from pathlib import Path

import pytest

from editor.candidates import Candidate
from editor.document import Document
from validators import _line_shape
from validators._line_shape import SIMPLE, STUBS, shape_of, starts_clean
from validators.black_format import BlackValidator
from validators.syntax import SyntaxValidator


def test_starts_clean_per_line():
    text = "x = [\n    1,\n]\ny = 2\n"
    assert [starts_clean(text, i) for i in range(4)] == [True, False, False, True]


@pytest.mark.parametrize(
    "line, shape",
    [
        ("    x = f(a)", ("    ", SIMPLE)),
        ("a; b", ("", SIMPLE)),
        ("    for x in y:", ("    ", "For")),
        ("if x: return 1", ("", "If1")),
        ("def f(a, b) -> int:  # note", ("", "FunctionDef")),
        ("else:", None),
        ("except ValueError:", None),
        ("@decorator", None),
        ("try:", None),
        ("match x:", None),
        ("case 1:", None),
        ("x = (", None),
        ("if x: \\", None),
        ("x + 1:", None),
        ("# only a comment", None),
    ],
)
def test_shape_of(line, shape):
    assert shape_of(line) == shape


def test_stubs_have_their_shape():
    for name, stub in STUBS.items():
        assert shape_of(stub) == ("", name)


@pytest.mark.parametrize(
    "source", ["return 1", "await x", "yield 1", "break", "nonlocal x", "async for x in y: pass"]
)
def test_context_errors_are_not_parse_errors(source):
    """The stub argument needs a context-free parser: these fail only at compile time."""
    ast.parse(source)


def _slots(path: Path, count: int, rng: random.Random):
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    rows = [i for i, line in enumerate(lines) if line.strip() and not line.strip().startswith("#")]
    for row in rng.sample(rows, min(count, len(rows))):
        line = lines[row]
        start = len(line) - len(line.lstrip())
        col = rng.randint(start, len(line))
        rest = line[col:]
        cut = "\n".join(lines[:row] + [line[:col]] + lines[row + 1 :])
        truth = rest.rstrip()
        cands = {truth, truth + ":", truth[:-1], truth + ")", "pass", "x = 1", "if x:", "else:"}
        yield Document(cut, path).slot(row, col), [c for c in cands if c.strip()]


def _verdicts(validator, slot, texts):
    out = []
    for verdicts in validator.validate(slot, [Candidate(t, "test") for t in texts]):
        out.append(
            [(v.ok, v.code, v.message, v.line, v.col, v.replacement, v.repairs, v.details) for v in verdicts]
        )
    return out


STDLIB = Path(sysconfig.get_paths()["stdlib"])


@pytest.mark.parametrize("name", ["textwrap.py", "shlex.py", "fractions.py"])
def test_fast_paths_agree_with_slow_paths_on_stdlib_lines(name, monkeypatch):
    """Property-style: cut lines of real files, complete them in several ways, compare verdicts."""
    rng = random.Random(name)
    syntax, black = SyntaxValidator(), BlackValidator()
    for slot, texts in _slots(STDLIB / name, 15, rng):
        monkeypatch.setattr(_line_shape, "ENABLED", True)
        fast = (_verdicts(syntax, slot, texts), _verdicts(black, slot, texts))
        monkeypatch.setattr(_line_shape, "ENABLED", False)
        slow = (_verdicts(SyntaxValidator(), slot, texts), _verdicts(BlackValidator(), slot, texts))
        assert fast == slow, (name, slot.line, slot.col)
