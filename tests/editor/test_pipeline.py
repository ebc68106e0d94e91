"""The pipeline's ordering and filtering logic, with fake stages (unit level)."""

from editor.candidates import Candidate, Verdict
from editor.config import Config
from editor.document import Document
from editor.generators.draft_lookalike import DraftLookalikeGenerator
from editor.generators.retrieval import ProjectIndexes, RetrievalGenerator
from editor.pipeline import Pipeline
from editor.stages import generators, rankers, validators


class FakeGen:
    name = "fakegen"

    def __init__(self, ctx):
        del ctx

    def generate(self, slot, limit):
        del slot, limit
        return [
            Candidate(t, "fake", scores={"ngram": s})
            for t, s in (("a", -1.0), ("bad", -0.5), ("b", -2.0), ("c", -3.0))
        ]


class RejectBad:
    name = "nobad"
    cost = "cheap"

    def __init__(self, ctx):
        del ctx

    def validate(self, slot, cands):
        return [[Verdict("nobad", c.text != "bad", "NB1" if c.text == "bad" else "NB0", "")] for c in cands]


class PostRejectC:
    name = "noc"
    cost = "expensive"
    seen: list = []

    def __init__(self, ctx):
        del ctx

    def validate(self, slot, cands):
        PostRejectC.seen.append([c.text for c in cands])
        return [[Verdict("noc", c.text != "c", "NC", "")] for c in cands]


class PreferB:
    name = "llm"  # stands in for the LLM: prefers "b"

    def __init__(self, ctx):
        del ctx

    def score(self, slot, cands):
        return [0.0 if c.text == "b" else -5.0 for c in cands]


for reg, name, obj in ((generators, "fakegen", FakeGen), (validators, "nobad", RejectBad),
                       (validators, "noc", PostRejectC), (rankers, "fake-llm", PreferB)):  # fmt: skip
    if name not in reg:
        reg.register(name)(obj)


def _pipeline(k=5, post_top=2):
    config = Config()
    config.generators.enabled = ["fakegen"]
    config.validators.pre_rank = ["nobad"]
    config.validators.post_rank = ["noc"]
    config.validators.post_rank_top = post_top
    config.ranker.name = "fake-llm"
    config.ranker.skip_margin = 0.0
    config.k = k
    pipe = Pipeline(config, model_path=None)
    pipe.ranker = PreferB(None)  # a model path is needed to pick the LLM ranker; inject it
    return pipe


def test_invalid_candidates_are_never_shown_and_llm_reorders():
    PostRejectC.seen.clear()
    result = _pipeline().suggest(Document("x\n").slot(0, 1))
    texts = [c.text for c in result.candidates]
    assert texts[0] == "b"  # the ranker overrode the cheap order
    assert "bad" not in texts and "c" not in texts
    assert {c.text for c in result.rejected} == {"bad", "c"}
    assert all(c.ok for c in result.candidates)
    assert PostRejectC.seen[0] == ["b", "a"]  # expensive validator: top few first


def test_final_score_blends_llm_and_ngram():
    result = _pipeline().suggest(Document("x\n").slot(0, 1))
    top = result.candidates[0]
    assert top.scores["final"] == round(0.85 * 0.0 + 0.15 * -2.0, 4)
    assert set(result.timings_ms) >= {"generate.fakegen", "validate.nobad", "total"}


def test_without_model_a_note_says_llm_is_off():
    config = Config()
    config.generators.enabled = ["fakegen"]
    config.validators.pre_rank, config.validators.post_rank = [], []
    pipe = Pipeline(config, model_path=None)
    result = pipe.suggest(Document("x\n").slot(0, 1))
    assert pipe.ranker.name == "ngram"
    assert [c.text for c in result.candidates][:2] == ["bad", "a"]
    assert any("LLM ranker is off" in n for n in result.notes)


