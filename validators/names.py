"""The "names" validator: a name the candidate uses must exist somewhere in the document.

A cheap stand-in, before ranking, for the most common reasons pylint refuses a
candidate: ``E0602`` undefined-variable and ``E1101`` no-member on ``self``.  The
generators propose names seen in other files (``path``, ``node``, ``base_dir``); most of
them mean nothing in this one.  pylint takes 0.25–0.9 s per candidate and runs after
ranking; this check takes microseconds per candidate (one parse per place), so a doomed
candidate neither takes a place in the ranking pool nor sits on screen waiting for pylint.

The check is deliberately weaker than pylint's, never stricter.  A name the candidate
*loads* fails (``NAM001``) only if all of these hold:

* it is not visible where the candidate goes (:func:`editor.names.visible_names`:
  the module's bindings, the enclosing functions', the class body's outside methods; if
  the document does not parse, any word of the document but the cursor's line counts as
  visible);
* it is not a builtin, a keyword or a module attribute such as ``__file__``;
* it is not an attribute (after ``.``), a keyword argument (``key=``) or bound by the
  candidate itself (an assignment target, ``for … in``, ``as``, ``lambda`` parameters;
  every name of a ``def``, ``class``, ``import``, ``global`` or ``case`` line).  A line
  inside a statement's open brackets is read with the statement's earlier lines
  (editor/logical_lines.py): ``second,`` in ``from toolz import (`` is imported, a bare
  ``a,`` in a ``def``'s parameter list is a parameter.

In a method of a class whose attributes can all be known from the file
(:func:`validators._visible.self_attributes`), a ``self.x`` the candidate reads fails
(``NAM002``) when nothing in the class, its bases or the file sets or defines ``x``, and
the document reads no ``self.x`` elsewhere (a mixin's members, which pylint's ``E1101``
then gives all over the file: the document's own, as the pylint validator counts it).
It offers the close members as repairs, as ``NAM001`` offers names: after ``self.te``
typed, the members that start with ``te`` (the model's ``self.ternary`` becomes
``self.temporary``).

Every candidate it fails, pylint fails too, except where a ``from … import *`` may
bind the name: then the name cannot be judged here and the verdict is ``NAM998`` not
checked (``ok=False``, the candidate is not shown; docs/verdict-codes.md), unless every
star import is read from its module's source: a relative one from the package's file
(editor/star_imports.py), an absolute one as every name its module binds at its top level
(:func:`validators._module_names.star_names`).  A
``NAM001`` verdict offers the close names in scope as repairs
(:func:`validators._name_repair.name_repairs`), as pylint's ``E0602`` does.

A complete ``from x import y`` line at the module's top level fails (``NAM003``) when
``x``'s source, read and never imported, binds no ``y`` (pylint's ``E0611``, again weaker:
what cannot be read is not judged; validators/_module_names.py).

Codes: ``NAM000`` ok; ``NAM001`` undefined name, ``details={"name": ...}``; ``NAM002``
no such attribute of ``self``, ``details={"name": ..., "class": ...}``; ``NAM003`` no such
name in the module, ``details={"name": ..., "module": ...}``; ``NAM998`` not
checked (a star import); ``NAM999`` not checked (the check crashed).
"""

from __future__ import annotations

import functools
import io
import keyword
import re
import threading
import tokenize
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable, Sequence

from editor.candidates import Candidate, Verdict
from editor.document import Slot
from editor.logical_lines import open_statement
from editor.names import BUILTINS, visible_names
from editor.pool import LINE_DRAFT
from editor.scope import blanked, parse_blanked
from editor.stages import StageContext, validators
from editor.star_imports import STAR_IMPORT
from validators._cut_repair import cut_repair
from validators._imports import absolute_module, import_root
from validators._module_names import importable, imported_names, star_names
from validators._name_repair import BUILTINS as REPAIR_BUILTINS, attribute_repairs, name_repairs
from validators._visible import self_attributes, self_reads

_WORD = re.compile(r"[^\W\d]\w*")
_IMPLICIT = BUILTINS  # the builtins and the names every module has without binding them
_NEVER = _IMPLICIT | frozenset(keyword.kwlist) | frozenset(keyword.softkwlist)
# Statements whose every name is declared, bound or too rich to judge from tokens.
_DECLARING = frozenset({"def", "class", "import", "from", "global", "nonlocal", "case", "async"})


