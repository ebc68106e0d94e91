"""A one-line progress bar with a rate and an ETA, drawn on stderr only when it is a terminal.

Headless commands (``gfv check``, ``gfv batch``) use it; in a pipe, a CI log or a
pre-commit run it draws nothing, so data on stdout and logs stay clean.
``GFV_NO_PROGRESS=1`` turns it off on a terminal too.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO


def _clock(seconds: float) -> str:
    seconds = int(max(seconds, 0))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class ProgressBar:  # pylint: disable=too-many-instance-attributes
    """``label [#####-----] done/total rate/s ETA m:ss``; redrawn at most ``fps`` times a second."""

    def __init__(  # pylint: disable=too-many-arguments,too-many-positional-arguments
        self,
        total: int,
        label: str,
        unit: str = "it",
        stream: TextIO | None = None,
        enabled: bool | None = None,
        fps: float = 8.0,
    ) -> None:
        self.stream = stream or sys.stderr
        if enabled is None:
            isatty = getattr(self.stream, "isatty", lambda: False)
            enabled = bool(isatty()) and not os.environ.get("GFV_NO_PROGRESS")
        self.enabled = enabled and total > 0
        self.total = total
        self.label = label
        self.unit = unit
        self.done = 0
        self.start = time.monotonic()
        self._interval = 1.0 / fps
        self._last_draw = 0.0
        self._width = 0

    def update(self, count: int = 1) -> None:
        """Record ``count`` more finished items and redraw if it is time to."""
        self.done += count
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last_draw >= self._interval or self.done >= self.total:
            self._last_draw = now
            self._draw(now)

    def render(self, now: float | None = None) -> str:
        """The bar's text at ``now`` (monotonic seconds)."""
        elapsed = max((now if now is not None else time.monotonic()) - self.start, 1e-9)
        rate = self.done / elapsed
        frac = min(self.done / self.total, 1.0) if self.total else 1.0
        filled = int(frac * 20)
        gauge = "#" * filled + "-" * (20 - filled)
        remaining = self.total - self.done
        eta = _clock(remaining / rate) if rate > 0 and remaining > 0 else ("0:00" if remaining <= 0 else "?")
        return f"{self.label} [{gauge}] {self.done}/{self.total} {rate:.1f} {self.unit}/s ETA {eta}"

    def _draw(self, now: float) -> None:
        text = self.render(now)
        pad = " " * max(self._width - len(text), 0)
        self._width = len(text)
        self.stream.write("\r" + text + pad)
        self.stream.flush()

    def close(self) -> None:
        """Erase the bar so that what follows starts on a clean line."""
        if self.enabled and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0

    def __enter__(self) -> "ProgressBar":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