class OnlyOne(FakeGen):
    def generate(self, slot, limit):
        del slot, limit
        return [Candidate("solo", "fake", scores={"ngram": -1.0})]


if "only-one" not in generators:
    generators.register("only-one")(OnlyOne)


def test_llm_is_skipped_when_there_is_nothing_to_rank():
    pipe = _pipeline()
    pipe.generators = [OnlyOne(None)]
    calls = []
    pipe.ranker.score = lambda slot, cands: calls.append(cands) or [0.0] * len(cands)
    result = pipe.suggest(Document("x\n").slot(0, 1))
    assert calls == [] and [c.text for c in result.candidates] == ["solo"]
    assert "nothing to rank" in result.candidates[0].origin["llm_skipped"]
    assert "llm" not in result.candidates[0].scores


def test_llm_is_skipped_when_the_cheap_stage_is_confident():
    pipe = _pipeline()
    pipe.config.ranker.skip_margin = 0.5  # cheap scores: a=-1.0 leads b=-2.0 by 1.0
    calls = []
    pipe.ranker.score = lambda slot, cands: calls.append(cands) or [0.0] * len(cands)
    result = pipe.suggest(Document("x\n").slot(0, 1))
    assert calls == [] and result.candidates[0].text == "a"
    pipe.config.ranker.skip_margin = 2.0
    pipe.suggest(Document("x\n").slot(0, 1))
    assert len(calls) == 1


def test_the_only_valid_candidate_on_a_typed_line_is_shown_without_the_llm():
    pipe = _pipeline()
    pipe.config.ranker.skip_margin = 1.0
    pipe.generators = [OnlyOne(None)]
    draft = FakeDraft()
    pipe.late_generators = [draft]
    result = pipe.suggest(Document("x\n").slot(0, 1))
    assert draft.calls == [] and [c.text for c in result.candidates] == ["solo"]
    assert "only valid candidate" in result.candidates[0].origin["llm_skipped"]


def test_the_cheap_stage_is_never_trusted_at_the_start_of_a_line():
    pipe = _pipeline()
    pipe.config.ranker.skip_margin = 0.5  # a=-1.0 leads b=-2.0 by 1.0: enough mid-line
    pipe.config.ranker.start_pool = 8
    calls = []
    pipe.ranker.score = lambda slot, cands: calls.append(cands) or [0.0] * len(cands)
    pipe.suggest(Document("x = 1\n    \n").slot(1, 4))  # only indentation typed
    assert len(calls) == 1
    pipe.suggest(Document("x\n").slot(0, 1))
    assert len(calls) == 1  # mid-line: skipped


def test_at_the_start_of_a_line_the_draft_comes_first_unranked_by_default():
    pipe = _pipeline()
    pipe.config.ranker = Config().ranker  # the defaults
    pipe.config.ranker.name = "fake-llm"
    draft = FakeDraft()
    pipe.late_generators = [draft]
    calls = []
    pipe.ranker.score = lambda slot, cands: calls.append(cands) or [0.0] * len(cands)
    result = pipe.suggest(Document("x = 1\n    \n").slot(1, 4))
    assert draft.calls and calls == []
    assert [c.text for c in result.candidates][:3] == ["drafted", "a", "b"]
    pipe.config.ranker.start_pool = 8
    pipe.suggest(Document("x = 1\n    \n").slot(1, 4))
    assert len(calls) == 1


class FakeDraft:
    """A late generator standing in for the LLM's draft; records what it was shown."""

    name = "fakedraft"
    late = True

    def __init__(self, text="drafted", source="llm_draft", kind="line"):
        self.text, self.source, self.kind, self.calls = text, source, kind, []

    def generate(self, slot, limit, earlier=()):
        del slot, limit
        self.calls.append([c.text for c in earlier])
        return [Candidate(self.text, self.source, self.kind)]


