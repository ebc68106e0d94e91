"""The ``table_column_ngram`` generator on the sample tables (real KenLM)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from editor.generators.table_column_ngram import TableColumnNgramGenerator
from editor.stages import StageContext
from editor.tables.engine import open_table

SAMPLES = Path(__file__).resolve().parents[3] / "samples"


@pytest.fixture
def athletes(tmp_path, kenlm_cache) -> Path:
    del kenlm_cache  # the REAL lmplz, in the shared test cache
    for name in ("athletes.csv", "athletes.schema.yaml", "gfv.toml"):
        shutil.copy(SAMPLES / name, tmp_path / name)
    return tmp_path / "athletes.csv"


def test_text_cell_gets_observed_and_recombined_values(athletes):
    table = open_table(athletes)
    names = {row[1] for row in table.document.rows}
    out = list(TableColumnNgramGenerator().generate(table.slot("next", "name"), 20))
    assert len(out) == 20
    texts = [c.text for c in out]
    assert set(texts[: len(names)]) == names  # observed values carry the empirical share
    new = [c for c in out if c.text not in names]
    assert new and all(c.origin["observed"] == 0 for c in new)
    assert all(c.source == "table_column_ngram" and c.kind == "cell" for c in out)
    priors = [c.scores["ngram"] for c in out]
    assert priors == sorted(priors, reverse=True)
    # a recombination of a seen first name and a seen surname is among the new values
    firsts, lasts = {n.split()[0] for n in names}, {n.split()[-1] for n in names}
    assert any(c.text.split()[0] in firsts and c.text.split()[-1] in lasts for c in new)


def test_rows_like_the_slot_row_outweigh_frequency(athletes):
    path = athletes.parent / "teams.csv"
    rows = ["north,Berg", "south,Alvarez", "south,Alvarez", "north,Berg", "south,Alvarez", "north,Kim"]
    path.write_text("team,coach\n" + "\n".join(rows) + "\n", encoding="utf-8")
    slot = open_table(path).slot(6, "coach")  # the row "north,Kim": its team is north
    out = [c.text for c in TableColumnNgramGenerator().generate(slot, 5)]
    assert out[0] == "Berg"  # two rows agree on the team; Alvarez is commoner but in the south
    assert "Alvarez" in out and "Kim" not in out[:1]


def test_numbers_categories_and_row_slots_are_left_to_other_generators(athletes):
    table = open_table(athletes)
    gen = TableColumnNgramGenerator()
    assert not list(gen.generate(table.slot("next", "body_mass_kg"), 10))  # a float column
    assert not list(gen.generate(table.slot("next", "sex"), 10))  # isin: table_schema enumerates it
    assert not list(gen.generate(table.slot("next"), 10))  # a whole row


def test_missing_tools_are_a_note_not_an_error(athletes, monkeypatch):
    from editor.config import load_config
    from editor.tables import column_lm

    monkeypatch.setattr(column_lm, "_TOOLS", {"tools": None})
    column_lm._LOADED.clear()
    monkeypatch.setenv("GFV_CACHE_DIR", str(athletes.parent / "empty-cache"))
    ctx = StageContext(load_config(start=athletes.parent))
    gen = TableColumnNgramGenerator(ctx)
    assert not list(gen.generate(open_table(athletes).slot("next", "name"), 10))
    assert any("lmplz is not built" in n for n in ctx.notes)
