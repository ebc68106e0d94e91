"""The n-gram generator: beam search over a KenLM model mixed with a document cache model.

For a slot, the typed text before the cursor is tokenized (see
:func:`editor.ngram.tokens.tokenize_partial_line`); the search starts from
``<s> <iN> typed-tokens`` and expands each hypothesis with successors from the
big model's index and from the cache model of the open document.  A token's
score is ``log10((1 - w) * P_kenlm + w * P_cache)`` with ``w`` =
``generators.cache_weight`` (just ``log10 P_kenlm`` when the document is empty).
A hypothesis finishes when ``</s>`` is likely next; its ``</s>`` probability is
part of its score.

``Candidate.scores["ngram"]`` is the mean **natural-log** probability per
generated token, ``</s>`` included (``scores["ngram_sum"]``: the sum).  Candidates
are returned best first by :func:`rank_score` (sum / length**0.5).
"""

from __future__ import annotations

import math
from operator import itemgetter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from editor.candidates import Candidate
from editor.document import Slot
from editor.errors import ExitCode, GfvError
from editor.ngram.cache_model import CacheModel
from editor.ngram.index import BOS, EOS
from editor.ngram.layout import render
from editor.ngram.model import NgramModel
from editor.ngram.tokens import (
    STR_PLACEHOLDER,
    indent_depth,
    indent_token,
    is_line_context,
    is_placeholder,
    tokenize_partial_line,
    unescape,
)
from editor.ngram.train import current_model, read_meta
from editor.stages import StageContext, generators

LN10 = math.log(10.0)
BIG_SUCCESSORS = 20  # expansions per hypothesis from the big model's index
CACHE_SUCCESSORS = 8  # ... and from the document cache model
PREFIX_OPTIONS = 40  # vocabulary tokens considered when completing a partial word
EOS_MIN_LOG10 = -2.0  # "</s> is likely": at least 1% (or the best next token)
STOP_MARGIN_LOG10 = 6.0  # stop when open hypotheses are 10^6 times less likely than the best finished
CACHE_CONTEXT = 3
PROXY_CANDIDATES = ("value", "name", "x")  # stands in for identifiers KenLM never saw
LENGTH_ALPHA = 0.5
MEMO_NODES = 4096  # scored hypotheses remembered per cache model (cleared when full)
MEMO_TOKENS = 200_000
MEMO_STATES = 100_000  # KenLM states whose transitions are remembered (cleared when full)
_EXPANDABLE: dict[str, bool] = {}


@dataclass
class _Hyp:
    tokens: tuple[str, ...]
    state: Any  # kenlm.State
    score: float  # log10 probability of the generated tokens
    cache_tokens: int  # tokens proposed only by the cache model
    depth: int  # open-bracket balance of typed + generated tokens


_DELTAS = {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}


def _bracket_delta(token: str) -> int:
    return _DELTAS.get(token, 0)


def _expandable(token: str) -> bool:
    known = _EXPANDABLE.get(token)
    if known is None:
        known = not (
            is_placeholder(token) or token == BOS or indent_depth(token) is not None or is_line_context(token)
        )
        if len(_EXPANDABLE) >= MEMO_TOKENS:
            _EXPANDABLE.clear()
        _EXPANDABLE[token] = known
    return known


def _needs_proxy(model: NgramModel, token: str) -> bool:
    """An identifier KenLM never saw (a local name from the cache model): after it the KenLM
    state continues as if a common identifier (the generator's ``proxy``) had been seen, so
    that what follows is predicted from real context instead of from nothing."""
    return token.isidentifier() and not model.known(token)


