"""The "names" validator (validators/names.py): a name the candidate loads must be in the document."""

# pylint: disable=missing-function-docstring

from __future__ import annotations

from pathlib import Path

import pytest

from editor.candidates import Candidate
from editor.document import Document
from tests.helpers import make_package
from tests.e2e.test_everyday_e2e import LOAD_RECORDS as RECORDS  # the issue's own example
from validators.names import NamesValidator, loaded_names, self_attribute_loads
from validators.pylint_errors import PylintValidator

WALK = "import os\n\nfor root, dirs, files in os.wa"


def verdicts(text: str, line: int, col: int, *cands: str):
    slot = Document(text).slot(line, col)
    return [v[0] for v in NamesValidator().validate(slot, [Candidate(c, "test") for c in cands])]


def test_a_name_nowhere_in_the_document_fails_and_one_from_the_typed_text_passes():
    bad, good, own = verdicts(WALK, 2, len(WALK.split("\n")[2]), "lk(path):", "lk(os.getcwd()):", "lk(root):")
    assert (bad.ok, bad.code, bad.details["name"], bad.line) == (False, "NAM001", "path", 3)
    assert bad.col == len("for root, dirs, files in os.walk(")
    assert (good.ok, good.code) == (True, "NAM000")
    assert own.ok  # ``root`` is in the typed text: not the candidate's fault, and pylint judges it


def test_names_elsewhere_in_the_document_and_builtins_pass():
    got = verdicts(RECORDS, 10, 8, "rn records", "rn len(records) + number", "rn sorted(paths)", "rn recs")
    assert [v.ok for v in got] == [True, True, True, False]
    assert got[3].details["name"] == "recs"


def test_names_the_candidate_binds_itself_pass():
    doc = "def f(items):\n    \n"
    got = verdicts(
        doc, 1, 4,
        "return [k * v for k, v in items]",
        "total = sum(items)\n    return total",
        "with open(items) as (fh, gh):",
        "key = lambda pair, n=2: pair[n]",
        "if (m := len(items)) > 2: return m",
        "return dict(size=len(items))",
    )  # fmt: skip
    assert [v.code for v in got] == ["NAM000"] * 6


def test_scopes_module_names_the_enclosing_function_and_the_class_body():
    doc = "LIMIT = 3\n\nclass A:\n    size = 3\n    \n\n    def m(self, n):\n        tmp = n\n        \n"
    in_body = verdicts(doc, 4, 4, "other = size + LIMIT")
    in_method = verdicts(doc, 8, 8, "return tmp + n + LIMIT", "return size")
    assert [v.ok for v in in_body + in_method] == [True, True, False]


def test_attributes_keyword_arguments_and_declarations_are_not_loads():
    assert loaded_names("x = obj.unknown(key=1)", 0) == [("obj", 4)]
    assert loaded_names("self.short_help = short_help", 0) == [
        ("short_help", 18)
    ]  # an attribute binds no name
    assert loaded_names("def g(a, b=default_value):", 0) == []
    assert loaded_names("from somewhere import thing", 0) == []
    assert loaded_names("foo(bar,", 4) == [("bar", 4)]  # an open bracket: the tokens so far


def test_the_close_name_in_scope_is_offered_as_a_repair():
    (got,) = verdicts(RECORDS, 10, 8, "rn recods")
    assert not got.ok
    assert got.repairs and got.repairs[0][0] == "rn records"


def test_the_models_own_line_is_also_offered_cut_before_the_undefined_name():
    doc = "def lookup(cache):\n    \n"
    slot = Document(doc).slot(1, 4)
    draft, cheap = Candidate("return cache.get(key)", "llm_draft"), Candidate(
        "return cache.get(key)", "ngram"
    )
    got = [v[0] for v in NamesValidator().validate(slot, [draft, cheap])]
    assert [v.code for v in got] == ["NAM001", "NAM001"]
    assert got[0].repairs == [("return cache", "cut before the undefined name 'key'")]
    assert got[0].details["cuts"] == ["return cache"]  # marked: the draft's confidence does not carry over
    assert got[1].repairs == []  # a cheap line's prefix is no one's guess


def test_a_star_import_makes_an_unknown_name_not_checked_never_a_pass():
    doc = "from os.path import *\n\nprint("
    missing, builtin = verdicts(doc, 2, 6, "jion('a', 'b'))", "len(doc))")
    assert (missing.ok, missing.code, missing.checked) == (False, "NAM998", False)
    assert (builtin.ok, builtin.code) == (False, "NAM998")  # ``doc`` may come from the star import
    assert verdicts(doc, 2, 6, "len(__file__))")[0].ok


