"""Names in scope at a slot: what template slots are filled from.

The document is parsed with the cursor's line blanked out (it is usually
incomplete); if it still does not parse, a regex scan gives a rougher answer.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import re
from dataclasses import dataclass, field

from editor.document import Slot


@dataclass
class Scope:
    """Names visible at the cursor, most recent first, and where the cursor is."""

    where: str = "module"  # module | function | method | class
    function: str | None = None
    params: list[str] = field(default_factory=list)
    locals: list[str] = field(default_factory=list)
    imports: list[str] = field(default_factory=list)
    attrs: list[str] = field(default_factory=list)  # self.<attr> names seen
    functions: list[str] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)

    def all_names(self) -> list[str]:
        seen: dict[str, None] = {}
        for group in (self.locals, self.params, self.imports, self.functions, self.classes):
            for name in group:
                seen.setdefault(name, None)
        return list(seen)


_LISTS = [f for f in dataclasses.fields(Scope) if f.name not in ("where", "function")]


def blanked(slot: Slot) -> str:
    """The document with the slot's line replaced by its indentation and ``pass``."""
    lines = list(slot.document.lines)
    if slot.line < len(lines):
        lines[slot.line] = slot.indent + "pass"
    else:
        lines.append(slot.indent + "pass")
    return "\n".join(lines) + "\n"


def _dedupe_recent(names: list[str]) -> list[str]:
    out: dict[str, None] = {}
    for name in reversed(names):
        if not name.startswith("_") or name.startswith("__"):
            out.setdefault(name, None)
    return list(out)


def _add_targets(target: ast.AST, out: list[str]) -> None:
    for node in ast.walk(target):
        if isinstance(node, ast.Name):
            out.append(node.id)


class _Collector(ast.NodeVisitor):
    def __init__(self, line: int) -> None:
        self.line = line  # 1-based cursor line
        self.scope = Scope()
        self.local_names: list[str] = []
        self.module_names: list[str] = []

    def _before(self, node: ast.AST) -> bool:
        return getattr(node, "lineno", 0) < self.line

    def visit_Import(self, node: ast.Import) -> None:  # pylint: disable=invalid-name
        if self._before(node):
            self.scope.imports.extend((a.asname or a.name).split(".")[0] for a in node.names)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:  # pylint: disable=invalid-name
        if self._before(node):
            self.scope.imports.extend(a.asname or a.name for a in node.names if a.name != "*")

    def visit_ClassDef(self, node: ast.ClassDef) -> None:  # pylint: disable=invalid-name
        self.scope.classes.append(node.name)
        if node.name.endswith(("Error", "Exception")):
            self.scope.exceptions.append(node.name)
        if node.lineno <= self.line <= (node.end_lineno or node.lineno):
            self.scope.where = "class"
        self.generic_visit(node)

    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.scope.functions.append(node.name)
        inside = node.lineno < self.line <= (node.end_lineno or node.lineno)
        if inside:
            args = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
            params = [a.arg for a in args]
            self.scope.where = "method" if params[:1] in (["self"], ["cls"]) else "function"
            self.scope.function = node.name
            self.scope.params = [p for p in params if p not in ("self", "cls")]
            for sub in ast.walk(node):
                if isinstance(
                    sub, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.For, ast.With)
                ) and self._before(sub):
                    targets = getattr(sub, "targets", None) or [getattr(sub, "target", None)]
                    if isinstance(sub, ast.With):
                        targets = [i.optional_vars for i in sub.items if i.optional_vars is not None]
                    for t in targets:
                        if t is not None:
                            _add_targets(t, self.local_names)
        for stmt in node.body:
            self.visit(stmt)

    visit_FunctionDef = _visit_function  # noqa: N815
    visit_AsyncFunctionDef = _visit_function  # noqa: N815

    def visit_Assign(self, node: ast.Assign) -> None:  # pylint: disable=invalid-name
        if self._before(node) and node.col_offset == 0:
            for t in node.targets:
                _add_targets(t, self.module_names)
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:  # pylint: disable=invalid-name
        if isinstance(node.value, ast.Name) and node.value.id == "self":
            self.scope.attrs.append(node.attr)
        self.generic_visit(node)


_REGEXES = {
    "functions": re.compile(r"^\s*(?:async\s+)?def\s+(\w+)", re.M),
    "classes": re.compile(r"^\s*class\s+(\w+)", re.M),
    "imports": re.compile(r"^\s*(?:from\s+\S+\s+)?import\s+(\w+)", re.M),
    "locals": re.compile(r"^\s*(\w+)\s*=[^=]", re.M),
    "attrs": re.compile(r"self\.(\w+)"),
}


def scope_at(slot: Slot) -> Scope:
    """The names in scope at ``slot`` (a copy: the caller may change it).

    Remembered by the blanked document and the line: every keystroke on a line asks the
    same (a whole-file parse, ~20 ms on a 1,000-line file, in the templates generator and
    the name repairs each)."""
    scope = _scope_of(slot.line, blanked(slot))
    return dataclasses.replace(scope, **{f.name: list(getattr(scope, f.name)) for f in _LISTS})


@functools.lru_cache(maxsize=8)
def _scope_of(line: int, text: str) -> Scope:
    try:
        tree = ast.parse(text)
    except SyntaxError:
        above = "\n".join(text.split("\n")[:line])
        scope = Scope()
        for group, regex in _REGEXES.items():
            setattr(scope, group, _dedupe_recent(regex.findall(above)))
        return scope
    collector = _Collector(line + 1)
    collector.visit(tree)
    scope = collector.scope
    scope.locals = _dedupe_recent(collector.local_names + collector.module_names)
    for group in ("imports", "attrs", "functions", "classes", "exceptions"):
        setattr(scope, group, _dedupe_recent(getattr(scope, group)))
    return scope
