"""The editor's engine: lazy pipeline, n-gram fallback when the model fails, stale requests skipped."""

from pathlib import Path

from editor.config import Config
from editor.errors import GfvError
from editor.tui.engine import Request, SuggestionEngine, TuiSettings

from .conftest import SAMPLE, FakePipeline


def request(version=1, cursor=(5, 8)):
    return Request(1, version, cursor, SAMPLE, 5)


def test_builds_lazily_with_the_model():
    built = []

    def factory(config, model_path, name=None):
        built.append(model_path)
        return FakePipeline()

    engine = SuggestionEngine(Config(), Path("m.gguf"), "m", factory=factory)
    assert built == [] and engine.status == "model: not loaded yet"
    result = engine.suggest(request())
    assert built == [Path("m.gguf")] and engine.status == "model: m" and engine.llm_on
    assert [c.text for c in result.candidates] == ["csv.reader(fh)", "open(path)"]


def test_model_load_failure_falls_back_to_ngram():
    def factory(config, model_path, name=None):
        if model_path is not None:
            raise GfvError("bad GGUF header")
        return FakePipeline(model=False)

    engine = SuggestionEngine(Config(), Path("m.gguf"), "m", factory=factory)
    assert engine.suggest(request()).candidates
    assert engine.status == "n-gram only (model failed to load: bad GGUF header)" and not engine.llm_on


def test_ranker_crash_during_request_falls_back():
    class Crashing(FakePipeline):
        def suggest(self, slot, k=None):
            raise RuntimeError("llama_decode returned -3")

    def factory(config, model_path, name=None):
        return Crashing() if model_path else FakePipeline(model=False)

    engine = SuggestionEngine(Config(), Path("m.gguf"), "m", factory=factory)
    assert engine.suggest(request()).candidates
    assert "ranker failed: llama_decode returned -3" in engine.status


def test_missing_ngram_model_drops_the_generator():
    seen = []

    def factory(config, model_path, name=None):
        seen.append(list(config.generators.enabled))
        if "ngram" in config.generators.enabled:
            raise GfvError("no n-gram model has been trained yet; run `gfv train` first")
        return FakePipeline(model=False)

    engine = SuggestionEngine(Config(), None, factory=factory)
    engine.load()
    others = [g for g in Config().generators.enabled if g != "ngram"]
    assert "templates" in others and "retrieval" in others
    assert seen[-1] == others and "n-gram generator off" in engine.status


def test_stale_request_is_skipped():
    pipe = FakePipeline()
    engine = SuggestionEngine(Config(), None, factory=lambda c, m, n=None: pipe)
    assert engine.suggest(request(), is_stale=lambda: True) is None and pipe.calls == []


def test_settings_read_defensively():
    class Tui:
        debounce_ms = 120
        journal_interval_s = None

    class Cfg:
        tui = Tui()

    s = TuiSettings.from_config(Cfg())
    assert s.debounce_ms == 120 and s.journal_interval_s == 2.0
    assert TuiSettings.from_config(Config()) == TuiSettings()
