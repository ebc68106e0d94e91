"""The peers in ``gfv bench typing``: qwen-direct as llama.vim runs it, and gfv before the live session."""

from __future__ import annotations

import threading

from editor.bench.systems import QwenDirect
from editor.candidates import Candidate
from editor.config import Config
from editor.document import Slot
from editor.shown import Shown, place_of
from editor.pipeline import Pipeline


class QwenLive:
    """qwen-direct with llama.vim's reuse and gfv's prefetch (module docstring)."""

    def __init__(self, scorer, config: Config, name: str = "qwen-direct") -> None:
        self.direct = QwenDirect(name, scorer, config)
        self.scorer = scorer
        self._lock = threading.Lock()  # llama.cpp: one user at a time
        self._place: tuple | None = None
        self._last: list[Shown] = []
        self._typed = ""

    def prefetch(self, slot: Slot) -> None:
        place = place_of(slot)
        self._place, self._last = place, []

        def work():
            with self._lock:
                self.scorer.checkpoint = lambda: self._place != place
                try:
                    self.scorer.prefill(self.direct.ranker.context(slot))
                except Exception:  # pylint: disable=broad-exception-caught  # Cancelled
                    pass
                finally:
                    self.scorer.checkpoint = None

        threading.Thread(target=work, daemon=True).start()

    def request(self, slot: Slot) -> list[Shown]:
        place, typed = place_of(slot), slot.typed
        self._typed = typed
        if place == self._place:
            agreeing = self.shown()
            if agreeing:
                return agreeing
        self._place = place
        with self._lock:
            outs = self.direct.complete(slot)
        self._last = [Shown(typed + o, Candidate(o, self.direct.name), "ranked") for o in outs[:1]]
        return self.shown()

    def shown(self) -> list[Shown]:
        return [s for s in self._last if s.agrees(self._typed)]

    def idle(self, timeout: float = 60.0) -> bool:
        got = self._lock.acquire(timeout=timeout)
        if got:
            self._lock.release()
        return got

    def close(self) -> None:
        self.idle()


class BlockingPipeline:
    """gfv before the live session: every request runs the whole pipeline, then answers."""

    def __init__(self, pipeline: Pipeline, k: int) -> None:
        self.pipeline, self.k = pipeline, k
        self._last: list[Shown] = []
        self._typed = ""

    def prefetch(self, slot: Slot) -> None:
        del slot

    def request(self, slot: Slot) -> list[Shown]:
        self._typed = slot.typed
        result = self.pipeline.suggest(slot, self.k)
        self._last = [Shown(slot.typed + c.text, c, "ranked") for c in result.candidates]
        return self.shown()

    def shown(self) -> list[Shown]:
        return [s for s in self._last if s.agrees(self._typed)]

    def idle(self, timeout: float = 60.0) -> bool:
        del timeout
        return True

    def close(self) -> None:
        return None
