"""``gfv bench code``: gfv against its peers on held-out lines of a real repository.

Per task and system: a cold request, then a warm one at the same spot after the user
typed one more character of the true line, answered as the editor answers a keystroke:
the cold answer continued when the character agrees with it, else gfv's quick answer
(editor/live.py) or, for the qwen-direct systems, a new completion (llama.vim's reuse).  Cold: the score cache is cleared and the KV
cache holds only the task's context, whose prefill, measured once per task, is charged
to every system that used the LLM (see ``_charge``). Quality metrics come
from the cold request; latency is reported for both.
"""

from __future__ import annotations

import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from editor.bench.metrics import edit_similarity, latency_summary, mean_or_none, squash
from editor.bench.systems import PEER_SYSTEMS, SystemRun, build_systems, peer_scorer
from editor.bench.tasks import CodeTask, black_config, sample_tasks, split_files, training_corpus
from editor.candidates import Candidate
from editor.config import Config
from editor.document import Document
from editor.errors import ExitCode, GfvError
from editor.ngram.train import train
from editor.ranking.llm import LlmRanker, get_scorer
from editor.stages import StageContext, load_builtin_stages, validators

SYSTEMS = ["gfv", "ngram-only", "qwen-direct", "qwen-direct-5", "qwen-direct-healed", *PEER_SYSTEMS]
CHECKS = ["syntax", "black", "pylint"]


@dataclass
class _Tally:
    em1: list[float] = field(default_factory=list)
    hit5: list[float] = field(default_factory=list)
    edit_sim: list[float] = field(default_factory=list)
    valid: list[float] = field(default_factory=list)  # one entry per shown candidate
    recall: list[float] = field(default_factory=list)  # the truth among all valid candidates, before the cut
    no_candidate: list[float] = field(default_factory=list)
    llm_ms: list[float] = field(default_factory=list)  # time inside llama_decode, per cold request
    prefill: list[int] = field(default_factory=list)
    incremental: list[int] = field(default_factory=list)
    calls: list[int] = field(default_factory=list)
    cold_ms: list[float] = field(default_factory=list)
    warm_ms: list[float] = field(default_factory=list)

    def summary(self) -> dict:
        mean = mean_or_none
        return {
            "em1": mean(self.em1),
            "hit5": mean(self.hit5),
            "edit_sim": mean(self.edit_sim),
            "valid_shown": mean(self.valid),
            "recall": mean(self.recall),
            "no_candidate": mean(self.no_candidate),
            "llm_ms": mean(self.llm_ms, 1),
            "shown_per_task": round(len(self.valid) / max(len(self.em1), 1), 2),
            "llm_tokens": {"prefill": mean(self.prefill), "incremental": mean(self.incremental)},
            "llm_calls": mean(self.calls),
            "wall_ms": latency_summary(self.cold_ms, self.warm_ms),
        }


class _Checker:
    """The same validators judge every system's shown candidates."""

    def __init__(self, config: Config) -> None:
        load_builtin_stages()
        ctx = StageContext(config)
        self.validators = [validators.get(n)(ctx) for n in CHECKS]

    def valid(self, slot, texts: list[str]) -> list[bool]:
        cands = [Candidate(t, "bench") for t in texts]
        for v in self.validators:
            live = [c for c in cands if c.ok]
            for cand, verdicts in zip(live, v.validate(slot, live) if live else []):
                cand.verdicts.extend(verdicts)
        return [c.ok for c in cands]


@dataclass
class _Prefill:
    ms: float
    tokens: int


def _prefill(scorer, context: list[int]) -> _Prefill:
    """A cold start: forget every cache, then evaluate the task's context once (see _charge)."""
    scorer.reset()
    before = (scorer.stats.decode_ms, scorer.stats.context_tokens)
    scorer.prefill(context)
    return _Prefill(scorer.stats.decode_ms - before[0], scorer.stats.context_tokens - before[1])


def _charge(run: SystemRun, prefill: _Prefill) -> SystemRun:
    """Charge the context's prefill to a system that used the LLM.

    Every system's prompt starts with the same FIM context, so the bench evaluates it
    once per task and each system then starts from the KV cache holding exactly that
    context (its score cache cleared). A system that called the LLM at all pays the
    measured prefill in its ``llm_ms``, prefill tokens and cold latency, as if it had
    started cold; one that did not (gfv skipping the LLM, ngram-only) pays nothing.
    """
    if run.calls == 0:
        return run
    run.ms += prefill.ms
    run.llm_ms += prefill.ms
    run.prefill += prefill.tokens
    return run


