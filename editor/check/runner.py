"""Run the file checkers over targets: cache first, then chunks across worker processes.

Each worker process builds its checkers once (pool initializer) and keeps them,
so pylint's linter and astroid's cache of the standard library are built once
per worker, not per file.  Small runs (fewer than ``POOL_MIN_FILES`` files to
check) stay in-process: starting workers would cost more than it saves.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from editor.check.cache import ResultCache, content_hash, make_key
from editor.check.checkers import FileChecker, FileOutcome, Target, build_checkers
from editor.check.findings import Finding, Suppressions
from editor.check.settings import CheckConfig
from editor.errors import ExitCode
from editor.progress import ProgressBar

POOL_MIN_FILES = 8
MAX_CHUNK = 64  # pylint pays a fixed cost per linter.check() call: fewer, larger chunks


@dataclass
class FileReport:
    """The outcome for one file, with the findings' paths filled in."""

    display: str
    checker: str
    findings: list[Finding]
    suppressed: int = 0
    cached: bool = False
    sandbox: dict | None = None  # the property sandbox's facts, when the file's properties ran


@dataclass
class CheckReport:
    """Everything ``gfv check`` prints."""

    files: list[FileReport]
    jobs: int = 1
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        """All findings, file by file."""
        return [f for report in self.files for f in report.findings]

    @property
    def errors(self) -> int:
        """Findings that fail the check."""
        return sum(f.severity == "error" for f in self.findings)

    @property
    def cache_hits(self) -> int:
        """Files whose results came from the cache."""
        return sum(r.cached for r in self.files)

    @property
    def suppressed(self) -> int:
        """Findings dropped by suppressions and --ignore."""
        return sum(r.suppressed for r in self.files)

    @property
    def exit_code(self) -> ExitCode:
        """0 clean, 1 findings."""
        return ExitCode.FINDINGS if self.errors else ExitCode.OK


def default_jobs() -> int:
    """One worker per CPU this process may use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except (AttributeError, OSError):
        return max(os.cpu_count() or 1, 1)


_WORKER: dict[str, FileChecker] = {}


def _init_worker(cfg: CheckConfig) -> None:
    _WORKER.clear()
    _WORKER.update(build_checkers(cfg))


def _check_chunk(name: str, paths: list[str]) -> list[dict[str, Any]]:
    outcomes = _WORKER[name].check([Path(p) for p in paths])
    return [_dump(o) for o in outcomes]


def _dump(outcome: FileOutcome) -> dict[str, Any]:
    out: dict[str, Any] = {
        "findings": [f.to_json() for f in outcome.findings],
        "suppressed": outcome.suppressed,
    }
    if outcome.sandbox is not None:
        out["sandbox"] = outcome.sandbox
    if not outcome.cacheable:
        out["cacheable"] = False
    return out


def _load(data: dict[str, Any]) -> FileOutcome:
    return FileOutcome(
        [Finding.from_json(f) for f in data["findings"]],
        int(data.get("suppressed", 0)),
        data.get("sandbox"),
        bool(data.get("cacheable", True)),
    )


@dataclass
class _Job:
    """Files sent to one checker call, with the cache keys their results go under."""

    checker: str
    indices: list[int]
    keys: list[str | None]  # per file ("file" scope) or one key for the whole set


def mp_context():
    """fork where it is safe (workers inherit imports), else spawn."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")  # workers inherit the imported modules
    return multiprocessing.get_context("spawn")


