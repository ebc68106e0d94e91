"""``gfv bench block``: whole function bodies held out of real code, gfv against Qwen's own FIM body.

Tasks (:func:`sample_block_tasks`): functions whose body (after its docstring) is 2 to 8
lines, sampled with ``seed`` from the repositories' ``.py`` files.  Each system gets
the file with that body removed: the header (and docstring) stay, the body's place is
one line holding its indentation, the cursor at its end, a block slot (``--block``).

Systems, on one loaded model, each starting from the same KV cache (the context's
prefill is measured once per task and charged to every system that used the LLM, as in
``gfv bench code``):

* ``gfv``: the pipeline (block templates, block retrieval, the line generators, Qwen's
  block draft and ranking, the validators);
* ``gfv-nollm``: the same without a model (ranked by the cheap scores);
* ``qwen-direct``: Qwen's greedy FIM body, line by line to the dedent
  (editor/ranking/block_generation.py), with the same budget as gfv's draft.

Metrics: ``exact`` (the top-1 body equals the held-out one, line by line, dedented,
trailing spaces and blank lines ignored), ``edit_sim`` (1 − normalised Levenshtein
distance of the same normal forms), ``valid_shown`` (the share of shown candidates that
pass syntax, black and pylint, judged by the same validators for every system),
``llm_ms`` (time inside llama_decode per task), wall time.
"""

from __future__ import annotations

import ast
import random
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from editor.bench.code_bench import _charge, _Checker, _prefill
from editor.bench.metrics import edit_similarity, latency_summary, mean_or_none
from editor.bench.systems import GfvSystem, SystemRun, _Counting
from editor.blocks import MAX_BODY_LINES, block_at, body_lines
from editor.config import Config
from editor.document import Document, Slot
from editor.errors import ExitCode, GfvError
from editor.generators.llm_block_draft import MAX_TOKENS
from editor.ranking.block_generation import generate_block
from editor.ranking.llm import LlmRanker, get_scorer

SYSTEMS = ["gfv", "gfv-nollm", "qwen-direct"]
NO_TESTS = "installed packages ship no tests: the share of top-1 bodies under which the function's own tests pass is not measured"


@dataclass(frozen=True)
class BlockTask:
    path: Path
    function: str
    line: int  # 0-based line of the emptied body
    indent: str
    truth: str  # the held-out body, dedented
    text: str  # the document without the body

    def slot(self) -> Slot:
        return Document(self.text, self.path).slot(self.line, len(self.indent), block=True)


def _bodies(text: str) -> list[tuple[str, int, int]]:
    """(function name, first, last) 1-based lines of each function body of 2..MAX_BODY_LINES lines."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        body = node.body
        if (
            body
            and isinstance(body[0], ast.Expr)
            and isinstance(getattr(body[0], "value", None), ast.Constant)
        ):
            body = body[1:]
        if not body:
            continue
        first, last = body[0].lineno, body[-1].end_lineno or body[-1].lineno
        if 2 <= last - first + 1 <= MAX_BODY_LINES and first > node.lineno:
            out.append((node.name, first, last))
    return out


def sample_block_tasks(repos: list[Path], n: int, seed: int) -> list[BlockTask]:
    """``n`` bodies sampled evenly from ``repos`` (module docstring)."""
    per_repo: list[list[BlockTask]] = []
    for repo in repos:
        pool = []
        for path in sorted(p for p in repo.rglob("*.py") if p.is_file() and "test" not in p.parts):
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            lines = text.split("\n")
            for name, first, last in _bodies(text):
                body = lines[first - 1 : last]
                if any("\t" in line for line in body):
                    continue
                indent = body[0][: len(body[0]) - len(body[0].lstrip())]
                doc = "\n".join(lines[: first - 1] + [indent] + lines[last:])
                pool.append(BlockTask(path, name, first - 1, indent, textwrap.dedent("\n".join(body)), doc))
        random.Random(seed).shuffle(pool)
        per_repo.append(pool)
    tasks: list[BlockTask] = []
    while len(tasks) < n and any(per_repo):
        for pool in per_repo:
            if pool and len(tasks) < n:
                tasks.append(pool.pop())
    return tasks


def normal(body: str) -> list[str]:
    """A body's normal form: dedented, trailing spaces and blank lines dropped."""
    return [line.rstrip() for line in textwrap.dedent(body).split("\n") if line.strip()]


class QwenBlockDirect:
    """Qwen's greedy FIM body to the dedent, with gfv's ranker prompt and window."""

    name = "qwen-direct"

    def __init__(self, scorer, config: Config) -> None:
        self.scorer = scorer
        self.ranker = LlmRanker.from_config(scorer, config.ranker)
        self.counting = _Counting(scorer)

    def run(self, slot: Slot, k: int = 5) -> SystemRun:
        del k
        site = block_at(slot)
        indent = site.indent if site else slot.typed

        def run():
            draft = generate_block(self.scorer, self.ranker.context(slot), slot.typed, indent,
                                   max_lines=MAX_BODY_LINES, max_tokens=MAX_TOKENS)  # fmt: skip
            text = "\n".join(line.rstrip() for line in draft.lines)
            return [text] if text.strip() else []

        return self.counting.measure(run)


