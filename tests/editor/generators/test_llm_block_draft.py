"""The block draft: Qwen's body in a block slot, skipped where a cheap block is strong (scripted scorer)."""

from editor.candidates import Candidate
from editor.document import Document
from editor.generators.llm_block_draft import LlmBlockDraftGenerator, RankBar


class Scorer:
    """Characters are tokens, each of log-probability ``lp``; the model's middle is ``script``, line by line."""

    def __init__(self, script: str, lp: float = -0.05) -> None:
        self.script, self.lp, self.calls, self.last_logprobs = script, lp, 0, []

    def tokenize(self, text):
        return [ord(c) for c in text]

    def generate(
        self, context, max_tokens, stop, lookahead=(), heal="", halt=None, lookup=None
    ):  # pylint: disable=unused-argument,too-many-arguments
        self.calls += 1
        middle = "".join(chr(t) for t in context[1:])
        rest = self.script[len(middle) :][:max_tokens]
        line = rest.split(stop)[0]
        for i in range(1, len(line) + 1):
            if halt is not None and halt(line[:i], [self.lp] * i):
                self.last_logprobs = [self.lp] * i
                return line[:i], i
        ends = stop in rest
        self.last_logprobs = [self.lp] * (len(line) + 1)
        return line, len(line) + (1 if ends else 0)


class Ranker:
    normalisation = "sum"

    def __init__(self, scorer, scores=None):
        self.scorer = scorer
        self.scores = scores or {}  # candidate text -> its LLM score
        self.scored: list[list[str]] = []
        self.fitting = True  # whether the slot fits the model's window

    def context(self, slot):
        return [0]

    def fits(self, slot):
        return self.fitting

    def score(self, slot, candidates):
        self.scored.append([c.text for c in candidates])
        return [self.scores[c.text] for c in candidates]


DOC = "def f(a):\n    \n\n\nx = 1\n"


def test_the_draft_is_the_body_to_the_dedent_with_its_cost_and_confidence():
    scorer = Scorer("    b = a * 2\n    return b\nx = 1\n")
    (cand,) = LlmBlockDraftGenerator(Ranker(scorer)).generate(Document(DOC).slot(1, 4), 5)
    assert (
        cand.text == "b = a * 2\n    return b" and cand.kind == "block" and cand.source == "llm_block_draft"
    )
    # the whole "return b" at the body's indentation ends the block: the dedented line "x = 1"
    # is not begun; the first line re-chose the indentation's last space (token healing)
    assert (
        cand.origin["lines"] == 2
        and cand.origin["draft_tokens"] == 11 + 13
        and cand.origin["draft_min_p"] > 0.9
    )


def test_a_body_without_a_jump_ends_at_the_dedent_it_began():
    scorer = Scorer("    b = a * 2\n    c = b\nx = 1\n")
    (cand,) = LlmBlockDraftGenerator(Ranker(scorer)).generate(Document(DOC).slot(1, 4), 5)
    # the dedented line "x = 1" was begun (one token paid for) and seen to end the block
    assert cand.text == "b = a * 2\n    c = b" and cand.origin["draft_tokens"] == 11 + 10 + 1


def test_a_body_ends_at_its_last_code_line_not_at_a_comment_after_it():
    scorer = Scorer("    return a\n    # type: ignore\nx = 1\n")
    (cand,) = LlmBlockDraftGenerator(Ranker(scorer)).generate(Document(DOC).slot(1, 4), 5)
    assert cand.text == "return a" and cand.kind == "line"  # a one-line body (editor/cascade.py)
    scorer = Scorer("    # double it\n    b = a * 2\n    return b\n    # done\nx = 1\n")
    (cand,) = LlmBlockDraftGenerator(Ranker(scorer)).generate(Document(DOC).slot(1, 4), 5)
    assert cand.text == "# double it\n    b = a * 2\n    return b" and cand.kind == "block"


def test_a_strong_cheap_block_saves_the_draft():
    scorer = Scorer("    return a\n")
    strong = Candidate("return a", "block_retrieval", "block", {"cheap": -0.01})
    weak = Candidate("return a", "block_retrieval", "block", {"cheap": -1.0})
    gen = LlmBlockDraftGenerator(Ranker(scorer))
    assert gen.generate(Document(DOC).slot(1, 4), 5, earlier=[strong]) == [] and scorer.calls == 0
    assert gen.generate(Document(DOC).slot(1, 4), 5, earlier=[weak]) and scorer.calls >= 1


def test_no_block_slot_or_no_model_no_draft():
    scorer = Scorer("    return a\n")
    assert (
        LlmBlockDraftGenerator(Ranker(scorer)).generate(Document("def f(a):\n    ret\n").slot(1, 7), 5) == []
    )
    assert LlmBlockDraftGenerator(None).generate(Document(DOC).slot(1, 4), 5) == []
    assert scorer.calls == 0


