"""Relative imports made absolute for pylint's temporary modules."""

from tests.helpers import make_package
from validators._imports import absolute_imports, package_of


def test_package_of_walks_up_the_init_files(tmp_path):
    inner = tmp_path / "top" / "sub"
    inner.mkdir(parents=True)
    (tmp_path / "top" / "__init__.py").write_text("")
    (inner / "__init__.py").write_text("")
    assert package_of(inner / "mod.py") == (["top", "sub"], tmp_path)
    assert package_of(tmp_path / "script.py") == ([], None)


def test_relative_from_imports_become_absolute_on_the_same_lines():
    source = "from . import a\nfrom .pretty import Pretty\n    from ..util.x import (\n        y,\n)\nfrom ...z import w\n"
    out = absolute_imports(source, ["top", "sub"])
    assert out.split("\n") == [
        "from top.sub import a",
        "from top.sub.pretty import Pretty",
        "    from top.util.x import (",
        "        y,",
        ")",
        "from ...z import w",  # above the top package: left for pylint to report
        "",
    ]
    assert absolute_imports(source, []) == source


def test_pylint_resolves_a_relative_import_of_a_real_package(tmp_path):
    from editor.candidates import Candidate
    from editor.document import Document
    from validators.pylint_errors import PylintValidator

    doc = make_package(tmp_path, "mypkg", helpers="def helper():\n    return 1\n") / "main.py"
    text = "from .helpers import hel\n"
    doc.write_text(text)
    slot = Document(text, doc).slot(0, len("from .helpers import hel"))
    ok, bad = PylintValidator().validate(slot, [Candidate("per", "t"), Candidate("pless", "t")])
    assert [v.code for v in ok] == ["PYL000"]
    assert [v.code for v in bad] == ["PYL-E0611"]  # no name 'helpless' in module: really resolved
