import pytest

from editor.errors import GfvError
from editor.registry import Registry
from editor.stages import generators, load_builtin_stages, rankers, validators


def test_register_and_lookup_with_suggestion():
    reg: Registry = Registry("widget")

    @reg.register("spanner")
    def make():
        return "ok"

    assert reg.get("spanner") is make
    with pytest.raises(GfvError, match="did you mean 'spanner'"):
        reg.get("spaner")
    with pytest.raises(ValueError):
        reg.register("spanner")(lambda: None)


def test_builtin_stages_are_registered_by_module_import():
    load_builtin_stages()
    assert {"ngram", "templates"} <= set(generators.names())
    assert {"syntax", "black", "pylint"} <= set(validators.names())
    assert {"llm", "ngram"} <= set(rankers.names())
