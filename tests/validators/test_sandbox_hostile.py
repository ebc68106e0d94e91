"""Planted hostile candidates, one per sandbox limit: each is stopped with a clear code.

Every test checks the file system afterwards: the victim folder (outside the sandbox)
is byte-for-byte unchanged and no sandbox directory is left behind.
"""

# pylint: disable=missing-function-docstring,redefined-outer-name

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pytest

from editor.candidates import Candidate
from editor.document import Document
from validators._isolation import exposures, hidden_roots, interpreter_paths
from validators._sandbox import Limits, isolation
from validators.properties import PropertiesValidator

MODULE = "import os\n\n\ndef srt(xs):\n    return sorted(xs)\n"
PROPS = (
    "from hypothesis import given, strategies as st\n\n\n"
    "@given(st.lists(st.integers(), max_size=3))\n"
    "def prop_srt_sorted(mod, xs):\n"
    "    assert mod.srt(list(xs)) == sorted(xs)\n"
)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _sandboxes() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("gfv-prop-*")}


@pytest.fixture()
def world(tmp_path):
    """A project folder with the module and its properties, and a victim folder beside it."""
    project, victim = tmp_path / "project", tmp_path / "victim"
    project.mkdir()
    victim.mkdir()
    (project / "m.py").write_text(MODULE)
    (project / "m_properties.py").write_text(PROPS)
    (victim / "precious.txt").write_text("do not touch\n")
    (victim / "sub").mkdir()
    (victim / "sub" / "notes.md").write_text("# notes\n")
    before, sandboxes = _snapshot(victim), _sandboxes()
    yield project, victim
    assert _snapshot(victim) == before, "the victim folder changed"
    assert (victim / "precious.txt").read_text() == "do not touch\n"
    assert _sandboxes() <= sandboxes, "a sandbox directory was left behind"
    assert _snapshot(project)["m.py"] == MODULE.encode()


def run(project: Path, body: str, timeout_s: float = 4.0, memory_mb: int = 384):
    """Insert ``body`` as the body of ``srt`` and judge it."""
    lines = (project / "m.py").read_text().split("\n")
    slot = Document("\n".join(lines), project / "m.py").slot(4, 0)
    validator = PropertiesValidator(Limits(timeout_s=timeout_s, memory_mb=memory_mb, max_examples=20))
    (verdicts,) = validator.validate(slot, [Candidate(body + "\n", "hostile")])
    return verdicts[0]


def test_infinite_loop_times_out(world):
    project, _ = world
    verdict = run(project, "    while True:\n        pass", timeout_s=2.0)
    assert (verdict.code, verdict.ok) == ("PROP002", False), verdict.message
    assert verdict.details["elapsed_ms"] < 8000


def test_sleeping_forever_hits_the_wall_clock(world):
    project, _ = world
    verdict = run(project, "    import time\n    time.sleep(3600)", timeout_s=1.0)
    assert verdict.code == "PROP002", verdict.message


def test_unbounded_allocation_hits_the_memory_limit(world):
    project, _ = world
    verdict = run(project, "    hoard = []\n    while True:\n        hoard.append(bytearray(10**7))")
    assert (verdict.code, verdict.ok) == ("PROP003", False), verdict.message


def test_os_system_is_forbidden_even_when_the_candidate_catches_errors(world):
    project, victim = world
    target = victim / "pwned"
    body = f"    try:\n        os.system('touch {target}')\n    except BaseException:\n        pass\n    return sorted(xs)"
    verdict = run(project, body)
    assert (verdict.code, verdict.ok) == ("PROP004", False)
    assert verdict.details["operation"] == "os.system"
    assert not target.exists()


def test_subprocess_is_forbidden(world):
    project, victim = world
    verdict = run(project, f"    import subprocess\n    subprocess.run(['rm', '-rf', '{victim}'])")
    assert verdict.code == "PROP004" and verdict.details["operation"] == "subprocess.Popen"


def test_deleting_files_is_forbidden(world):
    project, victim = world
    verdict = run(project, f"    os.remove({str(victim / 'precious.txt')!r})\n    return sorted(xs)")
    assert verdict.code == "PROP004" and verdict.details["operation"] == "os.remove"


def test_rmtree_outside_is_forbidden(world):
    project, victim = world
    verdict = run(project, f"    import shutil\n    shutil.rmtree({str(victim)!r})\n    return sorted(xs)")
    assert verdict.code == "PROP004" and verdict.details["operation"] == "shutil.rmtree"


def test_writing_outside_the_sandbox_is_forbidden(world):
    project, victim = world
    body = f"    with open({str(victim / 'precious.txt')!r}, 'w') as fh:\n        fh.write('x')\n    return sorted(xs)"
    verdict = run(project, body)
    assert verdict.code == "PROP004" and verdict.details["operation"] == "open"


