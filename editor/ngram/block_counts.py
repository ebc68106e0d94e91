"""The cache model's n-gram counts, kept per block of token lines and merged per context on demand.

Counting a whole document took ~30-90 ms per request, though between two requests only a
line or two change.  The token lines are cut into *blocks* where a line's hash says so
(content-defined: an edit moves no boundary but its own), each block's counts are
remembered by its content, and ``counts[ctx]`` is the blocks' counters for ``ctx`` added
up in document order when it is first asked for.

The result is exactly the plain count's: same numbers, and the same order inside each
counter (first occurrence in the document), which ``Counter.most_common`` breaks ties
with: adding counters in order appends each new key after those already there.
"""

from __future__ import annotations

import itertools
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterator, Mapping
from itertools import chain

from editor.ngram.index import BOS, EOS

BLOCK_MASK = 15  # a block ends after a line whose hash is 0 modulo 16 (about 16 lines)
MAX_BLOCK = 64  # ... or after this many lines
_NOT_SEEN = object()


def count_lines(
    lines: list[list[str]] | list[tuple[str, ...]], order: int
) -> dict[tuple[str, ...], Counter[str]]:
    """Context (0..order-1 tokens) -> counter of the next token, over ``<s> tokens </s>`` sentences."""
    # Plain dicts while counting (Counter's __missing__ and __init__ are Python code), made
    # Counters at the end: the same numbers and first-occurrence order as Counter += 1 gives.
    counts: dict[tuple[str, ...], dict[str, int]] = {}
    get = counts.get
    for tokens in lines:
        sentence = (BOS, *tokens, EOS)
        for i in range(1, len(sentence)):
            token = sentence[i]
            for length in range(min(order, i + 1)):
                ctx = sentence[i - length : i]
                found = get(ctx)
                if found is None:
                    counts[ctx] = {token: 1}
                else:
                    found[token] = found.get(token, 0) + 1
    for ctx, found in counts.items():
        counts[ctx] = _counter(found)
    return counts  # type: ignore[return-value]


def _counter(counts: dict[str, int]) -> Counter[str]:
    """``Counter(counts)`` (same items, same order) without Counter.__init__'s Python-level work."""
    made = Counter.__new__(Counter)
    dict.update(made, counts)
    return made


_SERIALS = itertools.count()


class _BlockCache:
    """Counts of recently seen blocks, by content (thread-safe LRU), each with a serial number
    that no other counts get (:class:`_MergedCache` keys by them)."""

    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self._seen: OrderedDict[tuple, tuple[int, dict]] = OrderedDict()
        self._lock = threading.Lock()

    def counts(
        self, block: tuple[tuple[str, ...], ...], order: int
    ) -> tuple[int, dict[tuple[str, ...], Counter[str]]]:
        key = (order, block)
        with self._lock:
            found = self._seen.get(key)
            if found is not None:
                self._seen.move_to_end(key)
                return found
        found = (next(_SERIALS), count_lines(block, order))
        with self._lock:
            self._seen[key] = found
            while len(self._seen) > self.size:
                self._seen.popitem(last=False)
        return found


_BLOCKS = _BlockCache()


class _MergedCache:
    """Merged counters by (context, serials of the blocks that have it): the requests on one
    document mostly merge the same blocks.  The counters are shared: callers must not change them."""

    def __init__(self, size: int = 65536) -> None:
        self.size = size
        self._seen: dict[tuple, Counter[str]] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Counter[str] | None:
        return self._seen.get(key)

    def add(self, key: tuple, merged: Counter[str]) -> None:
        with self._lock:
            if len(self._seen) >= self.size:
                self._seen.clear()
            self._seen[key] = merged


_MERGED = _MergedCache()


def split_blocks(lines: list[tuple[str, ...]]) -> list[tuple[tuple[str, ...], ...]]:
    """Consecutive runs of lines; a run ends after a line whose hash is 0 modulo 16 (or at MAX_BLOCK)."""
    blocks, current = [], []
    for line in lines:
        current.append(line)
        if not hash(line) & BLOCK_MASK or len(current) >= MAX_BLOCK:
            blocks.append(tuple(current))
            current = []
    if current:
        blocks.append(tuple(current))
    return blocks


class BlockCounts(Mapping):
    """``ctx -> Counter`` like :func:`count_lines` over all ``lines``, merged lazily from block counts.

    ``get`` (what the cache model uses) merges one context; iterating merges them all.
    """

    def __init__(self, lines: list[list[str]], order: int) -> None:
        as_tuples = [tuple(line) for line in lines]
        numbered = [_BLOCKS.counts(block, order) for block in split_blocks(as_tuples)]
        self._blocks = [counts for _, counts in numbered]
        self._serials = {id(counts): serial for serial, counts in numbered}  # the blocks stay alive here
        self._merged: dict[tuple[str, ...], object] = {}
        # The unigram counter straight from the tokens (first occurrence order, as merging gives).
        unigrams: Counter[str] = Counter(chain.from_iterable(chain(line, (EOS,)) for line in as_tuples))
        self._merged[()] = unigrams if unigrams else _NOT_SEEN

    def get(self, ctx, default=None):  # type: ignore[override]
        found = self._merged.get(ctx)
        if found is None:
            having = [block for block in self._blocks if ctx in block]
            if not having:
                found = _NOT_SEEN
            elif len(having) == 1:
                found = _counter(having[0][ctx])
            else:
                serials = self._serials
                key = (ctx, *[serials[id(block)] for block in having])
                found = _MERGED.get(key)
                if found is None:
                    # the blocks' counters added up in order (Counter.update's loop, without its
                    # per-call checks): the same numbers, keys in first-occurrence order
                    found = _counter(having[0][ctx])
                    add = found.get
                    for block in having[1:]:
                        for token, count in block[ctx].items():
                            found[token] = add(token, 0) + count
                    _MERGED.add(key, found)
            self._merged[ctx] = found
        return default if found is _NOT_SEEN else found

    def __getitem__(self, ctx) -> Counter[str]:
        found = self.get(ctx)
        if found is None:
            raise KeyError(ctx)
        return found

    def __contains__(self, ctx) -> bool:
        return self.get(ctx) is not None

    def _keys(self) -> list[tuple[str, ...]]:
        return list(dict.fromkeys(chain.from_iterable(self._blocks)))

    def __iter__(self) -> Iterator[tuple[str, ...]]:
        return iter([ctx for ctx in self._keys() if ctx in self])

    def __len__(self) -> int:
        return sum(1 for _ in self)


class Totals(Mapping):
    """``ctx -> sum(counts[ctx].values())``, computed when asked for."""

    def __init__(self, counts: BlockCounts) -> None:
        self._counts = counts
        self._totals: dict[tuple[str, ...], int] = {}

    def __getitem__(self, ctx) -> int:
        found = self._totals.get(ctx)
        if found is None:
            found = self._totals[ctx] = sum(self._counts[ctx].values())
        return found

    def get(self, ctx, default=None):  # type: ignore[override]
        return self[ctx] if ctx in self._counts else default

    def __iter__(self) -> Iterator[tuple[str, ...]]:
        return iter(self._counts)

    def __len__(self) -> int:
        return len(self._counts)
