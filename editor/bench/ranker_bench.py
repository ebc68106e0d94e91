"""``gfv bench ranker``: how fast the Qwen ranker scores candidates, cold and warm, and how well.

For each sampled line of a real Python file the cursor is put after the line's
indentation plus ``typed`` characters; candidates are the true rest of the line plus
distractors (other lines of the file with the same indentation, cut the same way).
Each slot is scored twice:

* cold: a new context (the KV cache holds another slot's context), as on a jump;
* warm: the same slot after the user typed one more character (the editor's case).

It reports candidates scored per second, tokens evaluated, and how often the true
line ranks first under ``mean`` and ``sum`` normalisation, which is how the default
normalisation was chosen.
"""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from editor.candidates import Candidate
from editor.document import Document
from editor.ranking.llm import LlmRanker, get_scorer


@dataclass
class RankerBenchResult:
    slots: int
    candidates_per_slot: float
    cold_ms_p50: float
    warm_ms_p50: float
    cold_cands_per_s: float
    warm_cands_per_s: float
    cold_context_tokens: float
    warm_context_tokens: float
    candidate_tokens: float
    top1_mean: float
    top1_sum: float

    def to_json(self) -> dict:
        return {k: round(v, 3) if isinstance(v, float) else v for k, v in self.__dict__.items()}


def _slots(doc: Document, n: int, typed: int, rng: random.Random) -> list[tuple[int, int, str, list[str]]]:
    lines = doc.lines
    code = [
        i for i, line in enumerate(lines)
        if line.strip() and not line.lstrip().startswith(("#", '"', "'")) and len(line.strip()) > typed + 3
    ]  # fmt: skip
    rng.shuffle(code)
    out = []
    for i in code[:n]:
        line = lines[i]
        ind = len(line) - len(line.lstrip())
        col = ind + typed
        rest = line[col:]
        prefix = line[:col]
        pool = [
            lines[j][col:] for j in code if j != i and lines[j].startswith(prefix) and lines[j][col:] != rest
        ]
        if len(pool) < 3:
            pool = [lines[j].strip() for j in code if j != i and lines[j].strip() != line.strip()]
            prefix, col = line[:ind], ind
            rest = line[ind:]
        distractors = list(dict.fromkeys(pool))
        rng.shuffle(distractors)
        out.append((i, col, rest, distractors[:11]))
    return out


def bench_ranker(model: Path, files: list[Path], slots_per_file: int = 10, seed: int = 0, threads: int = 2):
    """Run the benchmark; returns a RankerBenchResult."""
    rng = random.Random(seed)
    scorer = get_scorer(model, threads=threads)
    mean_ranker = LlmRanker(scorer, "mean")
    sum_ranker = LlmRanker(scorer, "sum")
    cold_ms, warm_ms, cold_ctx, warm_ctx, cand_tok, n_cands = [], [], [], [], [], []
    top_mean = top_sum = 0
    total = 0
    for path in files:
        doc = Document.load(path)
        for line, col, truth, distractors in _slots(doc, slots_per_file, 2, rng):
            cands = [Candidate(truth, "truth")] + [Candidate(d, "distractor") for d in distractors]
            slot = doc.slot(line, col)
            start = time.perf_counter()
            scores = mean_ranker.score(slot, cands)
            cold_ms.append((time.perf_counter() - start) * 1000)
            cold_ctx.append(scorer.stats.last["context_tokens"])
            cand_tok.append(scorer.stats.last["candidate_tokens"])
            n_cands.append(len(cands))
            sums = sum_ranker.score(slot, cands)
            top_mean += scores.index(max(scores)) == 0
            top_sum += sums.index(max(sums)) == 0
            total += 1
            # warm: one more character typed, candidates that still fit
            if len(truth) > 1:
                warm_slot = Document(slot.apply(truth[0])).slot(line, col + 1)
                warm = [
                    Candidate(c.text[1:], c.source)
                    for c in cands
                    if c.text[:1] == truth[0] and len(c.text) > 1
                ]
                start = time.perf_counter()
                mean_ranker.score(warm_slot, warm)
                warm_ms.append((time.perf_counter() - start) * 1000)
                warm_ctx.append(scorer.stats.last["context_tokens"])
    med = statistics.median
    return RankerBenchResult(
        slots=total,
        candidates_per_slot=statistics.mean(n_cands),
        cold_ms_p50=med(cold_ms),
        warm_ms_p50=med(warm_ms),
        cold_cands_per_s=sum(n_cands) / (sum(cold_ms) / 1000),
        warm_cands_per_s=sum(n_cands) / (sum(warm_ms) / 1000),
        cold_context_tokens=statistics.mean(cold_ctx),
        warm_context_tokens=statistics.mean(warm_ctx),
        candidate_tokens=statistics.mean(cand_tok),
        top1_mean=top_mean / total,
        top1_sum=top_sum / total,
    )
