"""Greedy and sampled generation for :class:`~editor.ranking.llama_scorer.LlamaScorer`.

A mixin: it works on the scorer's sequence 0 (``_sync_seq0``, ``_tail_logp``,
``_top``) and adds what generation needs beyond scoring:

* **token healing** (``heal``): the output must start with a given text, and tokens are
  picked among those consistent with it until it is covered;
* **speculative verification** (``lookahead``): token sequences that may continue the
  context are evaluated in the same decode call as the chosen token and kept while
  greedy decoding agrees, so the result is the greedy completion in fewer calls (up to floating-point
  differences between batched and one-at-a-time evaluation, which can flip a near-tie).
* **prompt lookup** (``lookup``): where no lookahead sequence applies, the last 4, 3 or 2
  tokens so far are looked up in the prompt (the document around the slot), and the 4, 3
  or 2 tokens that followed their last occurrence there are the speculative draft, verified
  the same way.  Code repeats its own names and phrases: on the tuning corpora click and
  rich, at the start of a line, such drafts were kept 48 % of the time, against the 27 % at
  which a speculative token (~11 ms in a batch) paid for the decode call it saves (~41 ms),
  and saved ~20 % of the decode time (docs/benchmarks.md, round 5).  On this machine as it
  is now, a speculative token costs ~30 ms of a 43 ms call, and the same drafts made the
  line draft 15-22 % slower (round 10), so the generators leave it off unless
  ``ranker.prompt_lookup`` is set.
"""

from __future__ import annotations

import ctypes
import re
from typing import Any, Callable, Sequence

import numpy as np

# the last whitespace character only: the tokenizer puts the last space of an indentation
# into the next word's token (``       `` + `` return``), so the model re-chooses that one,
# and the rest of the indentation stays in the prompt (one decode step fewer than re-choosing it all)
_WORD = re.compile(r"\s?[A-Za-z_0-9]+$|\s?[^\sA-Za-z_0-9]{1,3}$|\s$")


def heal_span(typed: str) -> str:
    """The end of ``typed`` that the model re-chooses: its last word or operator, with one space before it."""
    match = _WORD.search(typed)
    return match.group(0) if match else ""