def test_the_late_draft_is_validated_ranked_and_sees_the_valid_cheap_candidates():
    pipe = _pipeline()
    draft = FakeDraft()
    pipe.late_generators = [draft]
    pipe.ranker.score = lambda slot, cands: [0.0 if c.text == "drafted" else -5.0 for c in cands]
    result = pipe.suggest(Document("x\n").slot(0, 1))
    assert draft.calls == [["a", "b", "c"]]  # "bad" was rejected before the draft was asked
    top = result.candidates[0]
    assert top.text == "drafted" and top.source == "llm_draft"
    assert [v.code for v in top.verdicts] == ["NB0", "NC"]  # every validator judged it
    assert top.scores["final"] == round(0.85 * 0.0 + 0.15 * ((-1.0 - 2.0 - 3.0) / 3), 4)


def test_an_invalid_draft_is_rejected_not_shown():
    pipe = _pipeline()
    pipe.late_generators = [FakeDraft("bad")]
    result = pipe.suggest(Document("x\n").slot(0, 1))
    assert "bad" not in [c.text for c in result.candidates]
    assert any(c.text == "bad" and c.source == "llm_draft" for c in result.rejected)


def test_drafts_are_told_before_ranking_and_their_pending_copies_are_independent():
    pipe = _pipeline()
    pipe.late_generators = [FakeDraft(), FakeDraft("bad")]
    told = []

    def on_draft(drafts):
        told.append([(c.text, [v.code for v in c.verdicts], "final" in c.scores) for c in drafts])
        (copy,) = pipe.pending_copies(drafts)
        assert copy is not drafts[0] and copy.origin["pending"] == ["noc"] and copy.ok
        copy.verdicts.append(Verdict("noc", False, "NC", "x"))  # the check thread's verdict on the copy
        assert drafts[0].ok and "pending" not in drafts[0].origin

    result = pipe.suggest(Document("x\n").slot(0, 1), on_draft=on_draft)
    assert told == [[("drafted", ["NB0"], False)]]  # pre-rank validated, the invalid one left out, not ranked
    assert "drafted" in [c.text for c in result.candidates]
    assert pipe.late_generators[0].calls == [[]]  # made first, before the cheap candidates were validated
    assert [c.text for c in result.rejected if c.source == "llm_draft"] == ["bad"]


def test_no_draft_when_the_cheap_stage_is_confident():
    pipe = _pipeline()
    draft = FakeDraft()
    pipe.late_generators = [draft]
    pipe.config.ranker.skip_margin = 0.5
    result = pipe.suggest(Document("x\n").slot(0, 1))
    assert draft.calls == [] and "drafted" not in [c.text for c in result.candidates]


def test_a_draft_made_early_leads_when_the_cheap_stage_is_confident():
    pipe = _pipeline()
    pipe.late_generators = [FakeDraft()]
    pipe.config.ranker.skip_margin = 0.5  # the cheap stage is sure of "a": no ranking
    calls = []
    pipe.ranker.score = lambda slot, cands: calls.append(cands) or [0.0] * len(cands)
    result = pipe.suggest(Document("x\n").slot(0, 1), on_draft=lambda drafts: None)
    assert calls == [] and [c.text for c in result.candidates][:2] == ["drafted", "a"]
    assert "cheap stage confident" in result.candidates[0].origin["llm_skipped"]
    plain = pipe.suggest(Document("x\n").slot(0, 1))  # no early draft: the cheap order, no draft
    assert "drafted" not in [c.text for c in plain.candidates] and plain.candidates[0].text == "a"


def test_recall_sees_valid_candidates_that_were_not_shown():
    result = _pipeline(k=1, post_top=3).suggest(Document("x\n").slot(0, 1))
    assert [c.text for c in result.candidates] == ["b"]
    assert set(result.valid_texts) == {"a", "b"}  # "c" failed post-rank
    result = _pipeline(k=1, post_top=1).suggest(Document("x\n").slot(0, 1))
    assert set(result.valid_texts) == {"a", "b", "c"}  # not yet judged by the expensive validator


