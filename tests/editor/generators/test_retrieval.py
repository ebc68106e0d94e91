"""The retrieval generator: lines of the open document and of its project that continue the slot."""

from pathlib import Path

from editor.document import Document
from editor.generators.retrieval import LineIndex, ProjectIndexes, RetrievalGenerator, project_root
from tests.helpers import make_package

DOC = """import json


def load_records(paths):
    records = []
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            records.append(json.loads(fh.read()))
    retu
"""


def _slot(text: str, line: int, col: int, path: Path | None = None):
    return Document(text, path).slot(line, col)


def test_prefix_lookup_completes_a_line_seen_in_the_project(tmp_path):
    pkg = make_package(
        tmp_path, "pkg", other="def f(records):\n    return records\n\n\ndef g(x):\n    return records\n"
    )
    doc_path = pkg / "mod.py"
    doc_path.write_text(DOC.replace("    retu\n", "    return records_on_disk\n"))
    slot = _slot(DOC, 8, 8, doc_path)
    cands = RetrievalGenerator(ProjectIndexes()).generate(slot, 10)
    texts = [c.text for c in cands]
    assert texts[0] == "rn records"
    assert cands[0].origin == {"lookup": "prefix", "count": 2, "seen_in": "other.py"}
    # the document's own file on disk is superseded by the editor's text
    assert "rn records_on_disk" not in texts


def test_the_open_document_counts_more_than_one_project_line(tmp_path):
    text = "x = compute(a)\ny = compute(a)\nz = compute(b)\nw = comp\n"
    cands = RetrievalGenerator(use_project=False).generate(_slot(text, 3, 8), 10)
    assert [c.text for c in cands] == []  # 'w = comp' matches no other line's start
    text = "total = compute(a)\ntotal = compute(a)\ntotal = compute(b)\ntotal = comp\n"
    cands = RetrievalGenerator(use_project=False).generate(_slot(text, 3, 12), 10)
    assert [c.text for c in cands] == ["ute(a)", "ute(b)"]
    assert cands[0].scores["cheap"] > cands[1].scores["cheap"]


def test_at_the_start_of_a_line_it_proposes_what_followed_the_previous_line():
    text = "try:\n    import yaml\nexcept ImportError:\n    yaml = None\n\ntry:\n    import toml\nexcept ImportError:\n    \n"
    cands = RetrievalGenerator(use_project=False).generate(_slot(text, 8, 4), 10)
    assert cands and cands[0].text == "yaml = None"
    assert cands[0].origin["lookup"] == "follows"


def test_the_line_below_the_cursor_is_not_what_follows_the_line_above():
    # a new line opened between two: what follows "a = load()" here is being written, and the line
    # below (after blank lines) is there already; only other places count
    text = "a = load()\nb = keep(a)\n\na = load()\n    \n\nc = done(a)\n"
    cands = RetrievalGenerator(use_project=False).generate(_slot(text, 4, 0), 10)
    assert [c.text for c in cands] == ["b = keep(a)"]
    text = "a = load()\n\n\nc = done(a)\n"
    assert RetrievalGenerator(use_project=False).generate(_slot(text, 1, 0), 10) == []


def test_nothing_when_the_rest_of_the_line_is_already_there():
    text = "value = 1\nvalue = 2\nval = 3\n"
    assert RetrievalGenerator(use_project=False).generate(_slot(text, 2, 3), 10) == []


def test_project_root_is_the_top_package(tmp_path):
    inner = tmp_path / "top" / "sub"
    inner.mkdir(parents=True)
    (tmp_path / "top" / "__init__.py").write_text("")
    (inner / "__init__.py").write_text("")
    assert project_root(inner / "m.py") == tmp_path / "top"


def test_the_project_index_is_rebuilt_when_a_file_changes(tmp_path, monkeypatch):
    from editor.generators import retrieval

    monkeypatch.setattr(retrieval, "RECHECK_S", 0.0)
    (tmp_path / "a.py").write_text("result = first_value\n")
    indexes = ProjectIndexes()
    assert "result = first_value" in indexes.get(tmp_path).index.counts
    (tmp_path / "a.py").write_text("result = second_value_longer\n")
    counts = indexes.get(tmp_path).index.counts
    assert "result = second_value_longer" in counts and "result = first_value" not in counts


def test_line_index_prefix_lookup_is_exact():
    index = LineIndex()
    index.add(["return a", "return ab", "retry()", "raise X"])
    assert index.with_prefix("return a") == ["return a", "return ab"]
    assert index.with_prefix("zzz") == []


def test_at_the_start_of_a_line_it_proposes_what_preceded_the_line_below():
    # the line above is new; the line below was preceded by the same line in another function
    text = "def f(rows):\n    out = list(rows)\n    out.sort()\n    return out\n\n\ndef g(out):\n    first = 1\n    \n    return out\n"
    cands = RetrievalGenerator(use_project=False).generate(_slot(text, 8, 4), 10)
    assert [c.text for c in cands] == ["out.sort()"]
    assert cands[0].origin["lookup"] == "precedes" and "share" not in cands[0].origin


def test_a_line_that_followed_the_line_above_and_preceded_the_line_below_comes_first():
    text = (
        "x = start()\nq = other(x)\nx = start()\nq = other(x)\nx = start()\np = mine(x)\ndone(p)\n"
        "x = start()\n\ndone(p)\n"
    )
    cands = RetrievalGenerator(use_project=False).generate(_slot(text, 8, 0), 10)
    assert [c.text for c in cands] == ["p = mine(x)", "q = other(x)"]  # q followed x = start() twice as often
    mine, other = cands
    assert mine.origin["lookup"] == "follows" and mine.origin["precedes"] == 3  # the document's weight
    assert mine.origin["share"] == round(1 / 3, 4) and other.origin["share"] == round(2 / 3, 4)
    assert mine.scores["cheap"] == 0.0  # a third of the followers, and every line before done(p)


def test_the_lines_above_and_below_are_not_proposed_where_they_are_neighbours_elsewhere():
    # a line inserted between two lines that are adjacent elsewhere: neither is the new line
    text = "a = load()\nb = keep(a)\n\na = load()\nx = other(a)\nb = keep(a)\n\na = load()\n\nb = keep(a)\n"
    cands = RetrievalGenerator(use_project=False).generate(_slot(text, 8, 0), 10)
    assert [c.text for c in cands] == ["x = other(a)"]  # not b = keep(a) (below) nor a = load() (above)


def test_a_typed_prefix_prefers_the_line_that_followed_the_line_above_elsewhere():
    text = (
        "def f():\n    return a\n\n\ndef g():\n    return a\n\n\ndef h():\n    return a\n\n\n"
        "def k(x):\n    x = load(x)\n    result = x\n\n\ndef m(x):\n    x = load(x)\n    re\n"
    )
    cands = RetrievalGenerator(use_project=False).generate(_slot(text, 19, 6), 10)
    # "return a" is three times as common, but "result = x" came after "x = load(x)"
    assert [c.text for c in cands] == ["sult = x", "turn a"]
    assert cands[0].origin["lookup"] == "prefix"
