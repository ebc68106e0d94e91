"""What the property sandbox's isolation costs per candidate (figures in docs/sandbox.md).

    cd <repo> && PYTHONPATH=. python scripts/measure_sandbox.py [N]

1. The wrapper alone: ``/bin/true`` started through each isolation this machine offers
   (N runs each; no Python start-up).
2. A whole candidate: one property, 50 hypothesis examples, through the sandbox with each
   kind forced by ``GFV_SANDBOX_ISOLATION`` (a fresh process per kind, N runs each).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MODULE = "def srt(xs):\n    return sorted(xs)\n"
PROPS = (
    "from hypothesis import given, strategies as st\n\n@given(st.lists(st.integers()))\n"
    "def prop_srt_sorted(mod, xs):\n    assert mod.srt(list(xs)) == sorted(xs)\n"
)


def _line(kind: str, times: list[float]) -> str:
    return f"{kind:13s} median {statistics.median(times):6.1f} ms  min {min(times):6.1f} ms  (n={len(times)})"


def wrappers(n: int) -> None:
    """The isolation command around /bin/true."""
    # pylint: disable=import-outside-toplevel,protected-access
    from validators import _sandbox
    from validators._isolation import NONE, candidates

    for iso in [*candidates(), NONE]:
        times = []
        for _ in range(n):
            base = Path(tempfile.mkdtemp(prefix="gfv-measure-"))
            try:
                cmd, cwd, fds = _sandbox._launch(iso, base, {"m.py": "x = 1\n"}, [], 64, ["/bin/true"])
                drop = None if iso.file_system else iso.drop_to
                start = time.perf_counter()
                subprocess.run(
                    cmd,
                    cwd=cwd,
                    pass_fds=fds,
                    check=True,
                    preexec_fn=_sandbox._preexec(_sandbox.Limits(), drop),
                )
                times.append((time.perf_counter() - start) * 1000)
                for fd in fds:
                    os.close(fd)
            finally:
                shutil.rmtree(base, ignore_errors=True)
        print(_line(iso.kind + ("+nobody" if iso.kind == "unshare" and iso.drop_to else ""), times))


def candidate(n: int) -> None:
    """Whole candidates through the sandbox, with the isolation of this process."""
    from validators._sandbox import (
        Limits,
        isolation,
        run_in_sandbox,
    )  # pylint: disable=import-outside-toplevel

    iso, times = isolation(), []
    for i in range(n):
        start = time.perf_counter()
        result = run_in_sandbox(
            "m", MODULE + f"# {i}\n", PROPS, ["prop_srt_sorted"], None, Limits(max_examples=50)
        )
        times.append((time.perf_counter() - start) * 1000)
        assert result["status"] == "ok", result
    print(_line(iso.kind, times))


if __name__ == "__main__":
    count = int(
        sys.argv[2] if sys.argv[1:2] == ["--candidate"] else (sys.argv[1] if len(sys.argv) > 1 else 30)
    )
    if sys.argv[1:2] == ["--candidate"]:
        candidate(count)
        sys.exit(0)
    print("wrapper around /bin/true:")
    wrappers(count)
    print("a whole candidate (1 property, 50 examples):")
    for kind in ("bwrap-nobody", "bwrap", "unshare", "none"):
        env = dict(os.environ, GFV_SANDBOX_ISOLATION=kind)
        subprocess.run(
            [sys.executable, __file__, "--candidate", str(count)],
            env=env,
            check=True,
            stderr=subprocess.DEVNULL,
        )
