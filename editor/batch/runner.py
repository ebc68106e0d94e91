"""Run ``gfv batch`` tasks: one pipeline (one loaded model) per worker process.

Memory plan (docs/check.md, "gfv batch"): every worker holds one
:class:`~editor.pipeline.Pipeline`, built once in the pool initializer, with its
own llama.cpp model and context (Qwen2.5-Coder-0.5B Q4_K_M: ~490 MB of weights
plus the KV cache and compute buffers for ``n_ctx`` 4096) and its own n-gram
model, black and pylint.  ``--jobs`` is capped at::

    min(CPUs, available memory * 0.9 / per-worker estimate)

with the estimate ``LLM_WORKER_GIB`` with the LLM ranker and ``BASE_WORKER_GIB``
without it (``--no-llm``).  llama.cpp threads per worker are ``max(1, CPUs // jobs)``
(at most ``ranker.threads``), so workers do not fight over cores.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from editor.batch.tasks import ResultsFile, Task, error_record, id_key, read_tasks
from editor.check.runner import default_jobs, mp_context
from editor.config import Config
from editor.errors import ExitCode, GfvError
from editor.progress import ProgressBar

GIB = 1024**3
# Measured peak RSS of one worker (docs/benchmarks.md): 0.89 GiB with the Qwen model
# (n_ctx 4096) after three tasks, 0.13 GiB with --no-llm; rounded up for headroom.
LLM_WORKER_GIB = 1.0
BASE_WORKER_GIB = 0.25
MEMORY_HEADROOM = 0.9


def available_memory() -> int:
    """Bytes of memory available for new processes (MemAvailable on Linux)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return 4 * GIB


@dataclass
class JobPlan:
    """How many workers, how many llama.cpp threads each, and why."""

    jobs: int
    threads: int
    max_jobs: int
    per_worker_gib: float
    notes: list[str] = field(default_factory=list)


