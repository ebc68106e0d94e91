"""Duplicate keys by 64-bit hashes, settled exactly by a second pass."""

from __future__ import annotations

import numpy as np
import pandas as pd

from editor.tables.keyset import HashedKeys


def chunks(rows: list[tuple[str, str]], size: int) -> list[pd.DataFrame]:
    frame = pd.DataFrame(rows, columns=["a", "b"], dtype=str)
    return [frame.iloc[i : i + size].reset_index(drop=True) for i in range(0, len(frame), size)]


def run(keys: HashedKeys, parts: list[pd.DataFrame]) -> list[tuple[int, tuple[str, ...]]]:
    for part in parts:
        keys.add(part)
    return list(keys.confirm(parts))


ROWS = [("x", "1"), ("y", "1"), ("x", "2"), ("x", "1"), ("z", "9"), ("y", "1"), ("x", "1")]


def test_duplicates_within_and_across_chunks():
    for size in (1, 2, 3, 7):
        assert run(HashedKeys(("a", "b")), chunks(ROWS, size)) == [
            (4, ("x", "1")),
            (6, ("y", "1")),
            (7, ("x", "1")),
        ], size


def test_no_duplicates_no_second_pass():
    keys = HashedKeys(("a",))
    for part in chunks([("p", "1"), ("q", "1"), ("r", "1")], 2):
        keys.add(part)
    assert not keys.suspects
    assert list(keys.confirm(iter(()))) == []


def test_hash_collisions_are_not_findings(monkeypatch):
    real = HashedKeys._hashes

    def colliding(self, chunk):  # only 2 distinct hashes for all keys: collisions galore
        return real(self, chunk) % np.uint64(2)

    monkeypatch.setattr(HashedKeys, "_hashes", colliding)
    keys = HashedKeys(("a", "b"))
    assert run(keys, chunks(ROWS, 3)) == [(4, ("x", "1")), (6, ("y", "1")), (7, ("x", "1"))]
    assert len(keys.suspects) == 2  # every hash was suspect; the keys themselves decided


def test_memory_is_eight_bytes_a_row():
    keys = HashedKeys(("a", "b"))
    rows = [(f"k{i}", str(i % 7)) for i in range(20_000)]
    for part in chunks(rows, 5_000):
        keys.add(part)
    assert keys.nbytes == 8 * 20_000 and not keys.suspects