class _Runner:  # pylint: disable=too-few-public-methods
    def __init__(
        self,
        targets: Sequence[Target],
        checkers: dict[str, FileChecker],
        cfg: CheckConfig,
        jobs: int,
        cache: ResultCache | None,
    ) -> None:
        self.targets = list(targets)
        self.checkers = checkers
        self.cfg = cfg
        self.jobs = jobs
        self.cache = cache
        self.outcomes: list[tuple[FileOutcome, bool] | None] = [None] * len(self.targets)

    def _file_key(self, checker: FileChecker, fingerprint: str, target: Target) -> str | None:
        try:
            data = target.path.read_bytes()
        except OSError:
            return None  # the checker reports it; nothing to cache
        return make_key(
            checker.name,
            fingerprint,
            checker.file_fingerprint(target.path),
            str(target.path.resolve()),
            content_hash(data),
        )

    def plan(self, progress: ProgressBar) -> list[_Job]:  # pylint: disable=too-many-locals
        """Look everything up in the cache; return the jobs left to run."""
        by_checker: dict[str, list[int]] = {}
        for idx, target in enumerate(self.targets):
            by_checker.setdefault(target.checker, []).append(idx)
        jobs: list[_Job] = []
        for name, indices in by_checker.items():
            checker = self.checkers[name]
            fingerprint = checker.fingerprint()
            keys = [self._file_key(checker, fingerprint, self.targets[i]) for i in indices]
            if checker.scope == "set":
                whole = None if None in keys else make_key(name, "set", *sorted(k for k in keys if k))
                hit = self.cache.get(whole) if self.cache and whole else None
                if isinstance(hit, list) and len(hit) == len(indices):
                    for i, data in zip(indices, hit):
                        self.outcomes[i] = (_load(data), True)
                    progress.update(len(indices))
                else:
                    jobs.append(_Job(name, indices, [whole]))
                continue
            misses = []
            for i, key in zip(indices, keys):
                hit = self.cache.get(key) if self.cache and key else None
                if isinstance(hit, dict) and "findings" in hit:
                    self.outcomes[i] = (_load(hit), True)
                    progress.update()
                else:
                    misses.append((i, key))
            size = max(1, min(MAX_CHUNK, math.ceil(len(misses) / max(self.jobs * 2, 1))))
            for start in range(0, len(misses), size):
                part = misses[start : start + size]
                jobs.append(_Job(name, [i for i, _ in part], [k for _, k in part]))
        return jobs

    def _store(self, job: _Job, results: list[dict[str, Any]], progress: ProgressBar) -> None:
        for i, data in zip(job.indices, results):
            self.outcomes[i] = (_load(data), False)
        if self.cache:
            scope_set = self.checkers[job.checker].scope == "set"
            if scope_set and job.keys[0]:
                self.cache.put(job.keys[0], results)
            elif not scope_set:
                for key, data in zip(job.keys, results):
                    if key and data.get("cacheable", True):
                        self.cache.put(key, data)
        progress.update(len(job.indices))

    def run(self, progress: ProgressBar) -> int:
        """Run the jobs; returns how many worker processes were used (1: in-process)."""
        jobs = self.plan(progress)
        pending = sum(len(j.indices) for j in jobs)
        paths = {id(j): [str(self.targets[i].path) for i in j.indices] for j in jobs}
        if self.jobs <= 1 or pending < POOL_MIN_FILES or len(jobs) < 2:
            _init_worker(self.cfg)  # cheap: the linter itself is shared per process
            for job in jobs:
                self._store(job, _check_chunk(job.checker, paths[id(job)]), progress)
            return 1
        workers = min(self.jobs, len(jobs))
        with ProcessPoolExecutor(
            workers, mp_context=mp_context(), initializer=_init_worker, initargs=(self.cfg,)
        ) as pool:
            futures: dict[Future, _Job] = {
                pool.submit(_check_chunk, j.checker, paths[id(j)]): j for j in jobs
            }
            while futures:
                done, _ = wait(futures, return_when=FIRST_COMPLETED)
                for future in done:
                    self._store(futures.pop(future), future.result(), progress)
        return workers


def _probe_sandbox_once(targets: Sequence[Target], cfg: CheckConfig) -> None:
    """Probe the property sandbox here, before workers fork, so its stderr note comes once."""
    if "properties" not in cfg.python:
        return
    if any(
        t.path.with_name(t.path.stem + "_properties.py").is_file() for t in targets if t.checker == "python"
    ):
        from validators._sandbox import isolation  # pylint: disable=import-outside-toplevel

        isolation()


def _apply_ignore(outcome: FileOutcome, ignore: frozenset[str]) -> FileOutcome:
    if not ignore:
        return outcome
    kept = [f for f in outcome.findings if not Suppressions.matches(ignore, f)]
    return FileOutcome(kept, outcome.suppressed + len(outcome.findings) - len(kept))


def run_check(  # pylint: disable=too-many-arguments,too-many-positional-arguments,too-many-locals
    targets: Sequence[Target],
    cfg: CheckConfig,
    jobs: int | None = None,
    use_cache: bool = True,
    cache: ResultCache | None = None,
    progress: bool | None = None,
) -> CheckReport:
    """Check ``targets``; findings come back in target order, each file's sorted by line."""
    start = time.perf_counter()
    checkers = build_checkers(cfg)
    _probe_sandbox_once(targets, cfg)
    jobs = jobs or cfg.jobs or default_jobs()
    store = (cache or ResultCache()) if use_cache and cfg.cache else None
    runner = _Runner(targets, checkers, cfg, jobs, store)
    with ProgressBar(len(runner.targets), "gfv check", unit="files", enabled=progress) as progress_bar:
        used = runner.run(progress_bar)
    ignore = frozenset(cfg.ignore)
    reports = []
    for target, item in zip(runner.targets, runner.outcomes):
        assert item is not None
        outcome, cached = item
        outcome = _apply_ignore(outcome, ignore)
        for finding in outcome.findings:
            finding.path = target.display
        reports.append(
            FileReport(
                target.display, target.checker, outcome.findings, outcome.suppressed, cached, outcome.sandbox
            )
        )
    return CheckReport(reports, used, time.perf_counter() - start)