def test_the_line_draft_is_offered_to_the_block_as_lookahead():
    scorer = Scorer("    x = 1\n    return x\n")
    seen = []
    original = scorer.generate

    def generate(context, max_tokens, stop, lookahead=(), heal="", halt=None, lookup=None):
        seen.append((list(lookahead), heal))
        return original(context, max_tokens, stop, lookahead, heal)

    scorer.generate = generate
    gen = LlmBlockDraftGenerator(Ranker(scorer))
    line_draft = Candidate("x = 1", "llm_draft")
    gen.generate(Document(DOC).slot(1, 4), 5, earlier=[line_draft])
    lookahead, heal = seen[0]
    assert heal == " "  # the first line is healed as the line draft was
    assert [ord(c) for c in "x = 1"] in [la[-5:] for la in lookahead]


def _rivals():
    return [
        Candidate("return a", "block_retrieval", "block", {"cheap": -1.0, "ngram": -4.0}),
        Candidate("a += 1\n    return a", "block_templates", "block", {"cheap": -2.0}),
        Candidate("pass\n    pass", "block_templates", "block", {"cheap": -3.0}),
    ]


def test_the_bar_is_the_best_rivals_final_score_as_an_llm_sum():
    rivals = _rivals()[:2]
    ranker = Ranker(None, {"return a": -6.0, "a += 1\n    return a": -3.0})
    bar = RankBar(ranker, None, rivals, blend=0.8, confidence=0.3)
    assert bar([-0.1, -0.2]) is None and ranker.scored == []  # every token p >= 0.3: no bar, no scoring
    # finals: 0.8 * -6 + 0.2 * -4 = -5.6 and 0.8 * -3 + 0.2 * -4 (the mean n-gram) = -3.2; the draft's
    # n-gram term is the mean too: it needs 0.8 * llm + 0.2 * -4 > -3.2, llm > -3.0
    assert abs(bar([-0.1, -2.0]) - -3.0) < 1e-9
    assert abs(bar([-0.1, -2.0, -0.5]) - -3.0) < 1e-9 and len(ranker.scored) == 1  # scored once


def test_a_draft_that_cannot_come_first_is_given_up_and_the_rivals_stay_scored():
    scorer = Scorer("    b = a * 2\n    c = b + 1\n    return c\nx = 1\n", lp=-1.5)  # p 0.22 < 0.3
    ranker = Ranker(scorer, {"return a": -5.0, "a += 1\n    return a": -9.0})
    gen = LlmBlockDraftGenerator(ranker, rivals=2, blend=1.0, confidence=0.3)
    assert gen.generate(Document(DOC).slot(1, 4), 5, earlier=_rivals()) == []
    assert ranker.scored == [["return a", "a += 1\n    return a"]]  # the pool's two best, once
    # the first line (with its healed space and newline) is 11 tokens at -1.5: below -5 already,
    # given up at the second line's first word ("    c"), the first point the bar is asked
    assert scorer.calls == 2
    generous = Ranker(scorer, {"return a": -500.0, "a += 1\n    return a": -900.0})
    (cand,) = LlmBlockDraftGenerator(generous, rivals=2, blend=1.0, confidence=0.3).generate(
        Document(DOC).slot(1, 4), 5, earlier=_rivals()
    )
    assert cand.text == "b = a * 2\n    c = b + 1\n    return c"


def test_without_rivals_the_draft_is_never_given_up():
    scorer = Scorer("    b = a * 2\n    return b\nx = 1\n", lp=-3.0)
    ranker = Ranker(scorer)
    (cand,) = LlmBlockDraftGenerator(ranker, rivals=2, blend=1.0, confidence=0.3).generate(
        Document(DOC).slot(1, 4), 5
    )
    assert cand.text == "b = a * 2\n    return b" and ranker.scored == []


def test_a_body_loading_a_name_nothing_binds_is_given_up_when_pylint_validates():
    script = "    b = ghost\n    return b\nx = 1\n"
    judged = LlmBlockDraftGenerator(Ranker(Scorer(script)), judge_names=True)
    assert judged.generate(Document(DOC).slot(1, 4), 5) == []
    assert judged.abandoned == "undefined name ghost (pylint E0602)"
    scorer = Scorer(script)
    (cand,) = LlmBlockDraftGenerator(Ranker(scorer)).generate(Document(DOC).slot(1, 4), 5)  # pylint is off
    assert cand.text == "b = ghost\n    return b"
    bound = LlmBlockDraftGenerator(Ranker(Scorer("    b = a\n    return b\nx = 1\n")), judge_names=True)
    assert bound.generate(Document(DOC).slot(1, 4), 5) and bound.abandoned == ""


def test_no_block_draft_where_the_slot_does_not_fit_the_models_window():
    scorer = Scorer("    b = a * 2\n    return b\nx = 1\n")
    ranker = Ranker(scorer)
    ranker.fitting = False
    assert LlmBlockDraftGenerator(ranker).generate(Document(DOC).slot(1, 4), 5) == []
    ranker.fitting = True
    assert len(LlmBlockDraftGenerator(ranker).generate(Document(DOC).slot(1, 4), 5)) == 1
