from pathlib import Path

import pytest

from editor.config import load_config
from editor.errors import ExitCode, GfvError


def test_defaults_without_config(tmp_path: Path):
    config = load_config(start=tmp_path)
    assert config.k == 5 and config.ranker.name == "llm" and config.source == "defaults"


def test_pyproject_tool_gfv_is_found_upwards(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text("[tool.gfv]\nk = 3\n[tool.gfv.ranker]\nblend = 0.5\n")
    sub = tmp_path / "pkg"
    sub.mkdir()
    config = load_config(start=sub)
    assert config.k == 3 and config.ranker.blend == 0.5
    assert "[tool.gfv]" in config.source


def test_gfv_toml_wins_over_pyproject(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text("[tool.gfv]\nk = 3\n")
    (tmp_path / "gfv.toml").write_text("k = 7\n")
    assert load_config(start=tmp_path).k == 7


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("kk = 1\n", "did you mean 'k'"),
        ("[ranker]\nblend = 2\n", "between 0.0 and 1.0"),
        ("[ranker]\nname = 'gpt'\n", "one of llm, ngram"),
        ("k = 'five'\n", "must be an integer"),
        ("[validators]\npre_rank = 'syntax'\n", "list of strings"),
        ("k = [\n", "not valid TOML"),
    ],
)
def test_bad_config_is_a_clear_usage_error(tmp_path: Path, text: str, needle: str):
    (tmp_path / "gfv.toml").write_text(text)
    with pytest.raises(GfvError) as info:
        load_config(start=tmp_path)
    assert needle in info.value.message
    assert info.value.code == ExitCode.USAGE
