"""Sequence and group inference: step, direction, the series of a long table, where the next row goes."""

from editor.tables.profile import profile

STOCKS = [
    ["MSFT", "Jan 1 2000", "39.81"],
    ["MSFT", "Feb 1 2000", "36.35"],
    ["MSFT", "Mar 1 2000", "43.22"],
    ["MSFT", "Apr 1 2000", "28.37"],
    ["AMZN", "Jan 1 2000", "64.56"],
    ["AMZN", "Feb 1 2000", "68.87"],
    ["AMZN", "Mar 1 2000", "67.00"],
    ["IBM", "Jan 1 2000", "100.52"],
    ["IBM", "Feb 1 2000", "92.11"],
]


def test_long_table_continues_the_last_series():
    profs = profile(["symbol", "date", "price"], STOCKS, None)
    seq = profs["date"].sequence
    assert seq is not None and seq.group == "symbol" and seq.unit == "month" and seq.direction == 1
    assert profs["date"].next_values() == ["Mar 1 2000"]  # IBM's next month, not a taken (symbol, date)
    assert profs["symbol"].sequence is None


def test_interleaved_groups_follow_the_cycle():
    rows = [[str(y), str(q), str(100 + 4 * y + q)] for y in range(1990, 1994) for q in (1, 2, 3, 4)][:-1]
    profs = profile(["year", "quarter", "gdp"], rows, None)
    assert profs["year"].next_values() == ["1993"]  # after 1993 Q3 comes 1993 Q4
    assert profs["quarter"].next_values() == ["4"]


def test_descending_trading_days_and_integer_ids():
    rows = [["23-Jun-03", "1"], ["20-Jun-03", "2"], ["19-Jun-03", "3"], ["18-Jun-03", "4"]]
    profs = profile(["Date", "n"], rows, None)
    assert profs["Date"].sequence.unit == "bday" and profs["Date"].sequence.direction == -1
    assert profs["Date"].next_values() == ["17-Jun-03"]
    assert profs["n"].next_values() == ["5"]
    down = profile(["n"], [["9"], ["7"], ["5"]], None)["n"]
    assert down.sequence.step == 2 and down.next_values() == ["3"]


def test_irregular_values_are_no_sequence():
    profs = profile(["v"], [["5"], ["17"], ["3"], ["11"], ["4"]], None)
    assert profs["v"].sequence is None and profs["v"].next_values() == []
