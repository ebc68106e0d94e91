"""Train a KenLM n-gram model (plus successor index) over Python token streams.

A model lives in ``cache_dir()/ngram/<hash16>/`` where the hash covers the
corpus content (relative paths and file hashes), the order and the tokenizer
and index versions, so re-training an unchanged corpus is a no-op.  Files:
``model.binary`` (KenLM), the successor index (``vocab.txt``, ``*.npy``) and
``meta.json``, written last and atomically: a directory without ``meta.json``
is an unfinished model and is never used.  ``cache_dir()/ngram/current`` names
the model the CLI uses.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sysconfig
import tempfile
import time
import tokenize
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from editor.errors import ExitCode, GfvError
from editor.ngram.index import INDEX_VERSION, build_successor_index
from editor.ngram.installed import installed_files
from editor.ngram.tokens import TOKENIZER_VERSION, tokenize_source, with_line_context
from editor.ngram.tools import ensure_kenlm_tools
from editor.paths import cache_dir

Progress = Callable[[str], None]
STDLIB_EXCLUDE = frozenset({"test", "tests", "idlelib", "lib2to3", "site-packages", "dist-packages"})
SKIP_DIRS = frozenset(
    {".git", ".hg", ".venv", "venv", "__pycache__", "node_modules", "site-packages", ".tox"}
)
MODEL_FILE = "model.binary"
META_FILE = "meta.json"
CURRENT_FILE = "current"


@dataclass
class NgramModelInfo:
    """What :func:`train` produced (or found already trained)."""

    path: Path
    hash: str
    order: int
    files: int
    tokens: int
    sentences: int = 0
    skipped: list[str] = field(default_factory=list)
    created: float = 0.0
    seconds: float = 0.0
    reused: bool = False


def ngram_root() -> Path:
    """``cache_dir()/ngram``, created on demand."""
    root = cache_dir() / "ngram"
    root.mkdir(parents=True, exist_ok=True)
    return root


def stdlib_root() -> Path:
    """The standard library's directory."""
    return Path(sysconfig.get_paths()["stdlib"])


def stdlib_files() -> list[Path]:
    """The standard library's own ``.py`` files, without tests, idlelib, lib2to3 and site-packages."""
    root = stdlib_root()
    return sorted(p for p in root.rglob("*.py") if not STDLIB_EXCLUDE & set(p.relative_to(root).parts[:-1]))


