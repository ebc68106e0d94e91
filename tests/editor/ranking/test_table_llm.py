"""The table ranker's prompt: an anchored window of rows, so that moving down keeps the prefix."""

from pathlib import Path

from editor.ranking.table_llm import ANCHOR_ROWS, MAX_CONTEXT_TOKENS, TableLlmRanker
from editor.tables.csvdoc import TableDocument
from editor.tables.rules import TableRules
from editor.tables.slot import TableSlot


class CharScorer:
    """Stands in for the model's tokenizer: one token per character, FIM tokens 1, 2, 3."""

    fim_tokens = (1, 2, 3)

    def tokenize(self, text):
        return [ord(c) for c in text]


def _table(tmp_path: Path, n: int, width: int = 1) -> TableDocument:
    path = tmp_path / "t.csv"
    rows = [f"{i},{'x' * width}" for i in range(n)]
    path.write_text("id,name\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return TableDocument.load(path)


def _slot(doc, row, column="name"):
    return TableSlot(doc, row, column, None, TableRules(), [])


def test_moving_down_keeps_the_prefix_until_the_next_anchor(tmp_path):
    doc = _table(tmp_path, 100)
    ranker = TableLlmRanker(CharScorer(), rows=24)
    starts = [ranker.window_start(_slot(doc, r)) for r in range(40, 60)]
    assert all(s % ANCHOR_ROWS == 0 for s in starts)
    assert all(40 - 24 - ANCHOR_ROWS < s <= 40 - 24 for s in starts[:1])
    assert len(set(starts)) <= 2  # one change of start over 20 rows down
    # the prefix of one row is the start of the prefix of the next (minus that row's own cells)
    a, _ = ranker.prompt(_slot(doc, 50))
    b, _ = ranker.prompt(_slot(doc, 51))
    assert ranker.window_start(_slot(doc, 50)) == ranker.window_start(_slot(doc, 51)) == 16
    assert b.startswith(a[: a.rindex("\n") + 1])
    # at least the configured number of rows is always before the slot (the table allowing)
    for r in (0, 5, 24, 25, 70):
        prefix, _ = ranker.prompt(_slot(doc, r, None))
        assert prefix.count("\n") - 1 >= min(r, 24)


def test_a_long_prefix_is_cut_a_whole_anchor_at_a_time(tmp_path):
    doc = _table(tmp_path, 100, width=60)  # 24-39 rows of ~63 characters overflow the budget
    ranker = TableLlmRanker(CharScorer(), rows=24)
    ctx = ranker.context(_slot(doc, 60))
    assert len(ctx) <= MAX_CONTEXT_TOKENS + 3
    prefix_text = "".join(chr(t) for t in ctx[1 : ctx.index(2)])
    first_row = int(prefix_text.split("\n")[1].split(",")[0])
    assert first_row % ANCHOR_ROWS == 0  # the cut kept the window anchored


def _wide(tmp_path: Path, columns: int) -> TableDocument:
    path = tmp_path / "wide.csv"
    header = ",".join(f"column_{i}" for i in range(columns))
    rows = [",".join(f"v{r}_{i}" for i in range(columns)) for r in range(10)]
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return TableDocument.load(path)


class WindowedCharScorer(CharScorer):
    n_ctx = 4096


def test_a_table_too_wide_for_the_budget_keeps_the_cells_next_to_the_slot(tmp_path):
    doc = _wide(tmp_path, 500)  # the header and one row alone are ~8,000 characters
    ranker = TableLlmRanker(WindowedCharScorer(), rows=24)
    slot = _slot(doc, 5, "column_250")
    ctx = ranker.context(slot)
    assert len(ctx) <= MAX_CONTEXT_TOKENS + 3
    prefix_text = "".join(chr(t) for t in ctx[1 : ctx.index(2)])
    assert prefix_text.endswith("v5_248,v5_249,")  # the cells just before the slot's
    assert ranker.fits(slot)  # a cell fits next to that context
    assert not ranker.fits(_slot(doc, 5, None))  # a whole row of 500 cells does not
    assert TableLlmRanker(WindowedCharScorer(), rows=24).fits(_slot(_wide(tmp_path, 5), 5, None))
