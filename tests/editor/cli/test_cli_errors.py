"""Bad input: a clear message, a documented exit code, no traceback, the file untouched."""

import subprocess
import sys
from pathlib import Path

import pytest

from editor.cli.main import main

REPO = Path(__file__).resolve().parents[3]


def _run(capsys, argv):
    code = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_help_lists_commands(capsys):
    code, out, _ = _run(capsys, ["--help"])
    assert code == 0
    for cmd in ("suggest", "train", "model", "bench"):
        assert cmd in out


@pytest.mark.parametrize(
    "cmd", [["suggest"], ["train"], ["model", "fetch"], ["model", "info"], ["bench", "ranker"]]
)
def test_every_subcommand_explains_itself(capsys, cmd):
    code, out, _ = _run(capsys, [*cmd, "--help"])
    assert code == 0 and "usage: gfv" in out and len(out) > 200


def test_missing_file(capsys, tmp_path):
    code, _, err = _run(
        capsys, ["suggest", str(tmp_path / "nope.py"), "--line", "1", "--col", "1", "--no-llm"]
    )
    assert code == 2 and "no such file" in err


def test_binary_and_non_utf8_files_untouched(capsys, tmp_path):
    for name, data, needle in (("b.py", b"\x00\x01x", "binary"), ("l.py", b"x = '\xe9'\n", "UTF-8")):
        path = tmp_path / name
        path.write_bytes(data)
        code, _, err = _run(capsys, ["suggest", str(path), "--line", "1", "--col", "1", "--no-llm"])
        assert code == 2 and needle in err
        assert path.read_bytes() == data


@pytest.mark.parametrize(
    ("line", "col", "needle"), [(9, 1, "line 9 is out of range"), (1, 40, "column 40"), (0, 1, "1-based")]
)
def test_position_out_of_range(capsys, tmp_path, line, col, needle):
    path = tmp_path / "a.py"
    path.write_text("x = 1\n")
    code, _, err = _run(capsys, ["suggest", str(path), "--line", str(line), "--col", str(col), "--no-llm"])
    assert code == 2 and needle in err
    assert path.read_text() == "x = 1\n"


def test_unparseable_config(capsys, tmp_path):
    (tmp_path / "gfv.toml").write_text("k = [\n")
    path = tmp_path / "a.py"
    path.write_text("x = 1\n")
    code, _, err = _run(capsys, ["suggest", str(path), "--line", "1", "--col", "1", "--no-llm"])
    assert code == 2 and "not valid TOML" in err


def test_bad_model_file(capsys, tmp_path):
    fake = tmp_path / "model.gguf"
    fake.write_bytes(b"not a model at all")
    code, _, err = _run(capsys, ["model", "info", "--model", str(fake)])
    assert code == 2 and "not a GGUF file" in err and "gfv model fetch" in err


def test_entry_point_reports_a_shadowing_package(tmp_path):
    """A foreign 'validators' package earlier on sys.path is detected and named."""
    (tmp_path / "validators").mkdir()
    (tmp_path / "validators" / "__init__.py").write_text("VERSION = 'someone else'\n")
    code = f"import sys; sys.path.insert(0, {str(tmp_path)!r}); import gfv_entry; sys.exit(gfv_entry.main(['--help']))"
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert proc.returncode == 2
    assert "'validators'" in proc.stderr and "pipx" in proc.stderr and "Traceback" not in proc.stderr


def test_model_list_says_what_is_fetched_and_how_to_fetch_the_rest(capsys, tmp_path, monkeypatch):
    import json  # pylint: disable=import-outside-toplevel

    monkeypatch.setenv("GFV_CACHE_DIR", str(tmp_path / "cache"))
    code, out, _ = _run(capsys, ["model", "list"])
    assert code == 0
    assert "qwen2.5-coder-1.5b: Qwen2.5-Coder-1.5B-Instruct Q4_K_M" in out
    assert "not fetched: gfv model fetch --name qwen2.5-coder-1.5b" in out
    code, out, _ = _run(capsys, ["model", "list", "--format", "json"])
    rows = {row["name"]: row for row in json.loads(out)}
    assert rows["qwen2.5-coder-0.5b"]["default"] and not rows["qwen2.5-coder-1.5b"]["default"]
    assert not any(row["fetched"] for row in rows.values())


def test_model_fetch_refuses_an_unknown_name(capsys):
    code, _, err = _run(capsys, ["model", "fetch", "--name", "qwen-7b"])
    assert code == 2 and "invalid choice" in err