class NgramGenerator:
    """Proposes line completions with beam search (see module docstring)."""

    name = "ngram"

    def __init__(self, model: NgramModel, config: Any) -> None:
        self.model = model
        self.beam_width = max(1, int(getattr(config, "beam_width", 12)))
        self.max_tokens = max(1, int(getattr(config, "max_tokens", 24)))
        self.cache_weight = float(getattr(config, "cache_weight", 0.3))
        self.proxy = next((t for t in PROXY_CANDIDATES if model.known(t)), None)
        self._cache_key: tuple[str, int] | None = None
        self._cache: CacheModel | None = None
        # KenLM state -> token -> (log10 p, next state, p): the model never changes
        self._transitions: dict[Any, dict[str, tuple[float, Any, float]]] = {}
        self._memo: tuple[CacheModel | None, dict] = (None, {})  # a cache model and its _node results

    def cache_model(self, slot: Slot) -> CacheModel:
        """The document's cache model without the cursor's line.

        Memoised by the other lines and the line number, so typing on a line reuses it
        (re-tokenising a long file took ~75 ms a keystroke).
        """
        lines = slot.document.lines
        key = ("\n".join(lines[: slot.line]) + "\0" + "\n".join(lines[slot.line + 1 :]), slot.line)
        if self._cache_key != key or self._cache is None:
            self._cache = CacheModel.from_document(slot.document, exclude_row=slot.line + 1)
            self._cache_key = key
        return self._cache

    def generate(self, slot: Slot, limit: int) -> list[Candidate]:
        """Up to ``limit`` completions of the slot's line, best first."""
        typed = slot.typed
        typed_tokens, partial = tokenize_partial_line(typed)
        blank = not typed.strip()
        indent = slot.indent if blank else typed[: len(typed) - len(typed.lstrip())]
        cache = self.cache_model(slot)
        context = [BOS, cache.line_context, indent_token(indent), *typed_tokens]
        state, _ = self.model.begin(context[1:])
        depth = sum(_bracket_delta(t) for t in typed_tokens)
        finished = self._search(context, _Hyp((), state, 0.0, 0, depth), partial, cache, limit)
        return self._candidates(slot, typed_tokens, partial, finished, limit)

    # -- search -------------------------------------------------------------------------------

    def _options(self, context: list[str], partial: str, cache: CacheModel) -> dict[str, bool]:
        """Next-token options -> True when only the cache model proposed the token."""
        options: dict[str, bool] = {}
        if partial:
            big = [t for t, _ in self.model.successors(context, 64) if t.startswith(partial)]
            big += [t for t, _ in self.model.with_prefix(partial, PREFIX_OPTIONS)]
            local = [t for t, _ in cache.with_prefix(partial, CACHE_SUCCESSORS * 2)]
        else:
            big = [t for t, _ in self.model.successors(context, BIG_SUCCESSORS)] + [EOS]
            local = [t for t, _ in cache.successors(context, CACHE_SUCCESSORS)]
        for token in big:
            options[token] = False
        for token in local:
            options.setdefault(token, True)
        return {t: c for t, c in options.items() if t == EOS or _expandable(t)}

    def _node(self, memo: dict, tail: tuple[str, ...], state: Any, partial: str, cache: CacheModel) -> tuple:
        """The scored options of a hypothesis: ``(eos_score, eos_top, entries)``, memoised in ``memo``.

        They depend only on the last tokens of the context (``tail``: the index, the cache
        model and the cache probabilities look at most :meth:`_tail_len` back), the KenLM
        state and the partial word, so hypotheses (and requests on one line) that share those
        share the work.  ``entries`` are the non-``</s>`` options as ``(score, position,
        token, from_cache, new_state, bracket delta)``, best first (ties in option order);
        ``eos_top`` tells whether ``</s>`` scored at least as well as every other option.
        A score is ``log10((1 - w) * P_kenlm + w * P_cache)`` as in the module docstring.
        """
        key = (tail, state, partial)
        node = memo.get(key)
        if node is not None:
            return node
        options = self._options(list(tail), partial, cache)
        tokens = list(options)
        use_cache = not cache.empty and self.cache_weight > 0
        p_cache = cache.prob_many(tokens, tail[-CACHE_CONTEXT:]) if use_cache else None
        advance, proxy, w = self.model.advance, self.proxy, self.cache_weight
        transitions = self._transitions.get(state)
        if transitions is None:
            if len(self._transitions) >= MEMO_STATES:
                self._transitions.clear()
            transitions = self._transitions[state] = {}
        eos_score = None
        entries = []
        log10, deltas, keep = math.log10, _DELTAS, 1.0 - w
        for position, token in enumerate(tokens):
            step = transitions.get(token)
            if step is None:
                log10_k, new_state = advance(state, token)
                if proxy and _needs_proxy(self.model, token):
                    new_state = advance(state, proxy)[1]
                step = transitions[token] = (log10_k, new_state, 10.0**log10_k)
            log10_k, new_state, p_kenlm = step
            score = log10(keep * p_kenlm + w * p_cache[position]) if use_cache else log10_k
            if token == EOS:
                eos_score = score
            else:
                entries.append((score, position, token, options[token], new_state, deltas.get(token, 0)))
        # best first, ties in option order (entries are in option order, the sort is stable)
        entries.sort(key=itemgetter(0), reverse=True)
        eos_top = eos_score is not None and (not entries or eos_score >= entries[0][0])
        node = (eos_score, eos_top, entries)
        if len(memo) >= MEMO_NODES:
            memo.clear()
        memo[key] = node
        return node

    def _search(
        self, context: list[str], start: _Hyp, partial: str, cache: CacheModel, limit: int
    ) -> list[tuple]:
        """Beam search; the same result as scoring every expansion and sorting them all.

        Only a hypothesis's ``beam_width`` best expansions can enter the next beam, so only
        those become candidates; candidates are ordered by total score, ties in the order
        the plain search lists them (hypothesis, then option).
        """
        owner, memo = self._memo
        if owner is not cache:  # a new cache model: its own memo (kept local: the live thread)
            memo = {}
            self._memo = (cache, memo)
        width = self.beam_width
        keep = self._tail_len(cache)
        beam = [(start, (tuple(context) + start.tokens)[-keep:])]
        finished: list[tuple[float, _Hyp]] = []
        best_finished = -math.inf
        for step in range(self.max_tokens):
            expansions: list[tuple] = []
            step_partial = partial if step == 0 else ""
            for number, (hyp, tail) in enumerate(beam):
                eos_score, eos_top, entries = self._node(memo, tail, hyp.state, step_partial, cache)
                if eos_score is not None and hyp.tokens and hyp.depth == 0:
                    if eos_score >= EOS_MIN_LOG10 or eos_top:
                        total = hyp.score + eos_score
                        finished.append((total, hyp))
                        best_finished = max(best_finished, total)
                taken, last = 0, None
                for score, position, token, from_cache, new_state, delta in entries:
                    depth = hyp.depth + delta
                    if depth < 0:
                        continue
                    neg_total = -(hyp.score + score)
                    if taken >= width and neg_total != last:
                        break  # (totals that round equal to the last taken one are kept: ties go by position)
                    expansions.append(
                        (neg_total, number, position, hyp, tail, token, from_cache, new_state, depth)
                    )
                    taken, last = taken + 1, neg_total
            if not expansions:
                break
            expansions.sort(key=lambda e: e[:3])
            beam = []
            for neg_total, _, _, hyp, tail, token, from_cache, new_state, depth in expansions[:width]:
                new = _Hyp(hyp.tokens + (token,), new_state, -neg_total, hyp.cache_tokens + from_cache, depth)
                beam.append((new, (tail + (token,))[-keep:]))
            if len(finished) >= limit and beam[0][0].score < best_finished - STOP_MARGIN_LOG10:
                break
        return finished

    def _tail_len(self, cache: CacheModel) -> int:
        """How many trailing context tokens the options and their scores can depend on."""
        return max(self.model.index.max_context, cache.order - 1, CACHE_CONTEXT, 1)

    # -- candidates ---------------------------------------------------------------------------

    def _candidates(
        self, slot: Slot, typed_tokens: list[str], partial: str, finished: list[tuple], limit: int
    ) -> list[Candidate]:
        typed = slot.typed
        blank = not typed.strip()
        ranked = sorted(finished, key=lambda item: rank_score(item[0], len(item[1].tokens) + 1), reverse=True)
        prefix = render([unescape_token(t) for t in typed_tokens] + ([unescape(partial)] if partial else []))
        if STR_PLACEHOLDER not in typed_tokens and "".join(prefix.split()) != "".join(typed.split()):
            return []  # the typed text has something the tokens do not cover (a comment, odd syntax)
        out: dict[str, Candidate] = {}
        for total, hyp in ranked:
            generated = list(hyp.tokens)
            if any(is_placeholder(t) for t in generated):
                continue
            full = render([unescape_token(t) for t in typed_tokens + generated])
            if not full.startswith(prefix):
                continue
            text = full[len(prefix) :]
            if blank:
                text = (slot.indent[len(typed) :] if slot.indent.startswith(typed) else "") + text
            elif typed[-1:].isspace():
                text = text.lstrip(" ")
            if not text.strip() or text in out:
                continue
            share = hyp.cache_tokens / len(generated)
            out[text] = Candidate(
                text=text,
                source="cache" if share > 0.5 else "ngram",
                kind="line",
                scores={
                    "ngram": total * LN10 / (len(generated) + 1),
                    "ngram_sum": total * LN10,
                    "cheap": rank_score(total, len(generated) + 1) * LN10,
                },
                origin={
                    "tokens": generated,
                    "beam_rank": len(out),
                    "cache_share": round(share, 3),
                    "model": self.model.directory.name,
                },
            )
            if len(out) >= limit:
                break
        return list(out.values())