class GreedyGeneration:  # pylint: disable=too-few-public-methods
    """Generation on top of a scorer's KV cache (see the module docstring)."""

    # provided by LlamaScorer
    _tail_logp: np.ndarray | None
    _seq0: list[int]
    end_tokens: list[int]
    n_vocab: int
    last_logprobs: list[float]
    last_cut: bool = False
    _vocab_text: list[str] | None
    _by_first: dict[str, list[int]]
    _compatible_cache: dict[str, np.ndarray]
    stats: Any
    model: Any
    _lib: Any

    def _sync_seq0(self, tokens: list[int], known_from: int) -> None:
        raise NotImplementedError

    def _hold(self, tokens: list[int], known_from: int) -> np.ndarray:
        raise NotImplementedError

    def _top(self, i: int) -> tuple[int, float] | None:
        raise NotImplementedError

    def detokenize(self, tokens: list[int]) -> str:
        raise NotImplementedError

    def generate(
        self, context: list[int], max_tokens: int = 48, stop: str = "\n", temperature: float = 0.0,
        seed: int = 0, lookahead: list[list[int]] | tuple = (), heal: str = "", floor: float | None = None,
        halt: Callable[[str, list[float]], bool] | None = None, lookup: PromptLookup | None = None,
        starts: tuple[str, ...] = (),
    ) -> tuple[str, int]:  # fmt: skip
        """Continue ``context`` until an end token or ``stop``: greedy, or sampled with
        ``temperature`` (top-k 40). Returns (text, generated tokens).

        ``heal``: text the output must start with (token healing: the caller drops the
        last token of what the user typed from ``context`` and passes its text here, so
        that ``retu`` continues as the model's own ``return`` token, not as ``retu`` +
        something).  Tokens are picked among those consistent with it until it is covered.

        ``lookahead``: token sequences that may continue the context (cheap candidates).
        When greedy, a sequence that agrees with what was generated so far is a
        speculative draft: its next tokens are evaluated in the same decode call as the
        chosen token, and kept as long as they are what greedy decoding would pick, so
        the result is the greedy completion, in fewer decode calls (up to near-ties).

        ``floor``: stop as soon as the summed log-probability of the chosen tokens falls
        below it (``self.last_cut`` says so): a line that unlikely is rarely right, and
        its remaining tokens would be decode steps for nothing.

        ``lookup``: the prompt's index (:class:`PromptLookup`, built once by the caller for
        all the calls on one prompt), whose repeats are speculative drafts (prompt lookup,
        module docstring); greedy only, like ``lookahead``.

        ``halt``: stop as soon as it holds for the text generated so far and its tokens'
        log-probabilities, e.g. a block's next line that already shows its dedent: the rest
        of that line would be decoded only to be dropped.

        ``starts``: words the output must begin with, one of them whole (``if``, ``for``...: a
        line that must be a block header, editor/slot_shape.py); the first token is the likeliest
        of those that spell one after what ``heal`` asks (the indentation's healed space).
        """
        rng = np.random.default_rng(seed)
        index = lookup if temperature <= 0 else None
        tokens = list(context)
        # a continuation already in the cache with its distributions (an earlier draft of the
        # same line) stays there, and is the speculative draft: verified without a decode call
        first = self._hold(tokens, len(tokens))
        need = heal
        nxt = self._choose(first, need, temperature, rng, self._starting(starts, need) if starts else None)
        lps = self.last_logprobs = [float(first[nxt])]
        out: list[int] = []
        self.last_cut = False
        while len(out) < max_tokens and nxt not in self.end_tokens:
            if floor is not None and sum(lps) < floor:
                self.last_cut = True
                break
            out.append(nxt)
            need = _consume(need, self.token_text(nxt))
            self.stats.generated_tokens += 1
            text = self.detokenize(out)
            if stop and stop in text:
                return text.split(stop)[0], len(out)
            if halt is not None and halt(text, lps):
                return text, len(out)
            # evaluated already, the cache's own continuation goes first: verified without a decode call.
            # No draft while healing: a draft is kept where greedy agrees, and greedy is not held to ``need``
            draft = (
                self._cached_after([*tokens, nxt])[: max_tokens - len(out)]
                if temperature <= 0 and not need
                else []
            )
            if not draft and temperature <= 0 and not need:
                draft = _draft(out, lookahead, max_tokens - len(out))
            if not draft and index is not None and not need:
                draft = index.draft([*tokens, nxt], max_tokens - len(out))
            self._sync_seq0([*tokens, nxt, *draft], len(tokens) + 1)
            self.stats.lookahead_tokens += len(draft)
            tokens.append(nxt)
            for tok in draft:  # keep the draft's tokens while greedy decoding agrees
                top = self._top(len(tokens))
                if top is None or top[0] != tok or len(out) >= max_tokens:
                    break
                if floor is not None and sum(lps) + top[1] < floor:  # as at the loop's top
                    lps.append(top[1])
                    self.last_cut = True
                    return self.detokenize(out), len(out)
                out.append(tok)
                lps.append(top[1])
                tokens.append(tok)
                self.stats.generated_tokens += 1
                self.stats.draft_tokens += 1
                text = self.detokenize(out)
                if stop and stop in text:
                    return text.split(stop)[0], len(out)
                if halt is not None and halt(text, lps):
                    return text, len(out)
            if len(tokens) == len(self._seq0):
                assert self._tail_logp is not None
                nxt = self._choose(self._tail_logp, need, temperature, rng)
                lps.append(float(self._tail_logp[nxt]))
            else:  # a draft was cut short: greedy's own token there is known already
                top = self._top(len(tokens))
                assert top is not None  # the draft's tokens were evaluated with their logits
                nxt, lp = top
                lps.append(lp)
        return self.detokenize(out), len(out)

    def _cached_after(self, tokens: list[int]) -> list[int]:
        """What sequence 0 holds after ``tokens``, when it continues them (an earlier draft's tokens)."""
        n = len(tokens)
        return self._seq0[n:] if len(self._seq0) > n and self._seq0[:n] == tokens else []

    def token_text(self, token: int) -> str:
        return self._vocab()[token]

    def _vocab(self) -> list[str]:
        """The text of every token (built once, for token healing)."""
        if self._vocab_text is None:
            self._vocab_text = [self._piece(t) for t in range(self.n_vocab)]
            by_first: dict[str, list[int]] = {}
            for tok, text in enumerate(self._vocab_text):
                if text and tok not in self.end_tokens:
                    by_first.setdefault(text[0], []).append(tok)
            self._by_first = by_first
        return self._vocab_text

    def _piece(self, token: int) -> str:
        """A token's text (llama-cpp-python's ``token_to_piece`` pads it with NULs to 32 bytes)."""
        buf = ctypes.create_string_buffer(64)
        n = self._lib.llama_token_to_piece(self.model.vocab, token, buf, 64, 0, False)
        return buf.raw[: max(n, 0)].decode("utf-8", errors="replace")

    def _compatible(self, need: str) -> np.ndarray:
        """Tokens whose text starts with ``need`` or is a start of it."""
        if need not in self._compatible_cache:
            vocab = self._vocab()
            ids = [
                t
                for t in self._by_first.get(need[0], [])
                if vocab[t].startswith(need) or need.startswith(vocab[t])
            ]
            if len(self._compatible_cache) > 256:
                self._compatible_cache.clear()
            self._compatible_cache[need] = np.array(ids, dtype=np.int64)
        return self._compatible_cache[need]

    def _starting(self, words: tuple[str, ...], heal: str = "") -> np.ndarray:
        """Tokens that are ``heal`` (the healed text: a space of the indentation, say) and then
        one of ``words`` whole: the word alone, or followed by a character that cannot continue
        a name (`` if``, ``try:``, ``for(``)."""
        key = "\0".join((heal, *words))
        if key not in self._compatible_cache:
            vocab = self._vocab()
            ids = []
            for spelled in (heal + word for word in words):
                for t in self._by_first.get(spelled[0], []):
                    text = vocab[t]
                    after = text[len(spelled) : len(spelled) + 1]
                    if text.startswith(spelled) and not (after.isalnum() or after == "_"):
                        ids.append(t)
            self._compatible_cache[key] = np.array(ids, dtype=np.int64)
        return self._compatible_cache[key]

    def _choose(  # pylint: disable=too-many-arguments
        self, logp: np.ndarray, need: str, temperature: float, rng: np.random.Generator,
        allowed: np.ndarray | None = None,
    ) -> int:  # fmt: skip
        """The next token among ``allowed`` (:meth:`_starting`'s), else among those consistent with
        ``need``, else among all; any of them when none is allowed."""
        if allowed is None or not len(allowed):
            if not need:
                return self._pick(logp, temperature, rng)
            allowed = self._compatible(need)
        if not len(allowed):
            return self._pick(logp, temperature, rng)
        masked = np.full_like(logp, -np.inf)
        masked[allowed] = logp[allowed]
        return self._pick(masked, temperature, rng)

    @staticmethod
    def _pick(logp: np.ndarray, temperature: float, rng: np.random.Generator) -> int:
        if temperature <= 0:
            return int(np.argmax(logp))
        top = np.argpartition(logp, -40)[-40:]
        weights = np.exp((logp[top] - logp[top].max()) / temperature)
        return int(rng.choice(top, p=weights / weights.sum()))


