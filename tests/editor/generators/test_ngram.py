"""The n-gram generator on a small REAL KenLM model (see tests/editor/ngram/conftest.py)."""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import pytest

from editor.config import Config
from editor.document import Document
from editor.errors import GfvError
from editor.stages import StageContext, generators

_spec = importlib.util.spec_from_file_location(
    "ngram_test_fixtures", Path(__file__).resolve().parents[1] / "ngram" / "conftest.py"
)
_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_fixtures)
kenlm_tools = _fixtures.kenlm_tools
small_corpus = _fixtures.small_corpus
small_model = _fixtures.small_model


@pytest.fixture(scope="module")
def generator(small_model):
    import editor.generators.ngram  # noqa: F401  (registers "ngram")

    config = Config(ngram_model=str(small_model.path))
    return generators.get("ngram")(StageContext(config))


def _suggest(generator, text: str, line: int | None = None, col: int | None = None, limit: int = 12):
    doc = Document(text)
    line = len(doc.lines) - 1 if line is None else line
    slot = doc.slot(line, len(doc.lines[line]) if col is None else col)
    return slot, generator.generate(slot, limit)


def _check_consistent(slot, candidates):
    assert candidates, "expected candidates"
    for cand in candidates:
        assert "<str>" not in cand.text and "<unk>" not in cand.text and "<i" not in cand.text
        assert cand.text.strip() and "\n" not in cand.text
        assert cand.source in ("ngram", "cache") and cand.kind == "line"
        assert cand.scores["ngram"] < 0
        assert 0.0 <= cand.origin["cache_share"] <= 1.0
        assert slot.typed.rstrip() in (slot.typed + cand.text)
    assert [c.origin["beam_rank"] for c in candidates] == list(range(len(candidates)))
    assert len({c.text for c in candidates}) == len(candidates)


def test_import_completion(generator):
    slot, cands = _suggest(generator, "import o\n")
    _check_consistent(slot, cands)
    lines = [slot.typed + c.text for c in cands]
    assert "import os" in lines
    assert all(line.startswith("import o") for line in lines)


def test_for_loop_range(generator):
    slot, cands = _suggest(generator, "def f(n):\n    for i in \n")
    _check_consistent(slot, cands)
    assert any(c.text.startswith("range(") and c.text.endswith(":") for c in cands)


def test_local_identifier_from_cache_model(generator):
    text = "def f(base):\n    session_volume = compute(base)\n    total = sess\n"
    slot, cands = _suggest(generator, text)
    _check_consistent(slot, cands)
    texts = [c.text for c in cands]
    assert "ion_volume" in texts
    assert all(t.startswith("ion_volume") for t in texts)
    alone = next(c for c in cands if c.text == "ion_volume")
    assert alone.source == "cache" and alone.origin["tokens"] == ["session_volume"]


def test_whole_next_line_on_blank_line(generator):
    text = "class Foo:\n    def __init__(self, name):\n        self.name = name\n\n"
    slot, cands = _suggest(generator, text, line=3, col=0)
    _check_consistent(slot, cands)
    assert all(c.text.startswith("        ") and not c.text.startswith("         ") for c in cands)
    slot2, indented = _suggest(generator, text.replace("\n\n", "\n        \n"), line=3)
    assert indented and all(not c.text.startswith(" ") for c in indented)


def test_typed_trailing_space_and_partial_attribute(generator):
    slot, cands = _suggest(generator, "class A:\n    def f(self):\n        self._lo\n")
    _check_consistent(slot, cands)
    assert all(c.text[:1] not in (" ", ".") for c in cands)
    slot, cands = _suggest(generator, "x = \n")
    _check_consistent(slot, cands)
    assert all(not c.text.startswith(" ") for c in cands)


def test_speed(generator):
    text = "import os\n\n\nclass Foo:\n    def run(self, path):\n        result = "
    doc = Document(text + "\n")
    slot = doc.slot(5, len(doc.lines[5]))
    generator.generate(slot, 10)
    started = time.perf_counter()
    generator.generate(slot, 10)
    assert time.perf_counter() - started < 0.5


def test_missing_model_error(tmp_path, monkeypatch):
    import editor.generators.ngram  # noqa: F401

    monkeypatch.setenv("GFV_CACHE_DIR", str(tmp_path))
    with pytest.raises(GfvError, match="gfv train"):
        generators.get("ngram")(StageContext(Config()))
    with pytest.raises(GfvError, match="gfv train"):
        generators.get("ngram")(StageContext(Config(ngram_model=str(tmp_path / "nope"))))


def test_cache_model_is_reused_while_typing_on_one_line(generator):
    base = "def f(base):\n    session_volume = compute(base)\n    total = {}\n"
    slot_a, _ = _suggest(generator, base.format("se"))
    model = generator.cache_model(slot_a)
    slot_b, cands = _suggest(generator, base.format("ses"))
    assert generator.cache_model(slot_b) is model  # only the cursor's line changed
    assert "sion_volume" in [c.text for c in cands]
    slot_c, _ = _suggest(generator, base.replace("session_volume", "session_count").format("ses"))
    rebuilt = generator.cache_model(slot_c)
    assert rebuilt is not model
    assert rebuilt.counts[()]["session_count"] == 1 and "session_volume" not in rebuilt.counts[()]
