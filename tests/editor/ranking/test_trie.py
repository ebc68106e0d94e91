"""The candidate trie: sharing, following a draft's path, and the results it gives (no model)."""

import math

import numpy as np
import pytest

from editor.ranking.trie import build_trie, known_depths, on_path, tail_results

VOCAB = 6
END = 5


def _dist(*weights):
    raw = np.log(np.array(weights, dtype=np.float64))
    return raw - np.log(np.exp(raw).sum())


def test_shared_prefixes_are_one_node_and_parents_come_first():
    roots, order = build_trie([[1, 2, 3], [1, 2, 4], [2]])
    assert len(order) == 5  # 1, 2 (under 1), 3, 4, 2 (a root)
    assert [n.depth for n in order] == sorted(n.depth for n in order)
    assert roots[1].seqs == [1, 2] and roots[2].seqs == [3]
    assert roots[1].children[2].seqs == [1, 2]


def test_only_nodes_that_follow_the_path_are_known():
    tails = [[1, 2, 3], [1, 4], [2, 2]]
    roots, _ = build_trie(tails)
    d1, d2, d3 = _dist(1, 1, 1, 1, 1, 1), _dist(1, 2, 3, 4, 5, 6), _dist(6, 5, 4, 3, 2, 1)
    known = on_path(roots, [1, 2, 9], [d1, d2, d3])
    assert set(known) == {id(roots[1]), id(roots[1].children[2])}  # 9 is in no tail
    assert known_depths(roots, tails, known) == [2, 1, 0]
    # a path whose distributions are known only for its first token covers one node at most
    assert known_depths(roots, tails, on_path(roots, [1, 2, 3], [d1])) == [1, 1, 0]
    assert on_path(roots, [3], [d1]) == {}


def test_results_chain_each_nodes_distribution_and_end_on_the_end_tokens():
    tails = [[1, 2], [1]]
    roots, _ = build_trie(tails)
    first = _dist(1, 4, 1, 1, 1, 1)
    after1 = _dist(1, 1, 6, 1, 1, 1)
    after12 = _dist(1, 1, 1, 1, 1, 5)
    dists = {id(roots[1]): after1, id(roots[1].children[2]): after12}
    out = tail_results(roots, tails, first, lambda n: dists[id(n)], [END])
    (lps_a, end_a), (lps_b, end_b) = out
    assert lps_a == pytest.approx([math.log(4 / 9), math.log(6 / 11)]) and math.isclose(
        end_a, math.log(5 / 10)
    )
    assert lps_b == pytest.approx([math.log(4 / 9)]) and math.isclose(end_b, math.log(1 / 11))