def _consume(need: str, text: str) -> str:
    """What remains of the healed prefix ``need`` after a token with ``text``."""
    if not need or text.startswith(need):
        return ""
    return need[len(text) :] if need.startswith(text) else ""


def _draft(out: list[int], lookahead, limit: int, longest: int = 12) -> list[int]:
    """The longest continuation of ``out`` among the ``lookahead`` sequences (at most ``longest`` tokens)."""
    best: list[int] = []
    n = len(out)
    for seq in lookahead:
        if len(seq) > n and seq[:n] == out and len(seq) - n > len(best):
            best = seq[n : n + min(longest, limit)]
    return best


class PromptLookup:
    """Where the last few tokens occurred last in a token sequence, and what followed them there.

    A suffix of 4, 3 or 2 tokens (the longest that occurs) proposes as many tokens as its
    length; decided on click and rich (docs/benchmarks.md, round 5).
    """

    SIZES = (4, 3, 2)

    def __init__(self, tokens: Sequence[int]) -> None:
        self.tokens = list(tokens)
        self.after: dict[tuple[int, ...], int] = {}
        for size in self.SIZES:
            for end in range(size, len(self.tokens)):  # the last occurrence wins
                self.after[tuple(self.tokens[end - size : end])] = end

    def draft(self, sofar: Sequence[int], limit: int) -> list[int]:
        """The tokens that followed the longest recurring suffix of ``sofar`` (at most ``limit``)."""
        for size in self.SIZES:
            end = self.after.get(tuple(sofar[-size:])) if len(sofar) >= size else None
            if end is not None:
                return self.tokens[end : end + min(size, limit)]
        return []