@pytest.mark.parametrize(
    "text, line, col, cand",
    [
        (WALK, 2, len(WALK.split("\n")[2]), "lk(path):"),
        (RECORDS, 10, 8, "rn recods"),
        (RECORDS, 10, 8, "rn [row for row in rowz]"),
        ("class A:\n    def m(self):\n        \n", 2, 8, "return helper(self)"),
        ("def f():\n    tmp = 1\n\ndef g():\n    \n", 4, 4, "return tmp"),  # another function's local
        ("class A:\n    size = 3\n\n    def m(self):\n        \n", 4, 8, "return size"),
    ],
)
def test_every_name_failure_is_a_pylint_failure_too(text, line, col, cand):
    """Weaker than pylint, never stricter: what it refuses, pylint refuses (E0602)."""
    slot = Document(text).slot(line, col)
    (names,) = NamesValidator().validate(slot, [Candidate(cand, "test")])
    (linted,) = PylintValidator().validate(slot, [Candidate(cand, "test")])
    assert not names[0].ok
    assert [v.code for v in linted if not v.ok] == ["PYL-E0602"]


COUNTER = """class Counter:
    limit = 10

    def __init__(self, start):
        self.count = start

    @property
    def left(self):
        return self.limit - self.count

    def step(self):
        
"""


def test_an_attribute_of_self_that_a_closed_class_never_sets_fails():
    got = verdicts(
        COUNTER,
        11,
        8,
        "return self.count + self.left",
        "return self.limit",
        "return self.cnt",
        "self.total = 0",
    )
    assert [v.code for v in got] == ["NAM000", "NAM000", "NAM002", "NAM000"]
    assert got[2].details == {"name": "cnt", "class": "Counter"} and got[2].col == len("        return self.")
    assert got[2].repairs == []  # "cnt": too short to match "count" fuzzily, and nothing of it typed


def test_a_member_begun_in_the_typed_text_is_repaired_to_the_members_that_start_so():
    doc = COUNTER.replace("    def step(self):\n        ", "    def step(self):\n        if self.li")
    line = doc.split("\n").index("        if self.li")
    (made_up,) = verdicts(doc, line, len("        if self.li"), "mp:")
    assert made_up.code == "NAM002" and made_up.details["name"] == "limp"
    assert [text for text, _ in made_up.repairs] == ["mit:"]
    assert "by 'self.limit'" in made_up.repairs[0][1]


@pytest.mark.parametrize(
    "header, extra",
    [
        ("class Counter(Base):", ""),  # a base from elsewhere may set it
        ("class CounterMixin:", ""),  # pylint never reports a mixin's members
        ("class Counter:", "    def __getattr__(self, name):\n        return 0\n\n"),
        ("@dataclass\nclass Counter:", ""),
    ],
)
def test_attributes_of_classes_that_are_not_closed_are_not_judged(header, extra):
    doc = COUNTER.replace("class Counter:", header).replace(
        "    def step(self):", extra + "    def step(self):"
    )
    line = doc.split("\n").index("    def step(self):") + 1
    assert verdicts(doc, line, 8, "return self.cnt")[0].ok


def test_an_attribute_the_document_reads_elsewhere_is_its_own_not_the_candidates():
    # PyYAML's Scanner reads self.peek() all over: a member its Reader brings at composition
    doc = COUNTER.replace("return self.limit - self.count", "return self.peek() - self.count")
    line = doc.split("\n").index("    def step(self):") + 1
    mixin, cnt = verdicts(doc, line, 8, "return self.peek()", "return self.cnt")
    assert mixin.ok and mixin.code == "NAM000"
    assert cnt.code == "NAM002"


def test_an_attribute_failure_is_a_pylint_failure_too():
    slot = Document(COUNTER).slot(11, 8)
    (linted,) = PylintValidator().validate(slot, [Candidate("return self.cnt", "test")])
    assert [v.code for v in linted if not v.ok] == ["PYL-E1101"]


def test_the_scopes_are_parsed_once_per_place_and_warm_does_it_ahead(monkeypatch):
    import validators.names as names_module  # pylint: disable=import-outside-toplevel

    parses = []
    real = names_module.visible_names
    monkeypatch.setattr(
        names_module, "visible_names", lambda tree, line: parses.append(line) or real(tree, line)
    )
    validator = NamesValidator()
    validator.warm(Document(RECORDS).slot(10, 4))
    for typed in ("    r", "    re", "    retu"):  # typing on the same line: the same place
        doc = RECORDS.replace("    retu\n", typed + "\n")
        assert (
            validator.validate(Document(doc).slot(10, len(typed)), [Candidate("rn recs", "t")])[0][0].code
            == "NAM001"
        )
    assert parses == [11]


def test_every_prefix_of_real_code_is_tokenized_without_a_crash():
    """Typing produces every prefix of every line: the token scan must never raise."""
    import validators.names as names_module  # pylint: disable=import-outside-toplevel

    source = Path(names_module.__file__).read_text(encoding="utf-8") + "\nwith open(p) as\nx = [a for a in"
    for line in source.split("\n"):
        for cut in range(len(line) + 1):
            loaded_names(line[:cut], 0)
            self_attribute_loads(line[:cut], 0)


def test_a_crash_of_the_check_is_not_checked_never_a_pass(monkeypatch):
    import validators.names as names_module  # pylint: disable=import-outside-toplevel

    monkeypatch.setattr(names_module, "loaded_names", lambda line, start: 1 / 0)
    (got,) = verdicts(WALK, 2, len(WALK.split("\n")[2]), "lk(os.getcwd()):")
    assert (got.ok, got.code, got.checked) == (False, "NAM999", False)


