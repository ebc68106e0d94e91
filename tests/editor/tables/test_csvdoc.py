"""CSV documents keep their dialect, and malformed tables get clear errors."""

from pathlib import Path

import pytest

from editor.errors import GfvError
from editor.tables.csvdoc import TableDocument

SAMPLES = Path(__file__).resolve().parents[3] / "samples"


@pytest.mark.parametrize(
    "text",
    [
        "a,b\n1,2\n",
        'a;b\r\n"x;1";2\r\n3;4',  # semicolons, CRLF, a quoted delimiter, no final newline
        '"a","b"\n"1","two words"\n',  # quote-all
        'a\tb\n1\t"q""uote"\n',
        'a,b\n"multi\nline",2\n',
        "# Data source: https://example.org\n# units: USD\nDate,IBM\n1990-01-01,10.9\n",  # a preamble
    ],
)
def test_round_trip_is_byte_identical(text):
    assert TableDocument.parse(text).text() == text


def test_sample_round_trips():
    for name in ("athletes.csv", "sessions.csv"):
        raw = (SAMPLES / name).read_text(encoding="utf-8")
        assert TableDocument.parse(raw).text() == raw


def test_appended_row_uses_the_dialect():
    doc = TableDocument.parse('"a";"b"\r\n"1";"2"\r\n')
    assert doc.dialect.delimiter == ";" and doc.dialect.quote_all and doc.dialect.newline == "\r\n"
    out = doc.with_row(["3", "x;y"]).text()
    assert out == '"a";"b"\r\n"1";"2"\r\n"3";"x;y"\r\n'
    edited = doc.with_row(["9", "8"], at=0).text()
    assert edited == '"a";"b"\r\n"9";"8"\r\n'


def test_tsv_by_suffix(tmp_path):
    path = tmp_path / "t.tsv"
    path.write_text("a,b\tc\n1,5\t2\n")
    doc = TableDocument.load(path)
    assert doc.header == ["a,b", "c"] and doc.rows == [["1,5", "2"]]


@pytest.mark.parametrize(
    "data, needle",
    [
        (b"a,b\n1,2\n3\n", "record 3 has 1 fields, the header has 2 (ragged row)"),
        (b"a,b\n1,2,3\n", "ragged row"),
        (b"a,b\n\xff\xfe,2\n", "not valid UTF-8"),
        (b"", "empty file"),
        (b"a,a\n1,2\n", "names column 'a' twice"),
        (b"a,,c\n1,2,3\n", "empty column name"),
        (b'a,b\n"1,2\n', "malformed CSV"),
        (b"a,b\n1,2\n\n3,4\n", "blank line"),
        (b"# only a comment\n\n", "only comment lines"),
        (b'# note\na,b\n"1,2\n', "line 3: malformed CSV"),
    ],
)
def test_malformed_input(tmp_path, data, needle):
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    with pytest.raises(GfvError) as info:
        TableDocument.load(path)
    assert needle in info.value.message


def test_byte_order_mark_is_kept_on_save(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfid,name\r\n1,\xc3\x85sa\r\n")
    doc = TableDocument.load(path)
    assert doc.bom and doc.header == ["id", "name"]  # the mark is not part of the first column's name
    doc.with_row(["2", "Bo"]).save(path)
    assert path.read_bytes() == b"\xef\xbb\xbfid,name\r\n1,\xc3\x85sa\r\n2,Bo\r\n"
    plain = tmp_path / "plain.csv"
    plain.write_bytes(b"id\n1\n")
    TableDocument.load(plain).with_row(["2"]).save(plain)
    assert plain.read_bytes() == b"id\n1\n2\n"


def test_comment_lines_before_the_header_are_kept_and_are_not_records(tmp_path):
    path = tmp_path / "stocks.csv"
    path.write_text("# Data source: https://finance.yahoo.com\nDate;IBM;AAPL\n1990-01-01;10.9;0.24\n")
    doc = TableDocument.load(path)
    assert doc.preamble == ["# Data source: https://finance.yahoo.com"]
    assert doc.header == ["Date", "IBM", "AAPL"] and doc.dialect.delimiter == ";"  # sniffed on the header
    assert doc.rows == [["1990-01-01", "10.9", "0.24"]]
    doc.with_row(["1990-01-02", "11.0", "0.25"]).save(path)
    assert path.read_text().splitlines() == [
        "# Data source: https://finance.yahoo.com",
        "Date;IBM;AAPL",
        "1990-01-01;10.9;0.24",
        "1990-01-02;11.0;0.25",
    ]


def test_a_header_that_starts_with_a_hash_is_the_header():
    doc = TableDocument.parse("# exported by hand\n#id,name\n1,Ann\n")
    assert doc.preamble == ["# exported by hand"] and doc.header == ["#id", "name"]
    assert TableDocument.parse("#id,name\n1,Ann\n").header == ["#id", "name"]
