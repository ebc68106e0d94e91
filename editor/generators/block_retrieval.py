"""The "block_retrieval" generator: bodies of similar blocks in the open document and its project.

In a block slot (editor/blocks.py):

* after a ``def`` header, the bodies of functions with a similar name (shared
  snake_case/camelCase words) and similar parameters, adapted to the names in scope:
  the other function's parameters are renamed to this one's (by name, else by
  position) and its own name to this one's;
* after any other header, the bodies that follow the same header (``for line in fh:``)
  elsewhere.

Blocks come from the document (the text in the editor, parsed with a ``pass`` in the
empty block) and from the project's other ``.py`` files (:func:`retrieval.project_root`;
the document's own file on disk is left out, since the editor's text supersedes it).
Bodies of 1 to ``MAX_BODY_LINES`` lines are kept; a leading docstring is not part of a body.
Each candidate's ``origin`` says where it came from: file, function and the source line
of each of its lines (the TUI's F2 shows them).
"""

from __future__ import annotations

import ast
import io
import math
import os
import re
import textwrap
import threading
import tokenize
from dataclasses import dataclass
from pathlib import Path

from editor.blocks import MAX_BODY_LINES, BlockSite, as_candidate_text, block_at
from editor.candidates import Candidate
from editor.document import Slot
from editor.generators.block_templates import header_params
from editor.generators.retrieval import _python_files, project_root
from editor.names import BUILTINS, bound_names
from editor.stages import StageContext, generators

DOC_BONUS = 0.1  # added to the similarity of a block of the open document
MAX_BLOCKS = 8  # candidates proposed (each costs the validators a whole body)
MIN_SIMILARITY = 0.3
_WORDS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


@dataclass(frozen=True)
class Block:
    """A block of real code: header, body lines (dedented), where it was seen."""

    file: str
    function: str  # the enclosing (or own) function's qualified name, "" at module level
    kind: str  # "def" or "other"
    header: str  # stripped header text (first line for a def)
    name: str  # a def's name
    params: tuple[str, ...]
    body: tuple[str, ...]
    first_line: int  # 1-based line of the body's first line in its file


def words(name: str) -> set[str]:
    return {w.lower() for w in _WORDS.findall(name)}


def _body_span(node: ast.AST) -> tuple[int, int] | None:
    body = getattr(node, "body", None)
    if not body:
        return None
    first = body[0]
    if (
        isinstance(first, ast.Expr)
        and isinstance(getattr(first, "value", None), ast.Constant)
        and isinstance(first.value.value, str)
    ):
        body = body[1:]
    if not body:
        return None
    return body[0].lineno, body[-1].end_lineno or body[-1].lineno


def blocks_of(text: str, file: str) -> list[Block]:
    """Every function body and compound-statement body of ``text`` (MAX_BODY_LINES lines at most)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    lines = text.split("\n")
    out: list[Block] = []

    def visit(node: ast.AST, qual: str) -> None:
        for child in ast.iter_child_nodes(node):
            is_def = isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            name = getattr(child, "name", "")
            inner = f"{qual}.{name}" if qual and name else (name or qual)
            span = _body_span(child) if isinstance(child, ast.stmt) and hasattr(child, "body") else None
            if span and span[1] - span[0] < MAX_BODY_LINES and not isinstance(child, ast.ClassDef):
                body = textwrap.dedent("\n".join(lines[span[0] - 1 : span[1]])).split("\n")
                header = lines[child.lineno - 1].strip()
                params = tuple(a.arg for a in (*child.args.posonlyargs, *child.args.args, *child.args.kwonlyargs)
                               if a.arg not in ("self", "cls")) if is_def else ()  # fmt: skip
                out.append(Block(file, inner if is_def else qual, "def" if is_def else "other", header,
                                 name if is_def else "", params, tuple(body), span[0]))  # fmt: skip
            visit(
                child,
                inner if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else qual,
            )

    visit(tree, "")
    return out


class ProjectBlocks:
    """Blocks of each project file, parsed once per (size, mtime)."""

    def __init__(self) -> None:
        self._files: dict[str, tuple[int, int, list[Block]]] = {}
        self._lock = threading.Lock()

    def blocks(self, root: Path, leave_out: str | None) -> list[Block]:
        out: list[Block] = []
        for path, size, mtime in _python_files(root):
            if path == leave_out:
                continue
            with self._lock:
                known = self._files.get(path)
            if known is None or known[:2] != (size, mtime):
                try:
                    text = Path(path).read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    continue
                known = (size, mtime, blocks_of(text, path))
                with self._lock:
                    self._files[path] = known
            out.extend(known[2])
        return out


_PROJECTS = ProjectBlocks()


def rename(body: list[str], mapping: dict[str, str]) -> list[str] | None:
    """``body`` with NAME tokens renamed by ``mapping`` (None when it does not tokenize)."""
    if not mapping:
        return body
    source = "\n".join(body) + "\n"
    try:
        toks = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return None
    out_lines = list(body)
    for tok in sorted((t for t in toks if t.type == tokenize.NAME and t.string in mapping),
                      key=lambda t: (t.start[0], -t.start[1])):  # fmt: skip
        row, col = tok.start[0] - 1, tok.start[1]
        line = out_lines[row]
        prev = line[:col].rstrip()
        if prev.endswith("."):  # an attribute, not the parameter
            continue
        out_lines[row] = line[:col] + mapping[tok.string] + line[tok.end[1] :]
    # several renames on one line: apply right to left per line
    return out_lines


def param_mapping(src: tuple[str, ...], dst: list[str]) -> dict[str, str]:
    """Rename the source's parameters to the target's: same names stay, the rest by position."""
    mapping = {}
    free = [d for d in dst if d not in src]
    for i, name in enumerate(src):
        if name in dst:
            continue
        if i < len(dst) and dst[i] in free:
            mapping[name] = dst[i]
            free.remove(dst[i])
    return mapping


def similarity(name: str, params: list[str], block: Block) -> float:
    """How alike two functions look: their names' words and their parameters (0..1)."""
    a, b = words(name), words(block.name)
    name_sim = 1.0 if name == block.name else (len(a & b) / len(a | b) if a | b else 0.0)
    pa, pb = set(params), set(block.params)
    param_sim = 1.0 if pa == pb else len(pa & pb) / len(pa | pb)
    arity = 1.0 if len(params) == len(block.params) else 0.5
    return 0.65 * name_sim + 0.25 * param_sim + 0.1 * arity


