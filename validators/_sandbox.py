"""The parent side of the property sandbox: one child process per candidate, under limits.

:func:`run_in_sandbox` copies the candidate's module and its properties file into a
fresh, empty working directory and runs ``validators/_sandbox_runner.py`` on them in
a new session with:

* ``python -I -S -B`` (isolated mode, no ``site``, no bytecode writes) and an explicit
  ``sys.path``: the temporary directory, the document's folder, gfv's site-packages;
* a scrubbed environment (``PATH``, ``LANG``, ``HOME`` and ``TMPDIR`` point at harmless
  values; nothing of the user's environment is passed);
* ``RLIMIT_CPU``, ``RLIMIT_AS``, ``RLIMIT_FSIZE``, ``RLIMIT_NOFILE``, ``RLIMIT_CORE``
  set before ``exec`` and ``RLIMIT_NPROC`` = 0 set by the runner before the candidate runs;
* a wall-clock timeout, after which the whole process group is killed;
* a lifeline: a pipe whose read end the runner holds and watches; when the editor dies
  its end closes and the runner ends itself (bwrap's ``--die-with-parent`` alone was seen
  to leave the sandbox's init and a sleeping candidate behind, 3 times in 4 in a fresh
  clone's unprivileged run of the hostile suite);
* OS isolation where available (probed once per process, see :func:`isolation` and
  :mod:`validators._isolation`): bubblewrap (read-only file system, no home, a private
  tmpfs work dir of ``disk_mb`` MB, new PID/network/IPC namespaces; as root the child
  also drops to ``nobody``), else a user + network namespace, else ``nobody``.

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

from validators._isolation import NONE, Isolation, bwrap_command, candidates

RUNNER = Path(__file__).with_name("_sandbox_runner.py")
FORBIDDEN_EXIT = 86  # mirrors _sandbox_runner.FORBIDDEN_EXIT
FSIZE_BYTES = 8 * 1024 * 1024
NOFILE = 64
_TAIL = 2000
KINDS = ("bwrap-nobody", "bwrap", "unshare", "nobody", "none")


@dataclass(frozen=True)
class Limits:
    timeout_s: float = 10.0
    memory_mb: int = 512
    max_examples: int = 50
    disk_mb: int = 64  # size of the work dir's tmpfs (bwrap only)
    require_isolation: bool = False  # refuse (PROP008) without an OS layer confining the file system


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


def _launch(  # pylint: disable=too-many-arguments,too-many-positional-arguments
    iso: Isolation, base: Path, files: dict[str, str], readable: list[str], disk_mb: int, argv: list[str]
) -> tuple[list[str], str, list[int]]:
    """(command, host cwd, descriptors to pass) that run ``argv`` with ``files`` in the work dir.

    With bwrap the work dir is a tmpfs inside the sandbox, filled from descriptors of
    files written under ``base/src``; otherwise it is ``base/work`` on the host.
    """
    work = base / "work"
    if not iso.file_system:
        work.mkdir()
        for name, text in files.items():
            (work / name).write_text(text, encoding="utf-8")
        if iso.drop_to:
            os.chmod(base, 0o711)  # nobody may reach work/ but not list or touch base/
            for path in (work, *work.iterdir()):
                os.chown(path, *iso.drop_to)
        return [*iso.prefix, *argv], str(work), []
    src = base / "src"
    src.mkdir()
    fds: dict[str, int] = {}
    for name, text in files.items():
        (src / name).write_text(text, encoding="utf-8")
        fds[name] = os.open(src / name, os.O_RDONLY | os.O_CLOEXEC)
    return bwrap_command(iso, str(work), fds, readable, disk_mb, argv), str(base), list(fds.values())


def _probe(iso: Isolation) -> bool:
    """Can this wrapper start the isolated interpreter and import hypothesis?"""
    code = "import sys; sys.path[:0] = %r; import hypothesis" % (_site_paths(),)
    base = Path(tempfile.mkdtemp(prefix="gfv-prop-"))
    fds: list[int] = []
    try:
        argv = [sys.executable, "-I", "-S", "-B", "-c", code]
        cmd, cwd, fds = _launch(iso, base, {}, [*_site_paths(), str(RUNNER.parent)], 8, argv)
        drop = None if iso.file_system else iso.drop_to
        proc = subprocess.run(
            cmd, env=_env(str(base / "work")), cwd=cwd, capture_output=True, timeout=30, check=False,
            pass_fds=fds, preexec_fn=_preexec(Limits(timeout_s=30), drop),
        )  # fmt: skip
        return proc.returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False
    finally:
        for fd in fds:
            os.close(fd)
        shutil.rmtree(base, ignore_errors=True)


def isolation() -> Isolation:
    """The strongest working isolation on this machine, probed once per process.

    ``GFV_SANDBOX_ISOLATION`` (``bwrap-nobody``, ``bwrap``, ``unshare``, ``nobody``,
    ``none``) caps it: only that kind and weaker ones are tried.  Without a layer that
    confines the file system, a note goes to stderr once per process.
    """
    wanted = os.environ.get("GFV_SANDBOX_ISOLATION", "").strip()
    with _ISOLATION_LOCK:
        if wanted in _ISOLATION:
            return _ISOLATION[wanted]
        options = candidates()
        kinds = [o.kind for o in options]
        if wanted in KINDS:
            order = KINDS[KINDS.index(wanted) :]
            options = [o for o in options if o.kind in order]
        elif wanted:
            print(f"gfv: GFV_SANDBOX_ISOLATION={wanted!r} is not one of {', '.join(KINDS)}; ignored",
                  file=sys.stderr)  # fmt: skip
        chosen = next((o for o in options if _probe(o)), NONE)
        if not chosen.file_system:
            why = "" if "bwrap" in kinds else " (bwrap not found: apt-get install bubblewrap)"
            print(f"gfv: property sandbox: {chosen.note or 'no OS isolation'}{why}", file=sys.stderr)
        _ISOLATION[wanted] = chosen
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


def run_in_sandbox(  # pylint: disable=too-many-arguments,too-many-positional-arguments
    module_name: str, source: str, properties_source: str, properties: list[str],
    search_dir: str | None, limits: Limits,
) -> dict:  # fmt: skip
    """Run ``properties`` of ``properties_source`` against ``source`` imported as ``module_name``.

    Returns the runner's result dict (``status`` is one of ok, falsified, forbidden, memory,
    disk, crash, notchecked) or one made here: ``timeout``, ``fsize``, ``memory``, ``crash``
    from how the child ended, ``notchecked`` when ``limits.require_isolation`` and no OS
    layer confines the file system.  Always includes ``isolation`` and ``elapsed_ms``.
    """
    iso = isolation()
    start = time.perf_counter()
    if limits.require_isolation and not iso.file_system:
        result = {"status": "notchecked", "detail": "refused: require_isolation = true and " + iso.note}
    else:
        result = _run(iso, module_name, source, properties_source, properties, search_dir, limits)
    result["isolation"] = list(iso.layers)
    if iso.note:
        result["isolation_note"] = iso.note
    result["elapsed_ms"] = round((time.perf_counter() - start) * 1000, 1)
    return result


def _run(  # pylint: disable=too-many-arguments,too-many-positional-arguments,too-many-locals
    iso: Isolation, module_name: str, source: str, properties_source: str, properties: list[str],
    search_dir: str | None, limits: Limits,
) -> dict:  # fmt: skip
    base = Path(tempfile.mkdtemp(prefix="gfv-prop-"))
    work = base / "work"
    fds: list[int] = []
    try:
        files = {f"{module_name}.py": source, f"{module_name}_properties.py": properties_source}
        readable = ([search_dir] if search_dir else []) + _site_paths() + [str(RUNNER.parent)]
        argv = [sys.executable, "-I", "-S", "-B", str(RUNNER)]
        cmd, cwd, fds = _launch(iso, base, files, readable, limits.disk_mb, argv)
        request = {
            "root": str(work), "module": module_name, "module_file": str(work / f"{module_name}.py"),
            "properties_file": str(work / f"{module_name}_properties.py"), "properties": properties,
            "paths": readable[:-1], "max_examples": limits.max_examples,
        }  # fmt: skip
        # the runner's lifeline: it ends itself when this end closes, as it does when this
        # process dies, whatever becomes of bwrap's --die-with-parent (seen to leave the
        # sandbox's init and the candidate running after the editor was killed)
        request["lifeline_fd"], lifeline = os.pipe()
        fds.append(request["lifeline_fd"])
        out_path, err_path = base / "out", base / "err"
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            proc = subprocess.Popen(  # pylint: disable=consider-using-with,subprocess-popen-preexec-fn
                cmd, stdin=subprocess.PIPE, stdout=out, stderr=err, cwd=cwd, env=_env(str(work)),
                start_new_session=True, close_fds=True, pass_fds=fds,
                preexec_fn=_preexec(limits, None if iso.file_system else iso.drop_to),
            )  # fmt: skip
            for fd in fds:
                os.close(fd)
            fds = [lifeline]  # closed at the end, once the runner is gone
            timed_out = False
            try:
                proc.communicate(json.dumps(request).encode(), timeout=limits.timeout_s + 2.0)
            except subprocess.TimeoutExpired:
                timed_out = True
            _kill_group(proc)  # also reaps anything the child left behind in its group
        return _interpret(proc.returncode, timed_out, _last_json(out_path), _tail(err_path), limits)
    finally:
        for fd in fds:
            os.close(fd)
        shutil.rmtree(base, ignore_errors=True)


def _signalled(code: int | None, sig: int) -> bool:
    """Killed by ``sig``: directly (-sig) or as bwrap reports its child (128 + sig)."""
    return code in (-sig, 128 + sig)


def _interpret(code: int | None, timed_out: bool, result: dict | None, stderr: str, limits: Limits) -> dict:
    if result is not None and (code in (0, FORBIDDEN_EXIT) or result.get("status") == "forbidden"):
        return result
    tail = stderr.strip().splitlines()[-1][:300] if stderr.strip() else ""
    if timed_out or _signalled(code, signal.SIGXCPU) or _signalled(code, signal.SIGKILL):
        return {"status": "timeout", "detail": f"no result within {limits.timeout_s:g} s (wall clock or CPU)"}
    if _signalled(code, signal.SIGXFSZ):
        return {"status": "fsize", "detail": f"wrote a file larger than {FSIZE_BYTES // (1024 * 1024)} MB"}
    if "MemoryError" in stderr:
        return {"status": "memory", "detail": f"ran out of its {limits.memory_mb} MB address space"}
    if tail.startswith("bwrap:"):
        return {"status": "notchecked", "detail": f"the sandbox could not start: {tail}"}
    return {"status": "crash", "detail": f"the sandboxed process ended with code {code}: {tail}".rstrip(": ")}