def _record(tally: _Tally, task: CodeTask, run: SystemRun, valid: list[bool]) -> None:
    truth = squash(task.truth)
    shown = [squash(t) for t in run.shown]
    tally.em1.append(float(bool(shown) and shown[0] == truth))
    tally.hit5.append(float(truth in shown[:5]))
    tally.edit_sim.append(edit_similarity(run.shown[0].strip(), task.truth.strip()) if run.shown else 0.0)
    tally.valid.extend(float(v) for v in valid)
    tally.recall.append(float(truth in {squash(t) for t in run.valid}))
    tally.no_candidate.append(float(not run.shown))
    tally.llm_ms.append(run.llm_ms)
    tally.prefill.append(run.prefill)
    tally.incremental.append(run.incremental)
    tally.calls.append(run.calls)
    tally.cold_ms.append(run.ms)


def run_code_bench(
    repo: Path, model_path: Path, config: Config, *, tasks: int = 50, holdout: float = 0.2, seed: int = 0,
    cut: str = "start", systems: list[str] | None = None, progress: Callable[[str], None] | None = None,
    warm: list[str] | None = None, peer_model: Path | None = None,
) -> dict:  # fmt: skip
    if not repo.is_dir():
        raise GfvError(f"--repo {repo}: not a directory", ExitCode.USAGE)
    train_files, held_out = split_files(repo, holdout, seed)
    if not held_out or not train_files:
        raise GfvError(f"--repo {repo}: needs at least two Python files", ExitCode.USAGE)
    say = progress or (lambda _m: None)
    say(f"{len(train_files)} training files, {len(held_out)} held out; training the n-gram model")
    style = black_config(repo, say)
    corpus = training_corpus(repo, train_files, held_out, config.generators.train_installed)
    info = train(corpus, order=config.generators.order, set_current=False)
    config.ngram_model = str(info.path)
    task_list = sample_tasks(held_out, tasks, seed, cut)
    scorer = get_scorer(model_path, n_ctx=config.ranker.n_ctx, threads=config.ranker.threads)
    names = systems or [n for n in SYSTEMS if n not in PEER_SYSTEMS or peer_model]
    peer = peer_scorer(peer_model, names, config)
    runners = build_systems(config, model_path, scorer, names, peer)
    checker = _Checker(config)
    tallies = {n: _Tally() for n in names}
    per_task: list[dict] = []
    loaded = dict.fromkeys(s for s in (scorer, peer) if s is not None)  # one, when the peer is the same file
    models = [(s, LlmRanker.from_config(s, config.ranker)) for s in loaded]
    for i, task in enumerate(task_list, 1):
        slot = task.slot()
        primed = {}  # each loaded model's context for this task, and what its prefill cost
        for model, ranker in models:
            context = ranker.context(slot)
            primed[id(model)] = (context, _prefill(model, context))
        shown_by: dict[str, list[str]] = {}
        llm_ms: dict[str, float] = {}
        for runner in runners:
            model = runner.scorer or scorer
            context, prefill = primed[id(model)]
            model.prefill(context)  # back to exactly the context (another system's warm run extended it)
            model.forget_scores()
            cold = _charge(runner.run(slot), prefill)
            shown_by[runner.name] = cold.shown
            llm_ms[runner.name] = round(cold.llm_ms, 1)
            _record(tallies[runner.name], task, cold, checker.valid(slot, cold.shown))
            if task.truth and (warm is None or runner.name in warm):
                warm_slot = Document(slot.apply(task.truth[0]), task.path).slot(task.line, task.col + 1)
                tallies[runner.name].warm_ms.append(runner.warm(warm_slot).ms)
        per_task.append(
            {
                "file": task.path.name,
                "line": task.line + 1,
                "truth": task.truth,
                "shown": shown_by,
                "llm_ms": llm_ms,
            }
        )
        say(
            f"task {i}/{len(task_list)}: "
            + ", ".join(f"{n} em1={statistics.mean(t.em1):.2f}" for n, t in tallies.items())
        )
    return {
        "tasks": len(task_list),
        "repo": str(repo),
        "seed": seed,
        "cut": cut,
        "holdout_files": len(held_out),
        "ngram_tokens": info.tokens,
        "black_config": style,
        "peer_model": str(peer_model) if peer_model else None,
        "systems": {n: t.summary() for n, t in tallies.items()},
        "per_task": per_task,
    }


