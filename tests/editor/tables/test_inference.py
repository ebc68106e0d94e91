"""Keys and row-wise relations inferred from data, written as pandera checks that load back."""

import pandas as pd
import pandera.pandas as pa

from editor.tables.frame import to_frame, validate_rows
from editor.tables.inference import ordered_pairs, primary_key, sums
from editor.tables.schema import infer_schema_report, register_checks

OHLC = pd.DataFrame(
    {
        "Date": ["19-Sep-03", "18-Sep-03", "17-Sep-03", "16-Sep-03", "15-Sep-03", "12-Sep-03"],
        "Open": [29.76, 29.51, 28.76, 28.41, 28.37, 27.48],
        "High": [29.97, 29.51, 28.95, 28.95, 28.61, 28.40],
        "Low": [29.52, 28.42, 28.47, 28.32, 28.19, 27.45],
        "Close": [29.96, 29.50, 28.50, 28.90, 28.36, 28.34],
        "Volume": [92433800, 67268096, 47221600, 52060600, 41432300, 55777200],
    }
)


def test_primary_keys_single_and_composite():
    assert primary_key(OHLC, {"Date"}) == ("Date",)
    long = pd.DataFrame(
        {"symbol": list("AAABBB"), "month": [1, 2, 3, 1, 2, 3], "price": [1.0, 2, 3, 4, 5, 6]}
    )
    assert primary_key(long, {"month"}) == ("symbol", "month")
    assert primary_key(long.iloc[[0, 0, 1, 2, 3, 4]].reset_index(drop=True), {"month"}) is None
    assert primary_key(OHLC.drop(columns=["Date"])) is None  # a unique volume is no key


def test_orderings_and_sums():
    assert set(ordered_pairs(OHLC)) == {
        ("Low", "Open"),
        ("Open", "High"),
        ("Low", "Close"),
        ("Close", "High"),
    }
    parts = pd.DataFrame({"a": [1.5, 2.0, 3.25, 4.0, 5.0], "b": [10.0, 11.0, 12.0, 13.5, 14.0]})
    parts["total"] = parts["a"] + parts["b"]
    parts["noise"] = [3.0, 1.0, 4.0, 1.0, 5.0]
    assert [(t, p) for t, p, _ in sums(parts)] == [("total", ("a", "b"))]


def test_inferred_rules_round_trip_through_yaml_and_judge_rows():
    schema, notes = infer_schema_report(OHLC.copy())
    assert any("primary key: (Date)" in n for n in notes)
    assert any("Low <= Open" in n for n in notes) and any("'%d-%b-%y'" in n for n in notes)
    register_checks()
    loaded = pa.DataFrameSchema.from_yaml(schema.to_yaml())
    header = list(OHLC.columns)
    good = ["11-Sep-03", "28.40", "28.60", "28.30", "28.50", "50000000"]
    low_above_open = ["11-Sep-03", "28.40", "28.60", "28.45", "28.50", "50000000"]
    iso_date = ["2003-09-11", "28.40", "28.60", "28.30", "28.50", "50000000"]
    ok, bad, wrong_format = validate_rows(loaded, header, [good, low_above_open, iso_date])
    assert ok == []
    assert {c["column"] for c in bad} >= {"Low", "Open"}
    assert [c["column"] for c in wrong_format] == ["Date"]
    assert to_frame(header, [good]).shape == (1, 6)