def free_names(body: list[str]) -> set[str] | None:
    """Names a body reads without binding them (None when it does not parse)."""
    try:
        tree = ast.parse("def _gfv_():\n" + "\n".join("    " + line for line in body) + "\n")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    loads = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    return loads - bound_names(tree) - BUILTINS


class BlockRetrievalGenerator:
    """Proposes bodies seen elsewhere (module docstring)."""

    name = "block_retrieval"

    def __init__(self, projects: ProjectBlocks | None = None, use_project: bool = True) -> None:
        self.projects = projects or _PROJECTS
        self.use_project = use_project

    def _candidates(self, slot: Slot, site: BlockSite) -> tuple[list[Block], set[str] | None]:
        """The blocks to adapt, and the names the document binds (None when it does not parse)."""
        lines = list(slot.document.lines)
        while len(lines) <= slot.line:
            lines.append("")
        lines[slot.line] = site.indent + "pass"
        source = "\n".join(lines) + "\n"
        found = [b for b in blocks_of(source, "<document>") if b.first_line != slot.line + 1]
        try:
            names: set[str] | None = bound_names(ast.parse(source))
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            names = None
        path = slot.document.path
        if self.use_project and path:
            real = os.path.realpath(path)
            found += self.projects.blocks(project_root(Path(path)), real)
        return found, names

    def generate(self, slot: Slot, limit: int) -> list[Candidate]:
        site = block_at(slot)
        if site is None or not site.header:
            return []
        name_match = re.match(r"(?:async\s+)?def\s+(\w+)", site.header)
        params = header_params(site.header)
        scored: list[tuple[float, Block, list[str]]] = []
        blocks, known = self._candidates(slot, site)
        for block in blocks:
            if name_match:
                if block.kind != "def" or block.name == "" or block.body == ("pass",):
                    continue
                sim = similarity(name_match.group(1), params, block)
                if sim < MIN_SIMILARITY:
                    continue
                mapping = param_mapping(block.params, params)
                if block.name != name_match.group(1):
                    mapping[block.name] = name_match.group(1)
                body = rename(list(block.body), mapping)
            elif block.kind == "other" and block.header == site.header:
                sim, body = 1.0, list(block.body)
            else:
                continue
            if body is None:
                continue
            free = free_names(body)
            if known is not None and (free is None or free - known):
                continue  # it reads names this document does not have: not adaptable here
            sim += DOC_BONUS if block.file == "<document>" else 0.0
            scored.append((sim, block, body))
        scored.sort(key=lambda t: (-t[0], t[1].file != "<document>", len(t[2])))
        out, seen = [], set()
        for sim, block, body in scored:
            text = as_candidate_text(slot, site, body)
            if text in seen or not text.strip():
                continue
            seen.add(text)
            where = block.file if block.file.startswith("<") else os.path.relpath(block.file, _root_of(slot))
            out.append(
                Candidate(text, "block_retrieval", kind="block", scores={"cheap": round(math.log(min(sim, 1.0)), 4)},
                          origin={"seen_in": where, "function": block.function, "similarity": round(sim, 3),
                                  "lines": len(body),
                                  "line_origins": [f"{where}:{block.first_line + i}" for i in range(len(body))]})
            )  # fmt: skip
            if len(out) >= min(limit, MAX_BLOCKS):
                break
        return out


def _root_of(slot: Slot) -> str:
    path = slot.document.path
    return str(project_root(Path(path))) if path else "."


@generators.register("block_retrieval")
def make_block_retrieval_generator(ctx: StageContext) -> BlockRetrievalGenerator:
    del ctx
    return BlockRetrievalGenerator()
