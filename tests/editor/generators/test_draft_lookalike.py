"""The draft_lookalike generator: the project's own line most like the model's draft."""

import math

from editor.candidates import Candidate
from editor.document import Document
from editor.generators.draft_lookalike import DraftLookalikeGenerator
from editor.generators.retrieval import ProjectIndexes, RetrievalGenerator
from tests.helpers import make_package

DOC = """def run(cmd, wait, locate):
    proc = start(cmd)
    if wait:
        proc.wait()
    return proc


def other(cmd, wait):
    proc = start(cmd)
    
"""


def _draft(text: str) -> Candidate:
    return Candidate(text=text, source="llm_draft")


def _lookalike(text: str, line: int, col: int, draft: str, path=None, use_project: bool = False):
    gen = DraftLookalikeGenerator(RetrievalGenerator(ProjectIndexes(), use_project=use_project))
    return gen.generate(Document(text, path).slot(line, col), 5, earlier=[_draft(draft)])


def test_the_documents_line_most_like_the_draft_is_proposed():
    (cand,) = _lookalike(DOC, 9, 4, "if locate:")
    assert cand.text == "if wait:"
    assert cand.source == "draft_lookalike"
    assert cand.origin["like_draft"] == "if locate:" and cand.origin["seen_in"] == "<document>"
    assert math.isclose(cand.scores["cheap"], math.log(cand.origin["ratio"]), abs_tol=1e-3)
    assert cand.origin["ratio"] >= 0.6
    assert "no_repairs" in cand.origin  # proposed as it was seen, never edited (editor/validation.py)


def test_nothing_without_a_draft_or_with_code_typed():
    gen = DraftLookalikeGenerator(RetrievalGenerator(ProjectIndexes(), use_project=False))
    slot = Document(DOC).slot(9, 4)
    assert not gen.generate(slot, 5, earlier=[Candidate(text="if locate:", source="ngram")])
    typed = DOC.replace("    proc = start(cmd)\n    \n", "    proc = start(cmd)\n    if \n")
    assert not _lookalike(typed, 9, 7, "locate:")


def test_the_draft_itself_and_unlike_lines_are_not_proposed():
    assert not _lookalike(DOC, 9, 4, "if wait:")  # the only line beginning with "if" is the draft
    assert not _lookalike(DOC, 9, 4, "if self.check_everything_first(cmd, timeout=3):")  # too unlike
    assert not _lookalike(DOC, 9, 4, "iffy = 1")  # "if wait:" does not begin with the word "iffy"


def test_a_project_line_counts_but_not_the_documents_own_file_on_disk(tmp_path):
    pkg = make_package(tmp_path, "pkg", other="def g(rows):\n    for column in self.columns:\n        pass\n")
    path = pkg / "mod.py"
    text = "def f(self):\n    names = [\n        c.name\n        \n    ]\n"
    path.write_text(text.replace("        \n", "        for column in self.extra\n"))
    (cand,) = _lookalike(text, 3, 8, "for column in self.column_list", path, use_project=True)
    assert cand.text == "for column in self.columns:"  # not the file on disk's "for column in self.extra"
    assert cand.origin["seen_in"] == "other.py"


def test_the_lines_right_above_and_below_are_not_proposed():
    text = "def f(a, b):\n    y = load(a)\n    \n    y = load(b)\n    return y\n\n\ny = load(c)\n"
    (cand,) = _lookalike(text, 2, 4, "y = load(d)")
    assert (
        cand.text == "y = load(c)"
    )  # not "y = load(a)" above nor "y = load(b)" below: they are there already
