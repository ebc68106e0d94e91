"""The per-column character model: real lmplz, real KenLM queries."""

from __future__ import annotations

import math

from editor.tables import column_lm
from editor.tables.column_lm import column_model, from_tokens, to_tokens

CODES = [f"{p}-{n:03d}" for p in ("RX", "TQ") for n in range(1, 40)]


def test_tokens_round_trip_whitespace():
    value = "a b\tc\nd"
    assert to_tokens(value) == ["a", "▁", "b", "<tab>", "c", "<nl>", "d"]
    assert from_tokens(to_tokens(value)) == value


def test_model_is_cached_by_content(kenlm_cache):
    model, why = column_model(CODES)
    assert why is None and model is not None
    arpa = kenlm_cache / "ngram" / "columns" / f"{model.key}.arpa"
    assert arpa.is_file()
    again, _ = column_model(list(CODES))
    assert again is model  # loaded once per process
    column_lm._LOADED.clear()
    stamp = arpa.stat().st_mtime_ns
    reloaded, _ = column_model(list(CODES))
    assert reloaded.key == model.key and arpa.stat().st_mtime_ns == stamp  # not re-estimated
    other, _ = column_model(CODES + ["ZZ-999"])
    assert other.key != model.key


def test_generate_proposes_observed_and_new_values_of_the_right_shape(kenlm_cache):
    del kenlm_cache
    model, _ = column_model(CODES)
    values = model.generate(100)
    assert len(values) == 100
    scores = [s for _, s in values]
    assert scores == sorted(scores, reverse=True)
    assert all(len(v) == 6 for v, _ in values)  # every observed code has 6 characters
    new = [v for v, _ in values if v not in CODES]
    assert new, "the model proposes values it never saw"
    assert {v for v, _ in values[: len(CODES)]} == set(CODES)  # seen codes outrank new ones
    assert all(v[:3] in ("RX-", "TQ-") for v, _ in values)


def test_probabilities_are_a_distribution_over_values(kenlm_cache):
    del kenlm_cache
    names = ["Maja Lindqvist", "Tomás Ferreira", "Aiko Tanaka", "Jonas Becker"] * 3
    model, _ = column_model(names)
    seen = sum(10 ** model.score(v) for v in set(names))
    proposed = model.generate(30)
    assert 0.05 < seen < 1.0  # Kneser-Ney leaves mass for values never seen
    assert sum(10**s for _, s in proposed) <= 1.0 + 1e-6
    assert {v for v, _ in proposed[:4]} == set(names)  # the seen names come first
    assert model.score("Maja Lindqvist") > model.score("Maja Becker") > model.score("zzzz")
    assert math.isclose(dict(model.generate(10))["Aiko Tanaka"], model.score("Aiko Tanaka"), abs_tol=1e-4)


def test_too_few_values_or_no_tools_say_why(kenlm_cache, monkeypatch):
    del kenlm_cache
    assert column_model(["only", ""]) == (None, "fewer than two values to learn from")
    monkeypatch.setattr(column_lm, "_TOOLS", {"tools": None})
    model, why = column_model(["never", "seen", "before", "values"])
    assert model is None and "lmplz is not built" in why
