"""The successor index: for each context of 1..order-1 tokens, the observed next tokens.

KenLM scores a token in context but cannot enumerate likely next tokens, which
beam search needs.  The index is built with numpy at training time:

* every context (a token-id tuple within one sentence) is hashed to 64 bits;
* per context length L the (context hash, next id) pairs are counted, contexts
  seen fewer than :func:`min_context_count` times are pruned (long contexts
  only) and the top :data:`TOP_SUCCESSORS` successors are kept;
* each length is stored as four ``.npy`` arrays (sorted hashes, offsets,
  successor ids, counts) that load memory-mapped in milliseconds.

Sentences are ``<s> tokens... </s>`` with ``<s>`` = id 0 and ``</s>`` = id 1.
"""

from __future__ import annotations

import bisect
from pathlib import Path

import numpy as np

INDEX_VERSION = "1"
TOP_SUCCESSORS = 32
MEMO_LEVELS = 200_000  # contexts whose stored successors are remembered (cleared when full)
BOS, EOS = "<s>", "</s>"
_MASK = (1 << 64) - 1
_PRIME = 0x100000001B3
_SEED = 0xCBF29CE484222325


def min_context_count(length: int) -> int:
    """Contexts of 3+ tokens seen only once are pruned: they are mostly noise and bulk."""
    return 1 if length <= 2 else 2


def _seed(length: int) -> int:
    return (_SEED ^ length) & _MASK


def hash_context(ids: list[int] | tuple[int, ...]) -> int:
    """The 64-bit hash of a context, identical to the vectorised one used when building."""
    value = _seed(len(ids))
    for token_id in ids:
        value = (value * _PRIME + token_id + 1) & _MASK
    return value


def build_successor_index(sentences: list[list[str]], order: int, out_dir: Path) -> dict[str, int]:
    """Count successors of every context in ``sentences`` and write the index to ``out_dir``.

    Returns statistics (vocabulary size, contexts kept per length).
    """
    vocab: dict[str, int] = {BOS: 0, EOS: 1}
    flat: list[int] = []
    starts: list[int] = []
    for sentence in sentences:
        starts.append(len(flat))
        flat.append(0)
        for token in sentence:
            flat.append(vocab.setdefault(token, len(vocab)))
        flat.append(1)
    ids = np.asarray(flat, dtype=np.int64)
    lengths = np.diff(np.asarray([*starts, len(flat)], dtype=np.int64))
    sentence_start = np.repeat(np.asarray(starts, dtype=np.int64), lengths)
    positions = np.arange(len(ids), dtype=np.int64)

    unigram = np.bincount(ids, minlength=len(vocab)).astype(np.int64)
    tokens = [""] * len(vocab)
    for token, token_id in vocab.items():
        tokens[token_id] = token
    (out_dir / "vocab.txt").write_text("\n".join(tokens), encoding="utf-8")
    np.save(out_dir / "unigram.npy", unigram)
    alpha = np.asarray(sorted(range(len(tokens)), key=tokens.__getitem__), dtype=np.int32)
    np.save(out_dir / "alpha.npy", alpha)

    stats = {"vocab": len(vocab)}
    targets = ids != 0
    for length in range(1, max(1, order - 1) + 1):
        valid = targets & (positions - length >= sentence_start)
        where = positions[valid]
        hashes = np.full(len(where), _seed(length), dtype=np.uint64)
        with np.errstate(over="ignore"):
            for j in range(length):
                hashes = hashes * np.uint64(_PRIME) + (ids[where - length + j] + 1).astype(np.uint64)
        kept = _write_level(hashes, ids[where].astype(np.int32), length, out_dir)
        stats[f"contexts_{length}"] = kept
    return stats


def _write_level(hashes: np.ndarray, nexts: np.ndarray, length: int, out_dir: Path) -> int:
    """Count (context, next) pairs, prune, keep the top successors, save four arrays."""
    if len(hashes):
        order = np.lexsort((nexts, hashes))
        hashes, nexts = hashes[order], nexts[order]
        new_pair = np.ones(len(hashes), dtype=bool)
        new_pair[1:] = (hashes[1:] != hashes[:-1]) | (nexts[1:] != nexts[:-1])
        pair_start = np.flatnonzero(new_pair)
        pair_hash, pair_next = hashes[pair_start], nexts[pair_start]
        pair_count = np.diff(np.append(pair_start, len(hashes))).astype(np.int32)
        # Context totals, pruning rare contexts.
        new_ctx = np.ones(len(pair_hash), dtype=bool)
        new_ctx[1:] = pair_hash[1:] != pair_hash[:-1]
        ctx_id = np.cumsum(new_ctx) - 1
        ctx_total = np.bincount(ctx_id, weights=pair_count)
        keep = ctx_total[ctx_id] >= min_context_count(length)
        pair_hash, pair_next, pair_count = pair_hash[keep], pair_next[keep], pair_count[keep]
        # Top successors per context: sort by (hash, -count, id) and rank within the group.
        order = np.lexsort((pair_next, -pair_count, pair_hash))
        pair_hash, pair_next, pair_count = pair_hash[order], pair_next[order], pair_count[order]
        new_ctx = np.ones(len(pair_hash), dtype=bool)
        new_ctx[1:] = pair_hash[1:] != pair_hash[:-1]
        group_start = np.flatnonzero(new_ctx)
        rank = np.arange(len(pair_hash)) - np.repeat(
            group_start, np.diff(np.append(group_start, len(pair_hash)))
        )
        top = rank < TOP_SUCCESSORS
        pair_hash, pair_next, pair_count = pair_hash[top], pair_next[top], pair_count[top]
        new_ctx = np.ones(len(pair_hash), dtype=bool)
        new_ctx[1:] = pair_hash[1:] != pair_hash[:-1]
        group_start = np.flatnonzero(new_ctx)
        contexts = pair_hash[group_start]
        offsets = np.append(group_start, len(pair_hash)).astype(np.int64)
    else:
        contexts, offsets = np.zeros(0, dtype=np.uint64), np.zeros(1, dtype=np.int64)
        pair_next, pair_count = np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32)
    np.save(out_dir / f"ctx{length}.npy", contexts)
    np.save(out_dir / f"off{length}.npy", offsets)
    np.save(out_dir / f"succ{length}.npy", pair_next.astype(np.int32))
    np.save(out_dir / f"cnt{length}.npy", pair_count.astype(np.int32))
    return int(len(contexts))


