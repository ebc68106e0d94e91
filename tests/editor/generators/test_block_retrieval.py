"""Block retrieval: similar functions' bodies, adapted; the same header's bodies; where each came from."""

from pathlib import Path

from editor.document import Document
from editor.generators.block_retrieval import BlockRetrievalGenerator, ProjectBlocks, param_mapping, rename

DOC = '''def load_config(path):
    """Read it."""
    with open(path) as fh:
        return fh.read()


def load_settings(filename):
    """Read the settings."""

'''


def test_a_similar_function_body_is_adapted_to_the_parameters():
    gen = BlockRetrievalGenerator(use_project=False)
    (cand,) = gen.generate(Document(DOC).slot(8, 0), 10)
    assert cand.text == "    with open(filename) as fh:\n        return fh.read()"
    assert cand.kind == "block" and cand.origin["function"] == "load_config"
    assert cand.origin["line_origins"] == ["<document>:3", "<document>:4"]


def test_the_same_header_elsewhere_gives_its_body():
    doc = "for line in fh:\n    print(line)\n\n\ndef g(fh):\n    for line in fh:\n\n"
    (cand,) = BlockRetrievalGenerator(use_project=False).generate(Document(doc).slot(6, 0), 10)
    assert cand.text == "        print(line)"


def test_the_documents_own_file_on_disk_is_left_out(tmp_path: Path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "other.py").write_text("def load_settings(filename):\n    return filename.upper()\n")
    own = tmp_path / "mod.py"
    own.write_text("def load_settings(filename):\n    return secret(filename)\n")  # the truth on disk
    doc = Document("def load_settings(filename):\n\n", own)
    got = BlockRetrievalGenerator(ProjectBlocks()).generate(doc.slot(1, 0), 10)
    assert [c.text for c in got] == ["    return filename.upper()"]
    assert got[0].origin["seen_in"] == "other.py" and got[0].origin["line_origins"] == ["other.py:2"]


def test_renaming_touches_names_not_attributes_or_strings():
    body = ["x = obj.path + path", 'print("path", path)']
    assert rename(body, {"path": "name"}) == ["x = obj.path + name", 'print("path", name)']


def test_parameters_keep_their_names_else_map_by_position():
    assert param_mapping(("a", "b"), ["x", "b"]) == {"a": "x"}
    assert param_mapping(("a", "b", "c"), ["x"]) == {"a": "x"}


def test_unrelated_functions_are_not_proposed():
    doc = "def area(width, height):\n    return width * height\n\n\ndef greet(name):\n\n"
    assert BlockRetrievalGenerator(use_project=False).generate(Document(doc).slot(5, 0), 10) == []


def test_a_body_that_reads_names_the_document_lacks_is_not_proposed():
    doc = (
        "import os\n\n\ndef size_of(path):\n    return os.path.getsize(path)\n\n\n"
        "def size_in(path):\n    return helper(path)\n\n\ndef size(path):\n\n"
    )
    got = BlockRetrievalGenerator(use_project=False).generate(Document(doc).slot(12, 0), 10)
    assert [c.origin["function"] for c in got] == ["size_of"]  # size_in's body reads an unknown `helper`
