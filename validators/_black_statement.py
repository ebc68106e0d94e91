"""black's formatting of one statement at its own indentation, for the "black" validator.

The statement (the lines a candidate completes) is dedented and put in a minimal valid
wrapper: a dummy header for ``elif``/``else``/``except``/``finally``/``case``, a ``pass``
body for a block it opens, a dummy ``def`` after a lone decorator (:func:`wrap`).  black
formats that at the line length left after the indentation, and the statement's lines are
cut back out (:func:`format_lines`).  :func:`statement_span` finds the statement (or a
compound statement's header) that holds some lines of a parsed document.
"""

from __future__ import annotations

import ast
import dataclasses
import io
import tokenize
import warnings
from functools import lru_cache

import black

from validators._tolerant_parse import CLAUSE_HEADERS


def leading_ws(line: str) -> str:
    """The whitespace ``line`` starts with."""
    return line[: len(line) - len(line.lstrip())]


def common_indent(lines: list[str]) -> str:
    """The indentation every non-blank line of ``lines`` starts with."""
    indents = [leading_ws(line) for line in lines if line.strip()]
    if not indents:
        return ""
    common = indents[0]
    for ind in indents[1:]:
        while not ind.startswith(common):
            common = common[:-1]
    return common


def wrap(body: list[str]) -> tuple[list[str], str, list[str]] | None:
    """(prefix lines, extra indent, suffix lines) that make ``body`` a valid module, or None."""
    first = body[0].strip() if body else ""
    word = first.split(":")[0].split(" ")[0].split("(")[0]
    prefix, extra = CLAUSE_HEADERS.get(word, ([], ""))
    code = [line for line in body if line.strip() and not line.lstrip().startswith("#")]
    # comment lines after a header (``try:`` then ``# why``) do not set the body's indentation
    last_indent = extra + leading_ws(code[-1]) if code else ""
    suffixes = (
        [],
        [last_indent + "    pass"],
        [last_indent + "def _gfv_():", last_indent + "    pass"],
        # a ``try:`` header needs a handler after its body to parse
        [last_indent + "    pass", last_indent + "finally:", last_indent + "    pass"],
    )
    for suffix in suffixes:
        source = "\n".join(prefix + [extra + line if line else line for line in body] + suffix) + "\n"
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ast.parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        return prefix, extra, suffix
    return None


def statement_span(tree: ast.Module, first: int, last: int) -> tuple[int, int] | None:
    """1-based (start, end) lines of the smallest statement (or compound header) holding first..last."""
    best: tuple[int, int] | None = None
    best_size = float("inf")
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt) or node.end_lineno is None:
            continue
        if node.lineno > first or node.end_lineno < last:
            continue  # cannot hold the lines (its header ends no later than the statement)
        body = getattr(node, "body", None)
        # A compound statement counts by its header only; its body holds statements of its own
        # (a body on the header's last line, ``) -> T: ...``, leaves that line to the header).
        end = (
            max(body[0].lineno - 1, _header_end(node)) if isinstance(body, list) and body else node.end_lineno
        )
        end = max(end, node.lineno)
        if node.lineno <= first and last <= end and end - node.lineno < best_size:
            best, best_size = (node.lineno, end), end - node.lineno
    return best


_BODIES = frozenset({"body", "orelse", "handlers", "finalbody", "cases"})


def _header_end(node: ast.stmt) -> int:
    """The last line of a compound statement's header: where its parts outside the bodies end."""
    end = node.lineno
    for field, value in ast.iter_fields(node):
        if field in _BODIES:
            continue
        for part in value if isinstance(value, list) else [value]:
            if isinstance(part, ast.AST):
                end = max([end, *(getattr(n, "end_lineno", None) or end for n in ast.walk(part))])
    return end


def parse_lines(lines: list[str]) -> ast.Module | None:
    """``lines`` parsed as a module, or None when they are not valid code."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse("\n".join(lines))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def format_lines(lines: list[str], mode: black.Mode) -> str | tuple[bool, str, str]:
    """black's formatting of ``lines`` (a statement at some indentation) at that indentation.

    Returns the formatted text, or ``(ok, code, message)`` when it cannot be formatted.
    """
    indent = common_indent(lines)
    body = [line[len(indent) :] if line.strip() else "" for line in lines]
    wrapper = wrap(body)
    if wrapper is None:
        return False, "BLK003", "black cannot parse the candidate's statement"
    prefix, extra, suffix = wrapper
    source = "\n".join(prefix + [extra + line if line else line for line in body] + suffix) + "\n"
    try:
        local_mode = dataclasses.replace(mode, line_length=max(mode.line_length - len(indent), 10))
        out = black.format_str(source, mode=local_mode).rstrip("\n").split("\n")
    except black.InvalidInput as exc:
        return False, "BLK003", f"black cannot parse the candidate's statement: {exc}"
    except Exception as exc:  # pylint: disable=broad-except  # black's own internal errors
        return False, "BLK005", f"not checked: black failed internally: {exc}"
    tail = out[len(out) - len(suffix) :]
    if out[: len(prefix)] != prefix or [t.strip() for t in tail] != [t.strip() for t in suffix]:
        return False, "BLK005", "not checked: black restructured the wrapper around the line"
    middle = out[len(prefix) : len(out) - len(suffix)]
    return "\n".join(indent + line[len(extra) :] if line.strip() else "" for line in middle)


def window_parses(lines: list[str]) -> bool:
    """Whether a window of a statement (the cursor's line blank) is valid code once dedented."""
    indent = common_indent([line for line in lines if line.strip()])
    return wrap([line[len(indent) :] if line.strip() else "" for line in lines]) is not None


def code_tokens(line: str) -> list[tokenize.TokenInfo]:
    """The tokens of one ``line`` of a statement, comments and line ends left out; the brackets it
    leaves open or closes do not matter (the tokens read before the tokenizer gives up count)."""
    out: list[tokenize.TokenInfo] = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(line.strip() + "\n").readline):
            if tok.type not in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER, tokenize.COMMENT):
                out.append(tok)
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    return out


@lru_cache(maxsize=4096)
def ends_with_comma(line: str) -> bool:
    """The code of ``line`` ends with a comma (a comment after it aside: ``"af_ZA", # Afrikaans``)."""
    tokens = code_tokens(line)
    return bool(tokens) and tokens[-1].string == ","


@lru_cache(maxsize=4096)  # every candidate of a slot asks it of the statement's same lines
def packs_elements(line: str) -> bool:
    """``line`` (one line of a bracketed statement) holds several elements and ends with the comma
    after the last: ``0x1, 0x2, 0x3,``.  black puts one element a line; a document that packs them
    lays the statement out its own way.  Commas inside the line's own brackets or strings do not count."""
    depth, commas = 0, 0
    tokens = code_tokens(line)
    for tok in tokens:
        if tok.type == tokenize.OP:
            depth += tok.string in "([{"
            depth -= tok.string in ")]}"
            commas += tok.string == "," and depth == 0
    return commas >= 2 and tokens[-1].string == ","
