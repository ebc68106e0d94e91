"""The "block_templates" generator: whole bodies from the multi-line templates of ``grammars/``.

In a block slot (editor/blocks.py) every template with a ``header`` regex that matches the
block's header (stripped, e.g. ``def __init__(self, name, size):``) is instantiated:
the regex's named groups are slots, and so are the template slots of docs/grammars.md plus
the block slots (``{each}``: a line holding it is repeated for each of the header's
parameters; ``{cls}``, ``{repr_fields}``, ``{tested}``, ``{tested_args}``, ``{each_tested}``).
The body is indented as the block's body; its cheap score is the template's weight less
the fill ranks' penalty, as for line templates.
"""

from __future__ import annotations

import ast
import itertools
import math
import re
from typing import Iterable

from editor.blocks import BlockSite, as_candidate_text, block_at
from editor.candidates import Candidate
from editor.document import Slot
from editor.generators.templates import Template, _fills, builtin_grammars, render, singular
from editor.scope import Scope, scope_at
from editor.stages import StageContext, generators

_DEF = re.compile(r"^\s*(?:async\s+)?def\s+(\w+)\s*\(")
_CLASS = re.compile(r"^(\s*)class\s+(\w+)")


def header_params(header: str) -> list[str]:
    """The parameter names of a ``def`` header (without self/cls), in order; [] if it is not one."""
    try:
        tree = ast.parse(header.strip() + "\n    pass\n")
    except SyntaxError:
        return []
    node = tree.body[0] if tree.body else None
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return []
    args = node.args
    names = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
    return [n for n in names if n not in ("self", "cls")]


def enclosing_class(slot: Slot, site: BlockSite) -> tuple[str, int] | None:
    """(name, 0-based line) of the class whose body holds the block's header, by indentation."""
    lines = slot.document.lines
    for idx in range(site.header_line - 1, -1, -1):
        match = _CLASS.match(lines[idx])
        if lines[idx].strip() and len(lines[idx]) - len(lines[idx].lstrip()) < len(site.header_indent):
            return (match.group(2), idx) if match else None
    return None


def _class_init_params(slot: Slot, cls_line: int, indent: int) -> list[str]:
    """The ``__init__`` parameters of the class at ``cls_line`` (dataclass fields if it has no __init__)."""
    lines = slot.document.lines
    fields = []
    for idx in range(cls_line + 1, len(lines)):
        line = lines[idx]
        if line.strip() and len(line) - len(line.lstrip()) <= indent:
            break
        if line.lstrip().startswith("def __init__("):
            return header_params(line.strip() if line.rstrip().endswith(":") else line.strip() + ":")
        field = re.match(r"^\s+(\w+)\s*:\s*[\w\[\], .|]+(\s*=.*)?$", line)
        if field and len(line) - len(line.lstrip()) == indent + 4:
            fields.append(field.group(1))
    return fields


def _tested(test_name: str, scope: Scope) -> list[str]:
    """Functions in scope that ``test_<name>`` tests: the longest names its rest starts with."""
    rest = test_name[len("test_") :]
    names = [n for n in (*scope.functions, *scope.imports) if n and not n.startswith("test_")]
    hits = [n for n in names if rest == n or rest.startswith(n + "_")]
    return sorted(dict.fromkeys(hits), key=len, reverse=True)[:2]


def _function_params(slot: Slot, name: str) -> list[str]:
    for line in slot.document.lines:
        match = _DEF.match(line)
        if match and match.group(1) == name:
            return header_params(line.strip() if line.rstrip().endswith(":") else line.strip() + "):")
    return []