def plan_jobs(
    requested: int, llm: bool, config_threads: int, cpus: int | None = None, memory: int | None = None
) -> JobPlan:
    """The worker plan for ``--jobs requested`` (0 = as many as fit); see the module docstring."""
    cpus = cpus or default_jobs()
    memory = available_memory() if memory is None else memory
    per = LLM_WORKER_GIB if llm else BASE_WORKER_GIB
    by_memory = max(1, int(memory * MEMORY_HEADROOM / (per * GIB)))
    max_jobs = max(1, min(cpus, by_memory))
    notes = []
    jobs = requested or max_jobs
    if jobs > max_jobs:
        why = (
            f"{cpus} CPUs"
            if cpus <= by_memory
            else f"{memory / GIB:.1f} GiB available at ~{per} GiB per worker"
        )
        notes.append(f"--jobs {jobs} lowered to {max_jobs} ({why})")
        jobs = max_jobs
    threads = max(1, min(config_threads, cpus // jobs))
    return JobPlan(jobs, threads, max_jobs, per, notes)


_STATE: dict[str, Any] = {}


def _init_worker(
    config: Config, model_path: Path | None, model_name: str | None, root: str, quiet_interrupt: bool = True
) -> None:
    """Pool initializer: build the pipeline (and load the model) once for this process."""
    if quiet_interrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    _STATE.clear()
    _STATE["root"] = Path(root)
    _STATE["config"], _STATE["model"] = config, (model_path, model_name)
    try:
        from editor.pipeline import Pipeline  # pylint: disable=import-outside-toplevel

        _STATE["pipeline"] = Pipeline(config, model_path, model_name)
    except GfvError as exc:
        _STATE["start_error"] = exc.message
    except Exception as exc:  # pylint: disable=broad-except  # reported by the parent
        _STATE["start_error"] = f"{type(exc).__name__}: {exc}"


def run_task(task: Task) -> dict[str, Any]:  # pylint: disable=too-many-return-statements
    """One task's result record, or its error record; never raises for a bad task."""
    # pylint: disable=import-outside-toplevel
    from editor.document import Document

    if "start_error" in _STATE:
        return {"__worker_error__": _STATE["start_error"]}
    path = Path(task.file)
    path = path if path.is_absolute() else _STATE["root"] / path
    if task.is_table:
        return _run_table_task(task, path)
    try:
        doc = Document.load(path)
    except GfvError as exc:
        return error_record(task.id, "bad-file", exc.message)
    except OSError as exc:
        return error_record(task.id, "bad-file", f"{task.file}: cannot read: {exc.strerror or exc}")
    try:
        slot = doc.slot(task.line - 1, task.col - 1, block=task.block)
    except GfvError as exc:
        return error_record(task.id, "bad-slot", f"{task.file}: {exc.message}")
    if task.block and (slot.typed.strip() or slot.after_cursor.strip()):
        return error_record(task.id, "bad-slot", f"{task.file}:{task.line}: a block task needs a line holding"
                            " nothing but indentation")  # fmt: skip
    try:
        result = _STATE["pipeline"].suggest(slot, task.k)
    except Exception as exc:  # pylint: disable=broad-except  # one task must not end the run
        message = exc.message if isinstance(exc, GfvError) else f"{type(exc).__name__}: {exc}"
        return error_record(task.id, "internal", f"{task.file}:{task.line}:{task.col}: {message}")
    block = {"block": True} if task.block else {}
    return {"id": task.id, "file": task.file, "line": task.line, "col": task.col, **block, **result.to_json()}


def _run_table_task(task: Task, path: Path) -> dict[str, Any]:
    """A table task: the same record as ``gfv suggest TABLE --row --column --format json``."""
    # pylint: disable=import-outside-toplevel
    from editor.tables.engine import open_table, suggest_cells
    from editor.tables.row_block import suggest_block

    config = _STATE["config"]
    model_path, model_name = _STATE["model"]
    try:
        table = open_table(path, None, config)
    except GfvError as exc:
        return error_record(task.id, "bad-file", exc.message)
    except OSError as exc:
        return error_record(task.id, "bad-file", f"{task.file}: cannot read: {exc.strerror or exc}")
    try:
        table.slot(task.row, task.column)
    except GfvError as exc:
        return error_record(task.id, "bad-slot", f"{task.file}: {exc.message}")
    try:
        if task.rows is not None:
            result = suggest_block(
                path, task.rows, k=task.k, config=config, model_path=model_path, model_name=model_name
            )
        else:
            result = suggest_cells(
                path,
                task.row,
                task.column,
                k=task.k,
                config=config,
                model_path=model_path,
                model_name=model_name,
            )
    except Exception as exc:  # pylint: disable=broad-except  # one task must not end the run
        message = exc.message if isinstance(exc, GfvError) else f"{type(exc).__name__}: {exc}"
        return error_record(task.id, "internal", f"{task.file}: row {task.row}: {message}")
    if task.rows is not None:
        return {"id": task.id, "file": task.file, "rows": f"next:{task.rows}", **result.to_json()}
    return {"id": task.id, "file": task.file, "row": task.row, "column": task.column, **result.to_json()}


@dataclass
class BatchSummary:
    """Counts for the closing line on stderr and the exit code."""

    done: int = 0
    errors: int = 0
    skipped: int = 0
    jobs: int = 1
    seconds: float = 0.0
    repaired: bool = False
    dropped_errors: int = 0

    @property
    def exit_code(self) -> ExitCode:
        """0 when every task has a result, 1 when some became error records."""
        return ExitCode.FINDINGS if self.errors else ExitCode.OK


def _check(record: dict[str, Any]) -> dict[str, Any]:
    if "__worker_error__" in record:
        raise GfvError(f"a batch worker could not start: {record['__worker_error__']}", ExitCode.INTERNAL)
    return record


def run_batch(  # pylint: disable=too-many-arguments,too-many-positional-arguments,too-many-locals
    tasks_path: Path,
    out_path: Path,
    config: Config,
    model: tuple[Path | None, str | None],
    plan: JobPlan,
    root: Path,
    retry_errors: bool = False,
    progress: bool | None = None,
    say: Callable[[str], None] = lambda _m: None,
) -> BatchSummary:
    """Run the tasks not yet in ``out_path``, appending one record per task."""
    start = time.perf_counter()
    results = ResultsFile(out_path, retry_errors)
    summary = BatchSummary(jobs=plan.jobs, repaired=results.repaired, dropped_errors=results.dropped_errors)
    if results.repaired:
        say(f"{out_path}: removed a half-written last line left by an interrupted run")
    pending: list[Task] = []
    try:
        for item in read_tasks(tasks_path):
            key = item.key if isinstance(item, Task) else id_key(item["id"])
            if key in results.done:
                summary.skipped += 1
            elif isinstance(item, Task):
                pending.append(item)
            else:
                results.write(item)
                summary.errors += 1
        if not pending:
            return summary
        config = dataclasses.replace(config, ranker=dataclasses.replace(config.ranker, threads=plan.threads))
        init_args = (config, model[0], model[1], str(root))
        with ProgressBar(len(pending), "gfv batch", unit="tasks", enabled=progress) as progress_bar:

            def record(rec: dict[str, Any]) -> None:
                results.write(_check(rec))
                summary.done += 1
                summary.errors += "error" in rec
                progress_bar.update()

            if plan.jobs <= 1 or len(pending) == 1:
                summary.jobs = 1
                _init_worker(*init_args, quiet_interrupt=False)
                for task in pending:
                    record(run_task(task))
            else:
                summary.jobs = min(plan.jobs, len(pending))
                _run_pool(pending, summary.jobs, init_args, record)
    finally:
        results.close()
        summary.seconds = time.perf_counter() - start
    return summary


def _run_pool(pending: list[Task], jobs: int, init_args: tuple, record: Callable[[dict], None]) -> None:
    """Keep ``2 × jobs`` tasks in flight; write each record as soon as it arrives."""
    queue = list(reversed(pending))
    pool = ProcessPoolExecutor(jobs, mp_context=mp_context(), initializer=_init_worker, initargs=init_args)
    inflight: set[Future] = set()
    try:
        while queue or inflight:
            while queue and len(inflight) < 2 * jobs:
                inflight.add(pool.submit(run_task, queue.pop()))
            done, inflight = wait(inflight, return_when=FIRST_COMPLETED)
            for future in done:
                try:
                    rec = future.result()
                except BrokenProcessPool:
                    raise GfvError(
                        "a batch worker died (out of memory? try a lower --jobs); re-run the same command to"
                        " resume",
                        ExitCode.INTERNAL,
                    ) from None
                record(rec)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