def test_writing_inside_the_sandbox_is_allowed(world):
    project, _ = world
    verdict = run(
        project, "    with open('scratch.txt', 'w') as fh:\n        fh.write('ok')\n    return sorted(xs)"
    )
    assert verdict.code == "PROP000", verdict.message


def test_a_huge_file_hits_the_file_size_limit(world):
    project, _ = world
    body = "    with open('big.bin', 'wb') as fh:\n        while True:\n            fh.write(b'x' * 2**20)"
    verdict = run(project, body)
    assert (verdict.code, verdict.ok) == ("PROP007", False), verdict.message


def test_sockets_are_forbidden_and_nothing_connects(world):
    project, _ = world
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(6)
    port = server.getsockname()[1]
    got = []

    def accept():
        try:
            got.append(server.accept())
        except OSError:
            pass

    thread = threading.Thread(target=accept)
    thread.start()
    body = f"    import socket\n    socket.create_connection(('127.0.0.1', {port})).sendall(b'secret')\n    return sorted(xs)"
    verdict = run(project, body)
    server.close()
    thread.join()
    assert verdict.code == "PROP004" and verdict.details["operation"].startswith("socket.")
    assert not got


def test_fork_and_raw_fork_exec_are_forbidden(world):
    project, _ = world
    verdict = run(project, "    os.fork()\n    return sorted(xs)")
    assert verdict.code == "PROP004" and verdict.details["operation"] == "os.fork"
    raw = "    import subprocess\n    subprocess._fork_exec(*([None] * 23))\n    return sorted(xs)"
    verdict = run(project, raw)
    assert verdict.code == "PROP004" and verdict.details["operation"] == "_posixsubprocess.fork_exec"
    verdict = run(project, "    import _posixsubprocess\n    return sorted(xs)")
    assert verdict.code == "PROP004" and verdict.details["operation"] == "import"


def test_ctypes_and_raising_limits_are_forbidden(world):
    project, _ = world
    verdict = run(project, "    import ctypes\n    return sorted(xs)")
    assert verdict.code == "PROP004"
    verdict = run(
        project,
        "    import resource\n    resource.setrlimit(resource.RLIMIT_CPU, (-1, -1))\n    return sorted(xs)",
    )
    assert verdict.code == "PROP004" and verdict.details["operation"] == "resource.setrlimit"


def test_environment_is_scrubbed_and_cwd_is_an_empty_temporary_folder(world, monkeypatch):
    project, _ = world
    monkeypatch.setenv("GFV_SECRET_TOKEN", "hunter2")
    body = (
        "    assert 'GFV_SECRET_TOKEN' not in os.environ, 'env leaked'\n"
        "    assert set(os.listdir('.')) - {'.hypothesis'} == {'m.py', 'm_properties.py'}, os.listdir('.')\n"
        "    assert os.getcwd() != %r\n"
        "    return sorted(xs)"
    ) % str(project)
    verdict = run(project, body)
    assert verdict.code == "PROP000", verdict.message


def test_network_namespace_when_available(world):
    project, _ = world
    iso = isolation()
    assert iso.network, f"no network namespace on this machine: {iso.note}"  # bwrap is set up by setup.sh
    # Whatever gets past the audit hook: the child's network namespace has only a loopback interface.
    body = (
        "    with open('/proc/self/net/dev') as fh:\n"
        "        names = [ln.split(':')[0].strip() for ln in fh.read().splitlines()[2:]]\n"
        "    assert names == ['lo'], names\n"
        "    return sorted(xs)"
    )
    verdict = run(project, body)
    assert verdict.code == "PROP000", verdict.message
    assert any("net" in layer for layer in verdict.details["isolation"])
    with open("/proc/self/net/dev", encoding="utf-8") as fh:  # the editor's own process keeps its network
        assert len(fh.read().splitlines()[2:]) >= 1


# --- Attacks past the audit hook: only the OS layer (bubblewrap) stops these. ---------------
# Each candidate swallows its own errors and returns the right answer, so the verdict may
# well be PROP000: what must hold is that nothing outside the sandbox changed.


def test_the_file_system_layer_is_in_place():
    iso = isolation()
    assert iso.file_system, f"no bubblewrap layer (scripts/setup.sh installs it): {iso.note}"
    assert any(layer.startswith("bwrap") for layer in iso.layers)


def _dir_fd_attack(folder: Path, action: str) -> str:
    """A candidate that opens ``folder`` and changes precious.txt through ``dir_fd=`` paths."""
    return (
        "    for _ in [0]:\n"
        "        try:\n"
        f"            fd = os.open({str(folder)!r}, os.O_RDONLY | os.O_DIRECTORY)\n"
        f"            {action}\n"
        "        except OSError:\n"
        "            pass\n"
        "    return sorted(xs)"
    )


