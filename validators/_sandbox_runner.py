"""The child side of the property sandbox: run a module's hypothesis properties, report as JSON.

This file is executed as a script (``python -I -S -B _sandbox_runner.py``) by
``validators/_sandbox.py``, never imported by gfv: it uses only the standard library
and hypothesis, and it must keep working with the isolated interpreter's empty
``sys.path``.  The request arrives as one JSON object on stdin; the result is one
JSON line written to the file descriptor that was stdout at start-up (the candidate's
own prints go to /dev/null).

Order matters.  Everything the runner itself needs (hypothesis, json, traceback) is
imported *before* the audit hook is installed; then the process-count limit is
lowered to zero; then the hook goes in; only then is the candidate module executed.
From that point a forbidden operation writes a ``forbidden`` result and ends the
process with ``os._exit``: the candidate cannot catch it.
"""

from __future__ import annotations

import errno
import importlib.util
import json
import os
import sys
import threading
import traceback

FORBIDDEN_EXIT = 86
_MAX_TEXT = 4000
MAX_CREATES = 4096  # files and folders the candidate may create (opened for writing) in its work dir

# Audit events that are refused outright (exact names, then prefixes).
_DENY_EVENTS = frozenset(
    {
        "os.system", "os.fork", "os.forkpty", "os.kill", "os.killpg", "os.startfile",
        "os.posix_spawn", "subprocess.Popen", "pty.spawn", "signal.pthread_kill",
        "resource.setrlimit", "resource.prlimit", "sys.remote_exec", "_posixsubprocess.fork_exec",
    }
)  # fmt: skip
# Modules whose import (or re-import) is refused once the candidate runs.
_DENY_IMPORTS = frozenset({"_posixsubprocess", "_ctypes", "ctypes", "_multiprocessing"})
_DENY_PREFIXES = (
    "os.exec",
    "os.spawn",
    "os.posix_spawn",
    "socket.",
    "ctypes.",
    "_ctypes",
    "winreg.",
    "webbrowser.",
)
# Audit events that change the file system: event -> indexes of the path arguments.
_PATH_EVENTS = {
    "os.remove": (0,), "os.rmdir": (0,), "os.rename": (0, 1), "os.truncate": (0,), "os.chmod": (0,),
    "os.chown": (0,), "os.link": (0, 1), "os.symlink": (1,), "os.mkdir": (0,), "os.utime": (0,),
    "os.mkfifo": (0,), "os.mknod": (0,), "os.setxattr": (0,), "os.removexattr": (0,), "os.chflags": (0,),
    "os.lchflags": (0,), "shutil.rmtree": (0,), "shutil.chown": (0,), "shutil.copyfile": (1,),
    "shutil.copytree": (1,), "shutil.move": (0, 1), "sqlite3.connect": (0,),
}  # fmt: skip


def install_guard(root: str, result_fd: int) -> None:
    """Refuse subprocesses, sockets, ctypes and file-system changes outside ``root``.

    Everything the hook uses is bound now, as locals of this closure, so that a
    candidate that rebinds ``os`` or ``json`` attributes later does not change it.
    """
    realpath, join, getcwd, fsdecode = os.path.realpath, os.path.join, os.getcwd, os.fsdecode
    write, exit_now, dumps = os.write, os._exit, json.dumps  # pylint: disable=protected-access
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
    deny_events, deny_prefixes, path_events = _DENY_EVENTS, _DENY_PREFIXES, dict(_PATH_EVENTS)
    deny_imports = _DENY_IMPORTS
    prefix, busy, creates = root.rstrip(os.sep) + os.sep, [False], [0]

    def inside(path) -> bool:
        if isinstance(path, int) or path is None:
            return True  # an already-open descriptor: nothing new is reached by name
        name = fsdecode(path)
        if name in ("/dev/null", ":memory:", ""):
            return True
        full = realpath(join(getcwd(), name))
        return full + os.sep == prefix or full.startswith(prefix)

    def deny(event: str, detail: str) -> None:
        line = dumps({"status": "forbidden", "operation": event, "detail": detail[:_MAX_TEXT]}) + "\n"
        write(result_fd, line.encode("utf-8", "replace"))
        exit_now(FORBIDDEN_EXIT)

    def hook(event: str, args: tuple) -> None:
        if busy[0]:
            return
        busy[0] = True
        try:
            if event in deny_events or event.startswith(deny_prefixes):
                deny(event, repr(args)[:300])
            elif event == "import" and args and args[0] in deny_imports:
                deny("import", f"import of {args[0]!r}")
            elif event == "open":
                path, mode, flags = (tuple(args) + (None, None, None))[:3]
                writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                    isinstance(flags, int) and bool(flags & write_flags)
                )
                if writes and not inside(path):
                    deny("open", f"open {path!r} for writing outside the sandbox directory")
                if writes:
                    creates[0] += 1
            elif event in path_events:
                for i in path_events[event]:
                    if i < len(args) and not inside(args[i]):
                        deny(event, f"{event} {args[i]!r}: outside the sandbox directory")
                if event == "os.mkdir":
                    creates[0] += 1
            if creates[0] > MAX_CREATES:
                deny(event, f"more than {MAX_CREATES} files opened for writing or folders created")
        finally:
            busy[0] = False

    sys.addaudithook(hook)


def disarm_fork_exec() -> None:
    """``_posixsubprocess.fork_exec`` raises no audit event: replace it with one that does.

    hypothesis imports ``subprocess`` (and so ``_posixsubprocess``) before the hook is
    installed; the module is dropped from ``sys.modules`` so that importing it again
    raises the ``import`` event, which the hook refuses.
    """

    def fork_exec(*args, **kwargs):  # pylint: disable=unused-argument
        sys.audit("_posixsubprocess.fork_exec", args[:1])
        raise PermissionError("refused by the gfv sandbox")

    for name, attr in (("_posixsubprocess", "fork_exec"), ("subprocess", "_fork_exec")):
        module = sys.modules.get(name)
        if module is not None and hasattr(module, attr):
            setattr(module, attr, fork_exec)
    sys.modules.pop("_posixsubprocess", None)


