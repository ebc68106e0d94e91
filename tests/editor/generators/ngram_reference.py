"""The n-gram generator's original beam search, kept verbatim for the equivalence test only.

:class:`ReferenceNgramGenerator` is :class:`editor.generators.ngram.NgramGenerator` with the
search and cache model of commit 2873369 (no memoisation, every expansion scored and sorted,
the document counted afresh); the optimized generator must return the same candidates
(texts, order, scores up to float rounding).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import Any

from editor.generators.ngram import (
    BIG_SUCCESSORS,
    CACHE_CONTEXT,
    CACHE_SUCCESSORS,
    EOS_MIN_LOG10,
    PREFIX_OPTIONS,
    STOP_MARGIN_LOG10,
    NgramGenerator,
    _bracket_delta,
    _expandable,
    _Hyp,
)
from editor.document import Slot
from editor.ngram import tokens as plain_tokens
from editor.ngram.cache_model import MAX_ORDER, UNSEEN_FLOOR, WINDOW, CacheModel
from editor.ngram.index import BOS, EOS
from editor.ngram.tokens import indent_depth, is_keyword, is_line_context


def line_context_token(previous):
    """editor/ngram/tokens.py's line_context_token as it was (every token looked at)."""
    body = [t for t in previous or [] if indent_depth(t) is None and not is_line_context(t)]
    if not body:
        return "<p>"
    head = body[0] if body[0] == "@" or is_keyword(body[0]) else "x"
    return f"<p{head}{':' if body[-1] == ':' else ''}>"


def with_line_context(lines):
    out, previous = [], None
    for tokens in lines:
        out.append([line_context_token(previous), *tokens])
        previous = tokens
    return out


class ReferenceCacheModel:
    """editor/ngram/cache_model.py's CacheModel as it was (plain counting, nothing memoised)."""

    def __init__(self, lines: list[list[str]], order: int = MAX_ORDER) -> None:
        self.order = order
        self.line_context = "<p>"
        self.counts: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
        for tokens in lines:
            sentence = [BOS, *tokens, EOS]
            for i in range(1, len(sentence)):
                for length in range(0, order):
                    if i - length < 0:
                        break
                    self.counts[tuple(sentence[i - length : i])][sentence[i]] += 1
        self.counts = dict(self.counts)
        self.totals = {ctx: sum(c.values()) for ctx, c in self.counts.items()}
        unigrams = self.counts.get((), Counter())
        self.vocab_size = len(unigrams)
        self.n_tokens = self.totals.get((), 0)

    @classmethod
    def from_document(cls, document, exclude_row=None, order=MAX_ORDER, window=WINDOW):
        first = 0
        lines_of_text = document.lines
        if exclude_row is not None and len(lines_of_text) > sum(window):
            first = max(0, exclude_row - 1 - window[0])
            lines_of_text = lines_of_text[first : exclude_row + window[1]]
        # the plain tokenizer (no pieces remembered, the fallback's binary search tokenizing)
        all_lines = plain_tokens.tokenize_lines("\n".join(lines_of_text) + "\n")
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
        return self.n_tokens == 0

    def prob(self, token, context):
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

    def successors(self, context, limit=16):
        context = tuple(context)
        seen: set[str] = set()
        out: list[tuple[str, int]] = []
        for length in range(min(self.order - 1, len(context)), -1, -1):
            following = self.counts.get(context[len(context) - length :] if length else ())
            if not following:
                continue
            for token, count in following.most_common(limit):
                if token not in seen:
                    seen.add(token)
                    out.append((token, count))
            if len(out) >= limit:
                break
        return out[:limit]

    def with_prefix(self, prefix, limit=16):
        unigrams = self.counts.get((), Counter())
        matches = [(tok, n) for tok, n in unigrams.items() if tok.startswith(prefix) and tok != EOS]
        matches.sort(key=lambda item: (-item[1], item[0]))
        return matches[:limit]


class ReferenceNgramGenerator(NgramGenerator):
    """The original, unoptimized search (see module docstring)."""

    def cache_model(self, slot: Slot) -> ReferenceCacheModel:  # type: ignore[override]
        lines = slot.document.lines
        key = ("\n".join(lines[: slot.line]) + "\0" + "\n".join(lines[slot.line + 1 :]), slot.line)
        if self._cache_key != key or self._cache is None:
            self._cache = ReferenceCacheModel.from_document(slot.document, exclude_row=slot.line + 1)
            self._cache_key = key
        return self._cache

    def _mix(self, log10_kenlm: float, p_cache: float, use_cache: bool) -> float:
        if not use_cache:
            return log10_kenlm
        w = self.cache_weight
        return math.log10((1.0 - w) * 10.0**log10_kenlm + w * p_cache)

    def _advance(self, state: Any, token: str) -> tuple[float, Any]:
        log10_k, new_state = self.model.advance(state, token)
        if self.proxy and token.isidentifier() and not self.model.known(token):
            _, new_state = self.model.advance(state, self.proxy)
        return log10_k, new_state

    def _options(self, context: list[str], partial: str, cache: CacheModel) -> dict[str, bool]:
        options: dict[str, bool] = {}
        if partial:
            big = [t for t, _ in self.model.index.successors(list(context), 64) if t.startswith(partial)]
            big += [t for t, _ in self.model.with_prefix(partial, PREFIX_OPTIONS)]
            local = [t for t, _ in cache.with_prefix(partial, CACHE_SUCCESSORS * 2)]
        else:
            big = [t for t, _ in self.model.index.successors(list(context), BIG_SUCCESSORS)] + [EOS]
            local = [t for t, _ in cache.successors(context, CACHE_SUCCESSORS)]
        for token in big:
            options[token] = False
        for token in local:
            options.setdefault(token, True)
        return {t: c for t, c in options.items() if t == EOS or _expandable(t)}

    def _search(
        self, context: list[str], start: _Hyp, partial: str, cache: CacheModel, limit: int
    ) -> list[tuple]:
        use_cache = not cache.empty and self.cache_weight > 0
        beam = [start]
        finished: list[tuple[float, _Hyp]] = []
        best_finished = -math.inf
        for step in range(self.max_tokens):
            expansions: list[_Hyp] = []
            for hyp in beam:
                ctx = context + list(hyp.tokens)
                short_ctx = ctx[-CACHE_CONTEXT:]
                scored = []
                for token, from_cache in self._options(ctx, partial if step == 0 else "", cache).items():
                    log10_k, new_state = self._advance(hyp.state, token)
                    p_cache = cache.prob(token, short_ctx) if use_cache else 0.0
                    scored.append((self._mix(log10_k, p_cache, use_cache), token, from_cache, new_state))
                if not scored:
                    continue
                top = max(s[0] for s in scored)
                for score, token, from_cache, new_state in scored:
                    if token == EOS:
                        if hyp.tokens and hyp.depth == 0 and (score >= EOS_MIN_LOG10 or score == top):
                            total = hyp.score + score
                            finished.append((total, hyp))
                            best_finished = max(best_finished, total)
                        continue
                    depth = hyp.depth + _bracket_delta(token)
                    if depth < 0:
                        continue
                    expansions.append(
                        _Hyp(
                            hyp.tokens + (token,),
                            new_state,
                            hyp.score + score,
                            hyp.cache_tokens + from_cache,
                            depth,
                        )
                    )
            if not expansions:
                break
            expansions.sort(key=lambda h: h.score, reverse=True)
            beam = expansions[: self.beam_width]
            if len(finished) >= limit and beam[0].score < best_finished - STOP_MARGIN_LOG10:
                break
        return finished