def render_table(result: dict) -> str:
    head = (
        f"{'system':14} {'em1':>6} {'hit5':>6} {'edit':>6} {'valid':>6} {'recall':>6} {'none':>6} {'llm_ms':>7} "
        f"{'prefill':>8} {'incr':>7} {'calls':>6} {'cold p50':>9} {'warm p50':>9} {'warm p95':>9}"
    )
    rows = [
        f"tasks: {result['tasks']}  repo: {result['repo']}  cut: {result['cut']}  seed: {result['seed']}",
        head,
    ]
    for name, s in result["systems"].items():
        rows.append(
            f"{name:14} {s['em1']:6.3f} {s['hit5']:6.3f} {s['edit_sim']:6.3f} {(s['valid_shown'] or 0):6.3f} "
            f"{s['recall']:6.3f} {s['no_candidate']:6.3f} {s['llm_ms']:7.1f} "
            f"{s['llm_tokens']['prefill']:8.1f} {s['llm_tokens']['incremental']:7.1f} {s['llm_calls']:6.1f} "
            + " ".join(
                _ms(s["wall_ms"][w][q]) for w, q in (("cold", "p50"), ("warm", "p50"), ("warm", "p95"))
            )
        )
    return "\n".join(rows)


def render_markdown(result: dict) -> str:
    """The summary as a Markdown table (what docs/benchmarks.md transcribes)."""
    rows = [
        f"{result['tasks']} tasks, `--cut {result['cut']}`, seed {result['seed']}, {result['holdout_files']} held-out files",
        "",
        "| system | em1 | hit5 | edit_sim | valid_shown | recall | no_candidate | llm_ms / task | LLM prefill / incr. tokens"
        " | cold p50 ms | warm p50 ms | warm p95 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, s in result["systems"].items():
        warm = s["wall_ms"]["warm"]
        rows.append(
            f"| {name} | {s['em1']:.3f} | {s['hit5']:.3f} | {s['edit_sim']:.3f} | {(s['valid_shown'] or 0):.3f} "
            f"| {s['recall']:.3f} | {s['no_candidate']:.3f} | {s['llm_ms']:.0f} "
            f"| {s['llm_tokens']['prefill']:.0f} / {s['llm_tokens']['incremental']:.1f} "
            f"| {s['wall_ms']['cold']['p50']:.0f} | {_ms(warm['p50']).strip()} | {_ms(warm['p95']).strip()} |"
        )
    return "\n".join(rows)


def _ms(value: float | None) -> str:
    return f"{value:9.1f}" if value is not None else f"{'-':>9}"


def plot(result: dict, path: Path) -> None:
    try:
        import matplotlib  # pylint: disable=import-outside-toplevel

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt  # pylint: disable=import-outside-toplevel
    except ImportError:
        raise GfvError(
            "--plot needs matplotlib: pip install matplotlib (it is in gfv[dev])", ExitCode.USAGE
        ) from None
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
    for i, (name, s) in enumerate(result["systems"].items()):
        colour = f"C{i}"
        warm = s["wall_ms"]["warm"]["p50"]
        tokens = s["llm_tokens"]["prefill"] + s["llm_tokens"]["incremental"]
        for ax, x in ((axes[0], warm), (axes[1], tokens)):
            ax.scatter([x], [s["hit5"]], marker="o", s=60, color=colour)
            ax.scatter([x], [s["em1"]], marker="x", s=60, color=colour)
            ax.annotate(name, (x, s["hit5"]), textcoords="offset points", xytext=(5, 5))
    axes[0].set_xlabel("warm p50 latency (ms)")
    axes[1].set_xlabel("LLM tokens per task (prefill + incremental)")
    for ax in axes:
        ax.set_ylabel("hit5 (o) and em1 (x)")
        ax.grid(alpha=0.3)
    fig.suptitle(f"gfv bench code: {Path(result['repo']).name}, {result['tasks']} tasks, cut={result['cut']}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    print(f"plot written to {path}", file=sys.stderr)
