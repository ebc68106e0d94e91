"""table_synth: rows drawn from the schema; a cell's drawn number at an unseen end of the range is left out."""

from pathlib import Path

from editor.config import load_config
from editor.stages import StageContext, generators, load_builtin_stages
from editor.tables.engine import open_table
from editor.tables.profile import ColumnProfile
from editor.generators.table_synth import unseen_bound

PRICES = "day,price\n" + "".join(
    f"{d},{p}\n" for d, p in enumerate([12.5, 40.25, 87.0, 55.5, 130.75, 99.0], 1)
)
SCHEMA = """schema_type: dataframe
version: 0.0.0
columns:
  day:
    dtype: int64
  price:
    dtype: float64
    checks:
      in_range:
        min_value: 0.0
        max_value: 200.0
"""


def _cells(tmp_path: Path, text: str, schema: str, row: int, column: str) -> list[str]:
    (tmp_path / "t.csv").write_text(text)
    (tmp_path / "t.schema.yaml").write_text(schema)
    load_builtin_stages()
    slot = open_table(tmp_path / "t.csv", config=load_config(start=tmp_path)).slot(row, column)
    gen = generators.get("table_synth")(StageContext(load_config(start=tmp_path)))
    return [c.text for c in gen.generate(slot, 6)]


def test_the_ends_of_an_inferred_range_that_no_row_holds_are_no_guess(tmp_path):
    texts = _cells(tmp_path, PRICES, SCHEMA, 3, "price")
    assert texts  # hypothesis drew other prices
    assert all(0.0 < float(t) < 200.0 for t in texts)


def test_an_end_that_a_row_holds_stays(tmp_path):
    text = PRICES.replace("12.5", "0.0")  # a price of 0 is in the data
    assert 0.0 in [float(t) for t in _cells(tmp_path, text, SCHEMA, 3, "price")]


def test_unseen_bound_only_judges_numbers_at_a_bound():
    prof = ColumnProfile("price", "float", ["12.5", "40.25"], low=0.0, high=200.0)
    assert unseen_bound("0", prof) and unseen_bound("200.0", prof)
    assert not unseen_bound("12.5", prof) and not unseen_bound("150", prof)
    assert not unseen_bound("0", ColumnProfile("code", "str", ["a"], low=0.0))
    assert not unseen_bound("", prof) and not unseen_bound("0", None)
