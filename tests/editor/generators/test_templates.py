import pytest

from editor.document import Document
from editor.errors import GfvError
from editor.generators.templates import (
    EMPTY_LINE_SHIFT,
    TemplateGenerator,
    builtin_grammars,
    load_grammar,
    singular,
)

SRC = "class Store:\n    def __init__(self, root, limit=3):\n        self.root = root\n        \n"


def _texts(slot, limit=40):
    return [c.text for c in TemplateGenerator(builtin_grammars()).generate(slot, limit)]


def test_init_attributes_from_parameters_not_already_assigned():
    texts = _texts(Document(SRC).slot(3, 8))
    assert "self.limit = limit" in texts
    assert "self.root = root" not in texts  # the line already exists


def test_typed_prefix_constrains_and_candidate_is_the_rest():
    doc = Document(SRC.replace("        \n", "        self.l\n"))
    texts = _texts(doc.slot(3, 14))
    assert texts == ["imit = limit"]


def test_empty_line_gets_indentation():
    texts = _texts(Document(SRC.replace("        \n", "\n")).slot(3, 0))
    assert "        self.limit = limit" in texts


def test_module_level_templates_only_at_module_level():
    texts = _texts(Document("import logging\n\n").slot(1, 0))
    assert 'if __name__ == "__main__":' in texts
    assert not any(t.startswith("self.") for t in texts)


def test_candidates_carry_source_score_and_fills():
    cands = list(TemplateGenerator(builtin_grammars()).generate(Document(SRC).slot(3, 8), 5))
    assert all(c.source.startswith("template:") and "ngram" in c.scores for c in cands)
    assert cands == sorted(cands, key=lambda c: -c.scores["ngram"])
    assert cands[0].origin["fills"]


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('[[template]]\nname = "x"\ntext = "{nope}"\n', "unknown slots"),
        ('[[template]]\nname = "x"\ntext = "a"\nwhere = ["moon"]\n', "'where'"),
        ('[[template]]\nname = "x"\ntext = "a"\ncolour = 1\n', "unknown keys"),
    ],
)
def test_bad_grammar_is_rejected_with_its_template_named(text, needle):
    with pytest.raises(GfvError, match=needle):
        load_grammar(text=text)


def test_singular():
    assert [singular(w) for w in ("files", "entries", "class", "x")] == ["file", "entry", "item", "item"]


def test_above_a_deeper_body_the_method_is_known_and_module_constants_fill_no_local():
    doc = Document(
        'import typing as t\n\nV = t.TypeVar("V")\n\n\nclass Bar:\n    def update(self, steps):\n'
        "        done = steps + 1\n        \n            self.render(done)\n        return done\n"
    )
    texts = [t.strip() for t in _texts(doc.slot(8, 8))]
    assert "for step in steps:" in texts and "if not steps:" in texts
    assert 'if __name__ == "__main__":' not in texts  # a module's idiom, not a method's
    assert "for item in V:" not in texts and "return V" not in texts  # V is the module's TypeVar
    assert (
        'raise ValueError(f"invalid steps: {steps!r}")' in texts
    )  # ``{{{param}!r}}`` is a replacement field


def test_on_an_empty_line_templates_weigh_less_than_on_a_typed_one():
    doc = "def f(items):\n    total = 0\n    \n"
    empty = TemplateGenerator(builtin_grammars()).generate(Document(doc).slot(2, 4), 40)
    typed = TemplateGenerator(builtin_grammars()).generate(
        Document(doc.replace("    \n", "    re\n")).slot(2, 6), 40
    )
    by_text = {c.text.strip(): c.scores["ngram"] for c in empty}
    for cand in typed:  # "turn total" typed as "re" + "turn total"
        assert by_text["re" + cand.text] == cand.scores["ngram"] - EMPTY_LINE_SHIFT
    assert typed