class PostCannotJudgeA:
    """A post-rank validator that cannot analyse the document for "a" (say pylint's PYL998)."""

    name = "cannotjudge"
    cost = "expensive"

    def __init__(self, ctx):
        del ctx

    def validate(self, slot, cands):
        return [
            (
                [Verdict.not_checked("cannotjudge", "CJ998", "not checked: cannot parse")]
                if c.text == "a"
                else [Verdict("cannotjudge", True, "CJ000", "")]
            )
            for c in cands
        ]


def test_a_candidate_with_a_not_checked_verdict_is_rejected_not_shown():
    pipe = _pipeline()
    pipe.post = [PostCannotJudgeA(None)]
    result = pipe.suggest(Document("x\n").slot(0, 1))
    assert "a" not in [c.text for c in result.candidates] and result.candidates
    (rejected,) = [c for c in result.rejected if c.text == "a"]
    (verdict,) = rejected.failures
    assert not verdict.ok and not verdict.checked and verdict.code == "CJ998"
    assert rejected.to_json()["verdicts"][-1]["not_checked"] is True
    assert "a" not in [c["text"] for c in result.to_json()["candidates"]]


class SureDraft(FakeDraft):
    def __init__(self, text="drafted", min_p=0.9):
        super().__init__(text)
        self.min_p = min_p

    def generate(self, slot, limit, earlier=()):
        (cand,) = super().generate(slot, limit, earlier)
        cand.origin["draft_min_p"] = self.min_p
        cand.scores["cheap"] = -0.3
        return [cand]


def test_a_confident_draft_is_shown_first_without_ranking():
    pipe = _pipeline()
    pipe.late_generators = [SureDraft()]
    calls = []
    pipe.ranker.score = lambda slot, cands: calls.append(cands) or [0.0] * len(cands)
    result = pipe.suggest(Document("x\n").slot(0, 1))
    assert calls == []
    assert [c.text for c in result.candidates][:2] == ["drafted", "a"]
    assert "draft is confident" in result.candidates[0].origin["llm_skipped"]
    pipe.late_generators = [SureDraft(min_p=0.2)]  # not sure: the ranker decides
    result = pipe.suggest(Document("x\n").slot(0, 1))
    assert len(calls) == 1 and all("llm" in c.scores for c in result.candidates)


def test_a_draft_equal_to_a_cheap_candidate_marks_it_as_drafted():
    pipe = _pipeline()
    pipe.late_generators = [SureDraft("c")]
    pipe.config.validators.post_rank = []
    pipe.post = []
    result = pipe.suggest(Document("x\n").slot(0, 1))
    top = result.candidates[0]
    assert top.text == "c" and top.source == "fake" and "llm_draft" in top.origin["also_from"]
    assert top.origin["draft_min_p"] == 0.9


class Rewrites:
    """Offers "x2" for "x"; judges "x2" by ``second``: stable (ok) or not."""

    name = "rewrites"
    cost = "cheap"

    def __init__(self, second_ok):
        self.second_ok = second_ok

    def validate(self, slot, cands):
        out = []
        for c in cands:
            if c.text == "a":
                out.append([Verdict("rewrites", True, "RW1", "", replacement="a2")])
            else:
                out.append([Verdict("rewrites", c.text != "a2" or self.second_ok, "RW0", "")])
        return out


def test_a_rewritten_candidate_must_pass_the_validator_that_rewrote_it():
    for second_ok in (True, False):
        pipe = _pipeline()
        pipe.pre = [Rewrites(second_ok)]
        result = pipe.suggest(Document("x\n").slot(0, 1))
        shown = {c.text: c for c in result.candidates}
        if second_ok:
            assert [v.code for v in shown["a2"].verdicts][:2] == ["RW1", "RW0"]
        else:
            assert "a2" not in shown
            (bad,) = [c for c in result.rejected if c.text == "a2"]
            assert bad.failures[0].code == "GFV010" and not bad.failures[0].checked


