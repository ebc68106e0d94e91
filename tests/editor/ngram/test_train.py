"""Training with the REAL lmplz/build_binary: caching by content hash, pointers, corpus."""

from __future__ import annotations

import json
import shutil
import sysconfig
from pathlib import Path

from editor.ngram.installed import installed_files
from editor.ngram.train import (
    META_FILE,
    MODEL_FILE,
    collect_files,
    current_model,
    default_corpus,
    latest_model,
    read_meta,
    stdlib_files,
    train,
)

STDLIB = Path(sysconfig.get_paths()["stdlib"])


def _copy_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    (corpus / "pkg").mkdir(parents=True)
    shutil.copy(STDLIB / "textwrap.py", corpus / "textwrap.py")
    shutil.copy(STDLIB / "fnmatch.py", corpus / "pkg" / "fnmatch.py")
    (corpus / "broken.py").write_text("def f(:\n    return (\n")  # unparseable: skipped
    (corpus / "notes.txt").write_text("not python")
    return corpus


def test_train_reuse_and_hash_change(kenlm_tools, cache_env, tmp_path):
    corpus = _copy_corpus(tmp_path)
    first = train([corpus], order=4, set_current=False, force=True)  # the test cache persists across runs
    assert not first.reused and first.files == 2 and first.tokens > 1000
    assert first.path.parent == cache_env / "ngram" and first.path.name == first.hash[:16]
    assert (first.path / MODEL_FILE).stat().st_size > 0
    assert any("broken.py" in s for s in first.skipped)
    meta = json.loads((first.path / META_FILE).read_text())
    assert meta["hash"] == first.hash and meta["order"] == 4 and meta["tokens"] == first.tokens

    messages: list[str] = []
    again = train([corpus], order=4, progress=messages.append, set_current=False)
    assert again.reused and again.hash == first.hash and again.path == first.path
    assert not any("lmplz" in m for m in messages)

    other_order = train([corpus], order=3, set_current=False)
    assert other_order.hash != first.hash

    with (corpus / "textwrap.py").open("a") as handle:
        handle.write("\nextra_name = 1\n")
    changed = train([corpus], order=4, set_current=False)
    assert changed.hash != first.hash and changed.path != first.path and read_meta(changed.path)


def test_out_dir_current_pointer_and_incomplete_models(kenlm_tools, cache_env, tmp_path):
    corpus = _copy_corpus(tmp_path)
    out = tmp_path / "model"
    info = train([corpus / "textwrap.py"], out_dir=out, order=3, set_current=True)
    assert info.path == out and read_meta(out) is not None
    assert current_model() == out.resolve()
    # A directory without meta.json is an unfinished model and is never picked up.
    (out / META_FILE).unlink()
    assert read_meta(out) is None
    assert current_model() != out.resolve()
    latest = latest_model(cache_env)
    assert latest is None or read_meta(latest) is not None


def test_collect_files_and_default_corpus(tmp_path):
    corpus = _copy_corpus(tmp_path)
    (corpus / "__pycache__").mkdir()
    (corpus / "__pycache__" / "x.py").write_text("x = 1\n")
    names = [p.name for p in collect_files([corpus, corpus / "textwrap.py"])]
    assert sorted(names) == ["broken.py", "fnmatch.py", "textwrap.py"]

    stdlib = stdlib_files()
    parts = {part for path in stdlib for part in path.relative_to(STDLIB).parts[:-1]}
    assert not parts & {"test", "tests", "idlelib", "lib2to3", "site-packages"}
    assert STDLIB / "os.py" in stdlib and len(stdlib) > 300

    repo = Path(__file__).resolve().parents[3]
    corpus_files = default_corpus(repo)
    assert repo / "editor" / "document.py" in corpus_files
    assert default_corpus(tmp_path) == stdlib  # not a git repository: stdlib only
    assert default_corpus(tmp_path, installed=True) == [*stdlib, *installed_files()]


def test_kenlm_tools_are_built_once(kenlm_tools, cache_env):
    import time

    from editor.ngram.tools import ensure_kenlm_tools

    assert kenlm_tools.lmplz == cache_env / "kenlm-tools" / "0.3.0" / "bin" / "lmplz"
    started = time.perf_counter()
    again = ensure_kenlm_tools(lambda message: (_ for _ in ()).throw(AssertionError(message)))
    assert again == kenlm_tools and time.perf_counter() - started < 5
