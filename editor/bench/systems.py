"""The systems a code benchmark compares, all on the same tasks, model and context window.

* ``gfv``: the full pipeline (generators, validators, Qwen ranking).
* ``ngram-only``: the generators and validators, no LLM.
* ``qwen-direct``: Qwen's greedy FIM completion to the end of the line (what llama.vim
  and llama.vscode do).
* ``qwen-direct-5``: five sampled FIM completions, deduplicated (the multi-candidate peer).
* ``qwen-direct-healed``: ``qwen-direct`` with the token healing of gfv's draft (the typed
  text's last word is re-chosen by the model), to show how much of gfv's lead is healing.
* ``peer-direct`` and ``peer-direct-5``: ``qwen-direct`` and ``qwen-direct-5`` with the
  *peer* model (``--peer-model``: the larger Qwen2.5-Coder-1.5B a user with more compute
  would pick instead), in the same prompt layout and window.

Every system but the peers shares one loaded model; before each cold request the KV cache
and the score cache are cleared, so that no system profits from another's work.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

from editor.config import Config
from editor.document import Slot
from editor.errors import ExitCode, GfvError
from editor.ranking.generation import heal_span
from editor.live import LiveSession
from editor.shown import extends
from editor.pipeline import Pipeline
from editor.ranking.llama_scorer import LlamaScorer
from editor.ranking.llm import LlmRanker, get_scorer


@dataclass
class SystemRun:
    shown: list[str]
    ms: float
    prefill: int = 0
    incremental: int = 0
    calls: int = 0
    llm_ms: float = 0.0  # time inside llama_decode
    valid: list[str] = field(default_factory=list)  # every valid candidate before the cut to k (recall)


class _Counting:
    """Reads the scorer's counters around a request."""

    def __init__(self, scorer: LlamaScorer | None) -> None:
        self.scorer = scorer

    def measure(self, fn) -> SystemRun:
        """Run ``fn`` (-> shown, or (shown, every valid candidate)) and read the scorer's counters around it."""
        s = self.scorer.stats if self.scorer else None
        fields = ("context_tokens", "candidate_tokens", "generated_tokens", "decodes", "decode_ms")
        before = [getattr(s, f) for f in fields] if s else []
        start = time.perf_counter()
        out = fn()
        shown, valid = out if isinstance(out, tuple) else (out, list(out))
        ms = (time.perf_counter() - start) * 1000
        if not s:
            return SystemRun(shown, ms, valid=valid)
        ctx, cand, gen, dec, llm_ms = (getattr(s, f) - b for f, b in zip(fields, before))
        return SystemRun(shown, ms, ctx - gen, cand + gen, dec, llm_ms, valid)


class GfvSystem:
    def __init__(self, name: str, config: Config, model_path, scorer: LlamaScorer | None) -> None:
        self.name = name
        self.pipeline = Pipeline(config, model_path, "qwen" if model_path else None)
        self.scorer = scorer if model_path else None
        self.counting = _Counting(self.scorer)

    def run(self, slot: Slot, k: int = 5) -> SystemRun:
        def run():
            result = self.pipeline.suggest(slot, k)
            self.last = (slot, result.candidates)
            return [c.text for c in result.candidates], result.valid_texts

        return self.counting.measure(run)

    def warm(self, slot: Slot, k: int = 5) -> SystemRun:
        """The next keystroke as ``gfv edit`` answers it (editor/live.py): the last answer
        continued when the typed character agrees with it, else the quick answer."""
        live = LiveSession(self.pipeline, k=k, background=False)
        live.seed(*self.last)
        return self.counting.measure(lambda: [s.text_after(slot.typed) for s in live.request(slot)])


