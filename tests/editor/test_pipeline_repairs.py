"""Repairs in the pipeline (Pipeline._repair): fake generators and validators, and the real syntax validator."""

# pylint: disable=missing-function-docstring,missing-class-docstring

from __future__ import annotations

import json

from editor.candidates import Candidate, Verdict
from editor.config import Config
from editor.document import Document
from editor.pipeline import Pipeline
from editor.validation import REPAIR_PENALTY
from editor.stages import generators, validators


class HeaderGen:
    """Proposes the case from the field: a ``for`` header over a partly typed call, without its ':'."""

    name = "rep-header"
    texts = (("dir(path))", -1.0), ("dir(path)", -1.5), ("dir(path)) +", -4.0))

    def __init__(self, ctx):
        del ctx

    def generate(self, slot, limit):
        del slot, limit
        return [Candidate(t, "ngram", scores={"ngram": s}, origin={"tokens": [t]}) for t, s in self.texts]


class Recorder:
    """A cheap validator that passes everything and remembers what it saw."""

    name = "rep-recorder"
    cost = "cheap"
    seen: list = []

    def __init__(self, ctx):
        del ctx

    def validate(self, slot, cands):
        del slot
        Recorder.seen.extend(c.text for c in cands)
        return [[Verdict(self.name, True, "REC0", "seen")] for c in cands]


class WordGen:
    name = "rep-words"
    texts = (("bad one", -1.0), ("good one", -3.0), ("bad two", -2.0), ("worse", -0.5))

    def __init__(self, ctx):
        del ctx

    def generate(self, slot, limit):
        del slot, limit
        return [Candidate(t, "fake", scores={"ngram": s, "cheap": s}) for t, s in self.texts]


class BadToGood:
    """Rejects "bad"; offers "good" instead.  Rejects "worse" and offers "worse still" (also bad)."""

    name = "rep-badgood"
    cost = "cheap"
    calls: list = []

    def __init__(self, ctx):
        del ctx

    def validate(self, slot, cands):
        del slot
        BadToGood.calls.append([c.text for c in cands])
        out = []
        for c in cands:
            if "bad" in c.text:
                fix = c.text.replace("bad", "good")
                out.append([Verdict(self.name, False, "BG1", "bad", repairs=[(fix, "bad -> good")])])
            elif "worse" in c.text:
                out.append(
                    [Verdict(self.name, False, "BG2", "worse", repairs=[(c.text + " still", "worse")])]
                )
            else:
                out.append([Verdict(self.name, True, "BG0", "fine")])
        return out


class RejectGoodTwo:
    name = "rep-nogoodtwo"
    cost = "cheap"

    def __init__(self, ctx):
        del ctx

    def validate(self, slot, cands):
        del slot
        return [[Verdict(self.name, c.text != "good two", "NG", "")] for c in cands]


for reg, name, obj in (
    (generators, "rep-header", HeaderGen),
    (generators, "rep-words", WordGen),
    (validators, "rep-recorder", Recorder),
    (validators, "rep-badgood", BadToGood),
    (validators, "rep-nogoodtwo", RejectGoodTwo),
):
    if name not in reg:
        reg.register(name)(obj)


def _pipeline(gen: str, pre: list[str]) -> Pipeline:
    config = Config()
    config.generators.enabled = [gen]
    config.validators.pre_rank = pre
    config.validators.post_rank = []
    config.k = 5
    return Pipeline(config, model_path=None)  # n-gram ranking


FIELD_DOC = "import os\n\npath = '.'\nfor name in sorted(os.list\n"


def test_a_header_missing_its_colon_is_repaired_validated_and_shown():
    Recorder.seen.clear()
    slot = Document(FIELD_DOC).slot(3, len("for name in sorted(os.list"))
    result = _pipeline("rep-header", ["syntax", "rep-recorder"]).suggest(slot)
    assert [c.text for c in result.candidates] == ["dir(path)):"]
    (shown,) = result.candidates
    assert shown.origin["repaired_from"] == "dir(path))"  # both repair to it: the better-scored one is kept
    assert shown.origin["repair"] == "added the missing ':'"
    assert shown.origin["repaired_by"] == "syntax"
    assert shown.origin["tokens"] == ["dir(path))"]  # the original's trace is kept
    assert shown.source == "ngram"
    assert shown.scores["ngram"] == -1.0 - REPAIR_PENALTY
    assert [v.validator for v in shown.verdicts] == ["syntax", "rep-recorder"]  # every pre-rank validator
    assert all(v.ok for v in shown.verdicts)
    assert Recorder.seen == ["dir(path)):"]  # only the repaired text got past syntax
    # The originals stay rejected, with the repair offered in their verdict.
    rejected = {c.text: c for c in result.rejected}
    assert set(rejected) == {"dir(path))", "dir(path)", "dir(path)) +"}
    assert rejected["dir(path)"].failures[0].repairs == [
        ("dir(path)):", "closed '(' with ')'; added the missing ':'")
    ]
    assert rejected["dir(path)) +"].failures[0].repairs == []  # "...) +:" would not parse: nothing offered
    trace = json.loads(json.dumps(result.to_json()))
    assert trace["candidates"][0]["origin"]["repaired_from"] == "dir(path))"
    assert trace["rejected"][0]["verdicts"][0]["repairs"][0]["text"] == "dir(path)):"


def test_without_repairs_the_field_case_has_no_valid_candidate(monkeypatch):
    monkeypatch.setattr(Pipeline, "_repair", lambda self, slot, cands, timings: None)
    slot = Document(FIELD_DOC).slot(3, len("for name in sorted(os.list"))
    result = _pipeline("rep-header", ["syntax"]).suggest(slot)
    assert result.candidates == []


def test_repairs_are_validated_by_every_pre_rank_validator_from_the_first():
    BadToGood.calls.clear()
    result = _pipeline("rep-words", ["rep-badgood", "rep-nogoodtwo"]).suggest(Document("x\n").slot(0, 1))
    texts = [c.text for c in result.candidates]
    assert texts == ["good one"]  # "good two" (a repair) failed the second validator
    (good,) = [c for c in result.rejected if c.text == "good two"]
    assert good.origin == {"repaired_from": "bad two", "repair": "bad -> good", "repaired_by": "rep-badgood"}
    assert [v.code for v in good.verdicts] == ["BG0", "NG"]
    # Second round: the repaired texts only, from the first validator on.
    assert sorted(BadToGood.calls[1]) == ["good two", "worse still"]
    assert "good one" not in BadToGood.calls[1]  # already a candidate: not added (nor validated) twice
    assert len(BadToGood.calls) == 2  # one round: "worse still" fails and offers a repair, not applied
    (still,) = [c for c in result.rejected if c.text == "worse still"]
    assert not still.ok and still.failures[0].repairs
    assert not any(c.text == "worse still still" for c in result.rejected + result.candidates)
    assert set(result.timings_ms) >= {"validate.rep-badgood", "repair.validate.rep-badgood"}


def test_repaired_candidate_scores_carry_the_penalty_and_keep_cheap_order():
    result = _pipeline("rep-words", ["rep-badgood"]).suggest(Document("x\n").slot(0, 1))
    good_two = next(c for c in result.candidates if c.text == "good two")
    assert good_two.scores["cheap"] == -2.0 - REPAIR_PENALTY and good_two.scores["ngram"] == -3.0
    # "bad one" repairs to "good one", which was generated: it is kept once, as generated.
    assert [c.text for c in result.candidates].count("good one") == 1
    generated = next(c for c in result.candidates if c.text == "good one")
    assert "repaired_from" not in generated.origin
