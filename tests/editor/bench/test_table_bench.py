"""gfv bench table: deterministic masking, the metrics, leak-free schema inference, one real run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from editor.bench.table_bench import (
    MaskedCell,
    _Tally,
    cell_exact,
    cell_tol,
    inferred_schema,
    masked_text,
    pick_cells,
)
from editor.bench.systems import SystemRun
from editor.cli.main import main
from editor.tables.csvdoc import TableDocument

SESSIONS = Path(__file__).resolve().parents[3] / "samples" / "sessions.csv"
TINY = "id,kind,x\n1,a,1.5\n2,b,\n3,a,2.5\n4,zebra,9.0\n" + "".join(
    f"{i},{'ab'[i % 2]},{i}.0\n" for i in range(5, 11)
)


def test_pick_cells_is_deterministic_and_skips_empty_cells():
    doc = TableDocument.load(SESSIONS)
    first, again = pick_cells(doc, 10, seed=3), pick_cells(doc, 10, seed=3)
    assert first == again and len(first) == 10
    assert len({(c.row, c.column) for c in first}) == 10  # distinct cells
    assert pick_cells(doc, 10, seed=4) != first
    assert all(doc.rows[c.row][doc.index(c.column)] == c.truth for c in first)
    tiny = TableDocument.parse(TINY)
    cells = pick_cells(tiny, 100, seed=0)
    assert len(cells) == 29 and all(c.truth for c in cells)  # 30 cells, one empty


def test_masked_text_blanks_one_cell_and_keeps_every_other_byte():
    text = '"id","kind","x"\r\n"1","a","1.5"\r\n"2","b","x,y"\r\n'
    doc = TableDocument.parse(text)
    out = masked_text(doc, MaskedCell(1, "x", "x,y"))
    assert out == '"id","kind","x"\r\n"1","a","1.5"\r\n"2","b",""\r\n'
    assert doc.text() == text  # the document itself is untouched


def test_cell_metrics():
    assert cell_exact(" 12.5 ", "12.5") and not cell_exact("12.50", "12.5") and not cell_exact(None, "1")
    assert cell_tol("12.50", "12.5") and cell_tol("100.9", "100") and not cell_tol("101.5", "100")
    assert cell_tol("0.0000005", "0") and not cell_tol("0.001", "0")
    assert cell_tol("sun", "sun") and not cell_tol("rain", "sun") and not cell_tol(None, "1")
    tally = _Tally()
    tally.add(SystemRun(["1.0", "2"], 10.0, prefill=100, incremental=5), "1", [True, False])
    tally.add(SystemRun([], 30.0), "x", [])
    tally.warm_ms.extend([1.0, 3.0])
    s = tally.summary()
    assert (s["cell_exact"], s["cell_tol"], s["hit5"], s["valid_shown"]) == (0.0, 0.5, 0.0, 0.5)
    assert s["shown_per_cell"] == 1.0 and s["llm_tokens"] == {"prefill": 50, "incremental": 2.5}
    assert s["ms_per_cell"]["cold"]["p50"] == 20.0 and s["ms_per_cell"]["warm"]["p95"] == 2.9


def test_inferred_schema_leaves_the_masked_rows_out():
    doc = TableDocument.parse(TINY)
    with_all = inferred_schema(doc, set()).to_yaml()
    without = inferred_schema(doc, {3}).to_yaml()  # row 4 holds the only "zebra" and x = 9.0
    assert "zebra" in with_all and "zebra" not in without
    # the observed range (1.5 .. 10.0, or .. 9.0 without row 10) plus a tenth of its span
    assert inferred_schema(doc, set()).columns["x"].checks[0].statistics["max_value"] == 10.85
    assert inferred_schema(doc, {9}).columns["x"].checks[0].statistics["max_value"] == 9.75


@pytest.mark.e2e
def test_bench_table_on_the_sample_with_the_real_model(model_path, capsys):
    code = main(["bench", "table", "--csv", str(SESSIONS), "--cells", "2", "--seed", "1", "--format", "json",
                 "--model", str(model_path)])  # fmt: skip
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert (
        result["cells"] == 2
        and result["csv"] == str(SESSIONS)
        and set(result["systems"]) == {"gfv", "qwen-direct"}
    )
    assert [(c["row"], c["column"]) for c in result["per_cell"]] == [
        (c.row + 1, c.column) for c in pick_cells(TableDocument.load(SESSIONS), 2, 1)
    ]
    gfv, direct = result["systems"]["gfv"], result["systems"]["qwen-direct"]
    assert gfv["valid_shown"] == 1.0  # gfv shows only what pandera accepts
    assert gfv["shown_per_cell"] > 1 and direct["shown_per_cell"] <= 1
    for s in (gfv, direct):
        assert 0 <= s["cell_exact"] <= s["cell_tol"] <= 1
        assert s["llm_tokens"]["prefill"] > 100 and s["llm_tokens"]["incremental"] > 0
        assert s["ms_per_cell"]["cold"]["p50"] > 0 and s["ms_per_cell"]["warm"]["p50"] > 0
