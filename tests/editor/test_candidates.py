from editor.candidates import Candidate, Verdict, merge_duplicates


def test_candidate_ok_and_json_shape():
    cand = Candidate("x = 1", "ngram", scores={"ngram": -1.0, "llm": -0.5, "final": -0.6})
    cand.verdicts.append(Verdict("syntax", True, "SYN000", "parses"))
    assert cand.ok
    out = cand.to_json()
    assert list(out["scores"])[:3] == ["ngram", "llm", "final"]
    assert out["verdicts"] == [{"validator": "syntax", "ok": True, "code": "SYN000", "message": "parses"}]
    cand.verdicts.append(Verdict("pylint", False, "PYL-E0602", "undefined", line=3))
    assert not cand.ok and [v.code for v in cand.failures] == ["PYL-E0602"]


def test_merge_duplicates_keeps_best_score_and_records_sources():
    a = Candidate("foo()", "ngram", scores={"ngram": -2.0})
    b = Candidate("foo()", "template:call", scores={"ngram": -1.0})
    c = Candidate("bar()", "ngram", scores={"ngram": -3.0})
    merged = merge_duplicates([a, b, c])
    assert [m.text for m in merged] == ["foo()", "bar()"]
    assert merged[0].source == "template:call"
    assert merged[0].origin["also_from"] == ["ngram"]


def test_a_not_checked_verdict_never_passes():
    verdict = Verdict.not_checked(
        "pylint", "PYL998", "not checked: cannot parse", line=3, details={"symbol": "s"}
    )
    assert not verdict.ok and not verdict.checked
    assert verdict.details == {"symbol": "s", "not_checked": True} and verdict.line == 3
    assert verdict.to_json()["not_checked"] is True
    assert Verdict("syntax", True, "SYN000", "parses").checked
    assert "not_checked" not in Verdict("syntax", False, "SYN001", "breaks").to_json()
    cand = Candidate("x", "t", verdicts=[Verdict("syntax", True, "SYN000", ""), verdict])
    assert not cand.ok and cand.failures == [verdict]
