"""Pipeline.quick / judge / post_check: the first answer while typing, and resuming it (fake stages)."""

import threading
import time

from editor.candidates import Candidate, Verdict
from editor.document import Document
from editor.ranking.ngram import NgramRanker
from editor.stages import generators, validators
from tests.editor.test_pipeline import PostRejectC, _pipeline


class ManyGen:
    name = "manygen"

    def __init__(self, ctx):
        del ctx

    def generate(self, slot, limit):
        del slot, limit
        return [Candidate(f"c{i}", "many", scores={"ngram": -float(i)}) for i in range(20)]


class CountingPre:
    """A pre-rank validator that counts what it judged and rejects c1."""

    name = "counting"
    cost = "cheap"
    judged: list = []

    def __init__(self, ctx):
        del ctx

    def validate(self, slot, cands):
        CountingPre.judged.extend(c.text for c in cands)
        return [[Verdict("counting", c.text != "c1", "CT", "")] for c in cands] if cands else []


for reg, name, obj in ((generators, "manygen", ManyGen), (validators, "counting", CountingPre)):
    if name not in reg:
        reg.register(name)(obj)


def _quick_pipeline(k=3):
    pipe = _pipeline(k=k)
    pipe.generators = [ManyGen(None)]
    pipe.pre = [CountingPre(None)]
    return pipe


def test_quick_judges_only_enough_candidates_and_marks_the_slow_validators_pending():
    CountingPre.judged.clear()
    pipe = _quick_pipeline(k=3)
    result = pipe.quick(Document("x\n").slot(0, 1), 3)
    assert [c.text for c in result.candidates] == ["c0", "c2", "c3"]
    assert len(CountingPre.judged) < 20  # lazily: not every candidate
    assert all(c.origin["pending"] == ["noc"] for c in result.candidates)
    assert not any(v.validator == "noc" for c in result.candidates for v in c.verdicts)


def test_post_check_runs_the_pending_validators_and_drops_failures():
    pipe = _quick_pipeline(k=5)
    slot = Document("x\n").slot(0, 1)
    result = pipe.quick(slot, 5)
    cands = result.candidates + [Candidate("c", "fake")]
    passed = pipe.post_check(slot, cands)
    assert "c" not in [c.text for c in passed] and len(passed) == len(cands) - 1
    assert not any("pending" in c.origin for c in cands)


def test_suggest_resumes_the_quick_stage_without_judging_anything_twice():
    CountingPre.judged.clear()
    PostRejectC.seen.clear()
    pipe = _quick_pipeline(k=3)
    slot = Document("x\n").slot(0, 1)
    quick = pipe.quick(slot, 3)
    first = list(CountingPre.judged)
    pipe.post_check(slot, quick.candidates)
    full = pipe.suggest(slot, 3, stage=quick.stage)
    assert sorted(CountingPre.judged) == sorted(f"c{i}" for i in range(20))  # each judged once
    assert len(first) < len(CountingPre.judged)
    checked_twice = [t for t in PostRejectC.seen[1:] for t in t if t in {c.text for c in quick.candidates}]
    assert checked_twice == []  # the post-check verdicts of the quick answer were kept
    assert all(c.ok for c in full.candidates) and "c1" not in [c.text for c in full.candidates]


def test_two_threads_never_run_the_post_rank_validators_on_one_candidate_twice():
    class SlowPost:
        name = "slow"
        seen: list = []

        def validate(self, slot, cands):
            del slot
            SlowPost.seen.extend(c.text for c in cands)
            time.sleep(0.2)  # both threads are inside post_check by now
            return [[Verdict("slow", True, "SL0", "")] for _ in cands]

    pipe = _quick_pipeline(k=3)
    pipe.post = [SlowPost()]
    slot = Document("x\n").slot(0, 1)
    cands = pipe.quick(slot, 3).candidates
    threads = [threading.Thread(target=pipe.post_check, args=(slot, cands)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert sorted(SlowPost.seen) == sorted(c.text for c in cands)  # each once
    assert all(sum(v.validator == "slow" for v in c.verdicts) == 1 for c in cands)


class Fixed:
    """A generator of fixed candidates (fresh ones per call: the pipeline marks what it merges)."""

    def __init__(self, name, make):
        self.name, self.make = name, make

    def generate(self, slot, limit):
        del slot, limit
        return self.make()


def _agreeing_sources():
    """Ten n-gram lines, then "b" (11th by its score), which a retrieval source proposes too."""

    def near():
        lines = [Candidate(f"a{i}", "ngram", scores={"ngram": -0.1 * (i + 1)}) for i in range(10)]
        return lines + [Candidate("b", "ngram", scores={"ngram": -1.2})]

    def echo():
        return [
            Candidate("b", "retrieval", scores={"cheap": -3.0}),
            Candidate("r", "retrieval", scores={"cheap": -4.0}),
        ]

    return [Fixed("near", near), Fixed("echo", echo)]


def test_quick_puts_first_a_line_two_kinds_of_source_agree_on_though_its_cheap_score_is_lower():
    CountingPre.judged.clear()
    pipe = _quick_pipeline(k=3)
    pipe.generators = _agreeing_sources()
    result = pipe.quick(Document("x\n").slot(0, 1), 3)
    texts = [c.text for c in result.candidates]
    assert texts[0] == "b" and result.candidates[0].origin["also_from"] == ["retrieval"]
    assert "b" in CountingPre.judged and len(CountingPre.judged) < 12  # judged first, not after the rest
    pipe.generators = _agreeing_sources()[:1]  # alone, the n-gram's order stands
    assert [c.text for c in pipe.quick(Document("x\n").slot(0, 1), 3).candidates][0] == "a0"


def test_without_the_llms_ranking_the_full_answer_takes_the_same_order():
    pipe = _quick_pipeline(k=3)
    pipe.generators = _agreeing_sources()
    pipe.ranker = NgramRanker()  # no LLM: nothing is ranked
    result = pipe.suggest(Document("x\n").slot(0, 1), 3)
    assert [c.text for c in result.candidates][:2] == ["b", "a0"]
    assert result.candidates[0].scores["final"] > result.candidates[1].scores["final"]
