"""gfv check runs a module's properties in the sandbox: PROP001 at the function, cached, switchable."""

# pylint: disable=missing-function-docstring

from __future__ import annotations

import json
from pathlib import Path

import pytest

from editor.cli.main import main

HEADER = '"""Sorting."""\n\n\n'
BROKEN = HEADER + "def srt(xs):\n    return list(xs)\n"
FIXED = HEADER + "def srt(xs):\n    return sorted(xs)\n"
PROPS = (
    '"""Properties of m."""\n\n'
    "from hypothesis import given\n"
    "from hypothesis import strategies as st\n\n\n"
    "@given(st.lists(st.integers()))\n"
    "def prop_srt_sorted(mod, xs):\n"
    "    assert mod.srt(list(xs)) == sorted(xs)\n"
)


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GFV_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("GFV_NO_PROGRESS", "1")


@pytest.fixture()
def project(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    (root / "m.py").write_text(BROKEN)
    (root / "m_properties.py").write_text(PROPS)
    monkeypatch.chdir(root)
    return root


def check(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["check", "--select", "syntax,properties", *args])
    out, err = capsys.readouterr()
    return int(code), out, err


def test_a_committed_body_that_breaks_a_property_fails_with_the_counterexample_then_passes(project, capsys):
    code, out, _ = check(capsys, "m.py")
    assert code == 1, out
    (finding,) = [line for line in out.splitlines() if "PROP" in line]
    assert finding.startswith(
        "m.py:4:1: PROP001 prop_srt_sorted falsified by"
    ), finding  # `def srt` is line 4
    assert "xs=[0, -1]" in finding  # hypothesis's shrunk counterexample
    (project / "m.py").write_text(FIXED)
    code, out, _ = check(capsys, "m.py")
    assert code == 0 and out.startswith("no findings"), out


def test_findings_are_cached_by_content_and_the_properties_file_is_part_of_the_key(project, capsys):
    check(capsys, "m.py")
    code, out, _ = check(capsys, "--format", "json", "m.py")
    data = json.loads(out)
    assert code == 1 and data["summary"]["cache_hits"] == 1
    assert [f["code"] for f in data["findings"]] == ["PROP001"]
    (project / "m_properties.py").write_text(PROPS.replace("== sorted(xs)", "== list(xs)"))
    code, out, _ = check(capsys, "--format", "json", "m.py")
    data = json.loads(out)
    assert code == 0 and data["summary"]["cache_hits"] == 0, data  # the new properties hold for list(xs)


def test_json_says_which_isolation_ran_the_properties(project, capsys):
    (project / "m.py").write_text(FIXED)
    code, out, _ = check(capsys, "--format", "json", "--no-cache", "m.py")
    data = json.loads(out)
    assert code == 0
    (entry,) = data["files"]
    assert entry["properties"]["checked"] == ["prop_srt_sorted"]
    assert "audit-hook" in entry["properties"]["isolation"]
    assert any(layer.startswith("bwrap") for layer in data["isolation"]), data["isolation"]


def test_the_hook_can_turn_properties_off(project, capsys):
    code, out, _ = check(capsys, "--no-properties", "m.py")
    assert code == 0 and "PROP" not in out
    code, out = main(["check", "--select", "syntax", "--properties", "m.py"]), capsys.readouterr()[0]
    assert code == 1 and "PROP001" in out


def test_require_isolation_refuses_without_an_os_layer(project, capsys, monkeypatch):
    (project / "m.py").write_text(FIXED)
    (project / "gfv.toml").write_text("[properties]\nrequire_isolation = true\n")
    monkeypatch.setenv("GFV_SANDBOX_ISOLATION", "none")
    code, out, err = check(capsys, "--no-cache", "m.py")
    assert code == 1, out
    assert "m.py:1:1: PROP008 not checked: refused: require_isolation = true" in out
    assert err.count("no OS isolation") == 1, err  # said once on stderr
    monkeypatch.delenv("GFV_SANDBOX_ISOLATION")
    code, out, _ = check(capsys, "--no-cache", "m.py")
    assert code == 0, out


def test_a_module_without_properties_file_starts_no_sandbox(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plain.py").write_text(FIXED)
    code, out = main(["check", "--format", "json", "plain.py"]), capsys.readouterr()[0]
    data = json.loads(out)
    assert code == 0 and "properties" not in data["files"][0] and data["isolation"] == []
