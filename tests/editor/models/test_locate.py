"""``--model`` takes a path or the name of a pinned model (editor/models/locate.py)."""

import struct

import pytest

from editor.errors import GfvError
from editor.models import fetch
from editor.models.locate import locate_model


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GFV_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("GFV_MODEL", raising=False)
    return tmp_path / "cache"


def test_a_pinned_name_not_yet_fetched_names_the_fetch(cache):
    with pytest.raises(GfvError, match=r"gfv model fetch --name qwen2.5-coder-1.5b") as err:
        locate_model("qwen2.5-coder-1.5b", None)
    assert err.value.code == 2


def test_a_fetched_pinned_name_resolves_to_its_file(cache, monkeypatch):
    blob = b"GGUF" + struct.pack("<IQQ", 3, 10, 5) + bytes(2 << 20)
    pin = fetch.PinnedModel("Big Fake", "big.gguf", len(blob), "0" * 64, ("big-part1==0.2.0",))
    monkeypatch.setattr(fetch, "LARGER_MODEL", pin)
    fetch.model_path(pin).parent.mkdir(parents=True, exist_ok=True)
    fetch.model_path(pin).write_bytes(blob)
    choice = locate_model(None, "qwen2.5-coder-1.5b", "gfv.toml")
    assert choice.path == fetch.model_path(pin) and choice.name == "Big Fake"
    assert "pinned model 'qwen2.5-coder-1.5b'" in choice.reason and "gfv.toml" in choice.reason
    fetch.model_path(pin).write_bytes(blob[:-1])  # truncated: the pinned size is checked
    with pytest.raises(GfvError, match="expected"):
        locate_model("qwen2.5-coder-1.5b", None)


def test_a_file_of_that_name_is_a_path_not_the_pinned_model(cache, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "qwen2.5-coder-1.5b").write_bytes(b"not a model")
    with pytest.raises(GfvError, match="not a GGUF file"):
        locate_model("qwen2.5-coder-1.5b", None)
