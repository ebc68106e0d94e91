"""Block slots: detection after a header, the docstring case, the forced slot, candidate text."""

from editor.blocks import as_candidate_text, block_at, body_lines
from editor.document import Document


def slot(text: str, line: int, col: int = 0, block: bool = False):
    return Document(text).slot(line, col, block)


def test_the_empty_line_after_a_def_header_is_a_block_slot():
    site = block_at(slot("def f(a, b):\n    \n\nx = 1\n", 1, 4))
    assert site is not None and site.kind == "def" and site.header == "def f(a, b):" and site.indent == "    "


def test_a_header_over_several_lines_is_read_whole():
    site = block_at(slot("class C:\n    def f(\n        self, a\n    ):\n\n", 4))
    assert site.header == "def f( self, a ):" and site.indent == "        " and site.header_line == 1


def test_a_docstring_after_the_header_does_not_hide_it():
    site = block_at(slot('def f(a):\n    """Doc."""\n\n', 2))
    assert site is not None and site.header == "def f(a):"
    assert block_at(slot('x = 1\n"""Doc."""\n\n', 2)) is None


def test_a_block_that_already_has_a_body_is_not_a_block_slot_unless_asked():
    text = "for x in xs:\n\n    print(x)\n"
    assert block_at(slot(text, 1)) is None
    forced = block_at(slot(text, 1, block=True))
    assert forced is not None and forced.kind == "for"


def test_typed_code_or_text_after_the_cursor_is_no_block_slot():
    assert block_at(slot("if x:\n    ret\n", 1, 7)) is None
    assert block_at(slot("if x:\n    \n", 1, 4)) is not None


def test_forced_block_without_a_header_uses_the_typed_indentation():
    site = block_at(slot("def f():\n    x = 1\n    \n    return x\n", 2, 4, block=True))
    assert site.kind == "block" and site.indent == "    " and site.header == ""


def test_candidate_text_starts_after_the_typed_indentation():
    s = slot("def f(a):\n    \n", 1, 4)
    text = as_candidate_text(s, block_at(s), ["x = a", "if x:", "    return x"])
    assert text == "x = a\n    if x:\n        return x"
    assert body_lines(s.typed, text) == ["x = a", "if x:", "    return x"]
    s0 = slot("def f(a):\n\n", 1, 0)
    assert as_candidate_text(s0, block_at(s0), ["return a"]) == "    return a"


def test_a_table_slot_is_never_a_block_slot():
    from editor.blocks import block_at
    from editor.tables.csvdoc import TableDocument
    from editor.tables.slot import TableSlot

    doc = TableDocument.parse("name,score\nada,3\n")
    assert block_at(TableSlot(doc, 1, None, None, None, [])) is None
