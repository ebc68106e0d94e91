"""The block draft: Qwen's body in a block slot, skipped where a cheap block is strong (scripted scorer)."""

from editor.candidates import Candidate
from editor.document import Document
from editor.generators.llm_block_draft import LlmBlockDraftGenerator


class Scorer:
    """Characters are tokens; the model's middle is ``script``, line by line."""

    def __init__(self, script: str) -> None:
        self.script, self.calls, self.last_logprobs = script, 0, []

    def tokenize(self, text):
        return [ord(c) for c in text]

    def generate(
        self, context, max_tokens, stop, lookahead=(), heal="", halt=None, lookup=None
    ):  # pylint: disable=unused-argument,too-many-arguments
        self.calls += 1
        middle = "".join(chr(t) for t in context[1:])
        rest = self.script[len(middle) :][:max_tokens]
        line = rest.split(stop)[0]
        ends = stop in rest
        self.last_logprobs = [-0.05] * (len(line) + 1)
        return line, len(line) + (1 if ends else 0)


class Ranker:
    def __init__(self, scorer):
        self.scorer = scorer

    def context(self, slot):
        return [0]


DOC = "def f(a):\n    \n\n\nx = 1\n"


def test_the_draft_is_the_body_to_the_dedent_with_its_cost_and_confidence():
    scorer = Scorer("    b = a * 2\n    return b\nx = 1\n")
    (cand,) = LlmBlockDraftGenerator(Ranker(scorer)).generate(Document(DOC).slot(1, 4), 5)
    assert (
        cand.text == "b = a * 2\n    return b" and cand.kind == "block" and cand.source == "llm_block_draft"
    )
    # the dedented line "x = 1" was generated (and paid for) before it was seen to end the block;
    # the first line re-chose the indentation's last space (token healing): one token more
    assert (
        cand.origin["lines"] == 2
        and cand.origin["draft_tokens"] == 11 + 13 + 6
        and cand.origin["draft_min_p"] > 0.9
    )


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