@dataclass
class _Tally:
    exact: list[float] = field(default_factory=list)
    edit_sim: list[float] = field(default_factory=list)
    valid: list[float] = field(default_factory=list)
    block_top1: list[float] = field(default_factory=list)
    none: list[float] = field(default_factory=list)
    llm_ms: list[float] = field(default_factory=list)
    prefill: list[int] = field(default_factory=list)
    incremental: list[int] = field(default_factory=list)
    ms: list[float] = field(default_factory=list)

    def summary(self) -> dict:
        m = mean_or_none
        return {"exact": m(self.exact), "edit_sim": m(self.edit_sim), "valid_shown": m(self.valid),
                "top1_is_block": m(self.block_top1), "no_candidate": m(self.none), "llm_ms": m(self.llm_ms, 1),
                "llm_tokens": {"prefill": m(self.prefill, 1), "incremental": m(self.incremental, 1)},
                "wall_ms": latency_summary(self.ms, [])["cold"], "tests_pass": None}  # fmt: skip


def _record(tally: _Tally, task: BlockTask, slot: Slot, run: SystemRun, valid: list[bool]) -> str:
    top = "\n".join(body_lines(slot.typed, run.shown[0])) if run.shown else ""
    got, want = normal(top), normal(task.truth)
    tally.exact.append(float(bool(got) and got == want))
    tally.edit_sim.append(edit_similarity("\n".join(got), "\n".join(want)))
    tally.valid.extend(float(v) for v in valid)
    tally.block_top1.append(float(len(got) > 1))
    tally.none.append(float(not run.shown))
    tally.llm_ms.append(run.llm_ms)
    tally.prefill.append(run.prefill)
    tally.incremental.append(run.incremental)
    tally.ms.append(run.ms)
    return top


def run_block_bench(  # pylint: disable=too-many-locals
    repos: list[Path], model_path: Path | None, config: Config, *, tasks: int = 30, seed: int = 0,
    systems: list[str] | None = None, progress: Callable[[str], None] | None = None,
) -> dict:  # fmt: skip
    for repo in repos:
        if not repo.is_dir():
            raise GfvError(f"--repo {repo}: not a directory", ExitCode.USAGE)
    names = systems or SYSTEMS
    if model_path is None and set(names) - {"gfv-nollm"}:
        raise GfvError("systems other than gfv-nollm need a model: run `gfv model fetch`", ExitCode.USAGE)
    task_list = sample_block_tasks(repos, tasks, seed)
    if not task_list:
        raise GfvError("no function body of 2-8 lines found in the repositories", ExitCode.USAGE)
    scorer = (
        get_scorer(model_path, n_ctx=config.ranker.n_ctx, threads=config.ranker.threads)
        if model_path
        else None
    )
    nollm = Config(**{**config.__dict__})
    nollm.ranker = type(config.ranker)(**{**config.ranker.__dict__, "name": "ngram"})
    makers = {
        "gfv": lambda: GfvSystem("gfv", config, model_path, scorer),
        "gfv-nollm": lambda: GfvSystem("gfv-nollm", nollm, None, None),
        "qwen-direct": lambda: QwenBlockDirect(scorer, config),
    }
    runners = [makers[n]() for n in names]
    checker = _Checker(config)
    tallies = {n: _Tally() for n in names}
    ranker = LlmRanker.from_config(scorer, config.ranker) if scorer else None
    per_task = []
    say = progress or (lambda _m: None)
    for i, task in enumerate(task_list, 1):
        slot = task.slot()
        context = ranker.context(slot) if ranker else []
        prefill = _prefill(scorer, context) if scorer else None
        shown, spent, source = {}, {}, {}
        for name, runner in zip(names, runners):
            if scorer:
                scorer.prefill(context)
                scorer.forget_scores()
            run = runner.run(slot, 5)
            run = _charge(run, prefill) if prefill else run
            shown[name] = _record(tallies[name], task, slot, run, checker.valid(slot, run.shown))
            spent[name] = round(run.llm_ms, 1)
            top = getattr(runner, "last", (None, []))[1][:1]
            if top:  # where gfv's top-1 came from: which generator, and why it is first
                source[name] = top[0].source
        per_task.append({"file": str(task.path), "function": task.function, "line": task.line + 1,
                         "truth": task.truth, "top1": shown, "llm_ms": spent, "top1_source": source})  # fmt: skip
        say(f"task {i}/{len(task_list)} {task.path.name}:{task.function}: "
            + ", ".join(f"{n} exact={sum(t.exact) / len(t.exact):.2f}" for n, t in tallies.items()))  # fmt: skip
    return {"tasks": len(task_list), "repos": [str(r) for r in repos], "seed": seed, "tests_note": NO_TESTS,
            "systems": {n: t.summary() for n, t in tallies.items()}, "per_task": per_task}  # fmt: skip


def render_markdown(result: dict) -> str:
    rows = [
        f"{result['tasks']} held-out bodies, seed {result['seed']}, from {', '.join(Path(r).name for r in result['repos'])}",
        "",
        "| system | exact | edit_sim | valid_shown | top-1 is a block | no candidate | llm_ms / task"
        " | LLM prefill / incr. tokens | wall p50 ms | wall p95 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, s in result["systems"].items():
        rows.append(
            f"| {name} | {s['exact']:.3f} | {s['edit_sim']:.3f} | {(s['valid_shown'] or 0):.3f} | {s['top1_is_block']:.3f}"
            f" | {s['no_candidate']:.3f} | {s['llm_ms']:.0f} | {s['llm_tokens']['prefill']:.0f} /"
            f" {s['llm_tokens']['incremental']:.0f} | {s['wall_ms']['p50']:.0f} | {s['wall_ms']['p95']:.0f} |"
        )
    rows += ["", f"Tests: {result['tests_note']}."]
    return "\n".join(rows)