@pytest.mark.parametrize(
    ("typed", "cand"),
    [
        ("from __future__ import ", "subprocess"),
        ("from json import loads, ", "nope"),
        ("from json.", "decoder import Nope"),
    ],
)
def test_a_name_its_module_does_not_bind_fails_as_pylint_fails_it(typed, cand):
    text = f"x = 1\n{typed}\n"
    slot = Document(text).slot(1, len(typed))
    (names,) = NamesValidator().validate(slot, [Candidate(cand, "test")])
    (linted,) = PylintValidator().validate(slot, [Candidate(cand, "test")])
    assert (names[0].ok, names[0].code) == (False, "NAM003")
    assert names[0].details["name"] in cand and names[0].line == 2
    assert "PYL-E0611" in [v.code for v in linted if not v.ok]  # weaker than pylint, never stricter


def test_real_imports_pass_and_what_cannot_be_read_or_is_indented_is_not_judged(tmp_path):
    ok = verdicts("x = 1\n\n", 1, 0, "from __future__ import annotations", "from collections import abc",
                  "from os import pathx", "from no_such_module_anywhere import y")  # fmt: skip
    assert [v.code for v in ok] == ["NAM000"] * 4  # os touches sys.modules: not read
    guarded = "try:\n    \nexcept ImportError:\n    nope = None\n"
    (indented,) = verdicts(guarded, 1, 4, "from json import nope")
    assert indented.ok


def test_a_relative_import_is_read_from_the_package(tmp_path):
    doc = make_package(tmp_path, "relpkg", util="def helper():\n    pass\n") / "main.py"
    doc.write_text("\n")
    slot = Document("x = 1\n\n", doc).slot(1, 0)
    good, bad = NamesValidator().validate(
        slot, [Candidate("from .util import helper", "t"), Candidate("from .util import nope", "t")]
    )
    assert good[0].code == "NAM000" and (bad[0].code, bad[0].details["module"]) == ("NAM003", "relpkg.util")


def test_a_missing_name_the_user_typed_is_not_the_candidates_fault():
    typed = "from json import nope, "
    slot = Document(f"x = 1\n{typed}\n").slot(1, len(typed))
    (own,), (added,) = NamesValidator().validate(slot, [Candidate("loads", "t"), Candidate("dumpz", "t")])
    assert own.code == "NAM000"  # ``nope`` was typed: pylint judges the user's own text
    assert (added.code, added.details["name"], added.col) == ("NAM003", "dumpz", len(typed))


def test_scopes_are_known_on_an_emptied_line_that_opened_a_block():
    # ``pass`` does not parse above the deeper body; a header in its place does, so the other
    # function's local is out of scope (before, every word of the document was taken as known)
    doc = "def g():\n    other = 1\n    return other\n\n\ndef f(wait):\n    \n        print(wait)\n"
    mine, theirs = verdicts(doc, 6, 4, "if wait:", "if other:")
    assert mine.ok and mine.code == "NAM000"
    assert (theirs.ok, theirs.code, theirs.details["name"]) == (False, "NAM001", "other")


def test_a_line_inside_open_brackets_is_read_with_its_statement():
    """Real code's continued lines pass: names imported in a bracketed ``from … import (`` list
    and parameters of a ``def`` over several lines (toolz/curried/__init__.py's import list was
    rejected line by line); a name loaded in a call's arguments is still judged."""
    imports = "from toolz import (\n    apply,\n    \n)\n"
    assert [v.ok for v in verdicts(imports, 2, 4, "second,", "second_hand")] == [True, True]
    params = "def area(\n    width,\n    \n):\n    return width * height\n"
    assert verdicts(params, 2, 4, "height,")[0].ok
    call = "import os\n\npaths = os.path.join(\n    os.getcwd(),\n    \n)\n"
    bad, good = verdicts(call, 4, 4, "base_dir,", "os.sep,")
    assert (bad.ok, bad.code, bad.details["name"], bad.line, bad.col) == (False, "NAM001", "base_dir", 5, 4)
    assert good.ok
    nested = "def f(items):\n    return sorted(\n        items,\n        key=lambda pair: pair[0],\n        \n    )\n"
    late, bound = verdicts(nested, 4, 8, "reverse=descending,", "reverse=pair[1],")
    assert (late.ok, late.details["name"]) == (False, "descending")
    assert bound.ok  # the lambda of the statement's earlier line binds pair


def test_an_absolute_star_import_read_from_its_modules_source_is_judged():
    doc = "from genericpath import *\n\nprint("
    there, missing = verdicts(doc, 2, 6, "exists('a'))", "jion('a', 'b'))")
    assert (there.ok, there.code) == (True, "NAM000")  # genericpath binds exists
    assert (missing.ok, missing.code, missing.details["name"]) == (False, "NAM001", "jion")


def test_an_absolute_star_import_of_an_extension_stays_not_checked():
    doc = "from _stat import *\n\nprint("
    (missing,) = verdicts(doc, 2, 6, "jion('a', 'b'))")
    assert (missing.ok, missing.code) == (False, "NAM998")
