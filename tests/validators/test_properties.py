"""Tests for the "properties" validator: declaration, applicability, verdicts (real sandbox, no mocks)."""

# pylint: disable=missing-function-docstring

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from editor.candidates import Candidate
from editor.config import Config
from editor.document import Document
from editor.stages import StageContext, validators
from validators import properties as properties_module
from validators._sandbox import Limits
from validators.properties import PropertiesValidator, changed_names, covered_names, properties_file

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
MODULE = "def srt(xs):\n    return sorted(xs)\n\n\ndef other(x):\n    return x + 1\n"
PROPS = (
    "from hypothesis import given, strategies as st\n\n\n"
    "@given(st.lists(st.integers()))\n"
    "def prop_srt_sorted(mod, xs):\n"
    "    out = mod.srt(list(xs))\n"
    "    assert out == sorted(xs)\n"
)


@pytest.fixture()
def project(tmp_path) -> Path:
    (tmp_path / "m.py").write_text(MODULE)
    (tmp_path / "m_properties.py").write_text(PROPS)
    return tmp_path


def judge(path: Path, line: int, typed: str, *cands: str, limits: Limits | None = None):
    lines = path.read_text().split("\n")
    lines[line] = typed
    slot = Document("\n".join(lines), path).slot(line, len(typed))
    validator = PropertiesValidator(limits or Limits(timeout_s=5, max_examples=30))
    return [vs[0] for vs in validator.validate(slot, [Candidate(c, "test") for c in cands])]


def test_registered_as_expensive_and_in_the_default_post_rank_list():
    validator = validators.get("properties")(StageContext(config=Config()))
    assert validator.name == "properties" and validator.cost == "expensive"
    assert "properties" in Config().validators.post_rank and "properties" not in Config().validators.pre_rank


def test_properties_file_is_found_by_convention(project):
    assert properties_file(project / "m.py") == project / "m_properties.py"
    assert properties_file(project / "m_properties.py") is None
    assert properties_file(SAMPLES / "training_log.py") == SAMPLES / "training_log_properties.py"


def test_covered_names_follow_helpers():
    covered = covered_names((SAMPLES / "training_log_properties.py").read_text())
    assert covered["prop_sort_sessions_is_ordered_by_date"] == {"sort_sessions", "Session"}
    assert covered["prop_weekly_volume_sums_the_session_volumes"] == {"weekly_volume", "Session"}
    assert "sessions" not in covered  # helpers are not properties


def test_changed_names_close_over_callers_and_module_level_changes_run_all():
    src = "import os\n\n\ndef a():\n    return 1\n\n\ndef b():\n    return a()\n\n\ndef c():\n    return 3\n"
    tree = ast.parse(src)
    assert changed_names(tree, range(5, 6)) == {"a", "b"}
    assert changed_names(tree, range(13, 14)) == {"c"}
    assert changed_names(tree, range(1, 2)) is None


def test_a_correct_candidate_passes_and_a_wrong_one_carries_its_counterexample(project):
    ok, bad = judge(project / "m.py", 1, "    return ", "sorted(xs)", "xs")
    assert (ok.code, ok.ok) == ("PROP000", True) and ok.details["properties"] == ["prop_srt_sorted"]
    assert (bad.code, bad.ok) == ("PROP001", False)
    assert bad.details["property"] == "prop_srt_sorted"
    assert "xs=[0, -1]" in bad.details["counterexample"]  # shrunk to the minimal unsorted list
    assert "AssertionError" in bad.details["error"] and "xs=[0, -1]" in bad.message


def test_no_property_covers_an_unrelated_function(project):
    (verdict,) = judge(project / "m.py", 5, "    return ", "x + 2")
    assert (verdict.code, verdict.ok) == ("PROP006", True)


def test_no_properties_file_and_unsaved_documents(tmp_path):
    (tmp_path / "lonely.py").write_text(MODULE)
    (verdict,) = judge(tmp_path / "lonely.py", 1, "    return ", "xs")
    assert verdict.code == "PROP006" and verdict.ok
    slot = Document(MODULE).slot(1, 4)
    (verdicts,) = PropertiesValidator().validate(slot, [Candidate("return xs", "t")])
    assert verdicts[0].code == "PROP006"


def test_a_broken_properties_file_is_not_checked_never_a_pass(project):
    (project / "m_properties.py").write_text("def prop_x(mod:\n")
    (verdict,) = judge(project / "m.py", 1, "    return ", "xs")
    assert verdict.code == "PROP008" and not verdict.ok and not verdict.checked
    assert verdict.details["not_checked"] is True


