"""Drive the real ``gfv edit`` on a copy of samples/sessions.csv in tmux, with the real model:
go to a cell, Ctrl+Space, Tab, Ctrl+S, and check the file on disk."""

from __future__ import annotations

import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from .test_tmux_e2e import GFV, pane, tmux, wait_for

SAMPLES = Path(__file__).resolve().parents[3] / "samples"
ROW4 = "2024-03-04,A008,power_clean,5,3,67.5,9,1012.5"

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]


def test_fill_cell_accept_save_in_tmux(tmp_path, model_path):
    if shutil.which("tmux") is None:
        pytest.fail("tmux is not installed (scripts/setup.sh installs it)")
    del model_path  # the fixture fails loudly when the model is missing; gfv finds it itself
    gfv = GFV if GFV.exists() else Path(sys.executable).with_name("gfv")
    for name in ("sessions.csv", "athletes.csv", "sessions.schema.yaml", "athletes.schema.yaml", "gfv.toml"):
        shutil.copy(SAMPLES / name, tmp_path / name)
    target = tmp_path / "sessions.csv"
    original = target.read_text(encoding="utf-8")
    blanked = original.replace(ROW4, ROW4[: -len("1012.5")])  # row 4 lost its volume_kg
    target.write_text(blanked, encoding="utf-8")
    data = tmp_path / "data"
    session = f"gfv-e2e-{uuid.uuid4().hex[:8]}"
    cmd = f"env -u COLUMNS -u LINES GFV_DATA_DIR={data} {gfv} edit {target}"
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", cmd)
    try:
        wait_for(session, lambda s: "model: Qwen" in s or "n-gram only" in s, 90, "the model to load")
        assert "model: Qwen" in pane(session), pane(session)
        tmux("send-keys", "-t", session, "C-g")
        wait_for(session, lambda s: "Go to row" in s, 10, "the go-to-row prompt")
        tmux("send-keys", "-t", session, "4", "Enter")
        wait_for(session, lambda s: "row 4/120, date" in s, 10, "the cursor on row 4")
        tmux("send-keys", "-t", session, *["Right"] * 7)
        wait_for(session, lambda s: "row 4/120, volume_kg" in s, 10, "the volume_kg cell")
        tmux("send-keys", "-t", session, "C-Space")
        screen = wait_for(session, lambda s: "candidates (" in s and "1012.5" in s, 60, "the candidates")
        assert "✓table_formula" in screen, screen
        tmux("send-keys", "-t", session, "Tab")
        wait_for(session, lambda s: "row ✓" in s and "[+]" in s, 20, "the accept and the row check")
        tmux("send-keys", "-t", session, "C-s")
        wait_for(session, lambda s: "saved sessions.csv" in s, 10, "the save")
        assert target.read_text(encoding="utf-8") == original
        tmux("send-keys", "-t", session, "C-q")
        wait_for(session, lambda s: s == "<session ended>", 10, "gfv edit to quit")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True, check=False)