class QwenDirect:
    """FIM completion of the line with the same prompt layout and window as gfv's ranker."""

    def __init__(  # pylint: disable=too-many-arguments
        self, name: str, scorer: LlamaScorer, config: Config, samples: int = 1, temperature: float = 0.0,
        heal: bool = False,
    ):  # fmt: skip
        self.name = name
        self.heal = heal
        self.scorer = scorer
        self.ranker = LlmRanker.from_config(scorer, config.ranker)
        self.samples = samples
        self.temperature = temperature
        self.counting = _Counting(scorer)

    def complete(self, slot: Slot) -> list[str]:
        if not self.ranker.fits(slot):  # as gfv: the model sits out a line too long for its window
            return []
        typed = slot.typed
        heal = heal_span(typed) if self.heal else ""
        context = self.ranker.context(slot) + self.scorer.tokenize(typed[: len(typed) - len(heal)])
        outs = []
        for i in range(self.samples):
            text = self.scorer.generate(
                context, max_tokens=48, stop="\n", temperature=self.temperature, seed=i, heal=heal
            )[0]
            outs.append(text[len(heal) :] if text.startswith(heal) else "")
        if typed[-1:].isspace() and not heal:  # the typed indentation or space already sits before the cursor
            outs = [o.lstrip(" ") for o in outs]
        outs = [o.rstrip() for o in outs if o.strip()]
        counts = Counter(outs)
        return sorted(counts, key=lambda o: (-counts[o], outs.index(o)))

    def run(self, slot: Slot, k: int = 5) -> SystemRun:
        def run():
            outs = self.complete(slot)
            self.last = (slot.typed, outs[:k])
            return outs[:k], outs

        return self.counting.measure(run)

    def warm(self, slot: Slot, k: int = 5) -> SystemRun:
        """The next keystroke as llama.vim answers it: the last completion continued when
        the typed character agrees with it, else a new completion."""
        typed, outs = self.last
        agreeing = [typed + o for o in outs if extends(typed + o, slot.typed)]
        if agreeing:
            return self.counting.measure(lambda: [line[len(slot.typed) :] for line in agreeing])
        return self.run(slot, k)


PEER_SYSTEMS = ("peer-direct", "peer-direct-5")  # the code bench's; the typing replay has peer-direct


def peer_scorer(peer_model, names: list[str], config: Config) -> LlamaScorer | None:
    """The peer model, loaded only when one of ``names`` is a peer system and ``peer_model`` is given."""
    if peer_model is None or not set(names) & set(PEER_SYSTEMS):
        return None
    return get_scorer(peer_model, n_ctx=config.ranker.n_ctx, threads=config.ranker.threads)


def require_peer(peer: LlamaScorer | None, names: list[str]) -> None:
    """GfvError (usage) when one of ``names`` is a peer system and no peer model is loaded."""
    asked = [n for n in names if n in PEER_SYSTEMS]
    if peer is None and asked:
        raise GfvError(f"the systems {', '.join(asked)} need --peer-model", ExitCode.USAGE)


def build_systems(
    config: Config, model_path, scorer: LlamaScorer, names: list[str], peer: LlamaScorer | None = None
) -> list:
    """The runners of ``names``; each has a ``scorer`` (None: no LLM), which the bench prefills for it."""
    require_peer(peer, names)
    ngram_cfg = Config(**{**config.__dict__})
    ngram_cfg.ranker = type(config.ranker)(**{**config.ranker.__dict__, "name": "ngram"})
    makers = {
        "gfv": lambda: GfvSystem("gfv", config, model_path, scorer),
        "ngram-only": lambda: GfvSystem("ngram-only", ngram_cfg, None, None),
        "qwen-direct": lambda: QwenDirect("qwen-direct", scorer, config),
        "qwen-direct-5": lambda: QwenDirect("qwen-direct-5", scorer, config, samples=5, temperature=0.7),
        "qwen-direct-healed": lambda: QwenDirect("qwen-direct-healed", scorer, config, heal=True),
        "peer-direct": lambda: QwenDirect("peer-direct", peer, config),
        "peer-direct-5": lambda: QwenDirect("peer-direct-5", peer, config, samples=5, temperature=0.7),
    }
    return [makers[n]() for n in names]
