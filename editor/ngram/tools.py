"""Build KenLM's ``lmplz`` and ``build_binary`` once from the pinned kenlm sdist.

The kenlm wheel only ships the query side (``kenlm.Model``).  Training needs the
two command-line programs, which we compile from the very same sdist the wheel
came from (``kenlm==0.3.0``, hash-pinned) and keep in
``cache_dir()/kenlm-tools/0.3.0/bin/``.  Building is idempotent: when both
binaries exist and run, :func:`ensure_kenlm_tools` returns at once.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from editor.errors import ExitCode, GfvError
from editor.paths import cache_dir

KENLM_VERSION = "0.3.0"
KENLM_SDIST_SHA256 = "c4628bb9fb63c8a6f9240035b8b037385cfc404cb72e933cf48878291edac1e8"
TOOL_NAMES = ("lmplz", "build_binary")
APT_HINT = (
    "apt-get install build-essential cmake libboost-program-options-dev libboost-system-dev "
    "libboost-thread-dev libboost-test-dev zlib1g-dev libbz2-dev liblzma-dev"
)

Progress = Callable[[str], None]


@dataclass(frozen=True)
class KenlmTools:
    """Paths of the two KenLM training programs."""

    lmplz: Path
    build_binary: Path


def tools_dir() -> Path:
    """Where the built binaries live."""
    return cache_dir() / "kenlm-tools" / KENLM_VERSION / "bin"


def _runs(binary: Path) -> bool:
    """True when ``binary`` exists and starts (``--help`` exits quickly, any code)."""
    if not binary.is_file() or not os.access(binary, os.X_OK):
        return False
    try:
        proc = subprocess.run([str(binary), "--help"], capture_output=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    # lmplz --help exits 1 after printing usage; a missing shared library gives 127.
    return proc.returncode not in (126, 127) and bool(proc.stdout or proc.stderr)


def existing_tools() -> KenlmTools | None:
    """The built tools when both run, else None (nothing is built here)."""
    bindir = tools_dir()
    tools = KenlmTools(bindir / "lmplz", bindir / "build_binary")
    return tools if _runs(tools.lmplz) and _runs(tools.build_binary) else None


def _fail(message: str, output: str = "") -> GfvError:
    tail = "\n".join(output.strip().splitlines()[-15:])
    detail = f"\n--- last output ---\n{tail}" if tail else ""
    return GfvError(f"{message}{detail}", ExitCode.INTERNAL)


def _run(cmd: list[str], cwd: Path, what: str, fix: str, timeout: int = 1800) -> None:
    try:
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)
    except FileNotFoundError:
        raise _fail(f"cannot {what}: {cmd[0]!r} is not installed; fix: {fix}") from None
    except subprocess.TimeoutExpired:
        raise _fail(f"cannot {what}: timed out after {timeout}s") from None
    if proc.returncode != 0:
        raise _fail(f"cannot {what} (exit {proc.returncode}); fix: {fix}", proc.stdout + proc.stderr)


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file's content."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _download_sdist(dest: Path) -> Path:
    """``pip download`` the kenlm sdist (never ``--no-binary :all:``) and verify its hash."""
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--no-binary",
        "kenlm",
        "--no-build-isolation",
        "--dest",
        str(dest),
        f"kenlm=={KENLM_VERSION}",
    ]
    _run(cmd, dest, "download the kenlm sdist", "check your network connection or run scripts/setup.sh", 600)
    found = sorted(dest.glob("kenlm-*.tar.gz"))
    if not found:
        raise _fail("pip download did not produce a kenlm-*.tar.gz sdist; run scripts/setup.sh")
    sdist = found[0]
    actual = sha256_of(sdist)
    if actual != KENLM_SDIST_SHA256:
        raise _fail(
            f"kenlm sdist hash mismatch: expected {KENLM_SDIST_SHA256}, got {actual}; refusing to build it"
        )
    return sdist


def _extract(sdist: Path, dest: Path) -> Path:
    with tarfile.open(sdist) as tar:
        tar.extractall(dest, filter="data")
    roots = [p for p in dest.iterdir() if p.is_dir() and (p / "CMakeLists.txt").is_file()]
    if not roots:
        raise _fail(f"{sdist.name}: no CMakeLists.txt found in the archive")
    return roots[0]


def _build(source: Path, progress: Progress) -> Path:
    """Configure and build only the two targets; returns the directory holding them."""
    if shutil.which("cmake") is None:
        raise _fail(f"cmake is not installed; fix: {APT_HINT}")
    build = source / "build"
    build.mkdir()
    progress("kenlm: configuring with cmake")
    _run(
        ["cmake", "..", "-DCMAKE_BUILD_TYPE=Release", "-DCOMPILE_TESTS=OFF", "-DENABLE_PYTHON=OFF"],
        build,
        "configure kenlm (cmake)",
        APT_HINT,
    )
    jobs = str(max(1, min(4, os.cpu_count() or 2)))
    progress(f"kenlm: compiling lmplz and build_binary (-j{jobs}, about a minute)")
    _run(
        ["cmake", "--build", ".", "--target", *TOOL_NAMES, "-j", jobs],
        build,
        "compile lmplz/build_binary",
        APT_HINT,
    )
    return build / "bin"


def ensure_kenlm_tools(progress: Progress | None = None) -> KenlmTools:
    """Return the KenLM training tools, downloading and building them on first use.

    Raises :class:`GfvError` (``ExitCode.INTERNAL``) naming the fix when the
    download or the build fails.
    """
    say = progress or (lambda _msg: None)
    existing = existing_tools()
    if existing is not None:
        return existing
    bindir = tools_dir()
    bindir.mkdir(parents=True, exist_ok=True)
    say(f"kenlm: building training tools into {bindir} (one time)")
    with tempfile.TemporaryDirectory(prefix="gfv-kenlm-", dir=bindir.parent) as tmp:
        work = Path(tmp)
        say(f"kenlm: downloading kenlm=={KENLM_VERSION} sdist")
        sdist = _download_sdist(work)
        source = _extract(sdist, work / "src")
        built = _build(source, say)
        for name in TOOL_NAMES:
            produced = built / name
            if not produced.is_file():
                raise _fail(f"kenlm build finished but {produced} is missing; fix: {APT_HINT}")
            staged = bindir / f".{name}.tmp"
            shutil.copy2(produced, staged)
            staged.chmod(0o755)
            os.replace(staged, bindir / name)
    tools = existing_tools()
    if tools is None:
        raise _fail(f"built KenLM tools in {bindir} do not run; fix: {APT_HINT} then run scripts/setup.sh")
    say("kenlm: tools ready")
    return tools
