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
    """Names visible at the cursor, most recent first, and where the cursor is.

    ``locals`` are the enclosing function's own names (assignments, loop and ``with``
    targets before the cursor), or at module and class level the module's assignments;
    ``globals`` are always the module's.  A module constant (a ``TypeVar``, a table) is
    rarely what a function returns or loops over, so it fills no ``{local}`` slot there.
    """

    where: str = "module"  # module | function | method | class
    function: str | None = None
    params: list[str] = field(default_factory=list)
    locals: list[str] = field(default_factory=list)
    imports: list[str] = field(default_factory=list)
    attrs: list[str] = field(default_factory=list)  # self.<attr> names seen
    functions: list[str] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    globals: list[str] = field(default_factory=list)  # the module's own assignments

    def all_names(self) -> list[str]:
        seen: dict[str, None] = {}
        for group in (self.locals, self.params, self.globals, self.imports, self.functions, self.classes):
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


# what the emptied line may have been when the code below it is indented deeper: a block's header
HEADERS = ("if True:", "except Exception:", "elif True:", "else:", "finally:")


def parse_blanked(text: str, line: int) -> ast.Module:
    """Parse ``text`` (:func:`blanked`: ``pass`` on 0-based ``line``), or SyntaxError.

    When the emptied line opened a block (the next code line is indented deeper, as at
    the start of ``if wait:`` or ``except OSError:``), ``pass`` does not parse there; the
    headers in :data:`HEADERS` are tried in its place, so the scopes around such a line
    are still known (before, every such slot fell back to a module-wide regex scan).
    """
    try:
        return ast.parse(text)
    except SyntaxError as first:
        lines = text.split("\n")
        code = (
            i
            for i in range(line + 1, len(lines))
            if lines[i].strip() and not lines[i].lstrip().startswith("#")
        )
        below = next(code, None)
        indent = lines[line][: len(lines[line]) - len(lines[line].lstrip())]
        if below is None or len(lines[below]) - len(lines[below].lstrip()) <= len(indent):
            raise
        if not line < (first.lineno or 0) <= below + 1:
            raise  # the document is broken elsewhere: no header here mends it (each try is a whole parse)
        for header in HEADERS:
            lines[line] = indent + header
            try:
                return ast.parse("\n".join(lines))
            except SyntaxError:
                continue
        raise first


def _dedupe_recent(names: list[str]) -> list[str]:
    out: dict[str, None] = {}
    for name in reversed(names):
        if not name.startswith("_") or name.startswith("__"):
            out.setdefault(name, None)
    return list(out)


def _add_targets(target: ast.AST, out: list[str]) -> None:
    """The names ``target`` binds: not ``os`` in ``os.environ[key] = value``, which only loads it."""
    for node in ast.walk(target):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            out.append(node.id)


def _own_nodes(func: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.AST]:
    """The nodes of ``func``'s body, not those of the functions and classes nested in it
    (their names are their own; a nested function the cursor is in is visited on its own)."""
    out: list[ast.AST] = []
    todo: list[ast.AST] = list(func.body)
    while todo:
        node = todo.pop()
        out.append(node)
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            todo.extend(ast.iter_child_nodes(node))
    return out


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
            for sub in sorted(_own_nodes(node), key=lambda n: getattr(n, "lineno", 0)):
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


_DEF = re.compile(r"^\s*(?:async\s+)?def\s+(\w+)\s*\(([^)]*)")
_CLASS = re.compile(r"^\s*class\s+\w+")
_PARAM = re.compile(r"^\s*\**(\w+)")
_MODULE_ASSIGN = re.compile(r"^(\w+)\s*=[^=]")


def _scanned(lines: list[str], line: int) -> Scope:
    """A rougher scope for a document that does not parse: regexes over the lines above.

    The enclosing ``def`` or ``class`` is the nearest one above that is indented less than
    the slot's line, so a line in a method is in that method, not at module level; the
    locals are then the assignments from its ``def`` on.
    """
    indent = len(lines[line]) - len(lines[line].lstrip()) if line < len(lines) else 0
    scope, start = Scope(), 0
    for i in range(min(line, len(lines)) - 1, -1, -1):
        text = lines[i]
        depth = len(text) - len(text.lstrip())
        if not text.strip() or text.lstrip().startswith("#") or depth >= indent:
            continue
        indent = depth  # an enclosing line: only lines indented less can enclose it
        if match := _DEF.match(text):
            params = [m.group(1) for p in match.group(2).split(",") if (m := _PARAM.match(p))]
            scope.where = "method" if params[:1] in (["self"], ["cls"]) else "function"
            scope.function, start = match.group(1), i
            scope.params = [p for p in params if p not in ("self", "cls")]
            break
        if _CLASS.match(text):
            scope.where = "class"
            break
    above = lines[:line]
    for group, regex in _REGEXES.items():
        found = regex.findall("\n".join(above[start:] if group == "locals" else above))
        setattr(scope, group, _dedupe_recent(found))
    scope.globals = _dedupe_recent([m.group(1) for ln in above if (m := _MODULE_ASSIGN.match(ln))])
    if scope.function is None:  # at module or class level: the module's names
        scope.locals = list(scope.globals)
    return scope


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
        tree = parse_blanked(text, line)
    except (SyntaxError, ValueError, RecursionError):
        return _scanned(text.split("\n"), line)
    collector = _Collector(line + 1)
    collector.visit(tree)
    scope = collector.scope
    inside = scope.where in ("function", "method")
    scope.locals = _dedupe_recent(collector.local_names if inside else collector.module_names)
    scope.globals = _dedupe_recent(collector.module_names)
    for group in ("imports", "attrs", "functions", "classes", "exceptions"):
        setattr(scope, group, _dedupe_recent(getattr(scope, group)))
    return scope