class LinesAndBodies:
    name = "linesandbodies"

    def __init__(self, ctx):
        del ctx

    def generate(self, slot, limit):
        del slot, limit
        return [
            Candidate("    return 1", "fake", scores={"ngram": -0.5}),
            Candidate("    x = 1\n    return x", "fake", "block", scores={"ngram": -3.0}),
            Candidate("    y = 2\n    return y", "fake", "block", scores={"ngram": -2.0}),
        ]


if "linesandbodies" not in generators:
    generators.register("linesandbodies")(LinesAndBodies)


def test_a_block_slot_ranks_its_bodies_and_lines_follow_unranked():
    pipe = _pipeline()
    pipe.generators = [LinesAndBodies(None)]
    pipe.pre, pipe.post = [], []
    calls = []

    def prefer_the_line_then_x(slot, cands):
        calls.append([c.text for c in cands])
        return [0.0 if "\n" not in c.text else (-1.0 if "x" in c.text else -4.0) for c in cands]

    pipe.ranker.score = prefer_the_line_then_x
    block_slot = Document("def f():\n\n").slot(1, 0)
    result = pipe.suggest(block_slot)
    assert [c.text.split("\n")[0] for c in result.candidates] == ["    x = 1", "    y = 2", "    return 1"]
    assert calls == [["    y = 2\n    return y", "    x = 1\n    return x"]]  # the line was not scored
    assert "bodies are ranked" in result.candidates[2].origin["llm_skipped"]
    # in a line slot it is the other way round: the line is what is asked for, the multi-line
    # candidates follow it unranked (one line alone: nothing to rank, no LLM call)
    calls.clear()
    result = pipe.suggest(Document("x = 0\n\n").slot(1, 0))
    assert result.candidates[0].text == "    return 1" and calls == []
    assert all("several lines" in c.origin["llm_skipped"] for c in result.candidates[1:])


def test_a_block_pool_of_one_shows_the_block_draft_first_and_the_bodies_unranked():
    pipe = _pipeline()
    pipe.generators = [LinesAndBodies(None)]
    pipe.pre, pipe.post = [], []
    draft = FakeDraft("    z = 3\n    return z", "llm_block_draft", "block")
    pipe.late_generators = [draft]
    calls = []
    pipe.ranker.score = lambda slot, cands: calls.append(cands) or [0.0] * len(cands)
    block_slot = Document("def f():\n\n").slot(1, 0)
    pipe.config.ranker.block_pool = 1
    result = pipe.suggest(block_slot)
    firsts = [c.text.split("\n")[0] for c in result.candidates]
    assert calls == [] and firsts == ["    z = 3", "    y = 2", "    x = 1", "    return 1"]
    assert "nothing to rank" in result.candidates[1].origin["llm_skipped"]
    pipe.config.ranker.block_pool = 8  # the bodies and the draft ranked together
    pipe.suggest(block_slot)
    assert len(calls) == 1 and len(calls[0]) == 3


def test_a_block_draft_of_one_line_comes_first_and_the_bodies_are_not_ranked():
    pipe = _pipeline()
    pipe.generators = [LinesAndBodies(None)]
    pipe.pre, pipe.post = [], []
    pipe.late_generators = [FakeDraft("    z = 3", "llm_block_draft", "line")]
    calls = []
    pipe.ranker.score = lambda slot, cands: calls.append(cands) or [0.0] * len(cands)
    result = pipe.suggest(Document("def f():\n\n").slot(1, 0))
    firsts = [c.text.split("\n")[0] for c in result.candidates]
    assert calls == [] and firsts == ["    z = 3", "    y = 2", "    x = 1", "    return 1"]
    assert all("body is this one line" in c.origin["llm_skipped"] for c in result.candidates)
    # a line slot is not concerned: a line from the block draft there is ranked as before
    calls.clear()
    pipe.config.ranker.start_pool = 8
    pipe.suggest(Document("x = 0\n\n").slot(1, 0))
    assert len(calls) == 1


