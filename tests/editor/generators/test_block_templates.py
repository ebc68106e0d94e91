"""Block templates: bodies filled from the header, the class and the scope; grammar errors."""

import pytest

from editor.document import Document
from editor.errors import GfvError
from editor.generators.block_templates import BlockTemplateGenerator, make_block_template_generator
from editor.generators.templates import load_grammar

CLASS = """class Point:
    def __init__(self, x, y, label="p"):
{init}
    def __repr__(self):
{repr}
"""


def texts(doc_text: str, line: int, col: int = 0) -> dict[str, str]:
    gen = make_block_template_generator(None)
    return {c.origin["template"]: c.text for c in gen.generate(Document(doc_text).slot(line, col), 20)}


def test_init_stores_each_parameter():
    got = texts(CLASS.format(init="", repr="        return 'P'"), 2)
    assert got["init-store-params"] == "        self.x = x\n        self.y = y\n        self.label = label"


def test_repr_names_the_class_and_its_init_parameters():
    got = texts(CLASS.format(init="        self.x = x", repr=""), 5)
    assert got["repr-fields"] == '        return f"Point(x={self.x!r}, y={self.y!r}, label={self.label!r})"'


def test_pytest_test_calls_the_function_under_test_with_its_arguments():
    doc = "def parse_line(line, sep):\n    return line.split(sep)\n\n\ndef test_parse_line_empty():\n    \n"
    got = texts(doc, 5, 4)
    assert got["pytest-arrange-act-assert"] == (
        "line = ...\n    sep = ...\n    result = parse_line(line, sep)\n    assert result == ..."
    )


def test_loop_templates_use_the_header_parameters_even_when_the_file_does_not_parse():
    got = texts("def total(prices):\n\n\ndef broken(:\n", 1)
    assert (
        got["accumulate-sum"]
        == "    total = 0\n    for price in prices:\n        total += price\n    return total"
    )


def test_no_block_slot_no_candidate():
    gen = make_block_template_generator(None)
    assert gen.generate(Document("def f(a):\n    return a\n").slot(1, 4), 10) == []


def test_line_templates_are_not_block_templates():
    gen = BlockTemplateGenerator(load_grammar(text='[[template]]\nname = "x"\ntext = "return {local}"\n'))
    assert gen.templates == []


@pytest.mark.parametrize(
    "body, needle",
    [
        ('name = "a"\ntext = "x = 1\\ny = 2"', "needs a 'header'"),
        ('name = "a"\nheader = "(("\ntext = "x"', "not a valid regex"),
        ('name = "a"\nheader = "^def"\ntext = "{nope}"', "unknown slots"),
    ],
)
def test_bad_block_templates_are_usage_errors(body, needle):
    with pytest.raises(GfvError) as info:
        load_grammar(text="[[template]]\n" + body + "\n")
    assert needle in info.value.message and info.value.code == 2


def test_named_groups_of_the_header_are_slots():
    (tpl,) = load_grammar(
        text='[[template]]\nname = "a"\nheader = "^with open.* as (?P<fh>\\\\w+):"\ntext = "return {fh}.read()"\n'
    )
    got = BlockTemplateGenerator([tpl]).generate(
        Document("def f(p):\n    with open(p) as h:\n\n").slot(2, 0), 5
    )
    assert [c.text for c in got] == ["        return h.read()"] and got[0].kind == "block"
