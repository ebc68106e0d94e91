"""The document cache model proposes and scores the document's own identifiers."""

from __future__ import annotations

from editor.document import Document
from editor.ngram.cache_model import CacheModel

DOC = """import os

session_volume = compute_volume(base)
other = 2
total = sess
"""


def test_local_identifier_is_proposed_after_its_context():
    cache = CacheModel.from_document(Document(DOC), exclude_row=5)
    assert [tok for tok, _ in cache.with_prefix("sess")] == ["session_volume"]
    after_assign = [tok for tok, _ in cache.successors(["<s>", "<i0>", "session_volume"])]
    assert after_assign[0] == "="
    assert cache.prob("compute_volume", ["session_volume", "="]) > cache.prob("os", ["session_volume", "="])


def test_current_line_is_excluded():
    cache = CacheModel.from_document(Document(DOC), exclude_row=5)
    assert "total" not in dict(cache.with_prefix("t"))
    assert "total" in dict(CacheModel.from_document(Document(DOC)).with_prefix("t"))


def test_probabilities_back_off_and_are_positive():
    cache = CacheModel([["<i0>", "a", "=", "b"], ["<i0>", "a", "=", "c"]])
    p_b = cache.prob("b", ["<i0>", "a", "="])
    assert abs(p_b - cache.prob("c", ["<i0>", "a", "="])) < 1e-12
    assert p_b > cache.prob("a", ["<i0>", "a", "="]) > 0
    assert cache.prob("never_seen", ["x"]) > 0
    total = sum(cache.prob(t, ["a", "="]) for t in ["<i0>", "a", "=", "b", "c", "</s>"])
    assert 0.99 < total < 1.01


def test_empty_document():
    cache = CacheModel.from_document(Document(""))
    assert cache.empty and cache.successors(["<s>"]) == [] and cache.prob("x", []) == 0.0


def test_window_bounds_long_documents():
    lines = [f"far_name_{i} = {i}" for i in range(50)] + ["near_name = 1", "x = near"] + ["tail_name = 2"]
    doc = Document("\n".join(lines) + "\n")
    cache = CacheModel.from_document(doc, exclude_row=52, window=(5, 1))
    names = dict(cache.with_prefix(""))
    assert "near_name" in names and "tail_name" in names
    assert "far_name_0" not in names and "far_name_47" in names
    assert "x" not in names  # the cursor's own line is left out
