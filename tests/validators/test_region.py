"""The block-only parse agrees with parsing the whole file (differential test on real modules)."""

from __future__ import annotations

import ast
import random
import sysconfig
import warnings
from pathlib import Path

import pytest

from validators._region import OutsideCache, Region, enclosing_region

STDLIB = Path(sysconfig.get_paths()["stdlib"])
MODULES = ["textwrap.py", "dataclasses.py", "string.py", "json/decoder.py", "csv.py", "shlex.py"]


def parses(source: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the stdlib's own invalid escapes
            ast.parse(source)
    except SyntaxError:
        return False
    return True


def variants(line: str, rng: random.Random) -> list[str]:
    ind = line[: len(line) - len(line.lstrip())]
    out = [line, line[:-1], line + ")", line + "(", line + '"""', line.lstrip(), "  " + line, ind + "else:"]
    out.append(ind + "x = [")
    out.append(ind + "def f(self):")
    out.append(ind + "@decorator")
    return rng.sample(out, 4)


@pytest.mark.parametrize("module", MODULES)
def test_block_parse_agrees_with_whole_file(module):
    lines = (STDLIB / module).read_text(encoding="utf-8").split("\n")
    rng = random.Random(module)
    cache = OutsideCache()
    used = agree = 0  # agree: the block and the file give the same answer
    for number in rng.sample(range(1, len(lines) + 1), 40):
        for variant in variants(lines[number - 1], rng):
            doc = lines[: number - 1] + [variant] + lines[number:]
            whole = parses("\n".join(doc) + "\n")
            region = enclosing_region(doc, number, number)
            if region is None or not cache.verified(doc, region):
                continue
            used += 1
            block = parses("\n".join(region.wrapped(doc)) + "\n")
            if block:  # the validator trusts a block that parses: the file must parse too
                assert whole, (module, number, variant, region)
            agree += block == whole
    assert used >= 60  # the fast path is taken for most lines of an ordinary module
    assert agree >= 0.9 * used  # and a failing block is almost always a failing file


def test_region_of_a_method_is_the_method_with_its_decorators():
    lines = [
        "import os",
        "",
        "class A:",
        "    x = 1",
        "",
        "    @property",
        "    def f(self):",
        "        if self.x:",
        "            return 1",
        "        return 2",
        "",
        "    def g(self):",
        "        pass",
    ]
    region = enclosing_region(lines, 9, 9)
    assert region == Region(5, 11, "    ")
    assert region.wrapped(lines)[:3] == ["if 1:", "    @property", "    def f(self):"]
    assert region.to_local(9) == 5 and region.to_file(5) == 9
    assert OutsideCache().verified(lines, region)
    assert enclosing_region(lines, 1, 1) == Region(0, 2, "")  # a top-level statement
    assert enclosing_region(["x = 1"], 1, 1) is None  # the whole file: nothing to gain


def test_a_string_that_looks_like_a_block_is_not_trusted():
    lines = [
        "def f():",
        '    s = """',
        "def g():",
        "    return 1",
        '"""',
        "    return s",
    ]
    region = enclosing_region(lines, 4, 4)  # looks like g's body, but it is text inside f's string
    assert region is not None and region.start == 2
    assert not OutsideCache().verified(lines, region)  # the outside's pass sits inside the string


def test_candidate_lines_leaving_the_block_give_no_region():
    lines = ["def f():", "    x = 1", "y = 2", "    z = 3"]
    assert enclosing_region(lines, 2, 4) is None


def error_line(source: str) -> int | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(source)
    except SyntaxError as exc:
        return exc.lineno or 1
    return None


@pytest.mark.parametrize("module", MODULES)
def test_a_failure_that_stands_is_the_files_failure(module):
    lines = (STDLIB / module).read_text(encoding="utf-8").split("\n")
    rng = random.Random(module + "/failures")
    cache = OutsideCache()
    trusted = 0
    for number in rng.sample(range(1, len(lines) + 1), 60):
        ind = lines[number - 1][: len(lines[number - 1]) - len(lines[number - 1].lstrip())]
        for variant in [ind + "x = = 1", ind + "for x in", ind + "elif y:", ind + "return (", ind + "\\"]:
            doc = lines[: number - 1] + [variant] + lines[number:]
            region = enclosing_region(doc, number, number)
            if region is None or not cache.verified(doc, region):
                continue
            line = error_line("\n".join(region.wrapped(doc)) + "\n")
            if line is None or not region.failure_stands(doc, number, region.to_file(line)):
                continue
            trusted += 1
            assert error_line("\n".join(doc) + "\n") is not None, (module, number, variant)
    assert trusted >= 20


def test_a_multi_line_def_header_starts_the_region_at_def():
    """`) -> bool:` at column 0 closes the header; the region is the whole function, verified."""
    lines = ["import os", "", "def f(", "    a: int,", ") -> bool:", "    x = 1", "    return x", "", "y = 2"]
    region = enclosing_region(lines, 6, 6)
    assert region == Region(2, 8, "")
    assert OutsideCache().verified(lines, region)


def test_a_closing_line_without_a_def_above_gives_no_region():
    lines = ["x = [", "    1,", "]", "y = 2"]
    assert enclosing_region(lines, 4, 4) is None or enclosing_region(lines, 4, 4).start != 2


def test_failure_stands_the_same_with_the_tokenizer_shortcut(monkeypatch):
    """Region.failure_stands reuses the tokenizer's answer for a stub line; the same as without it."""
    from validators import _line_shape

    lines = ["def f(", "    a,", "):", "    x = 1", "    y = (1 +", "    return x", "", "z = 3"]
    region = enclosing_region(lines, 5, 5)
    answers = []
    for enabled in (True, False):
        monkeypatch.setattr(_line_shape, "ENABLED", enabled)
        answers.append([region.failure_stands(lines, 5, 5), region.failure_stands(lines, 4, 4)])
    assert answers[0] == answers[1]
