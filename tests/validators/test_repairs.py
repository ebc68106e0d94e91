"""Repairs the syntax validator offers (validators/_repairs.py), through the real validator."""

# pylint: disable=missing-function-docstring

from __future__ import annotations

import pytest

from editor.candidates import Candidate
from editor.document import Document
from validators._repairs import cut_after_opener, line_repairs
from validators.syntax import SyntaxValidator, check_locally


def parses(line: str) -> bool:
    return check_locally([line]).ok


def verdict_for(before: str, typed: str, cand: str, after: str = ""):
    """The syntax verdict of ``cand`` typed after ``typed`` on a line between ``before`` and ``after``."""
    doc = Document(before + typed + "\n" + after)
    line = before.count("\n")
    slot = doc.slot(line, len(typed))
    (verdicts,) = SyntaxValidator().validate(slot, [Candidate(cand, "test")])
    return verdicts[0], slot


def test_missing_colon_on_a_for_header_over_a_partly_typed_call():
    verdict, _ = verdict_for("import os\npath = '.'\n", "for name in sorted(os.list", "dir(path))")
    assert not verdict.ok
    assert verdict.repairs == [("dir(path)):", "added the missing ':'")]
    fixed, _ = verdict_for("import os\npath = '.'\n", "for name in sorted(os.list", verdict.repairs[0][0])
    assert fixed.ok and fixed.repairs == []


@pytest.mark.parametrize(
    "typed, cand, repaired",
    [
        ("while x", " > 0", " > 0:"),
        ("    elif x", " == 1", " == 1:"),
        ("else", "", None),  # nothing proposed: nothing to repair
        ("try", "  # start", ":  # start"),
        ("with open(p) as f", "h", "h:"),
        ("def f(a", ", b) -> int", ", b) -> int:"),
        ("class A(B", ")", "):"),
        ("async for x in", " items", " items:"),
        ("except ValueError as", " exc", " exc:"),
    ],
)
def test_colon_added_to_each_header_kind(typed, cand, repaired):
    got = line_repairs(typed, cand, "", parses)
    assert got == ([] if repaired is None else [(repaired, "added the missing ':'")])


def test_unclosed_brackets_are_closed_in_order():
    assert line_repairs("x = foo(", "a, [1, {2: 3", "", parses) == [
        ("a, [1, {2: 3}])", "closed '(' '[' '{' with '}])'")
    ]


def test_header_with_unclosed_bracket_gets_closer_and_colon():
    ((text, what),) = line_repairs("for name in sorted(os.list", "dir(path)", "", parses)
    assert text == "dir(path)):"
    assert "closed '(' with ')'" in what and "added the missing ':'" in what


def test_extra_closer_at_the_end_is_dropped():
    assert line_repairs("print(x", "))", "", parses) == [(")", "dropped the unmatched ')'")]
    assert line_repairs("for x in range(3", ")):", "", parses) == [("):", "dropped the unmatched ')'")]


def test_brackets_inside_strings_and_comments_do_not_count():
    assert line_repairs("s = '(' + ", "'[' + str(a", "", parses) == [("'[' + str(a)", "closed '(' with ')'")]
    assert (
        line_repairs("if x == '(':", " y = '['  # (", "", parses) == []
    )  # balanced once strings are ignored
    assert line_repairs("x = (1", ")  # )", "", parses) == []


def test_no_repair_when_it_would_not_help():
    assert line_repairs("x = (1,", "+", "", parses) == []  # closing gives "(1, +)": still broken
    assert line_repairs("x = foo(", "a]", "", parses) == []  # mismatched pair: no guess
    assert line_repairs("print(x)", ")", "", parses) == []  # dropping leaves nothing proposed
    assert line_repairs("foo(x)", "), y", "", parses) == []  # the extra closer is not at the end
    assert line_repairs("x = 'abc", " + (1", "", parses) == []  # unterminated string: no analysis
    assert line_repairs("if foo(", "x", ")", parses) == []  # text after the cursor: left alone
    assert line_repairs("x = foo(", "a,\nb", "", parses) == []  # multi-line candidates: left alone


def test_match_as_a_plain_name_is_not_given_a_colon():
    assert line_repairs("match = f(", "3", "", parses) == [("3)", "closed '(' with ')'")]


def test_valid_candidates_carry_no_repairs_and_failures_without_fix_none():
    ok, _ = verdict_for("x = 1\n", "y = (", "x)")
    assert ok.ok and ok.repairs == []
    bad, _ = verdict_for("x = 1\n", "y = ", "x +")
    assert not bad.ok and bad.repairs == []


def test_repairs_appear_in_the_verdict_json():
    verdict, _ = verdict_for("items = []\n", "for x in ", "items")
    assert verdict.to_json()["repairs"] == [{"text": "items:", "repair": "added the missing ':'"}]


def test_a_call_written_on_one_line_is_cut_after_its_bracket_when_the_file_goes_on_inside_it():
    before = "def make(node):\n"
    after = "        node.value,\n        lineno=node.lineno,\n    )\n"
    verdict, _ = verdict_for(
        before, "    return Const.from_untrusted", "(node.value, lineno=node.lineno)", after
    )
    assert not verdict.ok
    assert ("(", "cut after '(': the next lines go on inside it") in verdict.repairs
    fixed, _ = verdict_for(before, "    return Const.from_untrusted", "(", after)
    assert fixed.ok


def test_an_exploded_signature_is_cut_after_its_bracket():
    after = "        self,\n        node,\n    ) -> None:\n        pass\n"
    for cand in ("it(self, node: Node) -> None:", "it(self, node: Node) -> None"):
        verdict, _ = verdict_for("class V:\n", "    def generic_vis", cand, after)
        assert not verdict.ok and "it(" in [r for r, _ in verdict.repairs]
    fixed, _ = verdict_for("class V:\n", "    def generic_vis", "it(", after)
    assert fixed.ok


def test_no_cut_when_the_next_line_is_not_deeper():
    after = "x = 1\n"
    verdict, _ = verdict_for("", "print", "(1, 2", after)
    assert all(not r.endswith("(") for r, _ in verdict.repairs)
    assert line_repairs("print", "(1, 2", "", parses) == [("(1, 2)", "closed '(' with ')'")]
    # a bracket the typed text opened is not the candidate's to cut after
    assert "g(" not in [r for r, _ in line_repairs("f(a, ", "g(1), 2", "", parses, continued=True)]
    assert cut_after_opener("x = ", "'unterminated") == []
