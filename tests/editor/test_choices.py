"""editor.choices: the choice log and the session memory that proposes accepted lines again."""

from editor.candidates import Candidate
from editor.choices import ChoiceLog, SessionGenerator, SessionMemory, attach_session
from editor.document import Document


def test_choice_log_appends_json_lines(tmp_path, monkeypatch):
    monkeypatch.setenv("GFV_DATA_DIR", str(tmp_path))
    log = ChoiceLog()
    assert log.path == tmp_path / "choices.jsonl"
    log.record("accept", Candidate("x)", "ngram", scores={"ngram": -1.0}), line=3, typed="f(")
    log.record("dismiss", None, candidates=[{"text": "y"}])
    rows = log.read()
    assert [r["event"] for r in rows] == ["accept", "dismiss"]
    assert rows[0]["candidate"]["text"] == "x)" and rows[0]["line"] == 3


def test_session_generator_proposes_accepted_lines():
    memory = SessionMemory()
    memory.remember("    total = sum(row.volume for row in rows)")
    memory.remember("    total = sum(row.volume for row in rows)")
    doc = Document("def f(rows):\n    tot\n")
    cands = SessionGenerator(memory).generate(doc.slot(1, 7), 10)
    assert [c.text for c in cands] == ["al = sum(row.volume for row in rows)"]
    assert cands[0].source == "session" and cands[0].origin["accepted_times"] == 2
    assert -0.5 < cands[0].scores["ngram"] < 0
    assert SessionGenerator(memory).generate(Document("x = 1\nimport os\n").slot(1, 6), 10) == []


def test_session_generator_on_blank_line_matches_indentation():
    memory = SessionMemory()
    memory.remember("    return total")
    doc = Document("def f():\n    x = 1\n\n")
    assert [c.text for c in SessionGenerator(memory).generate(doc.slot(2, 0), 10)] == ["    return total"]


def test_attach_session_adds_generator_and_wraps_cache_model():
    class Gen:
        name = "ngram"

        def cache_model(self, slot):
            return "plain"

    class P:
        generators = [Gen()]

    memory = SessionMemory()
    attached = attach_session(P, memory)
    assert "session generator" in attached and "ngram cache model" in attached
    assert attach_session(P, memory) == []  # idempotent
    slot = Document("a = 1\n").slot(0, 0)
    assert P.generators[0].cache_model(slot) == "plain"  # nothing remembered yet
    memory.remember("b = compute(a)")
    model = P.generators[0].cache_model(slot)
    assert model != "plain" and model.prob("compute", ["b", "="]) > model.prob("zzz", ["b", "="])
