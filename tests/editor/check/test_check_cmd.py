"""gfv check: findings, suppressions, formats, exit codes, cache, parallelism, file-checker plug-in."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from editor.check.cache import ResultCache
from editor.check.checkers import FileOutcome, build_checkers, collect_targets, file_checkers
from editor.check.findings import Finding, parse_suppressions
from editor.check.runner import run_check
from editor.check.settings import CheckConfig
from editor.cli.main import main
from editor.progress import ProgressBar

GOOD = '"""A good module."""\n\n\ndef add(a, b):\n    return a + b\n'
BAD = "def f( x ):\n    return undefined_name + x\n"
BROKEN = "def f(:\n    pass\n"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GFV_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("GFV_NO_PROGRESS", "1")


def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _run(root: Path, monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    monkeypatch.chdir(root)
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_output_and_exit_codes(tmp_path, monkeypatch, capsys):
    root = _project(tmp_path, {"good.py": GOOD, "bad.py": BAD, "broken.py": BROKEN, "notes.txt": "x"})
    code, out, _ = _run(root, monkeypatch, capsys, "good.py")
    assert code == 0
    assert out.strip().startswith("no findings (1 file checked")
    code, out, _ = _run(root, monkeypatch, capsys)  # default: the current directory
    lines = out.strip().splitlines()
    assert code == 1
    assert "bad.py:1:1: BLK006 black would reformat line 1; black writes: def f(x):" in lines
    assert "bad.py:2:12: PYL-E0602 Undefined variable 'undefined_name' (undefined-variable)" in lines
    assert "broken.py:1:7: SYN001 syntax error: invalid syntax" in lines
    assert not any(line.startswith("good.py") for line in lines)
    assert lines[-1].startswith("3 findings in 2 files (3 files checked")


def test_usage_errors_exit_2(tmp_path, monkeypatch, capsys):
    root = _project(tmp_path, {"good.py": GOOD})
    code, out, err = _run(root, monkeypatch, capsys, "missing.py")
    assert (code, out) == (2, "")
    assert "missing.py: no such file or directory" in err
    assert _run(root, monkeypatch, capsys, "--jobs", "0")[0] == 2
    (root / "gfv.toml").write_text("[check]\npyton = ['syntax']\n")
    code, _, err = _run(root, monkeypatch, capsys, "good.py")
    assert code == 2 and "did you mean 'python'" in err
    (root / "gfv.toml").write_text("[check]\npython = ['syntax', 'mypy']\n")
    code, _, err = _run(root, monkeypatch, capsys, "good.py")
    assert code == 2 and "unknown validator 'mypy'" in err


def test_config_table_selects_validators(tmp_path, monkeypatch, capsys):
    root = _project(tmp_path, {"bad.py": BAD, "gfv.toml": "k = 3\n[check]\npython = ['syntax', 'pylint']\n"})
    code, out, _ = _run(root, monkeypatch, capsys, "bad.py")
    assert code == 1 and "BLK006" not in out and "PYL-E0602" in out
    code, out, _ = _run(root, monkeypatch, capsys, "bad.py", "--select", "syntax")
    assert code == 0


def test_suppressions_line_file_next_line_and_strings():
    text = (
        "#!/usr/bin/env python\n"
        "# gfv: ignore[BLK006]\n"
        '"""Doc."""\n'
        "x = a  # gfv: ignore[PYL-E0602]\n"
        "# gfv: ignore[undefined-variable]\n"
        "\n"
        "y = b\n"
        "z = c  # gfv: ignore[PYL]\n"
        "s = '# gfv: ignore[SYN001]'\n"
        "w = d  # gfv: ignore\n"
    )
    supp = parse_suppressions(text)
    assert supp.file_codes == frozenset({"BLK006"})
    find = lambda line, code, symbol=None: Finding(line, 1, code, "m", "pylint", symbol=symbol)
    assert supp.suppresses(find(40, "BLK006"))
    assert supp.suppresses(find(4, "PYL-E0602"))
    assert not supp.suppresses(find(4, "PYL-E1101"))
    assert supp.suppresses(find(7, "PYL-E0602", "undefined-variable"))  # the next code line
    assert supp.suppresses(find(8, "PYL-E1120"))  # prefix
    assert not supp.suppresses(find(9, "SYN001"))  # inside a string: not a comment
    assert supp.suppresses(find(10, "SYN001"))  # bare: every code


def test_suppressions_end_to_end(tmp_path, monkeypatch, capsys):
    text = "# gfv: ignore[BLK]\ndef f( x ):\n    return undefined_name + x  # gfv: ignore[PYL-E0602]\n"
    root = _project(tmp_path, {"bad.py": text})
    code, out, _ = _run(root, monkeypatch, capsys, "bad.py")
    assert code == 0
    assert "2 suppressed" in out
    code, out, _ = _run(root, monkeypatch, capsys, "bad.py", "--ignore", "BLK006,PYL-E0602", "--no-cache")
    assert code == 0


def test_json_and_sarif(tmp_path, monkeypatch, capsys):
    root = _project(tmp_path, {"bad.py": BAD, "good.py": GOOD})
    code, out, _ = _run(root, monkeypatch, capsys, "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["summary"]["exit_code"] == 1 and data["summary"]["files"] == 2
    assert {(f["path"], f["code"]) for f in data["findings"]} == {
        ("bad.py", "BLK006"),
        ("bad.py", "PYL-E0602"),
    }
    code, out, _ = _run(root, monkeypatch, capsys, "--format", "sarif")
    sarif = json.loads(out)
    assert sarif["version"] == "2.1.0" and sarif["$schema"].endswith("sarif-2.1.0.json")
    run = sarif["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert sorted(rules) == ["BLK006", "PYL-E0602"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"]
        loc = result["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"] == {"uri": "bad.py", "uriBaseId": "%SRCROOT%"}
        assert loc["region"]["startLine"] >= 1 and loc["region"]["startColumn"] >= 1
        assert result["level"] == "error" and result["message"]["text"]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/")


def test_cache_hits_and_invalidation(tmp_path, monkeypatch):
    root = _project(tmp_path, {"a.py": GOOD, "b.py": BAD})
    monkeypatch.chdir(root)
    cfg = CheckConfig()
    cache = ResultCache(tmp_path / "c")
    targets, _ = collect_targets([Path(".")], build_checkers(cfg), cfg.exclude, root)
    cold = run_check(targets, cfg, jobs=1, cache=cache)
    warm = run_check(targets, cfg, jobs=1, cache=cache)
    assert (cold.cache_hits, warm.cache_hits) == (0, 2)
    assert [f.to_json() for f in cold.findings] == [f.to_json() for f in warm.findings]
    (root / "b.py").write_text(GOOD)
    again = run_check(targets, cfg, jobs=1, cache=cache)
    assert again.cache_hits == 1 and again.exit_code == 0
    assert run_check(targets, cfg, jobs=1, use_cache=False).cache_hits == 0


def test_parallel_equals_serial_and_packages_resolve(tmp_path, monkeypatch):
    files = {f"pkg/m{i}.py": (BAD if i % 3 == 0 else GOOD) for i in range(12)}
    files["pkg/__init__.py"] = ""
    files["pkg/rel.py"] = (
        '"""Relative imports resolve on the real paths."""\n\nfrom . import m1\nfrom .m2 import add\n\nprint(m1, add)\n'
    )
    root = _project(tmp_path, files)
    monkeypatch.chdir(root)
    cfg = CheckConfig()
    targets, _ = collect_targets([Path("pkg")], build_checkers(cfg), cfg.exclude, root)
    serial = run_check(targets, cfg, jobs=1, use_cache=False)
    parallel = run_check(targets, cfg, jobs=2, use_cache=False)
    assert parallel.jobs == 2 and serial.jobs == 1
    assert [f.to_json() for f in serial.findings] == [f.to_json() for f in parallel.findings]
    assert {f.path for f in serial.findings} == {"pkg/m0.py", "pkg/m3.py", "pkg/m6.py", "pkg/m9.py"}


def test_directory_walk_skips_excluded(tmp_path):
    root = _project(
        tmp_path, {"a.py": GOOD, ".venv/x.py": BAD, "sub/__pycache__/y.py": BAD, "sub/b.pyi": "x: int\n"}
    )
    cfg = CheckConfig()
    targets, notes = collect_targets([root], build_checkers(cfg), cfg.exclude, root)
    assert sorted(Path(t.display).name for t in targets) == ["a.py", "b.pyi"] and notes == []


class _DupChecker:
    """A toy 'set'-scope checker: flags lines that appear in more than one *.dup file."""

    name = "dup"
    scope = "set"
    globs = ["*.dup"]

    def fingerprint(self) -> str:
        return "dup-1"

    def file_fingerprint(self, path: Path) -> str:
        return ""

    def check(self, paths):
        texts = [Path(p).read_text().splitlines() for p in paths]
        outcomes = []
        for i, lines in enumerate(texts):
            others = {line for j, t in enumerate(texts) if j != i for line in t}
            found = [
                Finding(n, 1, "DUP001", f"{line!r} also in another file", "dup")
                for n, line in enumerate(lines, 1)
                if line in others
            ]
            outcomes.append(FileOutcome(found))
        return outcomes


def test_a_new_file_checker_plugs_in_by_glob(tmp_path, monkeypatch):
    monkeypatch.setitem(
        file_checkers._items, "dup", lambda cfg: _DupChecker()
    )  # pylint: disable=protected-access
    root = _project(tmp_path, {"a.dup": "x\ny\n", "b.dup": "y\nz\n", "c.py": GOOD})
    monkeypatch.chdir(root)
    cfg = CheckConfig()
    cache = ResultCache(tmp_path / "c")
    targets, _ = collect_targets([Path(".")], build_checkers(cfg), cfg.exclude, root)
    assert {t.display: t.checker for t in targets} == {"a.dup": "dup", "b.dup": "dup", "c.py": "python"}
    report = run_check(targets, cfg, jobs=1, cache=cache)
    assert [(f.path, f.line, f.code) for f in report.findings] == [
        ("a.dup", 2, "DUP001"),
        ("b.dup", 1, "DUP001"),
    ]
    assert run_check(targets, cfg, jobs=1, cache=cache).cache_hits == 3


def test_progress_bar_only_on_a_terminal(monkeypatch):
    monkeypatch.delenv("GFV_NO_PROGRESS")
    stream = io.StringIO()
    bar = ProgressBar(10, "x", stream=stream)
    bar.update(5)
    assert stream.getvalue() == "" and not bar.enabled
    bar = ProgressBar(10, "gfv check", unit="files", stream=stream, enabled=True)
    bar.start -= 2.0
    text = bar.render()
    assert "0/10" in text
    bar.update(5)
    assert "5/10" in stream.getvalue() and "files/s" in stream.getvalue() and "ETA 0:0" in stream.getvalue()


def test_check_imports_no_heavy_stack(tmp_path):
    """gfv check must not import the model, n-gram, TUI or table stacks (the hook stays light)."""
    (tmp_path / "a.py").write_text(BAD)
    code = (
        "import sys\n"
        "from editor.cli.main import main\n"
        f"rc = main(['check', {str(tmp_path / 'a.py')!r}, '--no-cache'])\n"
        "heavy = ('kenlm', 'llama_cpp', 'textual', 'pandera', 'pandas', 'numpy')\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in heavy)\n"
        "print('HEAVY', bad); sys.exit(0 if rc == 1 and not bad else 1)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        env={"GFV_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "HEAVY []" in proc.stdout


def test_a_validator_that_could_not_check_a_file_fails_the_check(tmp_path, monkeypatch):
    from editor.check import python as check_python  # pylint: disable=import-outside-toplevel

    path = _project(tmp_path, {"good.py": GOOD}) / "good.py"

    def crash(*args, **kwargs):
        raise RuntimeError("exploded")

    monkeypatch.setattr(check_python, "lint_paths", crash)
    monkeypatch.setattr("black.format_file_contents", crash)
    (outcome,) = check_python.PythonChecker(CheckConfig()).check([path])
    found = {f.code: f for f in outcome.findings}
    assert set(found) == {"BLK005", "PYL999"}
    for finding in found.values():  # not checked is an error, never a pass
        assert finding.severity == "error" and finding.message.startswith("not checked")