def test_an_unparsable_document_is_not_checked(project):
    (verdict,) = judge(project / "m.py", 1, "    return ", "sorted(xs")
    assert verdict.code == "PROP008" and not verdict.ok and not verdict.checked
    assert verdict.message.startswith("not checked") and verdict.to_json()["not_checked"] is True


def test_a_module_that_cannot_be_imported_is_not_checked(project):
    (project / "m.py").write_text("import gfv_no_such_module_anywhere\n" + MODULE)
    (verdict,) = judge(project / "m.py", 2, "    return ", "sorted(xs)")
    assert verdict.code == "PROP008" and not verdict.ok and not verdict.checked, verdict.message


def test_sample_properties_hold_on_the_samples_as_written(tmp_path):
    for name, row_text in (("training_log", "def sort_sessions("), ("session_order", "def chronological(")):
        for suffix in ("", "_properties"):
            shutil.copy(SAMPLES / f"{name}{suffix}.py", tmp_path / f"{name}{suffix}.py")
        path = tmp_path / f"{name}.py"
        lines = path.read_text().split("\n")
        row = next(i for i, ln in enumerate(lines) if ln.startswith(row_text)) + 1
        body = lines[row]
        (verdict,) = judge(path, row, "", body)
        assert verdict.code == "PROP000", verdict.message


# A property-based test of the validator itself: for any permutation-breaking or
# order-breaking transformation of the output, the verdict rejects; for any
# expression equal to sorted(xs) it accepts.  Each example spawns a sandbox.
CORRECT = ["sorted(xs)", "sorted(xs, reverse=True)[::-1]", "list(sorted(list(xs)))", "sorted(xs + [])"]
WRONG = [
    "xs",
    "sorted(xs)[1:]",
    "sorted(xs) + [0]",
    "sorted(set(xs))",
    "sorted(xs, reverse=True)",
    "sorted(xs)[:-1]",
]


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(st.sampled_from(CORRECT), st.sampled_from(WRONG))
def test_verdict_matches_the_truth(tmp_path_factory, good, bad):
    folder = tmp_path_factory.mktemp("pbt")
    (folder / "m.py").write_text(MODULE)
    (folder / "m_properties.py").write_text(PROPS)
    ok, rejected = judge(folder / "m.py", 1, "    return ", good, bad)
    assert ok.code == "PROP000", ok.message
    assert rejected.code == "PROP001" and rejected.details["counterexample"], rejected.message


@pytest.fixture(scope="module")
def any_text_project(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("anytext")
    (folder / "m.py").write_text(MODULE)
    (folder / "m_properties.py").write_text(PROPS)
    return folder


KNOWN = {"PROP000", "PROP001", "PROP002", "PROP003", "PROP004", "PROP005", "PROP006", "PROP007", "PROP008"}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from("abc()[]:=+ \n'\"xs1#"), max_size=30))
def test_any_text_gets_exactly_one_known_verdict_without_running_unparsable_code(any_text_project, text):
    # The document has a properties file and the slot is in srt(), which prop_srt_sorted covers, so
    # the applicability analysis runs on every text; a spy records every sandbox started.
    path = any_text_project / "m.py"
    slot = Document(MODULE, path).slot(1, 4)
    started = []

    def spy(*args, **kwargs):
        started.append(args[1])
        return real_run(*args, **kwargs)

    real_run = properties_module.run_in_sandbox
    properties_module.run_in_sandbox = spy
    try:
        (verdicts,) = PropertiesValidator(Limits(timeout_s=5, max_examples=10)).validate(
            slot, [Candidate(text, "t")]
        )
    finally:
        properties_module.run_in_sandbox = real_run
    assert len(verdicts) == 1 and verdicts[0].code in KNOWN, verdicts
    verdict = verdicts[0]
    event(f"{verdict.code} sandboxed={bool(started)}")
    try:
        ast.parse(slot.apply(text))
    except SyntaxError:
        assert (verdict.code, verdict.checked) == ("PROP008", False), verdict.message
        assert "does not parse" in verdict.message and not started  # never run
        return
    assert verdict.code != "PROP008" or "does not parse" not in verdict.message, verdict.message
    assert bool(started) == (verdict.code != "PROP006"), (verdict.code, started)
