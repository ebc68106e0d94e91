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
