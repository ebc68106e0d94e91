import struct
from pathlib import Path

import pytest

from editor.errors import GfvError
from editor.models.gguf import MIN_GGUF_SIZE, check_gguf


def _fake_gguf(path: Path, size: int) -> Path:
    head = b"GGUF" + struct.pack("<IQQ", 3, 10, 5)
    path.write_bytes(head + b"\0" * (size - len(head)))
    return path


def test_accepts_plausible_gguf(tmp_path):
    assert check_gguf(_fake_gguf(tmp_path / "m.gguf", MIN_GGUF_SIZE)) == 3


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda p: p, "does not exist"),
        (lambda p: (p.write_bytes(b"PK\x03\x04" + b"\0" * 100), p)[1], "not a GGUF"),
        (lambda p: (p.write_bytes(b"GGUF\x03"), p)[1], "truncated"),
        (lambda p: _fake_gguf(p, 4096), "truncated"),
    ],
)
def test_rejects_with_fix(tmp_path, make, needle):
    path = make(tmp_path / "m.gguf")
    with pytest.raises(GfvError) as info:
        check_gguf(path)
    assert needle in info.value.message and "gfv model fetch" in info.value.message


def test_expected_size_mismatch(tmp_path):
    path = _fake_gguf(tmp_path / "m.gguf", MIN_GGUF_SIZE)
    with pytest.raises(GfvError, match="expected"):
        check_gguf(path, MIN_GGUF_SIZE + 1)