DIR_FD_ACTIONS = {
    "unlink": "os.unlink('precious.txt', dir_fd=fd)",
    "rename": "os.rename('precious.txt', 'stolen.txt', src_dir_fd=fd, dst_dir_fd=fd)",
    "write": "w = os.open('precious.txt', os.O_WRONLY | os.O_TRUNC, dir_fd=fd); os.write(w, b'pwned')",
    "create": "w = os.open('planted.txt', os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd); os.write(w, b'x')",
}


@pytest.mark.parametrize("action", sorted(DIR_FD_ACTIONS))
def test_dir_fd_relative_changes_outside_do_not_reach_the_victim(world, action):
    project, victim = world
    verdict = run(project, _dir_fd_attack(victim, DIR_FD_ACTIONS[action]))
    assert verdict.code in ("PROP000", "PROP004", "PROP005"), verdict.message  # contained, not a crash of gfv


@pytest.mark.parametrize("action", sorted(DIR_FD_ACTIONS))
def test_dir_fd_changes_in_the_documents_own_folder_are_refused_by_the_read_only_mount(world, action):
    project, _ = world
    (project / "precious.txt").write_text("the project's own file\n")
    verdict = run(project, _dir_fd_attack(project, DIR_FD_ACTIONS[action]))
    assert verdict.code in ("PROP000", "PROP004"), verdict.message
    assert sorted(p.name for p in project.iterdir()) == ["m.py", "m_properties.py", "precious.txt"]
    assert (project / "precious.txt").read_text() == "the project's own file\n"


@pytest.fixture()
def home_victim():
    """A secret file in the real home directory of the user running gfv (removed afterwards)."""
    home = Path(pwd.getpwuid(os.geteuid()).pw_dir)
    secret = f"TOPSECRET-{uuid.uuid4().hex}"
    path = home / f".gfv-sandbox-test-{uuid.uuid4().hex[:8]}"
    path.write_text(secret)
    before = sorted(p.name for p in home.iterdir())
    yield home, path, secret
    try:
        assert path.read_text() == secret, "the file in $HOME changed"
        assert sorted(p.name for p in home.iterdir()) == before, "something was created in $HOME"
    finally:
        path.unlink()


def test_writing_into_home_is_refused_and_contained(world, home_victim):
    project, _ = world
    home, path, _ = home_victim
    body = (
        "    for target in [%r, %r]:\n"
        "        try:\n"
        "            with open(target, 'w') as fh:\n"
        "                fh.write('pwned')\n"
        "        except OSError:\n"
        "            pass\n"
        "    return sorted(xs)"
    ) % (str(path), str(home / "planted-by-candidate"))
    verdict = run(project, body)
    assert verdict.code == "PROP004" and verdict.details["operation"] == "open", verdict.message
    verdict = run(project, _dir_fd_attack(home, f"os.unlink({path.name!r}, dir_fd=fd)"))
    assert verdict.code in ("PROP000", "PROP004"), verdict.message


def test_a_file_under_home_cannot_be_read_into_the_verdict(world, home_victim):
    project, _ = world
    home, path, secret = home_victim
    for body in (
        f"    raise RuntimeError(open({str(path)!r}).read())",
        f"    fd = os.open({str(home)!r}, os.O_RDONLY)\n    raise RuntimeError(open({path.name!r}, opener=lambda p, f: os.open(p, f, dir_fd=fd)).read())",
    ):
        verdict = run(project, body)
        shown = json.dumps(verdict.to_json())
        assert secret not in shown, shown
        assert not verdict.ok
    verdict = run(project, f"    raise RuntimeError('listing: ' + repr(sorted(os.listdir({str(home)!r}))))")
    # home is an empty tmpfs: only the way to what the interpreter needs (pyenv's prefix) is bound back
    bound = exposures([*interpreter_paths(), *sys.path], hidden_roots())
    needed = sorted({Path(p).relative_to(home).parts[0] for p in bound if Path(p).is_relative_to(home)})
    assert f"listing: {needed!r}" in verdict.message, verdict.message
    assert path.name not in verdict.message and ".ssh" not in needed and ".config" not in needed


