"""The parent side of the property sandbox: one child process per candidate, under limits.

:func:`run_in_sandbox` copies the candidate's module and its properties file into a
fresh, empty temporary directory and runs ``validators/_sandbox_runner.py`` on them in
a new session with:

* ``python -I -S -B`` (isolated mode, no ``site``, no bytecode writes) and an explicit
  ``sys.path``: the temporary directory, the document's folder, gfv's site-packages;
* a scrubbed environment (``PATH``, ``LANG``, ``HOME`` and ``TMPDIR`` point at harmless
  values; nothing of the user's environment is passed);
* ``RLIMIT_CPU``, ``RLIMIT_AS``, ``RLIMIT_FSIZE``, ``RLIMIT_NOFILE``, ``RLIMIT_CORE``
  set before ``exec`` and ``RLIMIT_NPROC`` = 0 set by the runner before the candidate runs;
* a wall-clock timeout, after which the whole process group is killed;
* OS isolation where available (probed once per process, see :func:`isolation`):
  when gfv runs as root the child drops to ``nobody``; when ``unshare(1)`` can create
  a user + network namespace, the child has no network interface but loopback, down.

The audit hook installed by the runner refuses subprocesses, sockets, ctypes and file
changes outside the temporary directory.  See docs/sandbox.md for the threat model.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

RUNNER = Path(__file__).with_name("_sandbox_runner.py")
FORBIDDEN_EXIT = 86  # mirrors _sandbox_runner.FORBIDDEN_EXIT
FSIZE_BYTES = 8 * 1024 * 1024
NOFILE = 64
_TAIL = 2000


@dataclass(frozen=True)
class Limits:
    timeout_s: float = 10.0
    memory_mb: int = 512
    max_examples: int = 50


@dataclass(frozen=True)
class Isolation:
    """How the child is isolated from the OS, beyond rlimits and the audit hook."""

    prefix: tuple[str, ...]  # e.g. ("unshare", "--user", "--net") or ()
    drop_to: tuple[int, int] | None  # (uid, gid) of nobody when gfv runs as root
    layers: tuple[str, ...]  # human-readable, recorded in every verdict
    note: str = ""


_ISOLATION: dict[str, Isolation] = {}
_ISOLATION_LOCK = threading.Lock()


def _site_paths() -> list[str]:
    """Where hypothesis (and the user's installed packages) are importable from."""
    import hypothesis  # pylint: disable=import-outside-toplevel

    paths = [str(Path(hypothesis.__file__).resolve().parent.parent)]
    for entry in sys.path:
        if entry.endswith(("site-packages", "dist-packages")) and entry not in paths and os.path.isdir(entry):
            paths.append(entry)
    return paths


def _nobody() -> tuple[int, int] | None:
    if os.geteuid() != 0:
        return None
    try:
        import pwd  # pylint: disable=import-outside-toplevel

        entry = pwd.getpwnam("nobody")
        return entry.pw_uid, entry.pw_gid
    except (ImportError, KeyError):
        return None


def _preexec(limits: Limits, drop_to: tuple[int, int] | None):
    cpu = max(1, int(limits.timeout_s + 0.999))
    memory = limits.memory_mb * 1024 * 1024

    def apply() -> None:  # runs in the child between fork and exec: no locks, no imports
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_FSIZE, (FSIZE_BYTES, FSIZE_BYTES))
        resource.setrlimit(resource.RLIMIT_NOFILE, (NOFILE, NOFILE))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if drop_to is not None:
            os.setgroups([])
            os.setgid(drop_to[1])
            os.setuid(drop_to[0])

    return apply


