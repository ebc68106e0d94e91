"""The systems a code benchmark compares, all on the same tasks, model and context window.

* ``gfv``: the full pipeline (generators, validators, Qwen ranking).
* ``ngram-only``: the generators and validators, no LLM.
* ``qwen-direct``: Qwen's greedy FIM completion to the end of the line (what llama.vim
  and llama.vscode do).
* ``qwen-direct-5``: five sampled FIM completions, deduplicated (the multi-candidate peer).

Every system shares one loaded model; before each cold request the KV cache and the
score cache are cleared, so that no system profits from another's work.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass

from editor.config import Config
from editor.document import Slot
from editor.pipeline import Pipeline
from editor.ranking.llama_scorer import LlamaScorer
from editor.ranking.llm import LlmRanker


@dataclass
class SystemRun:
    shown: list[str]
    ms: float
    prefill: int = 0
    incremental: int = 0
    calls: int = 0


class _Counting:
    """Reads the scorer's counters around a request."""

    def __init__(self, scorer: LlamaScorer | None) -> None:
        self.scorer = scorer

    def measure(self, fn) -> SystemRun:
        s = self.scorer.stats if self.scorer else None
        before = (s.context_tokens, s.candidate_tokens, s.generated_tokens, s.decodes) if s else (0, 0, 0, 0)
        start = time.perf_counter()
        shown = fn()
        ms = (time.perf_counter() - start) * 1000
        if not s:
            return SystemRun(shown, ms)
        ctx, cand, gen, dec = (a - b for a, b in zip((s.context_tokens, s.candidate_tokens, s.generated_tokens, s.decodes), before))
        return SystemRun(shown, ms, prefill=ctx - gen, incremental=cand + gen, calls=dec)


class GfvSystem:
    def __init__(self, name: str, config: Config, model_path, scorer: LlamaScorer | None) -> None:
        self.name = name
        self.pipeline = Pipeline(config, model_path, "qwen" if model_path else None)
        self.counting = _Counting(scorer if model_path else None)

    def run(self, slot: Slot, k: int = 5) -> SystemRun:
        return self.counting.measure(lambda: [c.text for c in self.pipeline.suggest(slot, k).candidates])


class QwenDirect:
    """FIM completion of the line with the same prompt layout and window as gfv's ranker."""

    def __init__(self, name: str, scorer: LlamaScorer, config: Config, samples: int = 1, temperature: float = 0.0):
        self.name = name
        self.scorer = scorer
        self.ranker = LlmRanker(scorer, before=config.ranker.context_before, after=config.ranker.context_after)
        self.samples = samples
        self.temperature = temperature
        self.counting = _Counting(scorer)

    def _complete(self, slot: Slot) -> list[str]:
        context = self.ranker.context(slot) + self.scorer.tokenize(slot.typed)
        outs = [
            self.scorer.generate(context, max_tokens=48, stop="\n", temperature=self.temperature, seed=i)[0]
            for i in range(self.samples)
        ]
        if slot.typed[-1:].isspace():  # the typed indentation or space already sits before the cursor
            outs = [o.lstrip(" ") for o in outs]
        outs = [o.rstrip() for o in outs if o.strip()]
        counts = Counter(outs)
        return sorted(counts, key=lambda o: (-counts[o], outs.index(o)))

    def run(self, slot: Slot, k: int = 5) -> SystemRun:
        return self.counting.measure(lambda: self._complete(slot)[:k])


def build_systems(config: Config, model_path, scorer: LlamaScorer, names: list[str]) -> list:
    ngram_cfg = Config(**{**config.__dict__})
    ngram_cfg.ranker = type(config.ranker)(**{**config.ranker.__dict__, "name": "ngram"})
    makers = {
        "gfv": lambda: GfvSystem("gfv", config, model_path, scorer),
        "ngram-only": lambda: GfvSystem("ngram-only", ngram_cfg, None, None),
        "qwen-direct": lambda: QwenDirect("qwen-direct", scorer, config),
        "qwen-direct-5": lambda: QwenDirect("qwen-direct-5", scorer, config, samples=5, temperature=0.7),
    }
    return [makers[n]() for n in names]
