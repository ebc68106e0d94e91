"""Property findings for ``gfv check``: a module's ``<module>_properties.py`` run on the committed file.

For a Python file ``pkg/mod.py`` that parses and has ``pkg/mod_properties.py`` beside it,
every ``prop_*`` property runs against the file as it is, in the same sandbox as the
``properties`` validator (:func:`validators._sandbox.run_in_sandbox`, see docs/sandbox.md).
A failure is one finding, with the validator's code and message (``PROP001`` carries the
shrunk counterexample), on the line of the module's function the failing property covers
(the first one in the file; a class when it covers no function; else line 1).  A run that
could not judge (``PROP008``: the properties file is broken, an import is missing, the
sandbox refused for lack of isolation) is an error finding too: it never passes.

Nothing here is imported until a file has a properties file, so ``gfv check`` stays light.
"""

from __future__ import annotations

import ast
import hashlib
import shutil
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from editor.check.findings import Finding


def properties_fingerprint(path: Path, limits: Any) -> str:
    """What besides the module's bytes changes its property findings: the properties file, the limits."""
    from validators.properties import properties_file  # pylint: disable=import-outside-toplevel

    props = properties_file(path)
    if props is None:
        return ""
    try:
        digest = hashlib.sha256(props.read_bytes()).hexdigest()
    except OSError:
        digest = "unreadable"
    try:
        hyp = version("hypothesis")
    except PackageNotFoundError:
        hyp = "missing"
    return f"props={digest};limits={limits!r};hypothesis={hyp};bwrap={bool(shutil.which('bwrap'))}"


def _line_of(tree: ast.Module, names: set[str]) -> tuple[int, int]:
    """(line, col) of the first covered function (else class) of the module, 1-based."""
    for kinds in ((ast.FunctionDef, ast.AsyncFunctionDef), (ast.ClassDef,)):
        for node in tree.body:
            if isinstance(node, kinds) and node.name in names:
                return node.lineno, node.col_offset + 1
    return 1, 1


def check_properties(  # pylint: disable=too-many-locals
    path: Path, text: str, limits: Any
) -> tuple[list[Finding], dict[str, Any] | None]:
    """(findings, sandbox facts) for one parsed Python file; ([], None) without a properties file.

    The facts are what the verdict's details say about the run: ``isolation``, the
    ``isolation_note`` when there is one, the properties ``checked`` and ``elapsed_ms``.
    """
    # pylint: disable=import-outside-toplevel
    from validators._sandbox import run_in_sandbox
    from validators.properties import PropertiesValidator, _message, covered_names, properties_file

    props_path = properties_file(path)
    if props_path is None:
        return [], None
    try:
        props_source = props_path.read_text(encoding="utf-8")
        covered = covered_names(props_source)
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError) as exc:
        message = f"not checked: cannot read {props_path.name}: {exc}"
        return [Finding(1, 1, "PROP008", message, "properties")], {"isolation": []}
    names = sorted(covered)
    if not names:
        return [], {"isolation": [], "checked": []}
    try:
        import hypothesis  # noqa: F401  # pylint: disable=unused-import
    except ImportError:
        message = "not checked: hypothesis is not installed (pip install 'gfv[props]')"
        return [Finding(1, 1, "PROP008", message, "properties")], {"isolation": []}
    result = run_in_sandbox(path.stem, text, props_source, names, str(path.resolve().parent), limits)
    result.setdefault("checked", names)
    facts = {k: result[k] for k in ("isolation", "isolation_note", "checked", "elapsed_ms") if k in result}
    verdict = PropertiesValidator(limits)._verdict(result)  # pylint: disable=protected-access
    if verdict.ok:
        return [], facts
    line, col = 1, 1
    failed = result.get("property")
    if failed in covered:
        line, col = _line_of(ast.parse(text), covered[failed])
    message = _message(result.get("status", "crash"), result)  # in full: the counterexample is the point
    return [Finding(line, col, verdict.code, message, "properties")], facts