def _counterexample(exc: BaseException, name: str) -> str:
    """Hypothesis's 'Falsifying example' / 'Failing test case' note, without the module argument."""
    parts = []
    for note in getattr(exc, "__notes__", []) or []:
        if note.startswith(("Falsifying example", "Failing test case")):
            lines = [ln for ln in note.splitlines() if not ln.strip().startswith(("mod=", "data=data("))]
            parts.append("\n".join(lines))
        elif note.startswith("Draw ") and parts:
            parts.append(note)  # what st.data() drew, in order
    return "\n".join(parts)[:_MAX_TEXT] if parts else f"{name}(...)"


def _error(exc: BaseException) -> str:
    last = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    where = f" (line {last[0].lineno} of {os.path.basename(last[0].filename)})" if last else ""
    return f"{type(exc).__name__}: {exc}"[:_MAX_TEXT] + where


def _limit_hit(exc: BaseException | None) -> str | None:
    """ "memory", "fsize" or "disk" when the exception (or one it came from) is a resource limit."""
    seen = 0
    while exc is not None and seen < 20:
        if isinstance(exc, MemoryError):
            return "memory"
        if isinstance(exc, OSError) and exc.errno == errno.EFBIG:
            return "fsize"
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return "disk"
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return None


def _load(name: str, path: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _run_properties(req: dict, hypothesis) -> dict:
    """Import the candidate's module and its properties; run the requested ones in order."""
    try:
        module = _load(req["module"], req["module_file"])
    except (MemoryError, OSError) as exc:
        hit = _limit_hit(exc)
        if hit:
            return {"status": hit, "detail": f"while importing the module: {_error(exc)}"}
        return {"status": "crash", "detail": f"importing the module failed: {_error(exc)}"}
    except SyntaxError as exc:
        return {"status": "notchecked", "detail": f"the module does not compile: {_error(exc)}"}
    except ModuleNotFoundError as exc:
        return {"status": "notchecked", "detail": f"an import is not available in the sandbox: {_error(exc)}"}
    except BaseException as exc:  # pylint: disable=broad-except  # the candidate's module failed
        return {"status": "crash", "detail": f"importing the module failed: {_error(exc)}"}
    try:
        props = _load(req["module"] + "_properties", req["properties_file"])
    except MemoryError:
        return {"status": "memory", "detail": "MemoryError while importing the properties"}
    except BaseException as exc:  # pylint: disable=broad-except
        return {"status": "notchecked", "detail": f"the properties file failed to import: {_error(exc)}"}
    ran = []
    for name in req["properties"]:
        prop = getattr(props, name, None)
        if not callable(prop) or not hasattr(prop, "hypothesis"):
            return {"status": "notchecked", "detail": f"{name} is not a hypothesis @given function"}
        try:
            prop(module)
        except BaseException as exc:  # pylint: disable=broad-except  # SystemExit too: a failure
            hit = _limit_hit(exc)
            if hit:
                return {"status": hit, "property": name, "detail": _error(exc)}
            bad_use = (
                isinstance(exc, hypothesis.errors.HypothesisException) and "Flaky" not in type(exc).__name__
            )
            if bad_use:  # InvalidArgument, Unsatisfiable, ...: the property's fault, not the candidate's
                return {"status": "notchecked", "property": name, "detail": f"hypothesis: {_error(exc)}"}
            return _falsified(name, exc)
        ran.append(name)
    return {"status": "ok", "properties": ran}


def _falsified(name: str, exc: BaseException) -> dict:
    return {
        "status": "falsified",
        "property": name,
        "counterexample": _counterexample(exc, name),
        "error": _error(exc),
    }


def _hold_lifeline(fd: int | None) -> None:
    """End this process when the editor's end of the pipe ``fd`` closes (the editor died).

    A thread, started before the process-count limit falls to zero (a thread counts).
    """
    if fd is None:
        return

    def watch() -> None:
        while os.read(fd, 1):
            pass
        os._exit(70)  # pylint: disable=protected-access

    threading.Thread(target=watch, daemon=True).start()


def main() -> None:
    req = json.loads(sys.stdin.read())
    sys.stdin.close()
    _hold_lifeline(req.get("lifeline_fd"))
    result_fd = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    sys.dont_write_bytecode = True
    sys.path[:0] = [req["root"], *req["paths"]]
    import resource  # pylint: disable=import-outside-toplevel

    import hypothesis  # pylint: disable=import-outside-toplevel
    import hypothesis.errors  # pylint: disable=import-outside-toplevel,unused-import
    from hypothesis import HealthCheck, Phase, settings  # pylint: disable=import-outside-toplevel

    settings.register_profile(
        "gfv-sandbox",
        max_examples=req["max_examples"],
        deadline=None,
        database=None,
        derandomize=True,
        print_blob=False,
        report_multiple_bugs=False,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
    )
    settings.load_profile("gfv-sandbox")
    if req.get("limit_nproc", True):
        resource.setrlimit(resource.RLIMIT_NPROC, (0, 0))
    disarm_fork_exec()
    install_guard(os.path.realpath(req["root"]), result_fd)
    result = _run_properties(req, hypothesis)
    os.write(result_fd, (json.dumps(result) + "\n").encode("utf-8", "replace"))
    os._exit(0)  # pylint: disable=protected-access  # skip atexit handlers a candidate may have set


if __name__ == "__main__":
    main()
