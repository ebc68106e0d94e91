"""`gfv train`'s default corpus and its --installed switch (the trainer itself is faked here;
tests/editor/ngram/test_train.py runs the real lmplz)."""

from pathlib import Path

import pytest

from editor.cli.main import main
from editor.ngram import train as train_module
from editor.ngram.installed import installed_files
from editor.ngram.train import NgramModelInfo, stdlib_files


@pytest.fixture
def trained(monkeypatch, tmp_path):
    calls: list[list[Path]] = []

    def fake_train(paths, order=6, progress=None, force=False, **_kw):
        calls.append(list(paths))
        return NgramModelInfo(path=tmp_path / "model", hash="h", order=order, files=len(paths), tokens=1)

    monkeypatch.setattr(train_module, "train", fake_train)
    monkeypatch.chdir(tmp_path)  # not a git repository: no project files
    return calls


def test_the_installed_packages_join_the_corpus_only_when_asked(trained, tmp_path):
    stdlib, extra = stdlib_files(), installed_files()
    assert extra
    assert main(["train"]) == 0 and trained[-1] == stdlib  # the default: off
    assert main(["train", "--installed"]) == 0 and trained[-1] == [*stdlib, *extra]
    (tmp_path / "gfv.toml").write_text("[generators]\ntrain_installed = true\n")
    assert main(["train"]) == 0 and trained[-1] == [*stdlib, *extra]
    assert main(["train", "--no-installed"]) == 0 and trained[-1] == stdlib
    one = tmp_path / "one.py"
    one.write_text("x = 1\n")
    assert main(["train", "--installed", str(one)]) == 0 and trained[-1] == [one]  # PATHS given: just those