def block_fills(slot: Slot, site: BlockSite, scope: Scope) -> dict[str, list[str]]:
    """Options for the block-only slots (a slot with no option drops the templates using it)."""
    params = header_params(site.header) if site.is_function else []
    out: dict[str, list[str]] = {"each": params}
    if site.is_function:  # the header's own parameters, also when the document does not parse yet
        out["param"] = params[:4]
        out["iterable"] = sorted(params, key=lambda n: not n.endswith("s"))[:4]
    found = enclosing_class(slot, site) if site.is_function else None
    out["cls"] = [found[0]] if found else []
    if found:
        cls_indent = len(site.header_indent) - 4
        fields = _class_init_params(slot, found[1], max(cls_indent, 0))
        out["repr_fields"] = [", ".join(f"{f}={{self.{f}!r}}" for f in fields)] if fields else []
    else:
        out["repr_fields"] = []
    name = _DEF.match(site.header)
    tested = _tested(name.group(1), scope) if name and name.group(1).startswith("test_") else []
    out["tested"] = tested
    return out


def expand(tpl: Template, fills: dict[str, str], each: list[str], each_tested: list[str]) -> list[str]:
    """The template's lines with slots filled; ``{each}`` / ``{each_tested}`` lines repeated."""
    out = []
    for line in tpl.text.split("\n"):
        for key, values in (("each", each), ("each_tested", each_tested)):
            if "{" + key + "}" in line:
                out.extend(render(line.replace("{" + key + "}", v), fills) for v in values)
                break
        else:
            out.append(render(line, fills))
    return out


class BlockTemplateGenerator:
    """Bodies from block templates (module docstring)."""

    name = "block_templates"

    def __init__(self, templates: list[Template]) -> None:
        self.templates = [t for t in templates if t.is_block]

    def generate(self, slot: Slot, limit: int) -> Iterable[Candidate]:
        site = block_at(slot)
        if site is None or not site.header:
            return []
        scope = scope_at(slot)
        if site.is_function:  # the body's place, also when the document does not parse yet
            scope.where = "method" if enclosing_class(slot, site) else "function"
        extra = block_fills(slot, site, scope)
        out: list[Candidate] = []
        seen: set[str] = set()
        for tpl in self.templates:
            match = re.search(tpl.header or "", site.header)
            if match is None or ("any" not in tpl.where and scope.where not in tpl.where):
                continue
            for fills, penalty in self._fillings(tpl, match, scope, extra):
                tested = fills.get("tested")
                args = _function_params(slot, tested) if tested else []
                fills["tested_args"] = ", ".join(args)
                body = expand(tpl, fills, extra["each"], args)
                if not any(line.strip() for line in body):
                    continue
                text = as_candidate_text(slot, site, body)
                if text in seen:
                    continue
                seen.add(text)
                out.append(
                    Candidate(text, f"block_template:{tpl.name}", kind="block",
                              scores={"cheap": round(tpl.weight + penalty, 4)},
                              origin={"template": tpl.name, "fills": fills, "lines": len(body)})
                )  # fmt: skip
        out.sort(key=lambda c: -c.scores["cheap"])
        return out[:limit]

    @staticmethod
    def _fillings(tpl: Template, match: re.Match, scope: Scope, extra: dict[str, list[str]]):
        groups = {k: v for k, v in match.groupdict().items() if v is not None}
        kinds = [
            s
            for s in tpl.slots
            if s not in groups and s not in ("item", "each", "each_tested", "tested_args")
        ]
        options = []
        for kind in kinds:
            values = extra[kind] if kind in extra else _fills(kind, scope)
            if not values:
                return
            options.append(list(enumerate(values)))
        if "each" in tpl.slots and not extra["each"]:
            return
        for combo in itertools.product(*options):
            fills = {**groups, **{k: v for k, (_, v) in zip(kinds, combo)}}
            if "item" in tpl.slots:
                fills["item"] = singular(fills.get("iterable", "items"))
            yield fills, -sum(math.log(rank + 1) for rank, _ in combo)


@generators.register("block_templates")
def make_block_template_generator(ctx: StageContext) -> BlockTemplateGenerator:
    del ctx
    return BlockTemplateGenerator(builtin_grammars("python"))