class SuccessorIndex:
    """Read side of the index: successors of a context with back-off, prefix search."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.tokens: list[str] = (self.directory / "vocab.txt").read_text(encoding="utf-8").split("\n")
        self.ids: dict[str, int] = {token: i for i, token in enumerate(self.tokens)}
        self.unigram = np.load(self.directory / "unigram.npy")
        self._levels: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = {}
        length = 1
        while (self.directory / f"ctx{length}.npy").is_file():
            self._levels[length] = tuple(  # type: ignore[assignment]
                # plain ndarray views of the memory maps: np.memmap's indexing costs ~10x more
                np.asarray(np.load(self.directory / f"{name}{length}.npy", mmap_mode="r"))
                for name in ("ctx", "off", "succ", "cnt")
            )
            length += 1
        self.max_context = length - 1
        self._alpha: list[str] | None = None
        self._alpha_ids: np.ndarray | None = None
        self._top: list[int] | None = None
        self._level_memo: dict[tuple[int, ...], list[tuple[int, int]]] = {}

    @classmethod
    def load(cls, directory: Path) -> "SuccessorIndex":
        """Open the index of a model directory (arrays are memory-mapped)."""
        return cls(directory)

    def __contains__(self, token: str) -> bool:
        return token in self.ids

    def count(self, token: str) -> int:
        """How often ``token`` occurred in the training corpus."""
        token_id = self.ids.get(token)
        return int(self.unigram[token_id]) if token_id is not None else 0

    def _level(self, context_ids: list[int]) -> list[tuple[int, int]]:
        """The stored successors of one context (memoised: shorter contexts recur in many)."""
        key = tuple(context_ids)
        found = self._level_memo.get(key)
        if found is None:
            if len(self._level_memo) >= MEMO_LEVELS:
                self._level_memo.clear()
            found = self._level_memo[key] = self._read_level(context_ids)
        return found

    def _read_level(self, context_ids: list[int]) -> list[tuple[int, int]]:
        contexts, offsets, succ, cnt = self._levels[len(context_ids)]
        key = np.uint64(hash_context(context_ids))
        pos = int(contexts.searchsorted(key))  # the method: np.searchsorted's dispatch costs as much
        if pos >= len(contexts) or contexts[pos] != key:
            return []
        lo, hi = int(offsets[pos]), int(offsets[pos + 1])
        return list(zip(succ[lo:hi].tolist(), cnt[lo:hi].tolist()))

    def successors(self, context: list[str], limit: int = TOP_SUCCESSORS) -> list[tuple[str, int]]:
        """Next tokens after ``context``, longest matching context first, backing off to shorter.

        Counts are those of the context length they were found at.
        """
        ids: list[int] = []
        for token in reversed(context[-self.max_context :] if self.max_context else []):
            token_id = self.ids.get(token)
            if token_id is None:
                break
            ids.append(token_id)
        ids.reverse()
        seen: set[int] = set()
        out: list[tuple[str, int]] = []
        for length in range(len(ids), 0, -1):
            for token_id, count in self._level(ids[-length:]):
                if token_id not in seen:
                    seen.add(token_id)
                    out.append((self.tokens[token_id], count))
            if len(out) >= limit:
                break
        if len(out) < limit:
            for token_id in self._top_unigrams():
                if token_id not in seen and token_id > 1:
                    seen.add(token_id)
                    out.append((self.tokens[token_id], int(self.unigram[token_id])))
        return out[:limit]

    def _top_unigrams(self) -> list[int]:
        if self._top is None:
            self._top = np.argsort(-self.unigram, kind="stable")[: 2 * TOP_SUCCESSORS].tolist()
        return self._top

    def with_prefix(self, prefix: str, limit: int = 48) -> list[tuple[str, int]]:
        """The most frequent vocabulary tokens starting with ``prefix``."""
        if self._alpha is None:
            self._alpha_ids = np.load(self.directory / "alpha.npy")
            self._alpha = [self.tokens[i] for i in self._alpha_ids.tolist()]
        assert self._alpha_ids is not None
        lo = bisect.bisect_left(self._alpha, prefix)
        hi = bisect.bisect_left(self._alpha, prefix + "\U0010ffff")
        if hi <= lo:
            return []
        ids = self._alpha_ids[lo:hi]
        counts = self.unigram[ids]
        best = np.argsort(-counts, kind="stable")[:limit]
        return [(self.tokens[int(ids[i])], int(counts[i])) for i in best]