@functools.lru_cache(maxsize=512)
def _tokens(line: str) -> tuple[tuple[tokenize.TokenInfo, ...], tuple[int, ...]]:
    """``line``'s tokens (those before an open bracket or string at its end, if any), and the
    offset in ``line`` at which each of its lines starts.  Cached: a candidate's line is read
    for its names and for its ``self`` attributes, and the next keystroke proposes it again."""
    offsets = [0]
    for part in line.split("\n"):
        offsets.append(offsets[-1] + len(part) + 1)
    toks: list[tokenize.TokenInfo] = []
    try:
        toks.extend(tokenize.generate_tokens(io.StringIO(line).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass  # an open bracket or string at the end: the tokens so far
    return tuple(toks), tuple(offsets)


def loaded_names(line: str, start: int) -> list[tuple[str, int]]:
    """The names ``line`` loads (name, offset), of those that end after offset ``start``.

    Token level, so that fragments (an open bracket, a header without its body) work.
    Conservative: a name that might be bound, declared, an attribute or a keyword
    argument is left out (module docstring).
    """
    toks, offsets = _tokens(line)
    statements = _statements(toks)
    bound = {tok.string for stmt in statements for tok in _bound(stmt)}
    out: list[tuple[str, int]] = []
    for stmt in statements:
        for tok in _loads(stmt, bound):
            offset = offsets[tok.start[0] - 1] + tok.start[1]
            if offset + len(tok.string) > start:
                out.append((tok.string, offset))
    return out


def self_attribute_loads(line: str, start: int) -> list[tuple[str, int]]:
    """The attributes of ``self`` that ``line`` reads (``self.x``, not ``self.x = ...``), of those
    that end after offset ``start``: (attribute, offset)."""
    toks, offsets = _tokens(line)
    toks = [t for t in toks if t.type not in (tokenize.COMMENT, tokenize.NL)]
    out = []
    for i in range(len(toks) - 2):
        own, dot, attr = toks[i : i + 3]
        if (
            own.string != "self"
            or dot.string != "."
            or attr.type != tokenize.NAME
            or (i and toks[i - 1].string == ".")
        ):
            continue
        after = toks[i + 3].string if i + 3 < len(toks) else ""
        if after.endswith("=") and after not in ("==", "<=", ">=", "!="):
            continue  # assigned here
        offset = offsets[attr.start[0] - 1] + attr.start[1]
        if offset + len(attr.string) > start:
            out.append((attr.string, offset))
    return out


def _statements(toks: Sequence[tokenize.TokenInfo]) -> list[list[tokenize.TokenInfo]]:
    """Split tokens into statements (NEWLINE, ``;``, or a header's ``:`` at depth 0)."""
    out: list[list[tokenize.TokenInfo]] = [[]]
    depth = 0
    for tok in toks:
        if tok.type in (tokenize.COMMENT, tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER):
            continue
        if tok.type == tokenize.OP and tok.string in "([{":
            depth += 1
        elif tok.type == tokenize.OP and tok.string in ")]}":
            depth = max(depth - 1, 0)
        if tok.type == tokenize.NEWLINE or (tok.type == tokenize.OP and tok.string == ";" and depth == 0):
            out.append([])
            continue
        out[-1].append(tok)
    return [s for s in out if s]


def _bound(stmt: list[tokenize.TokenInfo]) -> list[tokenize.TokenInfo]:
    """The NAME tokens of one statement that bind (or may bind) a name."""
    names = [tok for tok in stmt if tok.type == tokenize.NAME]
    if stmt[0].string in _DECLARING:
        return names
    bound: set[int] = set()
    depth, last_assign = 0, -1
    for i, tok in enumerate(stmt):
        if tok.type == tokenize.OP and tok.string in "([{":
            depth += 1
        elif tok.type == tokenize.OP and tok.string in ")]}":
            depth = max(depth - 1, 0)
        elif tok.type == tokenize.OP and tok.string == "=" and depth == 0:
            last_assign = i
        elif tok.type == tokenize.OP and tok.string == ":=" and i:
            bound.add(i - 1)
    bound.update(range(last_assign))  # assignment targets (and what they subscript: kept conservative)
    if len(stmt) > 1 and stmt[0].type == tokenize.NAME and stmt[1].string == ":":
        bound.add(0)  # an annotated assignment's target
    for i, tok in enumerate(stmt):
        if tok.type != tokenize.NAME:
            continue
        if tok.string == "for":  # for loops and comprehensions: up to "in"
            bound.update(_until(stmt, i + 1, {"in"}))
        elif tok.string == "lambda":  # its parameters: up to ":"
            bound.update(_until(stmt, i + 1, {":"}))
        elif tok.string == "as":  # one name, or a bracketed target list
            bound.update(_as_target(stmt, i + 1))
    return [
        stmt[i]
        for i in sorted(bound)
        if i < len(stmt) and stmt[i].type == tokenize.NAME and (not i or stmt[i - 1].string != ".")
    ]


def _until(stmt: list[tokenize.TokenInfo], start: int, closers: set[str]) -> range:
    end = start
    while end < len(stmt) and stmt[end].string not in closers:
        end += 1
    return range(start, end)


def _as_target(stmt: list[tokenize.TokenInfo], start: int) -> range:
    if start >= len(stmt):
        return range(0)  # ``as`` ends the text so far
    if stmt[start].string not in ("(", "["):
        return range(start, start + 1)
    depth, end = 0, start
    for end in range(start, len(stmt)):
        depth += stmt[end].string in "([" and stmt[end].type == tokenize.OP
        depth -= stmt[end].string in ")]" and stmt[end].type == tokenize.OP
        if depth == 0:
            break
    return range(start, end + 1)


def _loads(stmt: list[tokenize.TokenInfo], bound: set[str]) -> list[tokenize.TokenInfo]:
    """The NAME tokens of one statement that are loads of a name the candidate does not bind."""
    if stmt[0].string in _DECLARING:
        return []
    out = []
    for i, tok in enumerate(stmt):
        if tok.type != tokenize.NAME or tok.string in bound or tok.string in _NEVER:
            continue
        before = stmt[i - 1].string if i else ""
        after = stmt[i + 1].string if i + 1 < len(stmt) else ""
        if before == "." or after in ("=", ":="):
            continue  # an attribute, a keyword argument
        out.append(tok)
    return out


@dataclass(frozen=True)
class _Known:
    names: frozenset[str]  # visible at the slot
    star: bool  # the document has a ``from … import *``
    self_attrs: tuple[str, set[str]] | None  # in a method of a closed class: its name and attributes
    self_reads: frozenset[str] = frozenset()  # every ``self.x`` of the document but the cursor's line
    package: tuple[str, ...] = ()  # the document's package, and the folder its imports resolve from
    root: str | None = None
    head: str = ""  # the earlier lines of the statement the cursor's line continues (each ending in "\n")

    def repair_names(self) -> list[str]:
        """What a misspelt name may be repaired to: the visible names, then the builtins."""
        return [*sorted(self.names - _IMPLICIT), *REPAIR_BUILTINS]


class NamesValidator:  # pylint: disable=too-few-public-methods
    """See the module docstring."""

    name = "names"
    cost = "cheap"

    def __init__(self, remember: int = 8) -> None:
        self.remember = remember
        self._cache: OrderedDict[tuple, _Known] = OrderedDict()
        self._lock = threading.Lock()

    def _known(self, slot: Slot) -> _Known:
        """What the candidate may use without binding it (cached per place: the cursor's line aside)."""
        lines = slot.document.lines
        key = (str(slot.document.path), slot.line, slot.indent, hash(tuple(lines[: slot.line])),
               hash(tuple(lines[slot.line + 1 :])))  # fmt: skip
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        around = "\n".join([*lines[: slot.line], *lines[slot.line + 1 :]])
        star = bool(STAR_IMPORT.search(around))
        starred: frozenset[str] = frozenset()
        package, root = import_root(slot.document.path)
        if star and (bound := star_names(around, slot.document.path, [root] if root else [])) is not None:
            star, starred = False, bound  # every star import read from its module's source
        opened = open_statement(slot.document.text, slot.line)
        head = "".join(f"{text}\n" for text in lines[opened[0] : slot.line]) if opened else ""
        try:
            tree = parse_blanked(blanked(slot), slot.line)
            known = _Known(
                frozenset(visible_names(tree, slot.line + 1)) | starred,
                star,
                self_attributes(tree, slot.line + 1),
                self_reads(around),
                tuple(package),
                root,
                head,
            )
        except (SyntaxError, ValueError, RecursionError):  # scopes unknown: every word of the document
            known = _Known(
                frozenset(_WORD.findall(around)) | starred,
                star,
                None,
                package=tuple(package),
                root=root,
                head=head,
            )
        with self._lock:
            self._cache[key] = known
            while len(self._cache) > self.remember:
                self._cache.popitem(last=False)
        return known

    def warm(self, slot: Slot) -> None:
        """Do the per-place work now (the live session calls it when the cursor settles somewhere)."""
        self._known(slot)

    def validate(self, slot: Slot, candidates: Sequence[Candidate]) -> list[list[Verdict]]:
        known = self._known(slot)
        out = []
        for cand in candidates:
            try:
                out.append([self._judge(slot, cand, known)])
            except Exception as exc:  # pylint: disable=broad-except  # a bug here must not break the pipeline
                crash = f"not checked: the names check crashed: {type(exc).__name__}: {exc}"
                out.append([Verdict.not_checked(self.name, "NAM999", crash)])
        return out

    def _module_verdict(
        self, known: _Known, line: str, start: int, where: Callable[[int], dict]
    ) -> Verdict | None:
        """``NAM003`` for the first name the candidate adds to a ``from … import`` that its module
        does not bind (:func:`_not_in_module`), else None."""
        missing, module = _not_in_module(line.split("\n", 1)[0], known)
        for name in missing:  # the candidate's own names only: the typed ones are the user's
            found = re.compile(rf"\b{re.escape(name)}\b").search(line, start)
            if found is not None:
                return Verdict(
                    self.name, False, "NAM003",
                    f"No name '{name}' in module '{module}': its source does not bind it at its top level",
                    details={"name": name, "module": module}, **where(found.start()),
                )  # fmt: skip
        return None

    def _judge(self, slot: Slot, cand: Candidate, known: _Known) -> Verdict:
        line, start = slot.typed + cand.text, len(slot.typed)

        def where(offset: int) -> dict:
            return {
                "line": slot.line + 1 + line.count("\n", 0, offset),
                "col": offset - line.rfind("\n", 0, offset) - 1,
            }

        verdict = self._module_verdict(known, line, start, where)
        if verdict is not None:
            return verdict
        head = known.head  # the statement's earlier lines: what they bind or declare counts
        loads = loaded_names(head + line, len(head) + start)
        unknown = [(n, off - len(head)) for n, off in loads if n not in known.names]
        if unknown:
            name, offset = unknown[0]
            if known.star:
                return Verdict.not_checked(
                    self.name, "NAM998",
                    f"not checked: '{name}' is not in the document, and a `from … import *` may bind it",
                    details={"name": name}, **where(offset),
                )  # fmt: skip
            verdict = Verdict(
                self.name, False, "NAM001", f"Undefined variable '{name}': not in the document and not a builtin",
                details={"name": name}, **where(offset),
            )  # fmt: skip
            verdict.repairs = name_repairs(slot, cand.text, name, known.repair_names())
            cuts = cut_repair(slot.typed, cand.text, name, offset) if cand.source == LINE_DRAFT else []
            if cuts:  # the model's own line, up to the name it made up
                verdict.repairs += cuts
                verdict.details["cuts"] = [text for text, _ in cuts]
            return verdict
        if known.self_attrs is not None:
            owner, attrs = known.self_attrs
            missing = [
                (a, off)
                for a, off in self_attribute_loads(line, start)
                if a not in attrs and a not in known.self_reads  # read elsewhere: the document's own
            ]
            if missing:
                attr, offset = missing[0]
                verdict = Verdict(
                    self.name, False, "NAM002",
                    f"Instance of '{owner}' has no '{attr}' member: not set or defined in the class or its bases",
                    details={"name": attr, "class": owner}, **where(offset),
                )  # fmt: skip
                verdict.repairs = attribute_repairs(slot, cand.text, attr, sorted(attrs | known.self_reads))
                return verdict
        return Verdict(self.name, True, "NAM000", "every name it uses is in scope or a builtin")


def _not_in_module(line: str, known: _Known) -> tuple[list[str], str]:
    """For a complete ``from module import …`` line at the module's top level: the names the
    module's source does not bind, and the module (absolute), where that can be known
    (validators/_module_names.py); else no names.  An indented line is not judged: it may sit
    in a ``try`` whose ``except ImportError`` expects the name to be missing."""
    found = imported_names(line) if not line[:1].isspace() else None  # indented: maybe a guarded import
    if found is None:
        return [], ""
    dots, module, names = found
    absolute = absolute_module(list(known.package), dots, module) if dots else module
    if absolute is None:
        return [], ""
    bound = importable(absolute, [known.root] if known.root else [])
    return ([n for n in names if n not in bound], absolute) if bound is not None else ([], "")


@validators.register("names")
def make_names_validator(ctx: StageContext) -> NamesValidator:  # pylint: disable=unused-argument
    """Factory for the registry."""
    return NamesValidator()