def rank_score(total_log10: float, n_tokens: int) -> float:
    """Order of candidates: total log-probability divided by ``n_tokens ** LENGTH_ALPHA``.

    The mean (alpha 1) favours long rambling lines, the sum (alpha 0) the shortest ones.
    """
    return total_log10 / n_tokens**LENGTH_ALPHA


def unescape_token(token: str) -> str:
    """Source text of a token (strings unescaped)."""
    return unescape(token) if "'" in token or '"' in token else token


def resolve_model_dir(config: Any) -> Path:
    """``config.ngram_model`` if set, else the ``current`` model; GfvError when there is none."""
    configured = getattr(config, "ngram_model", None)
    if configured:
        path = Path(configured).expanduser()
        if read_meta(path) is None:
            raise GfvError(
                f"ngram_model = {configured!r}: no complete n-gram model there; run `gfv train` "
                "or fix the path in your config",
                ExitCode.USAGE,
            )
        return path
    found = current_model()
    if found is None:
        raise GfvError("no n-gram model has been trained yet; run `gfv train` first", ExitCode.USAGE)
    return found


@generators.register("ngram")
def make_ngram_generator(ctx: StageContext) -> NgramGenerator:
    """Factory: load (once per context) the configured or current n-gram model."""
    model_dir = resolve_model_dir(ctx.config)
    key = f"ngram.model:{model_dir.resolve()}"
    model = ctx.resources.get(key)
    if model is None:
        model = NgramModel.load(model_dir)
        ctx.resources[key] = model
    return NgramGenerator(model, ctx.config.generators)
