"""Score candidates' token tails as one trie hanging off sequence 0 of a scorer's KV cache.

Every trie node is one token in a single ``llama_batch``, tagged with the sequence ids
of all candidates that pass through it, so candidates that share a prefix share that
work, and all of them are evaluated in one decode call (chunked only while a checkpoint
is set).

**The path.**  Sequence 0 may hold tokens beyond the trie's base: the greedy draft the
scorer has just generated (``LlamaScorer.generate``), whose next-token distributions
were computed then.  A trie node that follows that path (same token at the same depth,
its parent on the path too) costs nothing: its distribution is the path's, and the
sequences through it take the path's KV cells.  So the draft, which the ranker scores
like any other candidate, is ranked for free, and a candidate that shares its first
tokens with the draft pays only for the rest.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np


@dataclass
class TrieNode:
    token: int
    depth: int
    seqs: list[int]
    children: dict[int, "TrieNode"] = field(default_factory=dict)
    batch_index: int = -1


def build_trie(tails: list[list[int]]) -> tuple[dict[int, TrieNode], list[TrieNode]]:
    """The tails' trie (sequence ids from 1) and its nodes, parents before children."""
    roots: dict[int, TrieNode] = {}
    order: list[TrieNode] = []
    for seq, tail in enumerate(tails, start=1):
        level = roots
        for depth, tok in enumerate(tail):
            node = level.get(tok)
            if node is None:
                node = level[tok] = TrieNode(tok, depth, [])
                order.append(node)
            node.seqs.append(seq)
            level = node.children
    order.sort(key=lambda n: n.depth)  # parents before children, so chunks respect causality
    return roots, order


def on_path(
    roots: dict[int, TrieNode], path: list[int], dists: list[np.ndarray | None]
) -> dict[int, np.ndarray]:
    """id(node) -> its next-token distribution, for the nodes that follow ``path``.

    ``dists[d]`` is the distribution after ``path[d]``, or None where it is not known (the
    path is followed up to there).
    """
    known: dict[int, np.ndarray] = {}
    level = roots
    for tok, dist in zip(path, dists):
        node = level.get(tok)
        if node is None or dist is None:
            break
        known[id(node)] = dist
        level = node.children
    return known


def known_depths(
    roots: dict[int, TrieNode], tails: list[list[int]], known: dict[int, np.ndarray]
) -> list[int]:
    """For each tail, how many of its first tokens follow the path."""
    depths = []
    for tail in tails:
        level, depth = roots, 0
        for tok in tail:
            node = level[tok]
            if id(node) not in known:
                break
            depth += 1
            level = node.children
        depths.append(depth)
    return depths


def fill_batch(batch, chunk: list[TrieNode], base: int) -> None:
    """Put ``chunk``'s nodes into a llama_batch, each at ``base`` + its depth, with its sequences."""
    for i, node in enumerate(chunk):
        batch.token[i] = node.token
        batch.pos[i] = base + node.depth
        batch.n_seq_id[i] = len(node.seqs)
        for j, s in enumerate(node.seqs):
            batch.seq_id[i][j] = s
        batch.logits[i] = True
        node.batch_index = i
    batch.n_tokens = len(chunk)


def tail_results(
    roots: dict[int, TrieNode],
    tails: list[list[int]],
    first: np.ndarray,
    dist_of: Callable[[TrieNode], np.ndarray],
    end_tokens: list[int],
) -> list[tuple[list[float], float]]:
    """Each tail's token log-probabilities and the log-probability that it ends there."""
    out = []
    for tail in tails:
        lps, logp, level = [], first, roots
        for tok in tail:
            lps.append(float(logp[tok]))
            node = level[tok]
            logp, level = dist_of(node), node.children
        out.append((lps, end_logprob(logp, end_tokens)))
    return out


def end_logprob(dist: np.ndarray, end_tokens: list[int]) -> float:
    """log P(the middle ends here): the log of the summed probability of the end tokens."""
    ends = dist[np.asarray(end_tokens)]
    peak = float(ends.max())
    return peak + math.log(float(np.exp(ends - peak).sum()))


def common_prefix(seqs: list[list[int]]) -> int:
    """How many first tokens every sequence shares."""
    first = seqs[0]
    n = min(len(s) for s in seqs)
    for i in range(n):
        tok = first[i]
        if any(s[i] != tok for s in seqs):
            return i
    return n
