"""Fakes for the editor's pilot and snapshot tests: a scripted pipeline, an app factory."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from editor.candidates import Candidate, Verdict
from editor.config import Config
from editor.files import read_for_edit
from editor.pipeline import SuggestResult

SAMPLE = """import csv


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            yield row

"""


def ok(name: str, code: str) -> Verdict:
    return Verdict(name, True, code, "ok")


def cand(text: str, source: str = "ngram", ngram: float = -1.0, llm: float | None = -0.5) -> Candidate:
    scores = {"ngram": ngram, "final": round((llm if llm is not None else ngram), 3)}
    if llm is not None:
        scores["llm"] = llm
    return Candidate(
        text,
        source,
        scores=scores,
        verdicts=[ok("syntax", "SYN000"), ok("black", "BLK000")],
        origin={"tokens": text.split()},
    )


class FakePipeline:
    """Answers every request with copies of ``candidates``; ``gate`` (an Event) can hold it back."""

    def __init__(self, candidates=None, rejected=None, gate: threading.Event | None = None, model=True):
        self.candidates = (
            candidates
            if candidates is not None
            else [
                cand("csv.reader(fh)"),
                cand("open(path)", "template", -2.0, -1.0),
            ]
        )
        self.rejected = (
            rejected
            if rejected is not None
            else [
                Candidate(
                    "for x in",
                    "ngram",
                    scores={"ngram": -0.5},
                    verdicts=[
                        Verdict("syntax", False, "SYN001", "candidate breaks the parse: invalid syntax")
                    ],
                ),
            ]
        )
        self.gate = gate
        self.calls: list = []
        self.model = {"path": "fake.gguf", "name": "fake"} if model else None
        self.generators: list = []

    def suggest(self, slot, k=None):
        self.calls.append((slot.line, slot.col, slot.typed))
        if self.gate is not None:
            assert self.gate.wait(10), "gate never opened"
        copy = lambda c: Candidate(c.text, c.source, c.kind, dict(c.scores), list(c.verdicts), dict(c.origin))
        return SuggestResult(
            [copy(c) for c in self.candidates], [copy(c) for c in self.rejected], {"total": 12.0}, self.model
        )


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch) -> Path:
    """Journals and choice logs go to a temporary GFV_DATA_DIR (never GFV_CACHE_DIR: it hides the models)."""
    path = tmp_path / "gfv-data"
    monkeypatch.setenv("GFV_DATA_DIR", str(path))
    return path


@pytest.fixture
def make_app(tmp_path):
    """``make_app(text=SAMPLE, pipeline=None, name="sample.py", **settings) -> (app, path, pipeline)``."""
    from editor.tui.app import EditorApp
    from editor.tui.engine import SuggestionEngine, TuiSettings

    def make(text: str | None = SAMPLE, pipeline=None, name: str = "sample.py", warm_up=True, **settings):
        path = tmp_path / name
        if text is not None:
            path.write_text(text, encoding="utf-8")
        pipeline = pipeline or FakePipeline()
        engine = SuggestionEngine(
            Config(),
            Path("fake.gguf"),
            "fake-model",
            file_path=path,
            factory=lambda config, model_path, name=None: pipeline,
        )
        settings.setdefault("debounce_ms", 0)
        app = EditorApp(read_for_edit(path), engine, TuiSettings(**settings), warm_up=warm_up)
        return app, path, pipeline

    return make
