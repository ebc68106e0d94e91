"""The cascade's decisions (editor/cascade.py), on plain candidates and slots."""

# pylint: disable=missing-function-docstring

import math

from editor.candidates import Candidate
from editor.cascade import follower_reason, one_line_body, pool_size, skip_reason, sure_follower
from editor.config import Config
from editor.document import Document


def _cands(*cheap):
    return [Candidate(f"c{i}", "fake", scores={"cheap": v}) for i, v in enumerate(cheap)]


MID = Document("x = fo\n").slot(0, 6)
START = Document("x = 1\n    \n").slot(1, 4)
BLOCK = Document("def f():\n    \n").slot(1, 4)


def test_a_sure_cheap_stage_is_trusted_mid_line_only():
    assert "only valid candidate" in skip_reason(1.0, _cands(-3.0), MID, True)
    assert "leads the next" in skip_reason(1.0, _cands(-1.0, -2.5), MID, True)
    assert skip_reason(1.0, _cands(-1.0, -1.5), MID, True) is None  # not far enough ahead
    assert skip_reason(0.0, _cands(-1.0, -9.0), MID, True) is None  # 0 = never
    assert skip_reason(1.0, _cands(-1.0, -9.0), START, True) is None
    assert skip_reason(1.0, _cands(-3.0), BLOCK, True) is None


def test_nothing_to_rank_without_candidates_or_a_draft():
    assert "nothing to rank" in skip_reason(1.0, [], MID, False)
    assert skip_reason(1.0, [], MID, True) is None  # the draft may still propose one


def test_the_pool_size_follows_the_slot():
    ranker = Config().ranker
    ranker.pool, ranker.start_pool, ranker.block_pool = 8, 1, 3
    assert [pool_size(ranker, s) for s in (MID, START, BLOCK)] == [8, 1, 3]
    assert pool_size(ranker, object()) == 8  # a table's slot


def test_a_block_draft_that_ended_after_one_line_is_the_models_body():
    line = Candidate("return 1", "llm_block_draft")
    merged = Candidate("return 1", "ngram", origin={"also_from": ["llm_block_draft"]})
    assert one_line_body(BLOCK, [Candidate("x = 1\n    return x", "fake", "block"), line]) is line
    assert one_line_body(BLOCK, [merged]) is merged  # a cheap candidate the block draft proposed too
    assert one_line_body(START, [line]) is None  # not a block slot
    assert (
        one_line_body(BLOCK, [Candidate("return 1", "llm_draft")]) is None
    )  # the line draft says nothing of the body
    assert one_line_body(BLOCK, [Candidate("x = 1\n    return x", "llm_block_draft", "block")]) is None
    assert (
        one_line_body(BLOCK, [Candidate("if x:", "llm_block_draft")]) is None
    )  # opens a block: no whole body


def _follower(count, share, lookup="follows", source="retrieval"):
    origin = {"lookup": lookup, "count": count, "share": share}
    return Candidate("self,", source, scores={"cheap": math.log(share)}, origin=origin)


def test_a_line_that_nearly_always_followed_the_previous_one_is_sure_at_the_start_of_a_line():
    sure = _follower(20, 0.87)
    assert sure_follower(START, [*_cands(-0.1), sure]) is sure
    assert sure_follower(START, [_follower(4, 1.0)]) is None  # one place in the document: too few
    assert sure_follower(START, [_follower(20, 0.5)]) is None  # other lines followed it too often
    assert sure_follower(START, [_follower(20, 0.9, lookup="prefix")]) is None
    assert sure_follower(MID, [sure]) is None  # mid-line: skip_reason's margin decides
    assert sure_follower(BLOCK, [sure]) is None  # a block slot ranks its bodies


def test_a_line_between_the_lines_above_and_below_elsewhere_is_sure_at_a_lower_count():
    between = _follower(3, 0.5)
    between.origin["precedes"] = 3
    between.scores["cheap"] = math.log(0.5 + 0.4)  # its shares after the line above and before the one below
    assert sure_follower(START, [*_cands(-0.1), between]) is between
    assert "before the line below 3 times" in follower_reason(between)
    weak = _follower(3, 0.4)
    weak.origin["precedes"] = 3
    weak.scores["cheap"] = math.log(0.4 + 0.3)
    assert sure_follower(START, [weak]) is None  # 0.7 of the evidence: the model is asked
    assert sure_follower(START, [_follower(3, 0.9)]) is None  # after the line above only: too few
    assert sure_follower(BLOCK, [between]) is None
