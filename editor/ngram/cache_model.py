"""A cache model of the open document: n-gram counts of its own token lines.

It proposes what the big model never saw (a variable defined above, a local
helper's name) and gives it a probability with Witten-Bell interpolated back-off:

    P(w | h) = (c(h, w) + T(h) * P(w | h')) / (c(h) + T(h))

where ``T(h)`` is the number of distinct successors of ``h`` and ``h'`` is ``h``
without its first token; the base case is the relative unigram frequency, with
a tiny floor for tokens the document never used: the cache model is mixed with
the big model, which covers those.
"""

from __future__ import annotations

from collections import Counter

from editor.document import Document
from editor.ngram.block_counts import BlockCounts, Totals
from editor.ngram.index import BOS, EOS
from editor.ngram.chunked import tokenize_lines
from editor.ngram.tokens import line_context_token, with_line_context

MAX_ORDER = 4
UNSEEN_FLOOR = 1e-7
WINDOW = (1500, 300)  # lines before / after the cursor the cache model reads


class CacheModel:
    """Counts n-grams of orders 1..``order`` over token lines (``<s>``/``</s>`` added)."""

    def __init__(self, lines: list[list[str]], order: int = MAX_ORDER) -> None:
        self.order = order
        self.line_context = "<p>"  # the previous line's context token, set by from_document
        # ctx -> Counter, as a dict of plain counts would be; merged from remembered blocks
        self.counts = BlockCounts(lines, order)
        self.totals = Totals(self.counts)
        unigrams = self.counts.get((), Counter())
        self.vocab_size = len(unigrams)
        self.n_tokens = self.totals.get((), 0)
        self._levels: dict[tuple[str, ...], list] = {}  # prob_many's look-ups per context
        self._successors: dict[tuple, list[tuple[str, int]]] = {}
        self._most_common: dict[int, list[tuple[str, int]]] = {}  # by id() of a Counter in counts

    @classmethod
    def from_document(
        cls,
        document: Document,
        exclude_row: int | None = None,
        order: int = MAX_ORDER,
        window: tuple[int, int] = WINDOW,
    ) -> "CacheModel":
        """Model of ``document``'s lines, leaving out the logical line covering ``exclude_row`` (1-based).

        With an ``exclude_row``, only ``window`` = (lines before, lines after) around it are
        read, which bounds the cost on very long files.
        """
        first = 0
        lines_of_text = document.lines
        if exclude_row is not None and len(lines_of_text) > sum(window):
            first = max(0, exclude_row - 1 - window[0])
            lines_of_text = lines_of_text[first : exclude_row + window[1]]
        all_lines = tokenize_lines("\n".join(lines_of_text) + "\n")
        annotated = with_line_context([line.tokens for line in all_lines])
        token_lines, previous = [], None
        for line, tokens in zip(all_lines, annotated):
            if exclude_row is not None and line.start_row + first <= exclude_row <= line.end_row + first:
                continue
            if exclude_row is None or line.end_row + first < exclude_row:
                previous = line.tokens
            token_lines.append(tokens)
        model = cls(token_lines, order)
        model.line_context = line_context_token(previous)
        return model

    @property
    def empty(self) -> bool:
        """True when the document had no tokens (then the cache model is not mixed in)."""
        return self.n_tokens == 0

    def prob(self, token: str, context: list[str] | tuple[str, ...]) -> float:
        """P(token | context) with Witten-Bell back-off; > 0 for every token."""
        unigrams = self.counts.get(())
        if not unigrams:
            return 0.0
        p = unigrams.get(token, 0) / self.n_tokens or UNSEEN_FLOOR
        context = tuple(context)
        for length in range(1, min(self.order - 1, len(context)) + 1):
            ctx = context[-length:]
            following = self.counts.get(ctx)
            if following is None:
                break
            distinct = len(following)
            p = (following.get(token, 0) + distinct * p) / (self.totals[ctx] + distinct)
        return p

    def prob_many(self, tokens: list[str], context: list[str] | tuple[str, ...]) -> list[float]:
        """``[self.prob(t, context) for t in tokens]`` (the same floats), the context looked up once."""
        unigrams = self.counts.get(())
        if not unigrams:
            return [0.0] * len(tokens)
        context = tuple(context)
        levels = self._levels.get(context)
        if levels is None:
            levels = []
            for length in range(1, min(self.order - 1, len(context)) + 1):
                ctx = context[-length:]
                following = self.counts.get(ctx)
                if following is None:
                    break
                levels.append((following, len(following), self.totals[ctx]))
            self._levels[context] = levels
        n_tokens = self.n_tokens
        out = []
        for token in tokens:
            p = unigrams.get(token, 0) / n_tokens or UNSEEN_FLOOR
            for following, distinct, total in levels:
                p = (following.get(token, 0) + distinct * p) / (total + distinct)
            out.append(p)
        return out

    def successors(self, context: list[str] | tuple[str, ...], limit: int = 16) -> list[tuple[str, int]]:
        """Tokens seen after the longest matching context, backing off to shorter ones (memoised)."""
        context = tuple(context)[-(self.order - 1) :] if self.order > 1 else ()
        key = (context, limit)
        found = self._successors.get(key)
        if found is None:
            found = self._successors[key] = self._successors_of(context, limit)
        return list(found)

    def _successors_of(self, context: tuple[str, ...], limit: int) -> list[tuple[str, int]]:
        seen: set[str] = set()
        out: list[tuple[str, int]] = []
        for length in range(min(self.order - 1, len(context)), -1, -1):
            following = self.counts.get(context[len(context) - length :] if length else ())
            if not following:
                continue
            for token, count in self._ranked(following)[:limit]:
                if token not in seen:
                    seen.add(token)
                    out.append((token, count))
            if len(out) >= limit:
                break
        return out[:limit]

    def _ranked(self, following: Counter[str]) -> list[tuple[str, int]]:
        """``following.most_common()``, remembered (most_common(n) is its first n)."""
        key = id(following)
        found = self._most_common.get(key)
        if found is None:
            found = self._most_common[key] = following.most_common()
        return found

    def with_prefix(self, prefix: str, limit: int = 16) -> list[tuple[str, int]]:
        """Document tokens starting with ``prefix``, most frequent first."""
        unigrams = self.counts.get((), Counter())
        matches = [(tok, n) for tok, n in unigrams.items() if tok.startswith(prefix) and tok != EOS]
        matches.sort(key=lambda item: (-item[1], item[0]))
        return matches[:limit]
