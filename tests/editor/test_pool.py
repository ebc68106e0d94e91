"""Which candidates the LLM ranks (editor/pool.py)."""

from editor.candidates import Candidate
from editor.document import Document
from editor.pool import AGREEMENT, add_drafts, in_block, quick_score, select_pool, sources_agreeing


def test_the_pool_takes_each_source_in_turn():
    cands = [Candidate(f"n{i}", "ngram") for i in range(5)] + [
        Candidate("r0", "retrieval"),
        Candidate("r1", "retrieval"),
    ]
    cands += [Candidate("t0", "template:for"), Candidate("d", "llm_draft")]
    pool = select_pool(cands, 5)
    assert [c.text for c in pool] == ["d", "n0", "r0", "t0", "n1"]
    assert [c.text for c in select_pool(cands, 0)] == ["d"]


def test_a_draft_equal_to_a_cheap_candidate_marks_that_one_instead_of_adding_itself():
    cheap = Candidate("x = 1", "ngram")
    draft = Candidate("x = 1", "llm_draft", origin={"draft_min_p": 0.4, "draft_tokens": 3})
    merged = add_drafts([cheap], [draft, Candidate("y = 2", "llm_draft")])
    assert [c.text for c in merged] == ["y = 2", "x = 1"]
    assert cheap.origin["also_from"] == ["llm_draft"] and cheap.origin["draft_min_p"] == 0.4


def test_a_candidate_that_dedents_out_of_a_block_slot_is_not_in_it():
    slot = Document("def f(x):\n\n").slot(1, 0)  # the empty line after a header: a block slot
    assert in_block(slot, Candidate("    return x", "ngram"))
    assert not in_block(slot, Candidate("return x", "ngram"))
    plain = Document("x = 1\n\n").slot(1, 0)  # not a block slot: anything goes
    assert in_block(plain, Candidate("return x", "ngram"))


def test_only_other_kinds_of_source_count_as_agreeing():
    def cand(source, also):
        return Candidate("x = 1", source, scores={"cheap": -2.0}, origin={"also_from": also})

    assert sources_agreeing(cand("ngram", [])) == 0
    assert sources_agreeing(cand("ngram", ["ngram"])) == 0  # a repair that met its own source's line
    assert sources_agreeing(cand("ngram", ["retrieval", "template:for-each", "template:init"])) == 2
    assert sources_agreeing(cand("template:a", ["template:b"])) == 0
    assert quick_score(cand("ngram", ["retrieval"])) == -2.0 + AGREEMENT
    assert quick_score(cand("ngram", [])) == -2.0
    cell = Candidate(
        "3", "table_series", kind="cell", scores={"cheap": -2.0}, origin={"also_from": ["table_schema"]}
    )
    assert sources_agreeing(cell) == 1 and quick_score(cell) == -2.0  # tables keep their generators' order
