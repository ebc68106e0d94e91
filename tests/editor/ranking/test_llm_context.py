"""The ranker's FIM context (a fake scorer: only the prompt's text is under test here)."""

from __future__ import annotations

from editor.document import Document
from editor.ranking.llm import ANCHOR, LlmRanker


class PromptOnly:
    fim_tokens = (1, 2, 3)

    def fim_context(self, prefix: str, suffix: str):
        return prefix, suffix

    def tokenize(self, text: str):
        return list(text)


def test_prefix_start_stays_put_while_the_cursor_moves_down():
    doc = Document("".join(f"line_{i} = {i}\n" for i in range(300)))
    ranker = LlmRanker(PromptOnly(), before=60, after=5)
    starts = []
    for line in range(100, 140):
        prefix, suffix = ranker.context(doc.slot(line, 0))
        lines = prefix.splitlines()
        assert lines[-1] == f"line_{line - 1} = {line - 1}"  # up to the line before the cursor
        assert 60 <= len(lines) < 60 + ANCHOR
        assert suffix.splitlines()[1:] == [f"line_{i} = {i}" for i in range(line + 1, line + 6)]
        starts.append(int(lines[0].split("_")[1].split(" ")[0]))
    assert all(s % ANCHOR == 0 for s in starts)
    assert len(set(starts)) <= 40 // ANCHOR + 1  # the prefix start changes once per ANCHOR lines


def test_short_documents_start_at_the_top():
    doc = Document("a = 1\nb = 2\nc = 3\n")
    prefix, _ = LlmRanker(PromptOnly(), before=60).context(doc.slot(2, 0))
    assert prefix == "a = 1\nb = 2\n"


class CharTokens:
    """One token per character; the FIM prompt as prefix, a marker, suffix."""

    fim_tokens = (1, 2, 3)
    n_ctx = 4096

    def fim_context(self, prefix: str, suffix: str):
        return [*prefix, "<suffix>", *suffix]

    def tokenize(self, text: str):
        return list(text)


def _split(tokens: list[str]) -> tuple[str, str]:
    cut = tokens.index("<suffix>")
    return "".join(tokens[:cut]), "".join(tokens[cut + 1 :])


def test_ordinary_code_keeps_its_whole_window_under_the_budget():
    doc = Document("".join(f"v{i} = {i}\n" for i in range(100)))
    slot = doc.slot(50, 0)
    lines = LlmRanker(CharTokens(), before=32, after=10, max_tokens=0).context(slot)
    assert LlmRanker(CharTokens(), before=32, after=10, max_tokens=2000).context(slot) == lines


def test_dense_lines_are_cut_to_the_token_budget_nearest_the_cursor_first():
    blob = "    'QUJD" + "x" * 300 + "',"
    doc = Document("DATA = [\n" + "\n".join([blob] * 60) + "\n]\n")
    ranker = LlmRanker(CharTokens(), before=32, after=10, max_tokens=1000)
    slot = doc.slot(40, 4)
    tokens = ranker.context(slot)
    prefix, suffix = _split(tokens)
    assert len(tokens) <= 1001  # the budget, and the FIM marker
    assert prefix.endswith(blob + "\n") and prefix.count(blob) >= 2  # the nearest lines above, whole
    rest = suffix.rstrip("\n")
    assert len(rest) > 100 and blob[4:].startswith(rest)  # the start of the cursor line's rest, cut to 1/4
    assert ranker.fits(slot)


def test_a_line_longer_than_the_model_window_leaves_the_llm_out():
    doc = Document("x = 1\ny = '" + "z" * 9000 + "'\n")
    ranker = LlmRanker(CharTokens(), before=32, after=10, max_tokens=1000)
    assert len(ranker.context(doc.slot(1, 9000))) <= 1001  # the window itself is cut to the budget
    assert not ranker.fits(doc.slot(1, 9000))  # but 9,000 typed characters do not fit n_ctx
    assert ranker.fits(doc.slot(1, 10))


def test_one_request_tokenizes_its_context_once():
    class Counting(CharTokens):
        calls = 0

        def fim_context(self, prefix, suffix):
            Counting.calls += 1
            return super().fim_context(prefix, suffix)

    doc = Document("".join(f"v{i} = {i}\n" for i in range(100)))
    ranker = LlmRanker(Counting(), before=32, after=10)
    slot = doc.slot(50, 0)
    first = ranker.context(slot)
    assert ranker.fits(slot) and ranker.context(slot) == first and Counting.calls == 1
    first.append("mine")  # each caller gets its own copy
    assert ranker.context(slot)[-1] != "mine"
    assert ranker.context(doc.slot(51, 0)) != first[:-1] and Counting.calls == 2  # another place: built again
