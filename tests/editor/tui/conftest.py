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


SAMPLES = Path(__file__).resolve().parents[3] / "samples"
TABLE_FILES = ("sessions.csv", "athletes.csv", "sessions.schema.yaml", "athletes.schema.yaml", "gfv.toml")


class WrappedTablePipeline:
    """The real table pipeline (no model), optionally held back by ``gate``, with a fixed latency."""

    def __init__(self, real, gate: threading.Event | None = None, total_ms: float | None = None):
        self.real, self.gate, self.total_ms = real, gate, total_ms
        self.calls: list = []
        self.model = None
        self.generators = real.generators

    def suggest(self, slot, k=None):
        self.calls.append((slot.row, slot.column))
        if self.gate is not None:
            assert self.gate.wait(10), "gate never opened"
        result = self.real.suggest(slot, k)
        if self.total_ms is not None:
            result.timings_ms["total"] = self.total_ms
        return result


@pytest.fixture
def table_dir(tmp_path) -> Path:
    """A copy of the sample tables, schemas and table rules."""
    folder = tmp_path / "tables"
    folder.mkdir()
    for name in TABLE_FILES:
        (folder / name).write_bytes((SAMPLES / name).read_bytes())
    return folder


@pytest.fixture
def make_table_app(table_dir):
    """``make_table_app(gate=None, total_ms=None, model_path=None, factory=None, warm_up=False)``
    -> (app, path, wrapped pipeline): the real table engine without the LLM."""
    from editor.config import load_config
    from editor.tables.engine import open_table, table_pipeline
    from editor.tui.engine import TuiSettings
    from editor.tui.table_app import TableApp
    from editor.tui.table_engine import TableEngine

    def make(gate=None, total_ms=None, model_path=None, factory=None, warm_up=False, name="sessions.csv"):
        path = table_dir / name
        config = load_config(start=table_dir)
        table = open_table(path, None, config)
        wrapped: list = []

        def wrap(cfg, mp, mn=None):
            wrapped.append(WrappedTablePipeline(table_pipeline(cfg, mp, mn), gate, total_ms))
            return wrapped[-1]

        engine = TableEngine(table, config, model_path, "fake-model" if model_path else None, factory or wrap)
        app = TableApp(table.document, engine, TuiSettings(debounce_ms=0), warm_up=warm_up)
        return app, path, wrapped

    return make