def test_filling_the_disk_with_many_files_under_the_size_limit_stops_at_the_quota(world):
    project, _ = world
    fill = (
        "    total = 0\n"
        "    try:\n"
        "        for i in range(160):\n"
        "            with open(f'f{i}.bin', 'wb') as fh:\n"
        "                fh.write(b'x' * (7 * 2**20))\n"
        "            total += 7 * 2**20\n"
        "    except OSError as exc:\n"
        "        raise RuntimeError(f'wrote {total} bytes: {exc}') from None\n"
        "    return sorted(xs)"
    )
    lines = (project / "m.py").read_text().split("\n")
    slot = Document("\n".join(lines), project / "m.py").slot(4, 0)
    validator = PropertiesValidator(Limits(timeout_s=8.0, memory_mb=384, max_examples=5, disk_mb=16))
    (verdicts,) = validator.validate(slot, [Candidate(fill + "\n", "hostile")])
    verdict = verdicts[0]
    assert (verdict.code, verdict.ok) == ("PROP009", False), verdict.message  # ENOSPC, even when re-raised
    written = int(re.search(r"wrote (\d+) bytes", verdict.message).group(1))
    assert 7 * 2**20 <= written <= 16 * 2**20, written  # disk_mb = 16: two 7 MB files fit, the third does not
    assert "No space left on device" in verdict.message
    plain = run(
        project,
        "    with open('big', 'wb') as fh:\n        for i in range(20):\n            fh.write(b'x' * 2**22)",
    )
    assert plain.code in ("PROP007", "PROP009"), plain.message  # one file: size limit; else the quota
    many = run(project, "    for i in range(160):\n        open(f'g{i}', 'wb').write(b'x' * (7 * 2**20))")
    assert (many.code, many.ok) == ("PROP009", False), many.message
    assert many.message.startswith("disk quota")


EDITOR = (  # a stand-in for the editor: judges one candidate (argv[2]) and prints the verdict's code
    "import sys\n"
    "from pathlib import Path\n"
    "from editor.candidates import Candidate\n"
    "from editor.document import Document\n"
    "from validators._sandbox import Limits\n"
    "from validators.properties import PropertiesValidator\n"
    "path = Path(sys.argv[1])\n"
    "slot = Document(path.read_text(), path).slot(4, 0)\n"
    "print('ready', flush=True)\n"
    "(verdicts,) = PropertiesValidator(Limits(timeout_s=60)).validate(slot, [Candidate(sys.argv[2], 'h')])\n"
    "print(verdicts[0].code, flush=True)\n"
)


def _editor(project: Path, body: str) -> subprocess.Popen:
    root = Path(__file__).resolve().parents[2]
    return subprocess.Popen(  # pylint: disable=consider-using-with
        [sys.executable, "-c", EDITOR, str(project / "m.py"), body + "\n"], cwd=root, stdout=subprocess.PIPE
    )


def test_killing_the_parent_and_other_processes_is_refused_and_contained(world):
    project, _ = world
    victim = subprocess.Popen(["sleep", "60"])  # pylint: disable=consider-using-with
    try:
        verdict = run(project, f"    os.kill({victim.pid}, 9)")
        assert verdict.code == "PROP004" and verdict.details["operation"] == "os.kill"
        # past the hook (pidfds raise no audit event): the victim, the parent (the editor), pid 1
        past_the_hook = (
            "    import signal\n"
            "    for pid in (%d, os.getppid(), 1):\n"
            "        try:\n"
            "            signal.pidfd_send_signal(os.pidfd_open(pid), 9)\n"
            "        except OSError:\n"
            "            pass\n"
            "    return sorted(xs)"
        ) % victim.pid
        for body in ("    os.kill(os.getppid(), 9)", past_the_hook):
            editor = _editor(project, body)
            out, _ = editor.communicate(timeout=60)
            assert editor.returncode == 0, f"the editor was killed ({editor.returncode})"
            assert out.split()[0] == b"ready" and out.split()[1].startswith(b"PROP"), out
        assert victim.poll() is None, "a process outside the sandbox was killed"
    finally:
        victim.kill()
        victim.wait()


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def test_killing_the_editor_ends_its_sandboxed_candidates(world):
    project, _ = world
    before = _sandboxes()
    proc = _editor(project, "    import time\n    time.sleep(600)")
    try:
        assert proc.stdout.readline().strip() == b"ready"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not any(
            "_sandbox_runner" in _cmdline(p) for p in _descendants(proc.pid)
        ):
            time.sleep(0.1)
        sandboxed = _descendants(proc.pid)
        assert any("_sandbox_runner" in _cmdline(p) for p in sandboxed), "the candidate never started"
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in sandboxed):
        time.sleep(0.1)
    alive = [p for p in sandboxed if Path(f"/proc/{p}").exists() and _cmdline(p)]
    assert not alive, f"sandboxed processes outlived the editor: {[_cmdline(p) for p in alive]}"
    for name in _sandboxes() - before:  # the killed editor could not clean up its temporary folder
        shutil.rmtree(Path(tempfile.gettempdir()) / name, ignore_errors=True)


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""
