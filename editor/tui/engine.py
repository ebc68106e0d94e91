"""The editor's connection to the pipeline: lazy, serialised, and falling back to n-gram mode.

Textual-free on purpose (it runs in worker threads and is unit-tested without an app).

* The :class:`~editor.pipeline.Pipeline` is built on first use, in the calling (worker)
  thread, so loading llama.cpp (about 0.5 s) never blocks the UI.
* One lock serialises requests: llama.cpp's context is not thread-safe, and a Textual
  thread worker cannot be interrupted, so a superseded request may still be running.
  A request that became stale while it waited is skipped (``is_stale``).
* If building the pipeline with the model fails (a GfvError or any exception), or the
  ranker raises during a request, the engine rebuilds it with ``model_path=None``
  (n-gram ranking) and says so in :attr:`SuggestionEngine.status`.  If the n-gram
  generator itself cannot be built (no trained model), it drops that generator.

The ranker runs in-process: a llama.cpp ``abort()`` would take the editor down with
it (the journal keeps the edits).  Running it out of process is left for later.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from editor.choices import SessionMemory, attach_session
from editor.config import Config
from editor.document import Document, Slot
from editor.live import LiveSession
from editor.shown import Shown
from editor.pipeline import Pipeline, SuggestResult

PipelineFactory = Callable[..., Any]  # (config, model_path, model_name) -> Pipeline-like


@dataclass(frozen=True)
class Request:
    """One suggestion request, tagged with the document version and cursor it was made for."""

    id: int
    version: int
    cursor: tuple[int, int]  # (row, col), 0-based
    text: str
    k: int
    manual: bool = False


@dataclass(frozen=True)
class TuiSettings:
    """``[tool.gfv.tui]`` (read defensively until the config grows the table)."""

    debounce_ms: int = 150
    journal_interval_s: float = 2.0
    k: int | None = None

    @classmethod
    def from_config(cls, config: Any) -> "TuiSettings":
        tui = getattr(config, "tui", None)
        out = cls()
        if tui is None:
            return out
        values = {}
        for f in dataclasses.fields(cls):
            value = getattr(tui, f.name, None)
            if value is not None:
                values[f.name] = value
        return dataclasses.replace(out, **values)


class SuggestionEngine:
    """Builds the pipeline lazily and answers :class:`Request` objects (see module docstring)."""

    def __init__(
        self,
        config: Config,
        model_path: Path | None,
        model_name: str | None = None,
        file_path: Path | None = None,
        factory: PipelineFactory = Pipeline,
        session: SessionMemory | None = None,
    ) -> None:
        self.config = config
        self.model_path = model_path
        self.model_name = model_name or (model_path.stem if model_path else None)
        self.file_path = file_path
        self.factory = factory
        self.session = session if session is not None else SessionMemory()
        self.pipeline: Any = None
        self.status = "model: not loaded yet" if model_path else "n-gram only"
        self.problem: str | None = None  # why the engine fell back (shown in the status bar)
        self.load_ms: float | None = None
        self._lock = threading.Lock()
        self.live: LiveSession | None = None  # code slots: instant answers, refined in the background
        self.on_update: Callable[[], None] | None = None  # told (from a thread) when the live answer changed

    @property
    def validators_on(self) -> list[str]:
        v = self.config.validators
        return [*v.pre_rank, *v.post_rank]

    @property
    def llm_on(self) -> bool:
        return self.pipeline is not None and getattr(self.pipeline, "model", None) is not None

    def load(self) -> None:
        """Build the pipeline now (call from a worker thread to warm up)."""
        with self._lock:
            if self.pipeline is None:
                self._build()

    def _build(self) -> None:
        start = time.perf_counter()
        if self.model_path is not None and self.config.ranker.name == "llm":
            try:
                self.pipeline = self.factory(self.config, self.model_path, self.model_name)
                self.status = f"model: {self.model_name}"
            except Exception as exc:  # pylint: disable=broad-exception-caught
                self._fall_back(f"model failed to load: {_short(exc)}")
        else:
            self._fall_back(None)
        self.attach(self.pipeline)
        self.load_ms = (time.perf_counter() - start) * 1000

    def _fall_back(self, problem: str | None) -> None:
        self.problem = problem or self.problem
        config = self.config
        try:
            self.pipeline = self.factory(config, None, None)
        except Exception as exc:  # pylint: disable=broad-exception-caught
            enabled = [g for g in config.generators.enabled if g != "ngram"] or ["templates"]
            config = dataclasses.replace(
                config, generators=dataclasses.replace(config.generators, enabled=enabled)
            )
            self.pipeline = self.factory(config, None, None)
            self.problem = f"{self.problem + '; ' if self.problem else ''}n-gram generator off: {_short(exc)}"
        self.status = "n-gram only" + (f" ({self.problem})" if self.problem else "")
        self.attach(self.pipeline)

    def attach(self, pipeline: Any) -> None:
        """Hook: what the engine adds to a freshly built pipeline (the session memory, the live session)."""
        attach_session(pipeline, self.session)
        if self.live is not None:
            self.live.close()
            self.live = None
        if hasattr(pipeline, "quick"):
            k = (
                self.config.tui.k
                if getattr(self.config, "tui", None) and self.config.tui.k
                else self.config.k
            )
            self.live = LiveSession(pipeline, k=k, on_update=self._live_changed)

    def _live_changed(self) -> None:
        if self.on_update is not None:
            self.on_update()

    def prefetch(self, request: Request) -> None:
        """The cursor settled on a new line: evaluate its context in the background (never loads the model)."""
        if self.live is None:
            return
        slot = self.make_slot(request)
        if isinstance(slot, Slot):
            self.live.prefetch(slot)

    def current(self, request: Request) -> SuggestResult | None:
        """The live answer for ``request`` as it is now (after a background update), or None."""
        if self.live is None:
            return None
        slot = self.make_slot(request)
        if not isinstance(slot, Slot):
            return None
        return _as_result(slot, self.live.shown(), self.pipeline, None, self.live.rejected())

    def close(self) -> None:
        if self.live is not None:
            self.live.close()

    def make_slot(self, request: Request) -> Any:
        """Hook: the pipeline slot a request stands for (a code slot at the cursor)."""
        return Document(request.text, self.file_path).slot(*request.cursor)

    def suggest(
        self,
        request: Request,
        is_stale: Callable[[], bool] = lambda: False,
        early: Callable[[SuggestResult], None] | None = None,
    ) -> SuggestResult | None:
        """The pipeline's answer for ``request``; None when it went stale before it ran.

        ``early``: called from the worker with a first, fully validated answer before the
        ranked one, where the engine has one (table slots: :mod:`editor.tui.table_engine`).
        """
        with self._lock:
            if is_stale():
                return None
            if self.pipeline is None:
                self._build()
            slot = self.make_slot(request)
            try:
                return self._answer(slot, request, is_stale, early)
            except Exception as exc:  # pylint: disable=broad-exception-caught
                if not self.llm_on:
                    raise
                self._fall_back(f"ranker failed: {_short(exc)}")
                return self._answer(slot, request, is_stale, early)

    def _answer(
        self, slot: Any, request: Request, is_stale: Callable[[], bool], early: Callable[[Any], None] | None
    ) -> SuggestResult | None:
        """Hook: the answer for ``slot`` (the code editor's live session; tables override it)."""
        del is_stale, early  # the live session refines in the background instead
        if self.live is None or not isinstance(slot, Slot):
            return self.pipeline.suggest(slot, request.k)
        start = time.perf_counter()
        shown = self.live.request(slot)
        if request.manual:  # Ctrl+Space: the user waits for the whole pipeline's answer
            self.live.idle(timeout=120)
            shown = self.live.shown()
        return _as_result(
            slot, shown, self.pipeline, (time.perf_counter() - start) * 1000, self.live.rejected()
        )


def _as_result(
    slot: Slot, shown: list[Shown], pipeline: Any, ms: float | None = None, rejected: list | None = None
) -> SuggestResult:
    """A live answer as the panel shows it: each candidate's text after what is typed now.

    The copies share their original's verdicts and origin, so a pending mark removed by
    the background is gone from the copy too.
    """
    cands = [dataclasses.replace(s.cand, text=s.text_after(slot.typed)) for s in shown]  # shallow: shared
    timings = {"total": ms} if ms is not None else {}
    return SuggestResult(
        cands, list(rejected or []), timings, getattr(pipeline, "model", None), [], {"phase": "live"}
    )


def _short(exc: BaseException, limit: int = 80) -> str:
    text = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    text = text.splitlines()[0] if text else type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"
