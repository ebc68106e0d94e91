"""SuggestResult: what a suggestion answers, as the CLI and the batch runner print it."""

from editor.candidates import Candidate, Verdict
from editor.suggestion import SuggestResult


def test_valid_texts_are_the_shown_then_the_unshown_and_json_keeps_the_traces():
    shown = Candidate("return x", "ngram", verdicts=[Verdict("syntax", True, "SYN000", "parses")])
    refused = Candidate("return y", "ngram", verdicts=[Verdict("pylint", False, "PYL-E0602", "undefined")])
    result = SuggestResult(
        [shown], [refused], {"total": 12.345}, None, unshown=[Candidate("pass", "templates")]
    )
    assert result.valid_texts == ["return x", "pass"]
    data = result.to_json()
    assert [c["text"] for c in data["candidates"]] == ["return x"]
    assert data["rejected"][0]["verdicts"][0]["code"] == "PYL-E0602"
    assert data["timings_ms"] == {"total": 12.35} and "stage" not in data
