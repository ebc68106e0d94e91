"""A relative star import is read from its module's file (editor/star_imports.py)."""

# pylint: disable=missing-function-docstring

from pathlib import Path

from editor.candidates import Candidate
from editor.document import Document
from editor.star_imports import star_bound_names
from validators.names import NamesValidator

TOKENS = "__all__ = ['Token', 'StreamStartToken']\n\nclass Token:\n    pass\n\nclass StreamStartToken(Token):\n    pass\n"
SCANNER = "from .tokens import *\n\n\ndef scan(mark):\n    \n"


def _package(tmp_path: Path, tokens: str = TOKENS, scanner: str = SCANNER) -> Path:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "tokens.py").write_text(tokens)
    (pkg / "scanner.py").write_text(scanner)
    return pkg / "scanner.py"


def _judge(path: Path, *cands: str):
    slot = Document(path.read_text(), path).slot(4, 4)
    return [v[0] for v in NamesValidator().validate(slot, [Candidate(c, "t") for c in cands])]


def test_names_a_relative_star_import_binds_are_known_and_others_undefined(tmp_path):
    bound, unbound = _judge(_package(tmp_path), "return StreamStartToken(mark)", "return EndToken(mark)")
    assert bound.code == "NAM000"
    assert unbound.code == "NAM001"  # judged, no longer "not checked"


def test_without_all_the_public_top_level_names_are_bound(tmp_path):
    path = _package(tmp_path, tokens="import os\n\nLIMIT = 3\n_hidden = 1\n\ndef make():\n    pass\n")
    assert star_bound_names(path.read_text(), path) == {"os", "LIMIT", "make"}


def test_what_cannot_be_read_stays_not_checked(tmp_path):
    computed = _package(tmp_path, tokens="__all__ = [n for n in dir() if n.isupper()]\n")
    assert star_bound_names(computed.read_text(), computed) is None
    (verdict,) = _judge(computed, "return StreamStartToken(mark)")
    assert verdict.code == "NAM998" and not verdict.ok
    absolute = "from os.path import *\n" + SCANNER
    assert star_bound_names(absolute, computed) is None
    assert star_bound_names(SCANNER, None) is None
    assert star_bound_names("from .missing import *\n", computed) is None