def git_python_files(repo: Path) -> list[Path]:
    """The ``.py`` files git tracks in the repository containing ``repo`` ([] outside git)."""
    try:
        top = subprocess.run(
            ["git", "-C", str(repo), "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout.strip()
        listed = subprocess.run(
            ["git", "-C", top, "ls-files", "-z", "--", "*.py"],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted(Path(top) / name for name in listed.split("\0") if name and (Path(top) / name).is_file())


def default_corpus(repo: Path | None = None, installed: bool = False) -> list[Path]:
    """Stdlib ``.py`` files plus the ``.py`` files git tracks in ``repo`` (default: cwd), and with
    ``installed`` the installed packages' sources (editor/ngram/installed.py)."""
    extra = installed_files() if installed else []
    return [*stdlib_files(), *git_python_files(Path(repo) if repo else Path.cwd()), *extra]


def collect_files(paths: list[Path]) -> list[Path]:
    """Files as given, directories expanded recursively to ``.py`` files; deduplicated, sorted."""
    found: set[Path] = set()
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS and not d.startswith(".")]
                found.update(Path(dirpath, name).resolve() for name in filenames if name.endswith(".py"))
        elif path.is_file():
            found.add(path.resolve())
        else:
            raise GfvError(f"{path}: no such file or directory to train on", ExitCode.USAGE)
    return sorted(found)


def corpus_hash(files: list[Path], order: int) -> str:
    """sha256 over (relative path, file sha256) pairs, the order and the format versions."""
    root = Path(os.path.commonpath([str(f.parent) for f in files])) if files else Path("/")
    digest = hashlib.sha256(f"order={order};tok={TOKENIZER_VERSION};index={INDEX_VERSION}\n".encode())
    for path in sorted(files, key=lambda p: p.relative_to(root).as_posix()):
        try:
            file_sha = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            file_sha = "unreadable"
        digest.update(f"{path.relative_to(root).as_posix()}\0{file_sha}\n".encode())
    return digest.hexdigest()


def read_meta(model_dir: Path) -> dict | None:
    """The model's metadata, or None when the directory holds no complete model."""
    try:
        meta = json.loads((Path(model_dir) / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or not (Path(model_dir) / MODEL_FILE).is_file():
        return None
    return meta


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def _tokenize_corpus(files: list[Path], say: Progress) -> tuple[list[list[str]], list[str]]:
    sentences: list[list[str]] = []
    skipped: list[str] = []
    for n, path in enumerate(files, 1):
        try:
            text = path.read_bytes().decode("utf-8")
            lines = tokenize_source(text.replace("\r\n", "\n"))
        except (OSError, UnicodeDecodeError, SyntaxError, tokenize.TokenError, ValueError) as exc:
            skipped.append(f"{path}: {type(exc).__name__}")
            continue
        sentences.extend(with_line_context([line.tokens for line in lines]))
        if n % 200 == 0:
            say(f"read {n}/{len(files)} files")
    return sentences, skipped


def _run_tool(cmd: list[str], what: str, stdin_path: Path | None = None) -> None:
    try:
        with open(stdin_path, "rb") if stdin_path else open(os.devnull, "rb") as stdin:
            proc = subprocess.run(cmd, stdin=stdin, capture_output=True, text=True, check=False, timeout=3600)
    except (OSError, subprocess.SubprocessError) as exc:
        raise GfvError(f"{what} failed to run: {exc}", ExitCode.INTERNAL) from None
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-10:])
        raise GfvError(f"{what} failed (exit {proc.returncode}):\n{tail}", ExitCode.INTERNAL)


def train(
    paths: list[Path],
    out_dir: Path | None = None,
    order: int = 6,
    progress: Progress | None = None,
    force: bool = False,
    *,
    set_current: bool = True,
) -> NgramModelInfo:
    """Train (or reuse) a model over ``paths`` and return its info.

    ``out_dir`` defaults to ``cache_dir()/ngram/<hash16>/``.  Unless ``force``,
    a directory already holding a complete model with the same hash is reused.
    With ``set_current`` the ``current`` pointer is updated to the model.
    """
    say = progress or (lambda _msg: None)
    if order < 2:
        raise GfvError(f"n-gram order must be at least 2, got {order}", ExitCode.USAGE)
    started = time.monotonic()
    files = collect_files(paths)
    if not files:
        raise GfvError("no .py files to train on", ExitCode.USAGE)
    say(f"hashing {len(files)} files")
    digest = corpus_hash(files, order)
    model_dir = Path(out_dir) if out_dir else ngram_root() / digest[:16]
    meta = read_meta(model_dir)
    if meta and meta.get("hash") == digest and not force:
        say(f"model up to date: {model_dir}")
        info = _info_from_meta(model_dir, meta, reused=True)
        if set_current:
            set_current_model(model_dir)
        return info

    tools = ensure_kenlm_tools(say)
    if model_dir.exists():
        (model_dir / META_FILE).unlink(missing_ok=True)
    model_dir.mkdir(parents=True, exist_ok=True)
    sentences, skipped = _tokenize_corpus(files, say)
    if not sentences:
        raise GfvError("no tokens could be read from the training files", ExitCode.USAGE)
    n_tokens = sum(len(s) for s in sentences)
    say(f"read {len(files) - len(skipped)} files ({len(skipped)} skipped), {n_tokens} tokens")
    with tempfile.TemporaryDirectory(prefix="gfv-train-", dir=model_dir) as tmp:
        work = Path(tmp)
        corpus = work / "corpus.txt"
        with corpus.open("w", encoding="utf-8") as handle:
            for sentence in sentences:
                handle.write(" ".join(sentence))
                handle.write("\n")
        arpa = work / "model.arpa"
        say(f"lmplz: estimating order-{order} model")
        lmplz_cmd = [str(tools.lmplz), "-o", str(order), "--discount_fallback", "-S", "20%", "-T", str(work)]
        _run_tool([*lmplz_cmd, "--text", str(corpus), "--arpa", str(arpa)], "lmplz")
        say("build_binary: writing model.binary")
        staged = work / MODEL_FILE
        _run_tool(
            [str(tools.build_binary), "-S", "20%", "-T", str(work), "trie", str(arpa), str(staged)],
            "build_binary",
        )
        os.replace(staged, model_dir / MODEL_FILE)
        say("index: counting successors")
        stats = build_successor_index(sentences, order, model_dir)
    meta = {
        "hash": digest,
        "order": order,
        "files": len(files) - len(skipped),
        "tokens": n_tokens,
        "sentences": len(sentences),
        "skipped": skipped,
        "created": time.time(),
        "index": stats,
        "tokenizer_version": TOKENIZER_VERSION,
        "index_version": INDEX_VERSION,
    }
    _write_atomic(model_dir / META_FILE, json.dumps(meta, indent=1))
    if set_current:
        set_current_model(model_dir)
    info = _info_from_meta(model_dir, meta, reused=False)
    info.seconds = time.monotonic() - started
    say(f"model ready in {info.seconds:.1f}s: {model_dir}")
    return info


def _info_from_meta(model_dir: Path, meta: dict, reused: bool) -> NgramModelInfo:
    return NgramModelInfo(
        path=model_dir,
        hash=str(meta.get("hash", "")),
        order=int(meta.get("order", 0)),
        files=int(meta.get("files", 0)),
        tokens=int(meta.get("tokens", 0)),
        sentences=int(meta.get("sentences", 0)),
        skipped=list(meta.get("skipped", [])),
        created=float(meta.get("created", 0.0)),
        reused=reused,
    )


def info_dict(info: NgramModelInfo) -> dict:
    """JSON-friendly form of :class:`NgramModelInfo`."""
    out = asdict(info)
    out["path"] = str(info.path)
    return out


def latest_model(cache: Path | None = None) -> Path | None:
    """The most recently created complete model under ``cache/ngram`` (default: cache_dir())."""
    root = (Path(cache) if cache else cache_dir()) / "ngram"
    found: list[tuple[float, Path]] = []
    for child in root.iterdir() if root.is_dir() else []:
        meta = read_meta(child) if child.is_dir() else None
        if meta is not None:
            found.append((float(meta.get("created", 0)), child))
    return max(found)[1] if found else None


def set_current_model(model_dir: Path) -> None:
    """Point ``cache_dir()/ngram/current`` at ``model_dir``."""
    _write_atomic(ngram_root() / CURRENT_FILE, str(Path(model_dir).resolve()) + "\n")


def current_model() -> Path | None:
    """The model named by the ``current`` pointer if complete, else the latest complete one."""
    pointer = ngram_root() / CURRENT_FILE
    try:
        named = Path(pointer.read_text(encoding="utf-8").strip())
    except OSError:
        named = None
    if named is not None and read_meta(named) is not None:
        return named
    return latest_model()


def ensure_trained(
    progress: Progress | None = None, repo: Path | None = None, order: int = 6, installed: bool = False
) -> Path:
    """The current model, training one on :func:`default_corpus` first if there is none."""
    existing = current_model()
    if existing is not None:
        return existing
    say = progress or (lambda _msg: None)
    say(
        "no n-gram model yet: training one on the standard library, this repository"
        + (" and the installed packages" if installed else "")
    )
    return train(default_corpus(repo, installed), order=order, progress=progress).path


def remove_model(model_dir: Path) -> None:
    """Delete a model directory (used by tests and ``gfv train --force`` clean-ups)."""
    shutil.rmtree(model_dir, ignore_errors=True)
