"""A block of new rows end to end, nothing mocked: matplotlib's msft.csv, its inferred schema, real Qwen.

``gfv suggest msft.csv --rows next:3``: every shown block continues the trading days (the
table is newest first, so the block goes on backwards, one trading day a row), its keys
are new and unique, and the table with the block appended still passes the schema.
"""

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import matplotlib
import pytest

from editor.cli.main import main
from editor.tables.csvdoc import TableDocument
from editor.tables.engine import open_table
from editor.tables.frame import validate_rows

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[2]
MSFT = Path(matplotlib.get_data_path()) / "sample_data" / "msft.csv"


def day(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%d-%b-%y").date()


@pytest.fixture
def msft(tmp_path, capsys) -> Path:
    path = tmp_path / "msft.csv"
    shutil.copy(MSFT, path)
    assert main(["infer-schema", str(path), "-o", str(tmp_path / "msft.schema.yaml")]) == 0
    capsys.readouterr()
    return path


def test_a_three_row_block_continues_the_days_and_every_shown_block_is_valid(msft, model_path):
    before = msft.read_bytes()
    proc = subprocess.run(
        [sys.executable, "-m", "gfv_entry", "suggest", str(msft), "--rows", "next:3"]
        + ["--model", str(model_path), "--format", "json", "--k", "3"],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr
    assert msft.read_bytes() == before
    data = json.loads(proc.stdout)
    assert data["model"]["path"] == str(model_path) and data["work"]["slot"]["kind"] == "block"
    table = open_table(msft)
    doc: TableDocument = table.document
    last = day(doc.rows[-1][0])
    known = {r[0] for r in doc.rows}
    assert data["candidates"], "no block shown"  # --k 3 bounds how many
    for cand in data["candidates"]:
        assert cand["kind"] == "block" and cand["scores"]["llm"] is not None
        assert all(v["ok"] for v in cand["verdicts"])
        assert {"TAB000", "ROWS000"} <= {v["code"] for v in cand["verdicts"]}
        rows = [doc.dialect.parse_row(line) for line in cand["text"].split("\n")]
        assert len(rows) == 3 and len(cand["origin"]["rows"]) == 3
        dates = [r[0] for r in rows]
        assert len(set(dates)) == 3 and not set(dates) & known  # keys unique in the block, new to the table
        days = [last, *map(day, dates)]
        gaps = [(a - b).days for a, b in zip(days, days[1:])]
        assert all(1 <= g <= 4 for g in gaps), (dates, gaps)  # one trading day back a row
        extended = [*doc.rows, *rows]
        assert not any(
            validate_rows(table.schema, doc.header, extended)
        )  # the schema holds on the whole table