def _probe(prefix: tuple[str, ...], drop_to: tuple[int, int] | None) -> bool:
    """Can this wrapper start the isolated interpreter and import hypothesis?"""
    code = "import sys; sys.path[:0] = %r; import hypothesis" % (_site_paths(),)
    try:
        proc = subprocess.run(
            [*prefix, sys.executable, "-I", "-S", "-B", "-c", code],
            env=_env("/"), cwd="/", capture_output=True, timeout=20, check=False,
            preexec_fn=_preexec(Limits(timeout_s=20), drop_to),
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return False
    return proc.returncode == 0


def isolation() -> Isolation:
    """The strongest working isolation on this machine, probed once per process."""
    with _ISOLATION_LOCK:
        if "it" in _ISOLATION:
            return _ISOLATION["it"]
        nobody = _nobody()
        unshare = shutil.which("unshare")
        prefix = (unshare, "--user", "--net") if unshare else None
        options = []
        if prefix and nobody:
            options.append((prefix, nobody, ("rlimits", "audit-hook", "user+net namespace", "uid nobody")))
        if prefix:
            options.append((prefix, None, ("rlimits", "audit-hook", "user+net namespace")))
        if nobody:
            options.append(((), nobody, ("rlimits", "audit-hook", "uid nobody")))
        chosen = Isolation(
            (),
            None,
            ("rlimits", "audit-hook"),
            "no OS isolation available: the audit hook alone refuses network and writes",
        )
        for pre, drop, layers in options:
            if _probe(pre, drop):
                note = (
                    ""
                    if pre
                    else "no network namespace (unshare unavailable): the audit hook alone refuses sockets"
                )
                chosen = Isolation(tuple(pre), drop, layers, note)
                break
        _ISOLATION["it"] = chosen
        return chosen


def _env(root: str) -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": root, "TMPDIR": root, "PYTHONHASHSEED": "0"}


def _tail(path: Path) -> str:
    try:
        with open(path, "rb") as fh:
            fh.seek(max(0, path.stat().st_size - _TAIL))
            return fh.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _last_json(path: Path) -> dict | None:
    for line in reversed(_tail(path).splitlines()):
        try:
            out = json.loads(line)
        except ValueError:
            continue
        if isinstance(out, dict) and "status" in out:
            return out
    return None


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def run_in_sandbox(
    module_name: str, source: str, properties_source: str, properties: list[str],
    search_dir: str | None, limits: Limits,
) -> dict:  # fmt: skip
    """Run ``properties`` of ``properties_source`` against ``source`` imported as ``module_name``.

    Returns the runner's result dict (``status`` is one of ok, falsified, forbidden, memory,
    crash, notchecked) or one made here: ``timeout``, ``fsize``, ``memory`` or ``crash``
    from how the child ended.  Always includes ``isolation`` and ``elapsed_ms``.
    """
    iso = isolation()
    base = Path(tempfile.mkdtemp(prefix="gfv-prop-"))
    work = base / "work"
    start = time.perf_counter()
    try:
        work.mkdir()
        (work / f"{module_name}.py").write_text(source, encoding="utf-8")
        (work / f"{module_name}_properties.py").write_text(properties_source, encoding="utf-8")
        if iso.drop_to:
            os.chmod(base, 0o711)  # nobody may reach work/ but not list or touch base/
            for path in (work, *work.iterdir()):
                os.chown(path, *iso.drop_to)
        request = {
            "root": str(work.resolve()), "module": module_name, "module_file": str(work / f"{module_name}.py"),
            "properties_file": str(work / f"{module_name}_properties.py"), "properties": properties,
            "paths": ([search_dir] if search_dir else []) + _site_paths(), "max_examples": limits.max_examples,
        }  # fmt: skip
        out_path, err_path = base / "out", base / "err"
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            proc = subprocess.Popen(  # pylint: disable=consider-using-with,subprocess-popen-preexec-fn
                [*iso.prefix, sys.executable, "-I", "-S", "-B", str(RUNNER)],
                stdin=subprocess.PIPE, stdout=out, stderr=err, cwd=work, env=_env(str(work)),
                start_new_session=True, close_fds=True, preexec_fn=_preexec(limits, iso.drop_to),
            )  # fmt: skip
            timed_out = False
            try:
                proc.communicate(json.dumps(request).encode(), timeout=limits.timeout_s + 2.0)
            except subprocess.TimeoutExpired:
                timed_out = True
            _kill_group(proc)  # also reaps anything the child left behind in its group
        result = _interpret(proc.returncode, timed_out, _last_json(out_path), _tail(err_path), limits)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    result["isolation"] = list(iso.layers)
    if iso.note:
        result["isolation_note"] = iso.note
    result["elapsed_ms"] = round((time.perf_counter() - start) * 1000, 1)
    return result


def _interpret(code: int | None, timed_out: bool, result: dict | None, stderr: str, limits: Limits) -> dict:
    if result is not None and (code in (0, FORBIDDEN_EXIT) or result.get("status") == "forbidden"):
        return result
    tail = stderr.strip().splitlines()[-1][:300] if stderr.strip() else ""
    if timed_out or code in (-signal.SIGXCPU, -signal.SIGKILL):
        return {"status": "timeout", "detail": f"no result within {limits.timeout_s:g} s (wall clock or CPU)"}
    if code == -signal.SIGXFSZ:
        return {"status": "fsize", "detail": f"wrote a file larger than {FSIZE_BYTES // (1024 * 1024)} MB"}
    if "MemoryError" in stderr:
        return {"status": "memory", "detail": f"ran out of its {limits.memory_mb} MB address space"}
    return {"status": "crash", "detail": f"the sandboxed process ended with code {code}: {tail}".rstrip(": ")}
