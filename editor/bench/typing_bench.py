"""``gfv bench typing``: replay real typing, keystroke by keystroke, on a real clock.

Target lines are taken in file order from held-out files of a repository (the others
train the n-gram model).  For each target line, per system:

1. the line is emptied to its indentation and the cursor put there: a *move*; the
   editor prefetches (``prefetch``), and the user pauses ``settle_ms`` before typing;
2. the editor asks (``request``) after each keystroke's ``debounce_ms`` pause, and
   once at the start of the line; each request's latency is measured;
3. the user types the next character ``key_ms`` after the previous one, unless the
   top candidate on screen at that moment is exactly the rest of the line and no
   validator is pending on it: then the user accepts it with one key, and the characters not typed (less that key) are
   *saved*.  What is on screen includes whatever the background delivered since.

A request that takes longer than the gap to the next keystroke delays it (a patient
user: a slow, synchronous system gets more time per keystroke, never less).  With
``fixed`` (``--fixed-cadence``) nobody waits: keystrokes come every ``key_ms``, requests
run one at a time on the editor's worker (a newer one replacing one not started), a
superseded request counts as answered when the newer one is, and the user accepts what
is on screen at each keystroke (:func:`replay_line_fixed`).

Where keystrokes were lost: each keystroke typed while the rest of the line was on screen
is counted, as on top but pending (a validator still due on it) or below the top; per line,
the first time it was below, with what was on top (``per_line``'s ``beaten``).

Systems: ``gfv`` is :class:`~editor.live.LiveSession` over the configured pipeline, as
``gfv edit`` uses it; ``gfv-blocking`` runs the whole pipeline on every request and
answers when it is done (``gfv edit`` before the live session: the baseline of the
change).  ``qwen-direct`` is Qwen's greedy FIM completion of the line, as
llama.vim does it: the last completion is shown again while the typed characters agree
with it, else a new one is generated; it gets the same background prefetch on moves.
"""

from __future__ import annotations

import statistics
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from editor.bench.metrics import percentile
from editor.bench.tasks import _prose_rows, black_config, split_files, training_corpus
from editor.bench.systems import peer_scorer, require_peer
from editor.bench.typing_systems import BlockingPipeline, QwenLive
from editor.config import Config
from editor.document import Document, Slot
from editor.errors import ExitCode, GfvError
from editor.live import LiveSession
from editor.shown import Shown
from editor.ngram.train import train
from editor.pipeline import Pipeline
from editor.ranking.llm import get_scorer

SYSTEMS = ["gfv", "qwen-direct", "gfv-blocking", "peer-direct"]


@dataclass(frozen=True)
class TypingTask:
    path: Path
    line: int  # 0-based
    text: str  # the file's text
    truth: str  # the whole target line

    @property
    def indent(self) -> str:
        return self.truth[: len(self.truth) - len(self.truth.lstrip())]

    def slot(self, typed: str) -> Slot:
        lines = self.text.split("\n")
        lines[self.line] = typed
        return Document("\n".join(lines), self.path).slot(self.line, len(typed))


