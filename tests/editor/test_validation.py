"""editor/validation.py: verdicts appended, rewrites that must pass their own validator, repairs (fakes)."""

from editor.candidates import Candidate, Verdict
from editor.document import Document
from editor.validation import REPAIR_PENALTY, recheck, repairs_of, run_validators

SLOT = Document("x = \n").slot(0, 4)


class Rewriter:
    """Passes everything, offering ``rewrite(text)`` instead."""

    name = "rw"

    def __init__(self, rewrite):
        self.rewrite = rewrite

    def validate(self, slot, cands):
        del slot
        return [[Verdict(self.name, True, "RW", "", replacement=self.rewrite(c.text))] for c in cands]


class Crashes:
    name = "boom"

    def validate(self, slot, cands):
        raise RuntimeError("bug")


def test_a_rewrite_replaces_the_text_and_must_pass_the_validator_that_made_it():
    cand = Candidate("1+1", "t")
    timings = {}
    run_validators([Rewriter(lambda t: t if " + " in t else t.replace("+", " + "))], SLOT, [cand], timings)
    assert cand.text == "1 + 1" and cand.origin["original_text"] == "1+1" and cand.ok
    assert set(timings) == {"validate.rw"}
    unstable = Candidate("1+1", "t")
    run_validators([Rewriter(lambda t: t + " ")], SLOT, [unstable], {})
    assert not unstable.ok and unstable.verdicts[-1].code == "GFV010"


def test_a_crash_is_not_checked_in_the_first_run_and_in_the_recheck():
    cand = Candidate("1", "t")
    run_validators([Crashes()], SLOT, [cand], {})
    assert not cand.ok and cand.verdicts[-1].code == "GFV011"
    again = Candidate("2", "t")
    recheck(Crashes(), SLOT, [again])
    assert not again.ok and again.verdicts[-1].code == "GFV010"


def test_repairs_of_failed_candidates_keep_the_trace_and_pay_the_penalty_once():
    failed = Candidate("foo(", "ngram", scores={"cheap": -1.0, "ngram": -2.0})
    failed.verdicts.append(Verdict("syntax", False, "SYN001", "", repairs=[("foo()", "closed the bracket")]))
    ok = Candidate("foo()", "retrieval")  # already a candidate: not proposed twice
    other = Candidate("bar(", "ngram", scores={"cheap": -1.5})
    other.verdicts.append(Verdict("syntax", False, "SYN001", "", repairs=[("bar()", "closed the bracket")]))
    got = repairs_of([failed, ok, other])
    assert [c.text for c in got] == ["bar()"]
    assert got[0].scores == {"cheap": round(-1.5 - REPAIR_PENALTY, 4)}
    assert got[0].origin == {"repaired_from": "bar(", "repair": "closed the bracket", "repaired_by": "syntax"}
    got[0].verdicts.append(Verdict("syntax", False, "SYN001", "", repairs=[("bar())", "again")]))
    assert repairs_of(got) == []  # a repair's own failures are not repaired again
    seen = Candidate("return result", "draft_lookalike", origin={"no_repairs": "proposed as it is"})
    seen.verdicts.append(Verdict("names", False, "NAM001", "", repairs=[("return Result", "in scope")]))
    assert repairs_of([seen]) == []  # a candidate that says so is not repaired


def test_a_repair_that_cuts_a_draft_short_drops_the_drafts_confidence():
    draft = Candidate("return a.get(k)", "llm_draft", origin={"draft_min_p": 0.9})
    draft.verdicts.append(
        Verdict(
            "names", False, "NAM001", "", details={"cuts": ["return a"]},
            repairs=[("return a", "cut"), ("return a.get(key)", "renamed")],
        )  # fmt: skip
    )
    cut, renamed = repairs_of([draft])
    assert "draft_min_p" not in cut.origin and cut.origin["repair"] == "cut"
    assert renamed.origin["draft_min_p"] == 0.9  # the same tokens and more: still the model's confidence
    closer = Candidate("f(x))", "llm_draft", origin={"draft_min_p": 0.9})
    closer.verdicts.append(
        Verdict("syntax", False, "SYN001", "", repairs=[("f(x)", "dropped the stray ')'")])
    )
    assert repairs_of([closer])[0].origin["draft_min_p"] == 0.9  # a stray closer dropped: still confident
