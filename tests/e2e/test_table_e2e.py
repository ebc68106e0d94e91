"""Tables end to end, nothing mocked: real pandera, real rules, real Qwen ranker.

1. every shown candidate passes pandera and the keys (and the formula);
2. a foreign-key violation and a formula violation are rejected with their codes;
3. the accepted row lands in the file intact (every other byte unchanged).
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from editor.config import load_config
from editor.tables.csvdoc import TableDocument
from editor.tables.engine import open_table, suggest_cells

pytestmark = pytest.mark.e2e
SAMPLES = Path(__file__).resolve().parents[2] / "samples"
REPO = SAMPLES.parent


@pytest.fixture
def tables(tmp_path) -> Path:
    for name in ("athletes.csv", "sessions.csv", "athletes.schema.yaml", "sessions.schema.yaml", "gfv.toml"):
        shutil.copy(SAMPLES / name, tmp_path / name)
    return tmp_path


def test_cli_next_row_candidates_all_pass(tables, model_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from editor.cli.main import main; sys.exit(main(sys.argv[1:]))",
            "suggest",
            str(tables / "sessions.csv"),
            "--row",
            "next",
            "--model",
            str(model_path),
            "--format",
            "json",
            "--k",
            "5",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["model"] and data["candidates"]
    for cand in data["candidates"]:
        assert cand["scores"]["llm"] is not None
        assert {v["code"] for v in cand["verdicts"]} == {"TAB000", "KEY000", "FRM000"}
        assert all(v["ok"] for v in cand["verdicts"])
    finals = [c["scores"]["final"] for c in data["candidates"]]
    assert finals == sorted(finals, reverse=True)
    # every rejected row names the validator that rejected it (the synthesis generator is
    # time-bounded, so which rows it draws depends on load; the FK case is pinned below)
    table_codes = ("TAB", "KEY", "FRM")
    for cand in data["rejected"]:
        assert any(not v["ok"] and v["code"].startswith(table_codes) for v in cand["verdicts"])


def test_fk_and_formula_violations_rejected_with_codes(tables, model_path):
    config = load_config(start=tables)
    # make A008 unknown: candidates naming it must now fail the foreign key
    athletes = TableDocument.load(tables / "athletes.csv")
    athletes.rows, athletes.raw_rows = athletes.rows[:-1], athletes.raw_rows[:-1]
    athletes.save()
    fk = suggest_cells(tables / "sessions.csv", 4, "athlete_id", config=config, model_path=model_path)
    bad = [c for c in fk.rejected if c.text == "A008"]
    assert bad and bad[0].failures[0].code == "KEY003"
    assert bad[0].failures[0].details["cells"] == [{"row": 4, "column": "athlete_id", "value": "A008"}]
    assert all(c.text != "A008" and c.ok for c in fk.candidates)
    vol = suggest_cells(tables / "sessions.csv", 4, "volume_kg", config=config, model_path=model_path)
    assert vol.candidates[0].text == "1012.5"  # 5 x 3 x 67.5
    wrong = [c for c in vol.rejected if any(v.code == "FRM001" for v in c.verdicts)]
    assert wrong and wrong[0].failures[0].details["expected"] == 1012.5


def test_accepted_row_lands_intact(tables, model_path):
    path = tables / "sessions.csv"
    before = path.read_bytes()
    config = load_config(start=tables)
    result = suggest_cells(path, "next", config=config, model_path=model_path)
    top = result.candidates[0]
    table = open_table(path, config=config)
    slot = table.slot("next")
    slot.applied(top.text).save()
    after = path.read_bytes()
    assert after.startswith(before)
    assert after[len(before) :] == (top.text + "\n").encode()
    reloaded = open_table(path, config=config)
    assert reloaded.document.rows[-1] == slot.candidate_row(top.text)
    # the saved table still passes every validator
    from editor.tables.frame import validate_rows

    assert not any(validate_rows(reloaded.schema, reloaded.document.header, reloaded.document.rows))
