"""The undefined-name repair (validators/_name_repair.py) on real documents and scopes."""

# pylint: disable=missing-function-docstring

from __future__ import annotations

from editor.candidates import Candidate, Verdict
from editor.document import Document
from validators._name_repair import add_name_repairs, attribute_repairs, name_repairs, undefined_name

DOC = "import os\nresults = []\nlength = 3\n\ndef handle(request):\n    \n"


def at_end_of_function():
    return Document(DOC).slot(5, 4)


def test_partial_identifier_is_completed_to_the_one_name_it_prefixes():
    assert name_repairs(at_end_of_function(), "print(resul)", "resul") == [
        ("print(results)", "replaced the undefined name 'resul' by 'results' (in scope)")
    ]


def test_misspelt_name_is_replaced_by_the_close_one_but_not_in_comments_or_attributes():
    got = name_repairs(at_end_of_function(), "x = obj.lenght + lenght  # lenght", "lenght")
    assert [text for text, _ in got] == ["x = obj.lenght + length  # lenght"]


def test_parameters_of_the_enclosing_function_are_in_scope():
    got = name_repairs(at_end_of_function(), "return reqest.path", "reqest")
    assert got and got[0][0] == "return request.path"


def test_no_close_name_no_repair():
    assert name_repairs(at_end_of_function(), "x = zzz", "zzz") == []
    assert name_repairs(at_end_of_function(), "x = resul", None) == []


def test_ambiguous_prefix_alone_is_not_enough():
    doc = Document("value_a = 1\nvalue_b = 2\n\n")
    assert name_repairs(doc.slot(2, 0), "print(valu)", "valu") == []


def test_short_names_are_not_matched_fuzzily():
    doc = Document("x = 1\n\n")
    assert name_repairs(doc.slot(1, 0), "print(val)", "val") == []  # eval would rate 0.86
    assert name_repairs(doc.slot(1, 0), "print(evl)", "evl") == []


def test_a_name_begun_in_the_typed_text_is_completed_in_the_candidate():
    doc = Document("counter = 0\ntotal = coun\n")
    slot = doc.slot(1, len("total = coun"))
    assert [t for t, _ in name_repairs(slot, "t + 1", "count")] == ["ter + 1"]


def test_a_name_wholly_in_the_typed_text_is_not_the_candidates_to_fix():
    doc = Document("results = []\nprint(resul\n")
    assert name_repairs(doc.slot(1, len("print(resul")), ")", "resul") == []


def test_undefined_name_is_read_from_pylints_message():
    assert undefined_name("Undefined variable 'resul'") == "resul"
    assert undefined_name("Instance of 'A' has no 'b' member") is None


def test_add_name_repairs_attaches_to_failing_undefined_name_verdicts_only():
    slot = at_end_of_function()
    cands = [Candidate("print(resul)", "t"), Candidate("print(resul)", "t"), Candidate("x = 1", "t")]
    e0602 = Verdict(
        "pylint", False, "PYL-E0602", "Undefined variable 'resul' (undefined-variable, line 6, col 10)"
    )
    other = Verdict("pylint", False, "PYL-E1101", "Undefined variable 'resul' (made up, line 6, col 10)")
    ok = Verdict("pylint", True, "PYL000", "no pylint errors on the candidate's lines")
    add_name_repairs(slot, cands, [[e0602], [other], [ok]])
    assert [text for text, _ in e0602.repairs] == ["print(results)"]
    assert other.repairs == [] and ok.repairs == []


def test_real_pylint_verdict_offers_the_repair():
    from validators.pylint_errors import PylintValidator  # pylint: disable=import-outside-toplevel

    doc = Document("results = []\n\n")
    (verdicts,) = PylintValidator().validate(doc.slot(1, 0), [Candidate("print(resul)", "t")])
    (e0602,) = [v for v in verdicts if v.code == "PYL-E0602"]
    assert e0602.repairs == [
        ("print(results)", "replaced the undefined name 'resul' by 'results' (in scope)")
    ]
    assert e0602.to_json()["repairs"][0]["text"] == "print(results)"


def test_a_name_the_candidate_makes_up_from_the_typed_part_becomes_the_names_that_start_so():
    doc = Document("temporary = 1\ntemplate = 2\ntotal = 3\nprint(te\n")
    slot = doc.slot(3, len("print(te"))
    got = [t for t, _ in name_repairs(slot, "rnary)", "ternary")]
    assert got == ["mporary)", "mplate)"]  # both start with "te", the closer to "ternary" first; not total


def test_an_attribute_is_replaced_only_after_self():
    doc = Document("class A:\n    def f(self):\n        return \n")
    slot = doc.slot(2, len("        return "))
    got = attribute_repairs(slot, "other.lenght + self.lenght", "lenght", ["length", "limit"])
    assert [t for t, _ in got] == ["other.lenght + self.length"]
