"""OS isolation for the property sandbox: which layer this machine offers, and the command that uses it.

Strongest first (probed once per process by :func:`validators._sandbox.isolation`):

``bwrap`` (bubblewrap, the tool Flatpak uses; Debian package ``bubblewrap``)
    A new mount namespace in which the whole file system is bound read-only; the
    user's home, ``/root``, ``/home``, ``/tmp`` and ``/var/tmp`` are replaced by empty,
    read-only tmpfs mounts (so ``~/.ssh``, ``~/.config`` and the like do not exist);
    only what the child must read is bound back, read-only, at its own path: the
    interpreter's prefix, gfv's site-packages, the runner and the document's folder.
    The one writable place is the working directory, a fresh tmpfs of ``disk_mb``
    megabytes.  ``/dev`` is a minimal read-only device tree, ``/proc`` the new PID
    namespace's.  New PID, network (loopback only, down), IPC and UTS namespaces;
    ``--die-with-parent``, ``--new-session``.

    * As a non-root user (or when the next variant does not work) bwrap runs
      unprivileged in a new user namespace (``--unshare-user --disable-userns``: the
      child cannot create further user namespaces).
    * As root, bwrap runs privileged without a user namespace and the child drops to
      ``nobody`` inside it with ``setpriv`` (no capabilities, no new privileges): the
      mounts are made with root's rights, so an interpreter under ``/root/.pyenv`` is
      bound into the sandbox, and the candidate still runs as ``nobody``.

``unshare`` (util-linux)
    A user and network namespace only: no network, the file system as the user sees it.

``nobody``
    As root, dropping to ``nobody`` when ``nobody`` can run gfv's Python.

Each option is used only when a probe (start the real command, import hypothesis)
succeeds.  Without any, the audit hook alone guards the file system.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Isolation:
    """How the child is isolated from the OS, beyond rlimits and the audit hook."""

    kind: str  # "bwrap", "bwrap-nobody", "unshare", "nobody", "none"
    prefix: tuple[str, ...] = ()  # the unshare command, for kind "unshare"
    drop_to: tuple[int, int] | None = None  # (uid, gid) set before exec (kinds "nobody", "unshare")
    layers: tuple[str, ...] = ("rlimits", "audit-hook")  # human-readable, recorded in every verdict
    note: str = ""
    bwrap: str = ""  # path of bwrap
    setpriv: str = ""  # path of setpriv (kind "bwrap-nobody")

    @property
    def file_system(self) -> bool:
        """True when an OS layer confines the file system (read-only root, private work dir)."""
        return self.kind.startswith("bwrap")

    @property
    def network(self) -> bool:
        """True when the child has its own network namespace (no interface but loopback, down)."""
        return self.kind.startswith("bwrap") or self.kind == "unshare"


NONE = Isolation(
    "none",
    note="no OS isolation available (install bubblewrap): the audit hook alone refuses network and writes",
)


def nobody() -> tuple[int, int] | None:
    """(uid, gid) of ``nobody`` when gfv runs as root."""
    if os.geteuid() != 0:
        return None
    try:
        import pwd  # pylint: disable=import-outside-toplevel

        entry = pwd.getpwnam("nobody")
        return entry.pw_uid, entry.pw_gid
    except (ImportError, KeyError):
        return None


def _home_dirs() -> list[str]:
    homes = [os.environ.get("HOME", "")]
    try:
        import pwd  # pylint: disable=import-outside-toplevel

        homes.append(pwd.getpwuid(os.geteuid()).pw_dir)
    except (ImportError, KeyError):
        pass
    return homes


def hidden_roots() -> list[str]:
    """Folders replaced by an empty read-only tmpfs: homes, /root, /home, temporary folders."""
    found: list[str] = []
    for raw in [*_home_dirs(), "/root", "/home", "/tmp", "/var/tmp"]:
        if not raw or not os.path.isdir(raw):
            continue
        path = os.path.realpath(raw)
        if path != "/" and path not in found:
            found.append(path)
    # a folder inside another hidden one is hidden with it
    return sorted(p for p in found if not any(_under(p, q) and p != q for q in found))


def _under(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def exposures(paths: list[str], hidden: list[str]) -> list[str]:
    """The read-only binds needed to see ``paths`` again: each one under a hidden folder.

    A path that *is* a hidden folder, or contains one (a document directly in ``~``),
    is not bound whole; for such a folder only its top-level ``*.py`` files are.
    """
    binds: list[str] = []
    for raw in paths:
        if not raw or not os.path.exists(raw):
            continue
        path = os.path.realpath(raw)
        if not any(_under(path, h) for h in hidden):
            continue  # visible already, through the read-only root
        if any(_under(h, path) for h in hidden):
            if os.path.isdir(path):
                binds += sorted(str(p) for p in Path(path).glob("*.py") if p.is_file())[:200]
            continue
        if path not in binds:
            binds.append(path)
    return binds


def interpreter_paths() -> list[str]:
    """What the isolated interpreter must read: its prefixes and the real executable's folder."""
    exe = os.path.realpath(sys.executable)
    return [
        sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
        os.path.dirname(os.path.dirname(exe)), os.path.dirname(sys.executable),
    ]  # fmt: skip


