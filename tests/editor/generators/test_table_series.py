"""table_series: the next row continues the right series, numbers vary like the data, rules hold."""

from pathlib import Path

from editor.config import load_config
from editor.stages import StageContext, generators, load_builtin_stages
from editor.tables.engine import open_table
from editor.tables.schema import infer_schema_report

MSFT_LIKE = """Date,Open,High,Low,Close,Volume
23-Jun-03,26.00,26.50,25.70,26.20,60000000
20-Jun-03,26.34,26.38,26.01,26.33,86048896
19-Jun-03,26.09,26.39,26.01,26.07,63626900
18-Jun-03,25.30,26.17,25.25,26.09,70000000
17-Jun-03,25.10,25.40,25.00,25.29,51000000
16-Jun-03,24.80,25.20,24.80,25.05,48000000
13-Jun-03,24.90,25.00,24.60,24.80,47000000
"""
LONG = (
    "symbol,date,price\n"
    + "".join(
        f"{s},{m} 1 2000,{p}\n"
        for s, base in (("MSFT", 40.0), ("IBM", 100.0))
        for m, p in zip(
            ("Jan", "Feb", "Mar", "Apr", "May"), (base, base * 1.05, base * 0.97, base * 1.1, base * 1.02)
        )
    )[:-1].rsplit("\n", 1)[0]
    + "\n"
)  # IBM's May row is missing: the next row


def _generate(tmp_path: Path, text: str, row="next", column=None, schema=True):
    path = tmp_path / "t.csv"
    path.write_text(text)
    if schema:
        from editor.cli.infer_schema_cmd import _typed
        from editor.tables.csvdoc import TableDocument
        from editor.tables.frame import to_frame

        doc = TableDocument.load(path)
        (tmp_path / "t.schema.yaml").write_text(
            infer_schema_report(_typed(to_frame(doc.header, doc.rows)))[0].to_yaml()
        )
    load_builtin_stages()
    slot = open_table(path, config=load_config(start=tmp_path)).slot(row, column)
    return list(generators.get("table_series")(StageContext(load_config(start=tmp_path))).generate(slot, 10))


def test_descending_trading_days_with_varied_prices_that_keep_low_below_high(tmp_path):
    cands = _generate(tmp_path, MSFT_LIKE)
    rows = [c.text.split(",") for c in cands]
    assert rows and all(r[0] == "12-Jun-03" for r in rows)  # the trading day before 13-Jun-03 (a Friday)
    assert len({tuple(r[1:]) for r in rows}) == len(rows) > 3  # not copies of the last row
    for _date, o, h, lo, c, _v in rows:
        assert float(lo) <= float(o) <= float(h) and float(lo) <= float(c) <= float(h)


def test_long_table_continues_the_last_symbol(tmp_path):
    cands = _generate(tmp_path, LONG)
    assert cands[0].text.startswith("IBM,May 1 2000,")
    assert 95 < float(cands[0].text.split(",")[2]) < 125


def test_a_cell_follows_from_its_neighbours(tmp_path):
    cand, *_ = _generate(tmp_path, MSFT_LIKE, row=4, column="Date")  # 18-Jun-03, between 19 and 17
    assert cand.text == "18-Jun-03"
