"""Block slots through the real pipeline: syntax, black, pylint and the properties judge whole bodies.

No model: the generators are the block generators and the line templates; every validator
is the real one (the properties run in the real sandbox).
"""

import shutil
from pathlib import Path

import pytest

from editor.config import Config
from editor.document import Document
from editor.pipeline import Pipeline

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


@pytest.fixture
def lifted(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()  # the project is this folder, not the repository
    for name in ("lifted.py", "lifted_properties.py"):
        shutil.copy(SAMPLES / name, tmp_path / name)
    return tmp_path / "lifted.py"


def pipeline() -> Pipeline:
    config = Config()
    config.generators.enabled = ["templates", "block_templates", "block_retrieval"]
    config.ranker.name = "ngram"
    return Pipeline(config, None)


def empty_line(path: Path) -> int:
    lines = path.read_text().split("\n")
    return next(i for i, line in enumerate(lines) if line.startswith("def total_load")) + 2


def test_only_the_bodies_that_keep_the_property_are_shown(lifted: Path):
    doc = Document.load(lifted)
    result = pipeline().suggest(doc.slot(empty_line(lifted), 0), k=5)
    blocks = [c for c in result.candidates if c.kind == "block"]
    assert {c.text for c in blocks} == {
        "    total = 0\n    for r in loads:\n        total += r\n    return total",
        "    total = 0\n    for load in loads:\n        total += load\n    return total",
    }
    for cand in blocks:
        assert [v.code for v in cand.verdicts] == ["SYN000", "NAM000", "BLK000", "PYL000", "PROP000"]
    # the body of heaviest(), adapted, lints clean but breaks the property: rejected with its counterexample
    (maxed,) = [c for c in result.rejected if "best = max(best, load)" in c.text]
    assert [v.code for v in maxed.verdicts if v.ok] == ["SYN000", "NAM000", "BLK000", "PYL000"]
    (prop,) = maxed.failures
    assert prop.code == "PROP001" and "loads=[" in prop.details["counterexample"]


def test_a_block_that_breaks_the_parse_or_lint_is_rejected_as_a_whole(lifted: Path):
    doc = Document.load(lifted)
    slot = doc.slot(empty_line(lifted), 0)
    pipe = pipeline()
    from editor.candidates import Candidate

    cands = [
        Candidate("    total = 0\n    for x in loads\n        total += x\n    return total", "t", "block"),
        Candidate("    total = 0\n    for x in loads:\n        total += y\n    return total", "t", "block"),
        Candidate("    total = 0\n    for x in loads:\n        total  +=  x\n    return total", "t", "block"),
    ]
    pipe._validate(pipe.pre, slot, cands, {})
    pipe._validate(pipe.post[:1], slot, cands, {})
    assert cands[0].failures[0].code == "SYN001"
    # the undefined name: the names validator before ranking, pylint after it, both on the body's line
    assert [v.code for v in cands[1].failures] == ["NAM001"]
    assert cands[1].failures[0].line == empty_line(lifted) + 3
    linted = Candidate(cands[1].text, "t", "block")
    pipe._validate(pipe.post[:1], slot, [linted], {})
    assert [v.code for v in linted.failures] == ["PYL-E0602"] and linted.failures[0].line == empty_line(
        lifted
    ) + 3
    assert (
        cands[2].ok
        and cands[2].text == "    total = 0\n    for x in loads:\n        total += x\n    return total"
    )
