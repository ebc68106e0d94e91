"""Duplicate keys over a stream of chunks in 8 bytes a row, exactly.

A set of key tuples costs ~250 bytes a row in Python objects (1M rows: ~250 MB).
Instead each chunk's keys are hashed to 64 bits, vectorised
(:func:`pandas.util.hash_pandas_object`), and only the hashes are kept; at the end one
sort finds the hashes seen more than once.  Their rows are *suspects*: duplicates, or
two keys that collided.  :meth:`HashedKeys.confirm` settles the suspects with
one more pass over the key columns only, comparing the keys themselves for the rows
whose hash is suspect, so a collision never becomes a finding.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator

import numpy as np


class HashedKeys:
    """Keys of ``columns`` seen so far, as 64-bit hashes; see the module docstring."""

    def __init__(self, columns: tuple[str, ...]) -> None:
        self.columns = columns
        self._parts: list[np.ndarray] = []  # each chunk's hashes
        self._suspects: set[int] | None = None

    def _hashes(self, chunk: Any) -> np.ndarray:
        import pandas as pd  # pylint: disable=import-outside-toplevel

        frame = chunk[list(self.columns)].astype(object)  # the same hash whatever the string dtype
        return pd.util.hash_pandas_object(frame, index=False).to_numpy(dtype=np.uint64)

    def add(self, chunk: Any) -> None:
        """Take a chunk's keys (their hashes)."""
        self._parts.append(self._hashes(chunk))
        self._suspects = None

    @property
    def nbytes(self) -> int:
        return sum(part.nbytes for part in self._parts)

    @property
    def suspects(self) -> set[int]:
        """The hashes seen more than once (one sort of all the hashes, when first asked)."""
        if self._suspects is None:
            every = np.concatenate(self._parts) if self._parts else np.empty(0, dtype=np.uint64)
            unique, counts = np.unique(every, return_counts=True)
            self._suspects = {int(h) for h in unique[counts > 1]}
        return self._suspects

    def confirm(self, chunks: Iterable[Any]) -> Iterator[tuple[int, tuple[str, ...]]]:
        """(1-based row, key) of every row whose exact key came before, from a second pass.

        ``chunks`` must give the same rows again (the key columns are enough).
        """
        if not self.suspects:
            return
        wanted = np.fromiter(self.suspects, dtype=np.uint64, count=len(self.suspects))
        first: set[tuple[str, ...]] = set()
        offset = 0
        for chunk in chunks:
            hashes = self._hashes(chunk)
            for i in np.flatnonzero(np.isin(hashes, wanted)):
                key = tuple(str(chunk[c].iloc[i]) for c in self.columns)
                if key in first:
                    yield offset + int(i) + 1, key
                first.add(key)
            offset += len(chunk)