def test_in_a_block_slot_the_models_line_draft_leads_the_lines_that_follow_the_bodies():
    pipe = _pipeline()
    pipe.generators = [LinesAndBodies(None)]
    pipe.pre, pipe.post = [], []
    pipe.late_generators = [FakeDraft("    q = 9", "llm_draft", "line")]
    pipe.ranker.score = lambda slot, cands: [0.0] * len(cands)
    result = pipe.suggest(Document("def f():\n\n").slot(1, 0))
    lines = [c.text for c in result.candidates if "\n" not in c.text]
    assert lines == ["    q = 9", "    return 1"]  # the draft, though the cheap line's score is higher


class ManyLines:
    """More cheap lines than the slot shows, scored above the drafts, and one body."""

    name = "manylines"

    def generate(self, slot, limit):
        del slot, limit
        lines = [Candidate(f"    v{i} = {i}", "fake", scores={"ngram": -0.1 * i}) for i in range(8)]
        return [*lines, Candidate("    w = 1\n    return w", "fake", "block", scores={"ngram": -3.0})]


def test_without_ranking_the_other_kind_follows_the_asked_kind_with_the_models_line_first():
    pipe = _pipeline()
    pipe.generators = [ManyLines()]
    pipe.pre, pipe.post = [], []
    pipe.late_generators = [FakeDraft("    q = 9", "llm_draft", "line")]
    pipe.ranker.score = lambda slot, cands: [0.0] * len(cands)
    # a block slot with one body: nothing to rank, so every valid line joins the list; the
    # body still comes first, then the model's line, then the cheap lines
    result = pipe.suggest(Document("def f():\n\n").slot(1, 0))
    assert "nothing to rank" in result.candidates[0].origin["llm_skipped"]
    assert [c.text for c in result.candidates[:3]] == ["    w = 1\n    return w", "    q = 9", "    v0 = 0"]
    # a line slot, the LLM skipped by the cascade: the body follows every line
    pipe.late_generators = []
    pipe.config.ranker.skip_margin = 0.05
    texts = [c.text for c in pipe.suggest(Document("x = 0\n\n").slot(1, 0), k=20).candidates]
    assert texts[-1] == "    w = 1\n    return w" and len(texts) == 9


class PostRule:
    """An expensive validator passing the candidates ``ok(candidate)`` accepts."""

    cost = "expensive"

    def __init__(self, name, ok):
        self.name, self.ok = name, ok

    def validate(self, slot, cands):
        return [[Verdict(self.name, self.ok(c), "PR", "")] for c in cands]


def test_post_rows_checks_the_top_rows_only_and_returns_the_next_ones_pending():
    PostRejectC.seen.clear()
    result = _pipeline(k=3).suggest(Document("x\n").slot(0, 1), post_rows=1)
    assert PostRejectC.seen == [["b"]]  # one row passed: no more pylint before the answer
    assert [c.text for c in result.candidates] == ["b", "a", "c"]  # the ranked order, the rest unchecked
    assert [c.origin.get("pending") for c in result.candidates] == [None, ["noc"], ["noc"]]
    assert not result.candidates[0].origin.get("pending") and result.candidates[0].ok
    assert _pipeline().post_check(Document("x\n").slot(0, 1), result.candidates[1:]) == [
        result.candidates[1]
    ]  # the caller's check refuses what the validator refuses ("c")
    PostRejectC.seen.clear()
    pipe = _pipeline(k=3)
    pipe.post = [PostRule("noranked", lambda c: c.text != "b")]  # the top row fails: the next is checked
    result = pipe.suggest(Document("x\n").slot(0, 1), post_rows=1)
    assert [c.text for c in result.candidates] == ["a", "c"]
    assert [c.origin.get("pending") for c in result.candidates] == [None, ["noranked"]]
    assert [c.text for c in result.rejected if c.text == "b"] == ["b"]