def bwrap_command(  # pylint: disable=too-many-arguments,too-many-positional-arguments
    iso: Isolation, work: str, files: dict[str, int], readable: list[str], disk_mb: int, argv: list[str]
) -> list[str]:
    """The bwrap command line that runs ``argv`` in ``work`` (a tmpfs of ``disk_mb`` MB).

    ``files`` maps a name inside ``work`` to an open file descriptor whose content bwrap
    copies there (the descriptors must be passed to the child).  ``readable``: folders
    and files the child must read, bound read-only where they are hidden.
    """
    hidden = hidden_roots()
    cmd = [iso.bwrap, "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts"]
    cmd += ["--unshare-cgroup-try", "--die-with-parent", "--new-session"]
    if iso.kind == "bwrap":
        cmd += ["--unshare-user", "--disable-userns"]
    cmd += ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    for folder in hidden:
        cmd += ["--perms", "0755", "--tmpfs", folder]
    for path in exposures([*interpreter_paths(), *readable], hidden):
        cmd += ["--ro-bind", path, path]
    mode = "0777" if iso.kind == "bwrap-nobody" else "0700"  # nobody must write the root-made tmpfs
    cmd += ["--perms", mode, "--size", str(disk_mb * 1024 * 1024), "--tmpfs", work]
    for name, fd in files.items():
        cmd += ["--perms", "0644", "--file", str(fd), os.path.join(work, name)]
    for folder in [*hidden, "/dev"]:
        cmd += ["--remount-ro", folder]
    cmd += ["--chdir", work]
    if iso.kind == "bwrap-nobody" and iso.drop_to:
        uid, gid = iso.drop_to
        cmd += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--", iso.setpriv]
        cmd += [f"--reuid={uid}", f"--regid={gid}", "--clear-groups", "--inh-caps=-all"]
        cmd += ["--bounding-set=-all", "--no-new-privs"]
    else:
        cmd += ["--"]
    return cmd + argv


def candidates() -> list[Isolation]:
    """The options this machine might offer, strongest first (each still to be probed)."""
    drop = nobody()
    bwrap, setpriv, unshare = shutil.which("bwrap"), shutil.which("setpriv"), shutil.which("unshare")
    fs = "bwrap: read-only file system, no home, private tmpfs work dir"
    spaces = "pid+net+ipc namespaces"
    options = []
    if bwrap and setpriv and drop:
        layers = ("rlimits", "audit-hook", fs, spaces, "uid nobody")
        options.append(Isolation("bwrap-nobody", (), drop, layers, bwrap=bwrap, setpriv=setpriv))
    if bwrap:
        options.append(
            Isolation("bwrap", layers=("rlimits", "audit-hook", fs, "user+" + spaces), bwrap=bwrap)
        )
    no_fs = "no bubblewrap: the audit hook alone guards the file system"
    if unshare and drop:
        layers = ("rlimits", "audit-hook", "user+net namespace", "uid nobody")
        options.append(Isolation("unshare", (unshare, "--user", "--net"), drop, layers, no_fs))
    if unshare:
        options.append(Isolation("unshare", (unshare, "--user", "--net"), None,
                                 ("rlimits", "audit-hook", "user+net namespace"), no_fs))  # fmt: skip
    if drop:
        note = "no bubblewrap, no network namespace: the audit hook alone guards the file system and sockets"
        options.append(Isolation("nobody", (), drop, ("rlimits", "audit-hook", "uid nobody"), note))
    return options
