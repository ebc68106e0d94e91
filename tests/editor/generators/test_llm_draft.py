"""The llm_draft generator: token healing and the real model's draft."""

import pytest

from editor.document import Document
from editor.generators.llm_draft import LlmDraftGenerator
from editor.ranking.generation import heal_span
from editor.ranking.llm import LlmRanker


@pytest.mark.parametrize(
    ("typed", "span"),
    [
        ("    retu", " retu"),
        ("    return ", " "),
        ("x = foo(", "("),  # an operator run
        ("        ", " "),  # the indentation's last space: it belongs to the next word's token
        ("", ""),
        ("total += ", " "),
        ("d[key] ==", " =="),
    ],
)
def test_heal_span_is_the_last_word_or_operator_with_one_space(typed, span):
    assert heal_span(typed) == span
    assert typed.endswith(span)


DOC = """def squares(numbers):
    out = []
    for number in numbers:
        out.append(number * number)
    retu
"""


def test_the_draft_continues_a_half_typed_keyword_as_the_model_would(scorer):
    gen = LlmDraftGenerator(LlmRanker(scorer, "sum", 32, 10))
    (cand,) = gen.generate(Document(DOC).slot(4, 8), 5)
    assert cand.text == "rn out" and cand.source == "llm_draft"
    # what a plain greedy completion of the same prompt gives: the split `ret` + `u` derails it
    plain, _ = scorer.generate(gen.ranker.context(Document(DOC).slot(4, 8)) + scorer.tokenize("    retu"))
    assert not plain.startswith("rn out")


def test_no_draft_without_a_model_or_with_text_after_the_cursor(scorer):
    assert LlmDraftGenerator(None).generate(Document(DOC).slot(4, 8), 5) == []
    doc = DOC.replace("    retu\n", "    retu out\n")
    assert LlmDraftGenerator(LlmRanker(scorer, "sum", 32, 10)).generate(Document(doc).slot(4, 8), 5) == []


class RecordingScorer:
    """Records what the draft asked of the model (no model: the call's arguments are under test)."""

    fim_tokens = None
    n_ctx = 4096
    last_cut = False
    last_logprobs = [-0.1, -0.1]

    def __init__(self):
        self.lookups = []
        self.starts = []

    def tokenize(self, text):
        return [ord(c) for c in text]

    def generate(self, context, **kwargs):
        del context
        self.lookups.append(kwargs["lookup"])
        self.starts.append(kwargs["starts"])
        return kwargs["heal"] + "rn out", 2


def test_prompt_lookup_is_off_unless_configured():
    slot = Document(DOC).slot(4, 8)
    for lookup in (False, True):
        scorer = RecordingScorer()
        (cand,) = LlmDraftGenerator(LlmRanker(scorer, "sum", 32, 10), lookup=lookup).generate(slot, 5)
        assert cand.text == "rn out"
        assert (scorer.lookups[0] is not None) == lookup


def test_the_draft_is_held_to_a_header_only_above_a_deeper_body():
    scorer = RecordingScorer()
    gen = LlmDraftGenerator(LlmRanker(scorer, "sum", 32, 10))
    body = "def total(items):\n    count = 0\n    \n        count += 1\n    return count\n"
    (cand,) = gen.generate(Document(body).slot(2, 4), 5)
    assert scorer.starts[-1] and "if" in scorer.starts[-1] and "draft_starts" in cand.origin
    flat = "def total(items):\n    count = 0\n    \n    return count\n"
    (cand,) = gen.generate(Document(flat).slot(2, 4), 5)
    assert scorer.starts[-1] == () and "draft_starts" not in cand.origin