def test_when_every_ranked_candidate_fails_the_unranked_valid_ones_are_checked_and_shown():
    pipe = _pipeline(k=2)
    pipe.config.ranker.pool = 2
    pipe.post = [PostRule("noranked", lambda c: "llm" not in c.scores)]  # every ranked one fails
    result = pipe.suggest(Document("x\n").slot(0, 1))
    assert [c.text for c in result.candidates] == ["c"]  # a and b were ranked and failed
    assert "every ranked candidate failed" in result.candidates[0].origin["llm_skipped"]
    assert result.work["ranked"] == 2 and result.work["unranked_valid"] == 0
    pipe.post = [PostRejectC(None)]  # a ranked one passes: the unranked stay unchecked
    result = pipe.suggest(Document("x\n").slot(0, 1))
    assert [c.text for c in result.candidates] == ["b", "a"] and result.work["unranked_valid"] == 1


def test_the_fallback_checks_every_unranked_candidate_it_adds_whatever_the_step():
    for post_top in (1, 2, 3, 5):  # steps that divide the ranked pool (2) and steps that overshoot it
        pipe = _pipeline(k=2, post_top=post_top)
        pipe.config.ranker.pool = 2
        pipe.post = [PostRule("noall", lambda c: False)]
        result = pipe.suggest(Document("x\n").slot(0, 1))
        assert result.candidates == []  # nothing passed: nothing shown, never an unchecked one
        checked = [c.text for c in result.rejected if any(v.validator == "noall" for v in c.verdicts)]
        assert sorted(checked) == ["a", "b", "c"], post_top


class SureFollower(FakeGen):
    """Cheap candidates at the start of a line, one of them a line that nearly always followed the line above."""

    def generate(self, slot, limit):
        del slot, limit
        origin = {"lookup": "follows", "count": 20, "share": 0.87}
        return [
            Candidate("a", "fake", scores={"ngram": -0.1}),
            Candidate("self,", "retrieval", scores={"cheap": -0.14}, origin=origin),
        ]


def test_a_sure_follower_at_the_start_of_a_line_is_shown_first_without_the_llm():
    pipe = _pipeline()
    pipe.config.ranker = Config().ranker  # the defaults
    pipe.config.ranker.name = "fake-llm"
    pipe.generators = [SureFollower(None)]
    draft = FakeDraft()
    pipe.late_generators = [draft]
    calls = []
    pipe.ranker.score = lambda slot, cands: calls.append(cands) or [0.0] * len(cands)
    result = pipe.suggest(Document("def f(\n    \n").slot(1, 4))
    assert draft.calls == [] and calls == []  # no draft, no ranking: no LLM call at all
    assert [c.text for c in result.candidates] == ["self,", "a"]  # ahead of a better cheap score
    assert "followed the previous one 20 times" in result.candidates[0].origin["llm_skipped"]
    pipe.suggest(Document("def f(\n    se\n").slot(1, 6))  # typed: the margin rule's, not this one's
    assert draft.calls


class CrashingPre:
    name = "crashing"
    cost = "cheap"

    def __init__(self, ctx):
        del ctx

    def validate(self, slot, cands):
        del slot
        if any(c.text == "a" for c in cands):
            raise RuntimeError("boom")
        return [[Verdict("crashing", True, "CR0", "")] for c in cands[1:]]  # one verdict list short


def test_a_validator_that_crashes_or_skips_a_candidate_never_passes_it():
    pipe = _pipeline()
    pipe.pre = [CrashingPre(None)]
    slot = Document("x\n").slot(0, 1)
    cands = [Candidate("a", "t"), Candidate("b", "t")]
    pipe._validate(pipe.pre, slot, cands, {})  # pylint: disable=protected-access
    assert [(v.code, v.checked) for c in cands for v in c.verdicts] == [("GFV011", False)] * 2
    assert "RuntimeError: boom" in cands[0].verdicts[0].message
    short = [Candidate("b", "t"), Candidate("c", "t")]
    pipe._validate(pipe.pre, slot, short, {})  # pylint: disable=protected-access
    assert not any(c.ok for c in short) and "1 verdict lists" in short[0].verdicts[0].message


