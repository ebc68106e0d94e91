"""Drive the real ``gfv edit`` in tmux with the real engine (n-gram model + Qwen): type, trigger, accept, save."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
GFV = REPO / ".venv" / "bin" / "gfv"
TYPED = "        for row in csv."

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True).stdout


def pane(session: str) -> str:
    return tmux("capture-pane", "-p", "-t", session)


def wait_for(session: str, predicate, timeout: float, what: str) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        try:
            screen = pane(session)
        except subprocess.CalledProcessError:
            screen = "<session ended>"
        if predicate(screen):
            return screen
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}; screen:\n{screen}")


def test_type_trigger_accept_save_in_tmux(tmp_path, model_path):
    if shutil.which("tmux") is None:
        pytest.fail("tmux is not installed (scripts/setup.sh installs it)")
    gfv = GFV if GFV.exists() else Path(sys.executable).with_name("gfv")
    target = tmp_path / "rows.py"
    target.write_text(
        'import csv\n\n\ndef read_rows(path):\n    with open(path, newline="", encoding="utf-8") as fh:\n'
        "\n"
        "    return rows\n",
        encoding="utf-8",
    )
    data = tmp_path / "data"
    session = f"gfv-e2e-{uuid.uuid4().hex[:8]}"
    env = f"GFV_DATA_DIR={data}"  # only the data dir: GFV_CACHE_DIR would hide the models
    tmux(
        "new-session",
        "-d",
        "-s",
        session,
        "-x",
        "120",
        "-y",
        "40",
        f"env -u COLUMNS -u LINES {env} {gfv} edit {target}",
    )
    try:
        wait_for(session, lambda s: "model: Qwen" in s or "n-gram only" in s, 90, "the model to load")
        assert "model: Qwen" in pane(session), pane(session)
        tmux("send-keys", "-t", session, "C-g")
        wait_for(session, lambda s: "Go to line" in s, 10, "the go-to-line prompt")
        tmux("send-keys", "-t", session, "6", "Enter")
        wait_for(session, lambda s: "Ln 6, Col 1" in s, 10, "the cursor on line 6")
        tmux("send-keys", "-t", session, "-l", TYPED)
        wait_for(session, lambda s: f"Col {len(TYPED) + 1} " in s, 10, "the typed text")
        tmux("send-keys", "-t", session, "C-Space")
        screen = wait_for(session, lambda s: "candidates (" in s and " ms" in s, 60, "the candidates")
        latency = re.search(r"last (\d+) ms", screen)
        print(f"\nsuggestion latency in the real editor: {latency.group(1) if latency else '?'} ms")
        tmux("send-keys", "-t", session, "Tab")
        wait_for(session, lambda s: not re.search(rf"Col {len(TYPED) + 1} ", s), 10, "the accept")
        tmux("send-keys", "-t", session, "C-s")
        wait_for(session, lambda s: "saved rows.py" in s, 10, "the save")
        on_disk = target.read_text(encoding="utf-8")
        accepts = [
            json.loads(line)
            for line in (data / "choices.jsonl").read_text().splitlines()
            if '"accept"' in line
        ]
        assert accepts, "the accept was not logged"
        inserted = accepts[0]["inserted"]
        assert inserted.strip() and accepts[0]["typed"] == TYPED
        assert on_disk.split("\n")[5].startswith(TYPED)
        assert TYPED + inserted in on_disk and on_disk.endswith("    return rows\n")
        tmux("send-keys", "-t", session, "C-q")
        wait_for(session, lambda s: s == "<session ended>", 10, "gfv edit to quit")
        assert not list((data / "journal").glob("*.json")) if (data / "journal").exists() else True
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True, check=False)
