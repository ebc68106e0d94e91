"""Date formats as tables write them: detect, parse, step, write back the same way."""

import pytest

from editor.tables.dates import detect
from editor.tables.profile import profile


@pytest.mark.parametrize(
    "values, fmt, after",
    [
        (["19-Sep-03", "18-Sep-03", "17-Sep-03", "16-Sep-03"], "%d-%b-%y", "15-Sep-03"),  # trading days, down
        (["2015/12/29", "2015/12/30", "2015/12/31"], "%Y/%m/%d", "2016/01/01"),
        (["Jan 1 2000", "Feb 1 2000", "Mar 1 2000"], "%b %d %Y", "Apr 1 2000"),  # unpadded day kept
        (["01/30/2020", "01/31/2020", "02/01/2020"], "%m/%d/%Y", "02/02/2020"),  # US order
        (["30/01/2020", "31/01/2020", "01/02/2020"], "%d/%m/%Y", "02/02/2020"),
        (["2010/01/01 22:00", "2010/01/01 23:00", "2010/01/02 00:00"], "%Y/%m/%d %H:%M", "2010/01/02 01:00"),
        (
            ["2015-01-01T10:00:00+01:00", "2015-01-01T11:00:00+01:00", "2015-01-01T12:00:00+01:00"],
            "%Y-%m-%dT%H:%M:%S%z",
            "2015-01-01T13:00:00+01:00",
        ),
        (["19580329", "19580405", "19580412"], "%Y%m%d", "19580419"),  # weekly, as numbers
        (["2006-01-01", "2006-02-01", "2006-03-01"], "%Y-%m-%d", "2006-04-01"),  # not %Y-%d-%m
    ],
)
def test_round_trip_parse_step_write(values, fmt, after):
    found = detect(values)
    assert found is not None and found.parse_fmt == fmt
    assert [found.write(found.parse(v)) for v in values] == values
    prof = profile(["d"], [[v] for v in values], None)["d"]
    assert prof.kind == "date" and prof.sequence is not None
    assert prof.next_values() == [after]


@pytest.mark.parametrize(
    "values", [["rain", "sun", "fog"], ["1871", "1872", "1873"], ["1.5", "2.5"], ["A001", "A002"], [""]]
)
def test_what_is_not_a_date(values):
    assert detect(values) is None


def test_one_value_in_another_format_means_not_a_date_column():
    assert detect(["2015/12/29", "2015/12/30", "Dec 31 2015"]) is None
