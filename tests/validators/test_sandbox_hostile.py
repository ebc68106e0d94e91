"""Planted hostile candidates, one per sandbox limit: each is stopped with a clear code.

Every test checks the file system afterwards: the victim folder (outside the sandbox)
is byte-for-byte unchanged and no sandbox directory is left behind.
"""

# pylint: disable=missing-function-docstring,redefined-outer-name

from __future__ import annotations

import os
import socket
import tempfile
import threading
from pathlib import Path

import pytest

from editor.candidates import Candidate
from editor.document import Document
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
    if "user+net namespace" not in iso.layers:
        pytest.skip(f"no network namespace on this machine: {iso.note}")
    # Whatever gets past the audit hook: the child's network namespace has only a loopback interface.
    body = (
        "    with open('/proc/self/net/dev') as fh:\n"
        "        names = [ln.split(':')[0].strip() for ln in fh.read().splitlines()[2:]]\n"
        "    assert names == ['lo'], names\n"
        "    return sorted(xs)"
    )
    verdict = run(project, body)
    assert verdict.code == "PROP000", verdict.message
    assert "user+net namespace" in verdict.details["isolation"]
    with open("/proc/self/net/dev", encoding="utf-8") as fh:  # the editor's own process keeps its network
        assert len(fh.read().splitlines()[2:]) >= 1