def pick_lines(files: list[Path], n: int, per_file: int = 6) -> list[TypingTask]:
    """Up to ``n`` code lines, ``per_file`` per file spread over it, in file order."""
    tasks: list[TypingTask] = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        lines, prose = text.split("\n"), _prose_rows(text)
        rows = [r for r, line in enumerate(lines) if r not in prose and 8 <= len(line.strip()) <= 80
                and not line.strip().startswith(("#", "@"))]  # fmt: skip
        if not rows:
            continue
        step = max(len(rows) // per_file, 1)
        tasks.extend(TypingTask(path, r, text, lines[r].rstrip()) for r in rows[::step][:per_file])
        if len(tasks) >= n:
            break
    return tasks[:n]


@dataclass
class _Tally:
    latency: list[float] = field(default_factory=list)
    after_move: list[float] = field(default_factory=list)
    empty: int = 0
    first_candidate: list[float] = field(default_factory=list)
    none_in_time: int = 0
    typed_chars: int = 0
    saved_chars: int = 0
    accepted_lines: int = 0
    lines: int = 0
    per_line: list[dict] = field(default_factory=list)  # where each line was accepted, and what
    # the line being typed: keys typed while its rest was on screen, on top but pending, or below the top
    line_pending: int = 0
    line_below: int = 0
    line_beaten: dict | None = None  # the first keystroke the right line was below the top: by what

    def summary(self) -> dict:
        def pct(xs: list[float]) -> dict:
            if not xs:
                return {"p50": None, "p95": None, "max": None}
            return {"p50": round(percentile(xs, 0.5), 1), "p95": round(percentile(xs, 0.95), 1),
                    "max": round(max(xs), 1)}  # fmt: skip

        n = len(self.latency)
        return {
            "requests": n,
            "latency_ms": pct(self.latency),
            "after_move_ms": pct(self.after_move),
            "empty_answer": round(self.empty / n, 3) if n else None,
            "first_candidate_ms": pct(self.first_candidate),
            "no_candidate_before_next_key": round(self.none_in_time / n, 3) if n else None,
            "keystrokes_saved": round(self.saved_chars / self.typed_chars, 3) if self.typed_chars else None,
            "saved_chars": self.saved_chars,
            "chars": self.typed_chars,
            "accepted_lines": self.accepted_lines,
            "lines": self.lines,
            "keys_typed_while_right_pending": sum(line["pending_keys"] for line in self.per_line),
            "keys_typed_while_right_below_top": sum(line["below_keys"] for line in self.per_line),
        }

    def line_record(self, truth: str, typed: int, saved: int, top: Shown | None) -> None:
        """The line is done: record it (``top``: the accepted row, if any) and start the next."""
        self.per_line.append({"line": truth, "typed": typed, "saved": saved,
                              "phase": top.phase if top else None, "source": top.cand.source if top else None,
                              "pending_keys": self.line_pending, "below_keys": self.line_below,
                              "beaten": self.line_beaten})  # fmt: skip
        self.line_pending = self.line_below = 0
        self.line_beaten = None


@dataclass
class ReplayClock:
    key_ms: float = 300.0
    debounce_ms: float = 150.0
    settle_ms: float = 1000.0
    fixed: bool = False  # True: the user never waits for an answer (replay_line_fixed)


def _on_screen(system, typed: str) -> list[Shown]:
    """What the system shows that agrees with ``typed`` (an answer may be for older typed text)."""
    return [x for x in system.shown() if x.agrees(typed)]


def _begin_line(system, task: TypingTask, clock: ReplayClock, tally: _Tally) -> str:
    """Move to ``task``'s line (the editor prefetches), pause ``settle_ms``; the typed indentation."""
    tally.lines += 1
    tally.typed_chars += len(task.truth) - len(task.indent)
    system.prefetch(task.slot(task.indent))
    time.sleep(clock.settle_ms / 1000)
    return task.indent


def _line_done(system, typed: str, truth: str, tally: _Tally) -> bool:
    """At a keystroke: accept the top candidate if it is the rest of the line (nothing pending)."""
    shown, rest = _on_screen(system, typed), truth[len(typed) :]
    right = [i for i, s in enumerate(shown) if s.text_after(typed).rstrip() == rest]
    if right and right[0] == 0 and not shown[0].pending:
        tally.saved_chars += max(len(rest) - 1, 0)  # the accepting key is typed
        tally.accepted_lines += 1
        tally.line_record(truth, len(typed.lstrip()), max(len(rest) - 1, 0), shown[0])
        return True
    if rest and right:  # the user types on: why the right line on screen was not taken
        tally.line_pending += right[0] == 0
        tally.line_below += right[0] > 0
        if right[0] > 0 and tally.line_beaten is None:
            top, ok = shown[0], shown[right[0]]
            tally.line_beaten = {
                "typed": len(typed.lstrip()),
                "top": top.line.strip(),
                "top_phase": top.phase,
                "top_source": top.cand.source,
                "right_at": right[0],
                "right_phase": ok.phase,
                "right_source": ok.cand.source,
            }
    if not rest:
        tally.line_record(truth, len(truth.lstrip()), 0, None)
    return not rest


def _watch(system, typed: str, until: float, seen: float | None) -> float | None:
    """Wait until ``until`` (perf_counter s); the time a candidate for ``typed`` first showed, if any."""
    while True:
        now = time.perf_counter()
        if seen is None and _on_screen(system, typed):
            seen = now
        if now >= until:
            return seen
        time.sleep(min(0.01, until - now))


def replay_line(system, task: TypingTask, clock: ReplayClock, tally: _Tally) -> None:
    """Type ``task``'s line into ``system`` (module docstring); record into ``tally``."""
    truth, typed = task.truth, _begin_line(system, task, clock, tally)
    first = True
    while True:
        asked = time.perf_counter()
        answer = system.request(task.slot(typed))
        done = time.perf_counter()
        ms = (done - asked) * 1000
        tally.latency.append(ms)
        if first:
            tally.after_move.append(ms)
            first = False
        tally.empty += not answer
        next_key = max(asked + (clock.key_ms - clock.debounce_ms) / 1000, done)
        seen = _watch(system, typed, next_key, done if answer else None)
        if seen is None:
            tally.none_in_time += 1
        else:
            tally.first_candidate.append((seen - asked) * 1000)
        if _line_done(system, typed, truth, tally):
            return
        typed += truth[len(typed)]
        time.sleep(clock.debounce_ms / 1000)


class _Asker:
    """The editor's suggestion worker for the fixed-cadence replay: one request at a time,
    a newer request replacing one not started yet (as Textual's exclusive worker does)."""

    def __init__(self, system, tally: _Tally) -> None:
        self.system, self.tally = system, tally
        self.cv = threading.Condition()
        self.waiting: list[tuple[Slot, float, bool]] = []  # asked but not answered: (slot, asked, first)
        self.running = False
        threading.Thread(target=self._run, daemon=True).start()

    def ask(self, slot: Slot, first: bool) -> None:
        with self.cv:
            self.waiting.append((slot, time.perf_counter(), first))
            self.cv.notify_all()

    def drain(self, timeout: float = 120.0) -> None:
        end = time.monotonic() + timeout
        with self.cv:
            while (self.waiting or self.running) and time.monotonic() < end:
                self.cv.wait(0.05)

    def _run(self) -> None:
        while True:
            with self.cv:
                while not self.waiting:
                    self.cv.wait()
                batch, self.waiting, self.running = self.waiting, [], True
            slot = batch[-1][0]
            answer = self.system.request(slot)
            done = time.perf_counter()
            with self.cv:
                for _slot, asked, first in batch:  # a superseded request is answered by the newer one
                    ms = (done - asked) * 1000
                    self.tally.latency.append(ms)
                    if first:
                        self.tally.after_move.append(ms)
                    self.tally.empty += not answer
                self.running = False
                self.cv.notify_all()


def replay_line_fixed(system, task: TypingTask, clock: ReplayClock, tally: _Tally, asker: _Asker) -> None:
    """Like :func:`replay_line`, but keystrokes come every ``key_ms`` whatever the editor does:
    requests run on the editor's worker (:class:`_Asker`), and what is on screen at each
    keystroke is what had arrived by then."""
    truth, typed = task.truth, _begin_line(system, task, clock, tally)
    first = True
    while True:
        asked = time.perf_counter()
        asker.ask(task.slot(typed), first)
        first = False
        seen = _watch(system, typed, asked + (clock.key_ms - clock.debounce_ms) / 1000, None)
        if seen is None:
            tally.none_in_time += 1
        else:
            tally.first_candidate.append((seen - asked) * 1000)
        if _line_done(system, typed, truth, tally):
            break
        typed += truth[len(typed)]
        time.sleep(clock.debounce_ms / 1000)
    asker.drain()


def make_system(name: str, config: Config, model_path: Path, scorer, peer=None) -> object:
    """The system ``name`` of the replay; ``peer-direct`` is qwen-direct on the ``peer`` model (``--peer-model``)."""
    if name == "peer-direct":
        require_peer(peer, [name])
        return QwenLive(peer, config, "peer-direct")
    if name == "gfv":
        return LiveSession(Pipeline(config, model_path, "qwen"), k=config.k)
    if name == "qwen-direct":
        return QwenLive(scorer, config)
    if name == "gfv-blocking":
        return BlockingPipeline(Pipeline(config, model_path, "qwen"), config.k)
    raise GfvError(f"unknown system {name!r}: choose among {SYSTEMS}", ExitCode.USAGE)


def run_typing_bench(
    repo: Path, model_path: Path, config: Config, *, lines: int = 30, holdout: float = 0.2, seed: int = 0,
    systems: list[str] | None = None, clock: ReplayClock | None = None,
    progress: Callable[[str], None] | None = None, peer_model: Path | None = None,
) -> dict:  # fmt: skip
    if not repo.is_dir():
        raise GfvError(f"--repo {repo}: not a directory", ExitCode.USAGE)
    clock = clock or ReplayClock()
    say = progress or (lambda _m: None)
    train_files, held_out = split_files(repo, holdout, seed)
    if not held_out or not train_files:
        raise GfvError(f"--repo {repo}: needs at least two Python files", ExitCode.USAGE)
    say(f"{len(train_files)} training files, {len(held_out)} held out; training the n-gram model")
    corpus = training_corpus(repo, train_files, held_out, config.generators.train_installed)
    info = train(corpus, order=config.generators.order, set_current=False)
    config.ngram_model = str(info.path)
    tasks = pick_lines(held_out, lines)
    scorer = get_scorer(model_path, n_ctx=config.ranker.n_ctx, threads=config.ranker.threads)
    names = systems or [n for n in SYSTEMS if n != "peer-direct" or peer_model]
    peer = peer_scorer(peer_model, names, config)
    out: dict = {"repo": str(repo), "lines": len(tasks), "seed": seed, "clock": clock.__dict__, "systems": {}}
    out["black_config"] = black_config(repo, say)
    out["peer_model"] = str(peer_model) if peer_model else None
    for name in names:
        for model in (scorer, peer):
            if model is not None:
                model.reset()
        system = make_system(name, config, model_path, scorer, peer)
        tally = _Tally()
        asker = _Asker(system, tally) if clock.fixed else None
        for i, task in enumerate(tasks, 1):
            if asker is not None:
                replay_line_fixed(system, task, clock, tally, asker)
            else:
                replay_line(system, task, clock, tally)
            system.idle(120)
            say(f"{name}: line {i}/{len(tasks)}, saved {tally.saved_chars}/{tally.typed_chars} chars")
        system.close()
        summary = tally.summary()
        summary["per_line"] = tally.per_line
        stats = getattr(system, "stats", None)
        if stats is not None:
            summary["live"] = {k: v for k, v in stats.__dict__.items() if not k.endswith("timings")}
            summary["quick_stage_ms"] = _stage_medians(stats.timings)
            summary["refine_stage_ms"] = _stage_medians(stats.refine_timings)
            summary["prefill_ms"] = _stage_medians(stats.prefill_timings)
            summary["prefills"] = stats.prefill_timings
        out["systems"][name] = summary
    return out


def _stage_medians(timings: list[dict[str, float]]) -> dict[str, float]:
    keys = sorted({k for t in timings for k in t})
    return {k: round(statistics.median(t[k] for t in timings if k in t), 1) for k in keys}


def render_markdown(result: dict) -> str:
    c = result["clock"]
    rows = [
        f"{result['lines']} lines of `{Path(result['repo']).name}`, key {c['key_ms']:.0f} ms, debounce "
        f"{c['debounce_ms']:.0f} ms, settle {c['settle_ms']:.0f} ms"
        + (", fixed cadence (nobody waits)" if c.get("fixed") else ", patient user (waits for each answer)"),
        "",
        "| system | requests | p50 ms | p95 ms | max ms | after move p50 / p95 | empty answer | first candidate p50 / p95"
        " | keystrokes saved | lines accepted"
        " | keys typed with the right line pending / below the top |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, s in result["systems"].items():
        lat, mv, fc = s["latency_ms"], s["after_move_ms"], s["first_candidate_ms"]
        rows.append(
            f"| {name} | {s['requests']} | {lat['p50']} | {lat['p95']} | {lat['max']} | {mv['p50']} / {mv['p95']} "
            f"| {s['empty_answer']} | {fc['p50']} / {fc['p95']} | {s['keystrokes_saved']} "
            f"| {s['accepted_lines']}/{s['lines']} "
            f"| {s['keys_typed_while_right_pending']} / {s['keys_typed_while_right_below_top']} |"
        )
    return "\n".join(rows)
