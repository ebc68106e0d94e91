"""Tests for the "black" validator (real black, no mocks)."""

# pylint: disable=missing-function-docstring

from __future__ import annotations

from pathlib import Path

import pytest

from editor.candidates import Candidate
from editor.document import Document
from editor.stages import StageContext, validators
from validators.black_format import BlackValidator, split_like


def judge(
    text: str, line: int, col: int, *cands: str, line_length: int | None = 88, path: Path | None = None
):
    """The single verdict of each candidate."""
    slot = Document(text, path).slot(line, col)
    results = BlackValidator(line_length).validate(slot, [Candidate(text=c, source="test") for c in cands])
    assert all(len(r) == 1 for r in results)
    return [r[0] for r in results]


def test_registered_as_cheap():
    validator = validators.get("black")(StageContext(config=None))
    assert validator.name == "black" and validator.cost == "cheap"


def test_stable_candidate():
    (verdict,) = judge("y = 2\nx\n", 1, 1, " = 1")
    assert verdict.ok and verdict.code == "BLK000" and verdict.replacement is None


def test_candidate_offered_in_black_style():
    (verdict,) = judge("y = 2\nx\n", 1, 1, "=1")
    assert verdict.ok and verdict.code == "BLK001"
    assert verdict.replacement == " = 1"


def test_indented_candidate_and_header():
    stmt, listing = judge("def f():\n    x\n", 1, 5, "=foo( 1 )", " = [ 1,2 ]")
    assert stmt.code == "BLK001" and stmt.replacement == " = foo(1)"
    assert listing.code == "BLK001" and listing.replacement == " = [1, 2]"


def test_block_opener_and_clause():
    opener, clause = judge("if a:\n    pass\n\n", 2, 0, "for x in y :", "else :")
    assert opener.code == "BLK001" and opener.replacement == "for x in y:"
    assert clause.code == "BLK001" and clause.replacement == "else:"


def test_rest_of_line_kept():
    (verdict,) = judge("x = foo()\n", 0, 8, "a,b")
    assert verdict.code == "BLK001" and verdict.replacement == "a, b"


def test_typed_text_not_black_formatted():
    stable, changed = judge("x  =\n", 0, 4, " 1", " 1+2")
    assert stable.ok and stable.code == "BLK002" and stable.replacement is None
    assert changed.ok and changed.code == "BLK002" and changed.replacement == " 1 + 2"


def test_unparseable_is_explicit():
    (verdict,) = judge("x\n", 0, 1, " = (1,")
    assert not verdict.ok and verdict.code == "BLK003"


def test_long_line_split_keeps_prefix():
    (verdict,) = judge("def f():\n    x\n", 1, 5, " = [aaaaaaaa, bbbbbbbbbb, cccccccccc]", line_length=30)
    assert verdict.ok and verdict.code == "BLK001"
    assert verdict.replacement.startswith(" = [\n") and verdict.replacement.endswith("\n    ]")


def test_long_line_split_before_cursor_rejected():
    (verdict,) = judge("def f():\n    x = foo(aaaaaaa, \n", 1, 20, "bbbbbbbbbb, cccccccccc)", line_length=30)
    assert not verdict.ok and verdict.code == "BLK004"


def test_continuation_line_uses_whole_statement():
    stable, spaced = judge("foo(\n    a,\n    \n)\n", 2, 4, "b,", "b+1,")
    assert stable.code == "BLK000"
    assert spaced.code == "BLK001" and spaced.replacement == "b + 1,"


def test_project_line_length(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.black]\nline-length = 20\n", encoding="utf-8")
    cand = " = call(argument_one, argument_two)"
    (verdict,) = judge("x\n", 0, 1, cand, line_length=None, path=tmp_path / "mod.py")
    assert verdict.code == "BLK001" and "\n" in verdict.replacement


def test_split_like():
    assert split_like("x = 1 + 2", "x  =", " 1+2", "") == " 1 + 2"
    assert split_like('x = "a"', "x =", " 'a'", "") is None


@pytest.mark.parametrize("module", ["textwrap.py", "argparse.py"])
def test_statement_span_from_the_block_equals_the_whole_file_one(module):
    import ast
    import random
    import sysconfig

    from validators._black_statement import statement_span as _statement_span

    lines = (Path(sysconfig.get_paths()["stdlib"]) / module).read_text(encoding="utf-8").split("\n")
    tree = ast.parse("\n".join(lines))
    validator = BlackValidator()
    rng = random.Random(0)
    fast = 0
    for first in rng.sample(range(1, len(lines) + 1), 150):
        last = min(first + rng.choice([0, 0, 1, 2]), len(lines))
        block = validator._span_in_block(lines, first, last)  # pylint: disable=protected-access
        if block is None:
            continue
        fast += 1
        assert block == (_statement_span(tree, first, last) or (first, last)), (first, last)
    assert fast >= 100


