"""A trained n-gram model: KenLM scoring (stateful) plus the successor index."""

from __future__ import annotations

import json
from pathlib import Path

import kenlm

from editor.errors import ExitCode, GfvError
from editor.ngram.index import EOS, SuccessorIndex
from editor.ngram.train import META_FILE, MODEL_FILE, read_meta

MEMO_CONTEXTS = 50_000  # successor lists remembered (the model never changes; cleared when full)


class NgramModel:
    """KenLM model + successor index of one model directory.

    Scores are log10 probabilities, as KenLM returns them.  Use the stateful
    API (:meth:`begin`, :meth:`advance`) for incremental beam search.
    """

    def __init__(self, directory: Path, lm: "kenlm.Model", index: SuccessorIndex, meta: dict) -> None:
        self.directory = Path(directory)
        self.lm = lm
        self.index = index
        self.meta = meta
        self.order = int(lm.order)
        self._successors: dict[tuple, list[tuple[str, int]]] = {}

    @classmethod
    def load(cls, directory: Path) -> "NgramModel":
        """Load a complete model directory; GfvError when it is missing or unfinished."""
        directory = Path(directory)
        meta = read_meta(directory)
        if meta is None:
            raise GfvError(
                f"{directory}: no complete n-gram model here (missing {META_FILE} or {MODEL_FILE});"
                " run `gfv train`",
                ExitCode.USAGE,
            )
        try:
            config = kenlm.Config()
            config.show_progress = False  # no progress bar on stderr (the TUI owns the terminal)
            lm = kenlm.Model(str(directory / MODEL_FILE), config)
            index = SuccessorIndex.load(directory)
        except (OSError, RuntimeError, ValueError, json.JSONDecodeError) as exc:
            raise GfvError(
                f"{directory}: cannot load the n-gram model ({exc}); retrain it with `gfv train --force`",
                ExitCode.INTERNAL,
            ) from None
        return cls(directory, lm, index, meta)

    def begin(self, tokens: list[str] = ()) -> tuple["kenlm.State", float]:
        """State after ``<s>`` and ``tokens``, with the log10 probability of ``tokens``."""
        state = kenlm.State()
        self.lm.BeginSentenceWrite(state)
        total = 0.0
        for token in tokens:
            score, state = self.advance(state, token)
            total += score
        return state, total

    def advance(self, state: "kenlm.State", token: str) -> tuple[float, "kenlm.State"]:
        """log10 p(token | state) and the state after ``token``."""
        out = kenlm.State()
        return self.lm.BaseScore(state, token, out), out

    def logprob_next(self, state: "kenlm.State", token: str) -> float:
        """log10 p(token | state), discarding the new state."""
        return self.lm.BaseScore(state, token, kenlm.State())

    def score_line(self, tokens: list[str], eos: bool = True) -> float:
        """log10 probability of a whole sentence (``<s>`` implied, ``</s>`` if ``eos``)."""
        _, total = self.begin(list(tokens) + ([EOS] if eos else []))
        return total

    def known(self, token: str) -> bool:
        """True when KenLM has the token in its vocabulary."""
        return token in self.lm

    def successors(self, context: list[str], limit: int = 32) -> list[tuple[str, int]]:
        """Likely next tokens after ``context`` (which may start with ``<s>``), with counts.

        Memoised by the context's last ``index.max_context`` tokens (all the index reads).
        """
        longest = self.index.max_context
        key = (tuple(context[-longest:]) if longest else (), limit)
        found = self._successors.get(key)
        if found is None:
            found = self.index.successors(list(context), limit)
            if len(self._successors) >= MEMO_CONTEXTS:
                self._successors.clear()
            self._successors[key] = found
        return list(found)

    def with_prefix(self, prefix: str, limit: int = 48) -> list[tuple[str, int]]:
        """Frequent vocabulary tokens starting with ``prefix``."""
        return self.index.with_prefix(prefix, limit)
