"""gfv bench table --row next: truncation keeps bytes, key columns and typical changes, the row scores."""

import pytest

from editor.bench.table_next_bench import key_columns, score_row, truncated_text, typical_changes, typical_for
from editor.cli.main import main
from editor.tables.csvdoc import TableDocument

LONG = (
    "symbol,date,price\r\n"
    + "".join(
        f'"MSFT",{m} 1 2000,{p}\r\n'
        for m, p in (("Jan", 39.81), ("Feb", 36.35), ("Mar", 43.22), ("Apr", 28.37))
    )
    + "".join(
        f"IBM,{m} 1 2000,{p}\r\n" for m, p in (("Jan", 100.0), ("Feb", 104.0), ("Mar", 101.0), ("Apr", 99.0))
    )
)


def test_truncated_text_keeps_every_kept_record_byte_for_byte():
    doc = TableDocument.parse(LONG)
    assert (
        truncated_text(doc, 2)
        == 'symbol,date,price\r\n"MSFT",Jan 1 2000,39.81\r\n"MSFT",Feb 1 2000,36.35\r\n'
    )


def test_keys_and_typical_changes_come_from_the_rows_before_the_held_out_ones():
    doc = TableDocument.parse(LONG)
    assert key_columns(doc, 7) == ["symbol", "date"]
    # per series: MSFT 3.46, 6.87, 14.85; IBM 4, 3 (never IBM Jan - MSFT Apr); pooled median 4.0
    group, typical = typical_changes(doc, 7)
    assert group == "symbol"
    assert typical == {"price": {"MSFT": pytest.approx(6.87), "IBM": 3.5, "*": 4.0}}
    assert typical_for(["IBM", "Apr 1 2000", "99.0"], doc.header, group, typical) == {"price": 3.5}
    assert typical_for(["AMZN", "Apr 1 2000", "9"], doc.header, group, typical) == {"price": 4.0}


def test_score_row():
    header, keys, typical = ["symbol", "date", "price"], ["symbol", "date"], {"price": 4.0}
    truth = ["IBM", "Apr 1 2000", "99.0"]
    assert score_row(["IBM", "Apr 1 2000", "99.5"], truth, header, keys, typical) == {
        "key_exact": True, "num_1pct": [True], "num_typical": [True]}  # fmt: skip
    assert score_row(["IBM", "May 1 2000", "104.0"], truth, header, keys, typical) == {
        "key_exact": False, "num_1pct": [False], "num_typical": [False]}  # fmt: skip
    assert score_row(None, truth, header, keys, typical)["key_exact"] is False
    assert score_row(None, truth, header, [], typical)["key_exact"] is None  # no sequence: not scored


def test_bad_rows_argument_is_a_usage_error(tmp_path, capsys):
    path = tmp_path / "t.csv"
    path.write_text(LONG)
    rc = main(["bench", "table", "--csv", str(path), "--row", "next", "--rows", "0", "--model", str(path)])
    assert rc == 2 and "--rows" in capsys.readouterr().err