class OnlyA:
    name = "onlya"

    def generate(self, slot, limit):
        del slot, limit
        return [Candidate("a", "fake", scores={"ngram": -1.0})]


class RejectA:
    name = "noc"
    cost = "expensive"

    def validate(self, slot, cands):
        del slot
        return [[Verdict("noc", c.text != "a", "NC", "")] for c in cands]


def test_when_the_llm_was_skipped_and_every_candidate_fails_the_draft_is_made_rather_than_nothing():
    pipe = _pipeline()
    pipe.generators, pipe.post = [OnlyA()], [RejectA()]
    pipe.late_generators = [FakeDraft()]
    pipe.config.ranker.skip_margin = 1.0  # a lone cheap candidate: the LLM is skipped
    result = pipe.suggest(Document("x\n").slot(0, 1))
    assert [c.text for c in result.candidates] == ["drafted"]
    assert "llm_skipped" in result.candidates[0].origin and "final" in result.candidates[0].scores
    assert [c.text for c in result.rejected] == ["a"]


def test_warm_lets_the_pre_and_post_rank_validators_do_their_per_place_work():
    class Warmable(PostRule):
        def __init__(self, name):
            super().__init__(name, lambda c: True)
            self.warmed = []

        def warm(self, slot):
            self.warmed.append(slot.line)

    pipe = _pipeline()
    pre, post = Warmable("pre"), Warmable("post")
    pipe.pre, pipe.post = [*pipe.pre, pre], [post]
    pipe.warm(Document("x\ny\n").slot(1, 0))
    assert pre.warmed == [1] and post.warmed == [1]


def test_a_line_too_long_for_the_models_window_is_answered_without_the_llm():
    pipe = _pipeline()
    draft = FakeDraft()
    pipe.late_generators = [draft]
    pipe.ranker.fits = lambda slot: False

    def no_scoring(slot, cands):
        raise AssertionError("the LLM scored a slot that does not fit its window")

    pipe.ranker.score = no_scoring
    for on_draft in (None, lambda drafts: None):  # the live session's early draft too
        result = pipe.suggest(Document("x\n").slot(0, 1), on_draft=on_draft)
        assert draft.calls == []
        assert [c.text for c in result.candidates] == ["a", "b"]  # by cheap score; "c" failed "noc"
        assert all("too long for the model's window" in c.origin["llm_skipped"] for c in result.candidates)


def test_at_the_start_of_a_line_the_documents_line_most_like_the_draft_follows_it():
    pipe = _pipeline()
    pipe.config.ranker = Config().ranker  # the defaults: the draft leads, unranked
    pipe.config.ranker.name = "fake-llm"
    lookalike = DraftLookalikeGenerator(RetrievalGenerator(ProjectIndexes(), use_project=False))
    pipe.late_generators = [FakeDraft("if locate:"), lookalike]
    told = []
    doc = Document("if wait:\n    y = 2\n\n\n")
    result = pipe.suggest(doc.slot(3, 0), on_draft=lambda drafts: told.append([c.text for c in drafts]))
    assert told == [["if locate:"]]  # the live session shows the model's own line early, not its lookalike
    texts = [c.text for c in result.candidates]
    assert texts[:3] == ["if locate:", "if wait:", "a"]  # log(ratio) > the n-gram's -1.0
    like = result.candidates[1]
    assert like.source == "draft_lookalike" and like.origin["like_draft"] == "if locate:"
    assert [v.code for v in like.verdicts] == ["NB0", "NC"]  # validated like any other