def test_a_huge_statement_is_judged_in_a_window_not_formatted_whole():
    body = "".join(f'    "key_{i}": {i},\n' for i in range(400))
    text = "TABLE = {\n" + body + '    "new\n}\n'
    doc = Document(text)
    line = 401
    slot = doc.slot(line, len(doc.lines[line]))
    good, spaced = BlackValidator().validate(slot, [Candidate('": 400,', "t"), Candidate('" :400 ,', "t")])
    assert [v.code for v in good] == ["BLK000"]
    assert spaced[0].code == "BLK001" and spaced[0].replacement == '": 400,'


def test_black_failing_internally_is_not_checked(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("INTERNAL ERROR")

    monkeypatch.setattr("black.format_str", broken)
    (verdict,) = judge("y = 2\nx\n", 1, 1, " = 1")
    assert verdict.code == "BLK005" and not verdict.ok and not verdict.checked
    assert "INTERNAL ERROR" in verdict.message


def test_black_cannot_parse_the_statement_fails():
    (verdict,) = judge("x = (\n", 0, 5, " 1 +")
    assert not verdict.ok and verdict.code == "BLK003"


def test_text_around_rewritten_beyond_whitespace_candidate_still_judged():
    # black rewrites the typed quotes, not the candidate: its part is found by alignment
    stable, changed = judge("x = 'a' +\n", 0, 9, " b", " b+1")
    assert stable.ok and stable.code == "BLK002" and stable.replacement is None
    assert changed.ok and changed.code == "BLK002" and changed.replacement == " b + 1"


def test_candidate_rewritten_with_the_text_around_is_not_checked():
    # black requotes a string and adds a space where the candidate has none: its part is a guess
    (verdict,) = judge("x = 'ab\n", 0, 7, "c'+1")
    assert verdict.code == "BLK005" and not verdict.ok and not verdict.checked


def test_a_string_opened_by_the_typed_text_keeps_its_quote():
    # black normalises the quotes of the whole string, the candidate's closing quote included;
    # the typed quote chose it, and the candidate can only close the string with it (BLK010)
    (verdict,) = judge("x = 'ab\n", 0, 7, "c'")
    assert verdict.code == "BLK010" and verdict.ok and verdict.replacement is None


def test_a_line_of_a_very_long_literal_is_judged_in_a_window_of_it():
    names = [f'    "module_{i}",' for i in range(300)]
    lines = ["STDLIB = {", *names, "}"]
    row = 150
    typed = '    "modu'
    lines[row] = typed
    doc = Document("\n".join(lines) + "\n", Path("m.py"))
    slot = doc.slot(row, len(typed))
    good, bad = BlackValidator().validate(slot, [Candidate('le_149",', "t"), Candidate('le_149"  ,', "t")])
    assert [v.code for v in good] == ["BLK000"]
    assert bad[0].code == "BLK001" and bad[0].replacement == 'le_149",' and bad[0].ok


def test_a_long_statement_with_no_faithful_window_is_not_checked():
    body = ["    foo(", *[f"        {i}," for i in range(250)], "    )"]  # the cursor's line ends the call
    lines = ["def f():", *body]
    lines[-1] = "    "
    doc = Document("\n".join(lines) + "\n", Path("m.py"))
    (verdict,) = BlackValidator().validate(doc.slot(len(lines) - 1, 4), [Candidate(")", "t")])[0]
    assert verdict.code == "BLK007" and not verdict.ok and not verdict.checked


def test_a_try_header_is_judged_like_any_other_header():
    # black parses a statement at a time; ``try:`` alone needs a handler after its body
    ok, spaced = judge(
        "def f():\n    \n        x = 1\n    except ValueError:\n        pass\n", 1, 4, "try:", "try :"
    )
    assert ok.ok and ok.code == "BLK000"
    assert spaced.code == "BLK001" and spaced.replacement == "try:"


SINGLE_QUOTED = "NAMES = (\n    'alpha',\n    'beta',\n    'gamma',\n    \n    'delta',\n)\n"


def test_a_document_that_keeps_single_quotes_keeps_them_in_candidates():
    # black would requote every string of the document: the candidate is judged in its style
    same, spaced, double = judge(SINGLE_QUOTED, 4, 4, "'omega',", "'omega' ,", '"omega",')
    assert same.ok and same.code == "BLK000"
    assert spaced.code == "BLK001" and spaced.replacement == "'omega',"
    assert double.ok and double.replacement is None  # black leaves either quote alone then


def test_a_black_formatted_document_gets_blacks_quotes():
    text = SINGLE_QUOTED.replace("'", '"')
    (verdict,) = judge(text, 4, 4, "'omega',")
    assert verdict.code == "BLK001" and verdict.replacement == '"omega",'


def test_a_project_that_says_how_to_treat_strings_is_obeyed(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.black]\nskip-string-normalization = false\n")
    (verdict,) = judge(SINGLE_QUOTED, 4, 4, "'omega',", path=tmp_path / "m.py")
    # black requotes the lines around and the candidate alike: its part is black's "omega"
    assert verdict.ok and verdict.code == "BLK002" and verdict.replacement == '"omega",'


def test_a_line_after_a_blank_line_inside_a_literal_is_offered_without_a_line_break():
    text = "STYLES = {\n    A:     'x',\n\n    \n    C:     'z',\n    D:     'w',\n}\n"
    (verdict,) = judge(text, 3, 4, "B:     'y',")
    assert verdict.ok and verdict.replacement == "B: 'y',"


PYYAML_ALL = (
    "__all__ = ['CBaseLoader', 'CSafeLoader', 'CFullLoader', 'CUnsafeLoader', 'CLoader',\n"
    "        'CBaseDumper', 'CSafeDum\n"
)


def test_a_statement_the_document_breaks_its_own_way_judges_the_candidate_on_spacing():
    # black would put one name per line: the document's style, not the candidate's doing
    typed = "        'CBaseDumper', 'CSafeDum"
    same, cramped = judge(PYYAML_ALL, 1, len(typed), "per', 'CDumper']", "per','CDumper']")
    assert same.ok and same.code == "BLK008" and same.replacement is None
    assert cramped.ok and cramped.code == "BLK008" and cramped.replacement == "per', 'CDumper']"


def test_a_line_too_long_in_such_a_statement_is_still_refused():
    typed = "        'CBaseDumper', 'CSafeDum"
    (verdict,) = judge(PYYAML_ALL, 1, len(typed), "per', " + ", ".join(f"'Name{i}'" for i in range(12)) + "]")
    assert not verdict.ok and verdict.code == "BLK004"


def test_parentheses_the_document_keeps_are_not_the_candidates_doing():
    # a tab-indented project that parenthesises one-name imports (pathspec): black would drop the
    # parentheses and join the lines; the candidate completes the name as the document writes it
    text = "from collections.abc import (\n\tSequ\n\nx = Sequence\n"
    (verdict,) = judge(text, 1, 5, "ence)")
    assert verdict.ok and verdict.code == "BLK009" and verdict.replacement is None
    (spaced,) = judge(text, 1, 5, "ence )")
    assert not spaced.ok and spaced.code == "BLK005"  # black never spaces before ")": not excused


def test_a_string_the_typed_text_opened_in_single_quotes_closes_with_them():
    # dateutil: a double-quoted file with one single-quoted string, the cursor inside it
    text = 'NAMES = ["a", "b"]\nzif = getattr(NAMES, \'_cached\n'
    (verdict,) = judge(text, 1, len("zif = getattr(NAMES, '_cached"), "_instance', None)")
    assert verdict.ok and verdict.code == "BLK010" and verdict.replacement is None
    (double,) = judge(text, 1, len("zif = getattr(NAMES, '_cached"), '_instance", None)')
    assert not double.ok  # a quote that does not close the typed string is no fix


def test_a_signature_whose_body_is_on_its_last_line():
    """``@overload`` stubs written ``) -> T: ...`` (packaging's specifiers.py, never tuned on):
    the header's last line holds the body too, and the statement black judges must keep it."""
    doc = (
        "class Spec:\n    @overload\n    def filter(\n        self,\n        key: int = ...,\n"
        "        \n    ) -> list[int]: ...\n"
    )
    good, spaced = judge(doc, 5, 8, "prereleases: bool | None = None,", "prereleases:bool|None=None,")
    assert (good.ok, good.code) == (True, "BLK000")
    assert (spaced.ok, spaced.code, spaced.replacement) == (
        True,
        "BLK001",
        "prereleases: bool | None = None,",
    )
    header = "class Spec:\n    @overload\n    \n        self,\n    ) -> list[int]: ...\n"
    (verdict,) = judge(header, 2, 4, "def filter(")
    assert (verdict.ok, verdict.code) == (True, "BLK000")


def _long_lines(width: int, count: int) -> str:
    return "".join(f"value_{i} = call_something({'1' * (width - 28)}, other)\n" for i in range(count))


def test_a_document_written_to_a_longer_length_is_judged_at_its_length_when_the_project_does_not_say(
    tmp_path,
):
    """pydantic is formatted at 120 in a pyproject.toml that does not ship with the package: at
    black's 88 its real lines were refused (BLK004).  Without a project setting the document's
    own length holds; with one, the project's."""
    typed = "result = call_something(first_argument, second_argument, third_argument, fourth"
    cand = "_argument, more)"
    wide = _long_lines(110, 4) + typed + "\n"
    line = wide.count("\n") - 1
    (own,) = judge(wide, line, len(typed), cand, line_length=None, path=tmp_path / "wide.py")
    assert own.ok and own.code == "BLK000"
    narrow = _long_lines(60, 4) + typed + "\n"
    (default,) = judge(narrow, line, len(typed), cand, line_length=None, path=tmp_path / "narrow.py")
    assert not default.ok and default.code == "BLK004"  # black's 88: the line before the cursor splits
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text("[tool.black]\nline-length = 88\n", encoding="utf-8")
    (said,) = judge(wide, line, len(typed), cand, line_length=None, path=project / "wide.py")
    assert not said.ok and said.code == "BLK004"


def test_a_header_followed_by_a_comment_line_is_formatted_with_its_body_below_the_comment():
    """virtualenv's ``try:`` then ``# the script runs ...``: the wrapper indented its ``finally:``
    like the comment, black could not parse it, and the true line was refused (BLK003)."""
    doc = "def probe():\n    tr\n        # why it may fail\n        import os\n"
    doc += "    except ImportError:\n        pass\n"
    right, spaced = judge(doc, 1, len("    tr"), "y:", "y :")
    assert right.ok and right.code == "BLK000"
    assert spaced.ok and spaced.code == "BLK001" and spaced.replacement == "y:"


LEXER = (
    "class Lexer:\n"
    "    tokens = {\n"
    "        'root': [\n"
    "            (r'(\\\\s+)(if|elif|else|while|for|return|yield|lambda|import|from|class|def)"
    "(\\\\s*)', Keyword),\n"
    "            (r'\\\\d+', Number),\n"
    "            \n"
    "            (r'.', Text),\n"
    "        ],\n"
    "    }\n"
)


def test_a_line_of_a_statement_whose_other_lines_are_too_long_is_judged_alone_within_its_brackets():
    """pygments' lexer tables: one regular expression over the length made black re-split the
    whole table, and every element line of it was refused (BLK004)."""
    line = LEXER.split("\n").index("            ")
    right, spaced, long_one = judge(
        LEXER, line, 12, "(r'\\s', Whitespace),", "(r'\\s',Whitespace),", "(r'\\s', " + "W" * 80 + "),"
    )
    assert right.ok and right.code == "BLK011" and right.replacement is None
    assert spaced.ok and spaced.code == "BLK011" and spaced.replacement == "(r'\\s', Whitespace),"
    assert not long_one.ok and long_one.code == "BLK004"  # the candidate's own line is too long


PACKED = (
    "_invalid_codepoints = {\n"
    "    # 0x0001 to 0x0008\n"
    "    0x1, 0x2, 0x3, 0x4, 0x5, 0x6, 0x7, 0x8,\n"
    "    # 0x000E to 0x001F\n"
    "    0xe, 0xf, 0x10,\n"
    "    0x7f, 0x80, 0x81,\n"
    "}\n"
)


def test_a_line_packing_elements_like_the_lines_around_it_is_judged_on_its_spacing():
    """html's table of code points, several a line and comments between: black would put one a
    line, and every true line of it was refused (BLK004)."""
    line = PACKED.split("\n").index("    0xe, 0xf, 0x10,")
    doc = PACKED.replace("    0xe, 0xf, 0x10,", "    0xe, 0xf")
    right, spaced, long_one = judge(
        doc, line, len("    0xe, 0xf"), ", 0x10,", ",0x10,", ", 0x10," + " 0x11," * 20
    )
    assert right.ok and right.code == "BLK011" and right.replacement is None
    assert spaced.ok and spaced.code == "BLK011" and spaced.replacement == ", 0x10,"
    assert not long_one.ok and long_one.code == "BLK004"


def test_a_packed_line_among_lines_of_one_element_is_not_the_documents_style():
    doc = "NAMES = [\n    # the first\n    'alpha',\n    'beta',\n    \n    'delta',\n]\n"
    (packed,) = judge(doc, 4, 4, "'gamma', 'epsilon',")
    assert packed.code != "BLK011"  # black's one a line is the document's too
    assert packed.replacement == "'gamma',\n    'epsilon',"


def test_a_single_quoted_class_in_a_double_quoted_document_keeps_its_quotes():
    """The standard library's calendar.py: double quotes, but HTMLCalendar writes ``a('</table>')``;
    the candidate was offered as ``a("</table>")``."""
    text = 'A = "x"\nB = "y"\nC = "z"\nD = "w"\n\n\nclass Html:\n    def table(self, a):\n'
    text += "        a('<table>')\n        a('<tr>')\n        a\n        a('</tr>')\n"
    (verdict,) = judge(text, 10, 9, "('</table>')")
    assert verdict.ok and verdict.code == "BLK000" and verdict.replacement is None
