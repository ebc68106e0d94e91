"""What a scorer returns and counts: log-probabilities of a candidate, and the work done."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ScoreResult:
    """Log-probabilities (natural log) of one candidate's scored tokens and of its end."""

    token_logprobs: list[float]
    end_logprob: float

    def total(self, normalisation: str = "mean") -> float:
        values = [*self.token_logprobs, self.end_logprob]
        return sum(values) / len(values) if normalisation == "mean" else sum(values)


@dataclass
class ScorerStats:
    """Work done, for benchmarks and traces."""

    calls: int = 0
    context_tokens: int = 0  # context tokens evaluated (prefill), after cache reuse
    reused_tokens: int = 0  # context tokens served from the KV cache
    candidate_tokens: int = 0  # trie tokens evaluated (incremental work)
    decode_ms: float = 0.0
    fewer_threads_ms: float = 0.0  # of decode_ms, on fewer threads than configured (company: live session)
    decodes: int = 0  # llama_decode calls
    generated_tokens: int = 0  # tokens produced by generate()
    lookahead_tokens: int = 0  # lookahead tokens evaluated by generate(), kept or not
    draft_tokens: int = 0  # of those, tokens verified from a lookahead draft (no decode call of their own)
    cached_candidates: int = 0  # candidates whose score came from the score cache
    path_tokens: int = 0  # trie tokens not evaluated: they follow the draft already in sequence 0
    last: dict = field(default_factory=dict)
