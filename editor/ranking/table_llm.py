"""The Qwen ranker for tables: log-likelihood of a cell or row in CSV context.

FIM prompt: ``<fim_prefix>`` header + the rows before the slot (+ the slot row's cells
before the column, for a cell) ``<fim_suffix>`` (the rest of the slot row for a cell)
+ the rows after ``<fim_middle>`` the candidate as CSV text (quoted as the file would
quote it).  The context is the same for every candidate of a slot, so it is evaluated
once and stays in the KV cache; candidates are scored as one token trie
(:meth:`LlamaScorer.score`), exactly as for code.  Registered as ``table_llm``; its
``name`` is ``llm`` so the pipeline blends and reports it like the code ranker.
"""

from __future__ import annotations

from typing import Sequence

from editor.candidates import Candidate
from editor.ranking.llama_scorer import LlamaScorer
from editor.ranking.llm import get_scorer, score_middles
from editor.ranking.window import LastContext
from editor.stages import StageContext, rankers
from editor.tables.slot import TableSlot

MAX_CONTEXT_TOKENS = 1800
ANCHOR_ROWS = 16  # the window of rows before the slot starts on a multiple of this (see prompt)


class TableLlmRanker:
    name = "llm"

    def __init__(self, scorer: LlamaScorer, normalisation: str = "mean", rows: int = 24) -> None:
        self.scorer = scorer
        self.normalisation = normalisation
        self.rows = rows
        self._last = LastContext()

    def window_start(self, slot: TableSlot) -> int:
        """The first row of the prefix: at least ``rows`` rows up, on a multiple of ANCHOR_ROWS.

        Moving to the next row keeps the start, so the prefix's tokens stay in the KV
        cache and only the new row, the suffix and the middle are evaluated again (as the
        code prompt's anchored prefix, editor/ranking/llm.py).
        """
        start = max(len(slot.before) - self.rows, 0)
        return start - start % ANCHOR_ROWS

    def prompt(self, slot: TableSlot) -> tuple[str, str]:
        """(prefix, suffix) text around the middle."""
        doc, nl = slot.document, "\n"
        before = [doc.record_text(r) for r in slot.before[self.window_start(slot) :]]
        after = [doc.record_text(r) for r in slot.after[: max(self.rows // 3, 0)]]
        prefix = nl.join([doc.record_text(doc.header), *before]) + nl
        suffix = nl.join(after) + (nl if after else "")
        if slot.column is not None:
            cells = [doc.dialect.format_row([v]) for v in slot.current]
            d = doc.dialect.delimiter
            left, right = cells[: slot.col_index], cells[slot.col_index + 1 :]
            prefix += "".join(c + d for c in left)
            suffix = "".join(d + c for c in right) + nl + suffix
        else:
            suffix = nl + suffix if suffix else ""
        return prefix, suffix

    def middle(self, slot: TableSlot, text: str) -> str:
        return slot.document.dialect.format_row([text]) if slot.column is not None else text

    def context(self, slot: TableSlot) -> list[int]:
        prefix, suffix = self.prompt(slot)
        return self._last.get((prefix, suffix), lambda: self._tokens(prefix, suffix))

    def _tokens(self, prefix: str, suffix: str) -> list[int]:
        pre, suf = self.scorer.tokenize(prefix), self.scorer.tokenize(suffix)
        while len(pre) + len(suf) > MAX_CONTEXT_TOKENS and len(pre) > 200:  # drop the farthest rows
            header, _, rest = prefix.partition("\n")
            lines = rest.split("\n")
            if len(lines) <= 1:  # only the slot's own row is left
                break
            # a whole anchor's worth at a time, so that the start stays put as the cursor moves
            prefix = header + "\n" + "\n".join(lines[min(ANCHOR_ROWS, len(lines) - 1) :])
            pre = self.scorer.tokenize(prefix)
        suf = suf[:600]
        if len(pre) + len(suf) > MAX_CONTEXT_TOKENS:  # the header and the slot's row alone are too wide
            pre = pre[len(pre) + len(suf) - MAX_CONTEXT_TOKENS :]  # the end: the cells next to the slot
        if self.scorer.fim_tokens is None:
            return pre
        fp, fs, fm = self.scorer.fim_tokens
        return [fp, *pre, fs, *suf, fm]

    def fits(self, slot: TableSlot) -> bool:
        """Whether the context and a candidate as wide as the rows above fit the model's window
        (a row of hundreds of columns may not: the LLM then sits the slot out)."""
        n_ctx = getattr(self.scorer, "n_ctx", None)
        if n_ctx is None:
            return True
        doc = slot.document
        if slot.column is not None:
            middle = 64  # one cell
        else:
            rows = [doc.record_text(r) for r in slot.before[-3:]] or [doc.record_text(doc.header)]
            middle = max(len(self.scorer.tokenize(r)) for r in rows)
        return len(self.context(slot)) + middle + 64 <= n_ctx

    def score(self, slot: TableSlot, candidates: Sequence[Candidate]) -> list[float]:
        if not candidates:
            return []
        middles = [self.scorer.tokenize(self.middle(slot, c.text)) or [0] for c in candidates]
        context = self.context(slot)
        return score_middles(
            self.scorer, candidates, context, middles, [0] * len(middles), self.normalisation
        )


@rankers.register("table_llm")
def make_table_llm_ranker(ctx: StageContext) -> TableLlmRanker:
    cfg = ctx.config.ranker
    scorer = get_scorer(ctx.resources["model_path"], n_ctx=cfg.n_ctx, threads=cfg.threads)
    return TableLlmRanker(scorer, cfg.normalisation, ctx.config.tables.context_rows)
