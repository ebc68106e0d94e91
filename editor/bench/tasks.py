"""Benchmark tasks cut deterministically from real Python files nobody here wrote.

Files of the repository are split (with ``seed``) into training files and held-out
files. Target lines are sampled from held-out files, skipping blank lines, comments
and docstring prose. The cursor goes at the start of the line's code (``cut="start"``)
or at a random point inside it (``cut="random"``). The task's document is the file
with the target line cut at the cursor: what follows on the line is what the user has
not typed yet, and the lines after stay (FIM suffix).

The n-gram model a bench uses is trained on the training files and the standard
library, and with ``generators.train_installed`` on the installed packages' sources too
(:func:`training_corpus`), never on the repository's own packages or a copy of its files:
when the repository is a standard-library package (or a copy of one), that package is left
out of the standard library's files as well.
"""

from __future__ import annotations

import io
import random
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from editor.document import Document
from editor.ngram.installed import installed_files, without_repository
from editor.ngram.train import stdlib_files, stdlib_root


@dataclass(frozen=True)
class CodeTask:
    path: Path
    line: int  # 0-based
    col: int  # 0-based cursor column
    truth: str  # the rest of the line after the cursor
    text: str  # the document with the line cut at the cursor

    def slot(self):
        return Document(self.text, self.path).slot(self.line, self.col)


def split_files(repo: Path, holdout: float, seed: int) -> tuple[list[Path], list[Path]]:
    files = sorted(p for p in repo.rglob("*.py") if p.is_file() and "test" not in p.parts)
    random.Random(seed).shuffle(files)
    n_hold = max(1, round(len(files) * holdout))
    return sorted(files[n_hold:]), sorted(files[:n_hold])


def repo_packages(repo: Path) -> set[str]:
    """``repo``'s name; for a project (not itself a package), its top-level packages and modules too,
    also under ``src/``."""
    names = {repo.name}
    if (repo / "__init__.py").is_file():
        return names
    for top in (repo, repo / "src"):
        if top.is_dir():
            names.update(p.name for p in top.iterdir() if (p / "__init__.py").is_file())
            names.update(p.stem for p in top.glob("*.py") if p.stem != "__init__")
    return names


def training_corpus(repo: Path, train_files: list[Path], held_out: list[Path], installed: bool) -> list[Path]:
    """The n-gram model's training files for a bench on ``repo`` (module docstring)."""
    names, own = repo_packages(repo), [*train_files, *held_out]
    extra = installed_files(names, own) if installed else []
    return [*train_files, *without_repository(stdlib_files(), stdlib_root(), names, own), *extra]


def _prose_rows(text: str) -> set[int]:
    """0-based rows covered by strings that stand alone (docstrings) or by comments only."""
    rows: set[int] = set()
    try:
        toks = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return set(range(len(text.splitlines())))
    prev = tokenize.NEWLINE
    for tok in toks:
        if tok.type == tokenize.STRING and prev in (
            tokenize.NEWLINE,
            tokenize.INDENT,
            tokenize.DEDENT,
            tokenize.NL,
        ):
            rows.update(range(tok.start[0] - 1, tok.end[0]))
        if tok.type == tokenize.STRING and tok.start[0] != tok.end[0]:
            rows.update(range(tok.start[0], tok.end[0]))  # continuation rows of multi-line strings
        if tok.type not in (tokenize.COMMENT, tokenize.NL):
            prev = tok.type
    return rows


def sample_tasks(files: list[Path], n: int, seed: int, cut: str = "start") -> list[CodeTask]:
    rng = random.Random(seed)
    pool: list[tuple[Path, int, str, list[str]]] = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        lines = text.split("\n")
        prose = _prose_rows(text)
        for row, line in enumerate(lines):
            code = line.strip()
            if not code or code.startswith("#") or row in prose or len(code) < 4 or len(code) > 100:
                continue
            pool.append((path, row, text, lines))
    rng.shuffle(pool)
    tasks = []
    for path, row, _text, lines in pool[:n]:
        line = lines[row]
        start = len(line) - len(line.lstrip())
        end = len(line.rstrip())
        col = start if cut == "start" else rng.randint(start, end - 1)
        cut_lines = lines[:row] + [line[:col]] + lines[row + 1 :]
        tasks.append(CodeTask(path, row, col, line[col:].rstrip(), "\n".join(cut_lines)))
    return tasks


def black_config(repo: Path, say: Callable[[str], None]) -> str | None:
    """The pyproject.toml black's own lookup finds for ``repo``'s files, said when it lies outside
    ``repo``.  The "black" validator judges candidates in that project's style: a package installed
    in this checkout's ``.venv`` is judged with gfv's own ``[tool.black]`` (line-length 110), not
    as in its own repository or a copy of its files (validators/_line_length.py)."""
    from validators.black_format import (  # pylint: disable=import-outside-toplevel
        project_config_path,
    )

    found = project_config_path(str(repo.resolve()))
    if found is not None and not Path(found).resolve().is_relative_to(repo.resolve()):
        say(f"black's config for these files is {found}, outside the repository: its style applies")
    return found
