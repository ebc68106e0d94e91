from pathlib import Path

from editor.bench import tasks
from editor.bench.tasks import repo_packages, training_corpus
from editor.ngram import installed


def _write(path: Path, text: str = "x = 1\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_repo_packages_of_a_package_and_of_a_project(tmp_path):
    pkg = tmp_path / "site" / "tornado"
    _write(pkg / "__init__.py")
    _write(pkg / "web.py")
    assert repo_packages(pkg) == {"tornado"}  # its modules are its own, not top-level names
    project = tmp_path / "proj"
    _write(project / "setup.py")
    _write(project / "src" / "lib" / "__init__.py")
    _write(project / "app" / "__init__.py")
    _write(project / "docs" / "conf.py")
    assert repo_packages(project) == {"proj", "setup", "lib", "app"}


def test_the_training_corpus_never_holds_the_repository_or_a_copy_of_its_files(tmp_path, monkeypatch):
    site = tmp_path / "site"
    repo = site / "alpha"
    held = _write(repo / "held.py", "def held():\n    return 'out'\n")
    train = _write(repo / "__init__.py", "from .held import held\n")
    _write(site / "beta" / "vendored_held.py", held.read_text())  # a copy another package carries
    other = _write(site / "beta" / "other.py", "y = 2\n")
    monkeypatch.setattr(installed, "site_packages", lambda: site)
    monkeypatch.setattr(tasks, "stdlib_files", lambda: [])
    corpus = training_corpus(repo, [train], [held], installed=True)
    assert corpus == [train, other]
    assert training_corpus(repo, [train], [held], installed=False) == [train]
