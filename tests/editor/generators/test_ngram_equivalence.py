"""The optimized n-gram search returns what the original one did (tests/editor/generators/ngram_reference.py).

Slots are cut from stdlib files the small model was not trained on, at the start of a
line's code or at a random point inside it (often leaving a bracket open), and the line
is then typed on a few characters further, so the memoised work is reused across requests.
"""

from __future__ import annotations

import importlib.util
import random
import sysconfig
from pathlib import Path

import pytest

from editor.config import Config
from editor.document import Document
from editor.stages import StageContext, generators

_ref_spec = importlib.util.spec_from_file_location(
    "ngram_reference", Path(__file__).with_name("ngram_reference.py")
)
_reference = importlib.util.module_from_spec(_ref_spec)
_ref_spec.loader.exec_module(_reference)
ReferenceNgramGenerator = _reference.ReferenceNgramGenerator

_spec = importlib.util.spec_from_file_location(
    "ngram_test_fixtures", Path(__file__).resolve().parents[1] / "ngram" / "conftest.py"
)
_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_fixtures)
kenlm_tools = _fixtures.kenlm_tools
small_corpus = _fixtures.small_corpus
small_model = _fixtures.small_model

STDLIB = Path(sysconfig.get_paths()["stdlib"])
HELD_OUT = ["textwrap.py", "shlex.py", "calendar.py", "csv.py", "heapq.py", "ast.py"]


@pytest.fixture(scope="module")
def pair(small_model):
    import editor.generators.ngram  # noqa: F401  (registers "ngram")

    config = Config(ngram_model=str(small_model.path))
    fast = generators.get("ngram")(StageContext(config))
    return fast, ReferenceNgramGenerator(fast.model, config.generators)


def _same(fast, reference, slot, limit=40):
    got = fast.generate(slot, limit)
    want = reference.generate(slot, limit)
    where = (slot.line, slot.col, slot.typed)
    assert [c.text for c in got] == [c.text for c in want], where
    assert [(c.source, c.kind, c.origin) for c in got] == [(c.source, c.kind, c.origin) for c in want], where
    for a, b in zip(got, want):
        assert a.scores.keys() == b.scores.keys()
        assert all(abs(a.scores[k] - b.scores[k]) < 1e-9 for k in a.scores), where
    return len(got)


def _code_rows(lines):
    return [
        i
        for i, line in enumerate(lines)
        if 4 <= len(line.strip()) <= 100 and not line.strip().startswith("#")
    ]


@pytest.mark.parametrize("name", HELD_OUT)
def test_same_candidates_as_the_original_search(pair, name):
    fast, reference = pair
    lines = (STDLIB / name).read_text(encoding="utf-8").split("\n")
    rng = random.Random(name)
    produced = 0
    for row in rng.sample(_code_rows(lines), 4):
        line = lines[row]
        start = len(line) - len(line.lstrip())
        cols = sorted({start, rng.randint(start, len(line.rstrip()) - 1)})
        cols += [min(cols[-1] + 2, len(line)), min(cols[-1] + 3, len(line))]  # typing on
        for col in cols:
            doc = Document("\n".join(lines[:row] + [line[:col]] + lines[row + 1 :]))
            produced += _same(fast, reference, doc.slot(row, col))
    assert produced > 0


def test_same_candidates_on_an_empty_document(pair):
    fast, reference = pair
    for text in ["", "im", "def f(x):\n    return x.", "x = (1,\n"]:
        doc = Document(text)
        row = len(doc.lines) - 1
        _same(fast, reference, doc.slot(row, len(doc.lines[row])))


@pytest.mark.parametrize("name", ["ast.py", "shlex.py", "csv.py"])
def test_same_candidates_with_open_brackets_strings_and_continuations(pair, name):
    """The cursor's line left open (bracket, string, ``\\`` continuation): the document cache
    model comes from the pieces and the fallback table (ast.py's long _Unparser class is cut
    at its methods); the reference tokenizes the plain way."""
    fast, reference = pair
    lines = (STDLIB / name).read_text(encoding="utf-8").split("\n")
    rng = random.Random("open " + name)
    for row in rng.sample(_code_rows(lines), 5):
        line = lines[row]
        start = len(line) - len(line.lstrip())
        col = rng.randint(start, len(line.rstrip()))
        for tail in ["(", "f(a, ", '"""', "'ab", " \\", "["]:
            typed = line[:col] + tail
            doc = Document("\n".join(lines[:row] + [typed] + lines[row + 1 :]))
            _same(fast, reference, doc.slot(row, len(typed)))
