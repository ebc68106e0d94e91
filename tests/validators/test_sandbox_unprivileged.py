"""The hostile-candidate suite again, as an unprivileged user: the sandbox must not need root.

CI runs as root, so the test creates a system user (``gfv-sandbox-test``) and runs
``tests/validators/test_sandbox_hostile.py`` as that user with ``setpriv``.  gfv's Python
may live where that user cannot reach it (pyenv under ``/root``, mode 0700): the run then
happens in a private mount namespace in which only the interpreter's prefix is bound into
a world-readable ``/root`` (the real ``/root`` is not changed).  Run as a non-root user,
the suite itself already runs unprivileged, and this test checks which layer it gets.
"""

# pylint: disable=missing-function-docstring

from __future__ import annotations

import os
import pwd
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from validators._sandbox import isolation

USER = "gfv-sandbox-test"
ROOT = Path(__file__).resolve().parents[2]


def _user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(USER)
    except KeyError:
        home = f"/var/lib/{USER}"
        subprocess.run(
            [
                "useradd",
                "--system",
                "--create-home",
                "--home-dir",
                home,
                "--shell",
                "/usr/sbin/nologin",
                USER,
            ],
            check=True,
            capture_output=True,
        )
        return pwd.getpwnam(USER)


def _blocked_ancestor(path: str) -> str | None:
    """The top-most folder above ``path`` that others may not traverse, if any."""
    parts = Path(path).parts
    for i in range(2, len(parts) + 1):
        folder = Path(*parts[:i])
        if not folder.stat().st_mode & 0o001:
            return str(folder)
    return None


def test_the_hostile_suite_holds_for_an_unprivileged_user():
    if os.geteuid() != 0:
        assert isolation().kind == "bwrap", isolation()  # this run is the unprivileged one
        return
    user = _user()
    prefix = os.path.realpath(sys.base_prefix)
    python, setpriv = shlex.quote(sys.executable), shutil.which("setpriv")
    inner = (
        f"{setpriv} --reuid={user.pw_uid} --regid={user.pw_gid} --init-groups --reset-env "
        f"env HOME={shlex.quote(user.pw_dir)} PATH=/usr/bin:/bin GFV_CACHE_DIR={shlex.quote(user.pw_dir)}/cache "
        f"{python} -c 'from validators._sandbox import isolation; print(\"isolation:\", isolation().kind)' && "
        f"{setpriv} --reuid={user.pw_uid} --regid={user.pw_gid} --init-groups --reset-env "
        f"env HOME={shlex.quote(user.pw_dir)} PATH=/usr/bin:/bin GFV_CACHE_DIR={shlex.quote(user.pw_dir)}/cache "
        f"{python} -m pytest -q -p no:cacheprovider tests/validators/test_sandbox_hostile.py"
    )
    blocked = _blocked_ancestor(prefix)
    if blocked:  # make the interpreter reachable in a private mount namespace only
        p, b = shlex.quote(prefix), shlex.quote(blocked)
        inner = (
            f"set -e; keep=$(mktemp -d); mount --bind {p} $keep; "
            f"mount -t tmpfs -o mode=0755,size=1m gfv-view {b}; mkdir -p {p}; mount --move $keep {p}; "
            f"rmdir $keep; {inner}"
        )
    proc = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", inner],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    out = proc.stdout + proc.stderr
    assert "isolation: bwrap\n" in out, out[-3000:]  # unprivileged bubblewrap, in a user namespace
    assert proc.returncode == 0, out[-3000:]
    assert " passed" in out and "failed" not in out and "error" not in out.lower(), out[-3000:]
