"""Greedy generation of a block: line by line, until the body ends.

The model continues the FIM middle one line at a time (``generate(stop="\\n")``), each
call starting from the context plus the middle so far, so the KV cache keeps everything
already evaluated.  The block ends at an end-of-generation token, an empty line, a line
indented less than the body (the dedent: that line's generation halts at its first word,
so the code after the body is not decoded to be dropped), a line that repeats the one
before it (greedy decoding fallen into a loop: seen on rich, where a one-line body went
on as the same call over and over), a line that makes the last two lines an earlier pair
of consecutive lines again (a loop of two or more lines: seen on click, where a body went
on as ``if ...:`` / ``complete_var = ...`` four times; both repeated lines are dropped,
and a block header left last with them), a whole ``return``, ``raise``, ``continue`` or
``break`` at the body's own indentation (what would follow it could never run),
``max_lines`` lines or ``max_tokens`` tokens.
Comment-only lines that end the body are dropped with their log-probabilities.

gfv's block draft (editor/generators/llm_block_draft.py) also gives a body up
(``abandoned``) where the rest would be decoded for nothing: after a line that dooms it
(``doomed``: it loads a name nothing binds, editor/names.py), or once its summed
log-probability falls below what it needs to be ranked first (``bar``: it only falls as
a body grows).
Used by gfv's ``llm_block_draft`` generator and by the ``qwen-direct`` block benchmark
system, so both spend their tokens the same way.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Callable, Sequence

from editor.ranking.generation import PromptLookup, heal_span


@dataclass
class BlockDraft:
    lines: list[str]  # the body's lines as generated (the first one after ``typed``)
    tokens: int = 0
    logprobs: list[float] = field(default_factory=list)  # of each generated token and each line's end
    abandoned: bool = False  # given up (module docstring): ``lines`` is not the body
    why: str = ""  # why it was given up


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _loop(lines: list[str]) -> int:
    """How many of the last ``lines`` (with their indentation) repeat a loop greedy decoding fell
    into: 1 when the last is the one before it again, 2 when the last two are an earlier
    pair of consecutive lines again, else 0."""
    if len(lines) >= 2 and lines[-1].strip() == lines[-2].strip():
        return 1
    last = lines[-2:]
    if len(lines) >= 4 and any(lines[j : j + 2] == last for j in range(len(lines) - 3)):
        return 2
    return 0


def _drop_loop(out: BlockDraft, repeats: int, marks: list[int]) -> None:
    """Drop the repeated lines (but the last, never appended) with their log-probabilities, then
    a block header left last, whose body was the loop."""
    keep = len(out.lines) - (repeats - 1)
    while keep > 0 and out.lines[keep - 1].rstrip().endswith(":"):
        keep -= 1
    _cut(out, keep, marks)


def _drop_comments(out: BlockDraft, marks: list[int]) -> None:
    """Drop the comment-only lines that end the body (never its first line), with their
    log-probabilities: a comment is no code, so the body ends at its last code line (the
    model's one-line body followed by a ``# type: ignore`` line is a one-line body)."""
    keep = len(out.lines)
    while keep > 1 and out.lines[keep - 1].lstrip().startswith("#"):
        keep -= 1
    if keep < len(out.lines):
        _cut(out, keep, marks)


def _cut(out: BlockDraft, keep: int, marks: list[int]) -> None:
    """Keep the body's first ``keep`` lines and their log-probabilities (``marks``: where each
    line's start in ``out.logprobs``)."""
    del out.lines[keep:]
    del out.logprobs[marks[keep] :]


_JUMPS = ("return", "raise", "continue", "break")


def _ends_flow(line: str, indent: str, first: bool) -> bool:
    """A whole ``return``/``raise``/``continue``/``break`` statement at the body's own indentation
    (``first``: the body's first line, whose indentation was typed): nothing after it in the body
    would ever run, so the body is over (the rest would be decoded to show dead code)."""
    code = line.strip()
    if not first and _indent(line) != len(indent):
        return False
    if re.split(r"[\s(]", code, maxsplit=1)[0] not in _JUMPS:
        return False
    try:
        ast.parse(code)  # a whole statement, not ``return (`` with more lines to come
    except SyntaxError:
        return False
    return True


def _halt(out: BlockDraft, indent: str, bar) -> Callable[[str, list[float]], bool]:
    """Where a later line stops: at its first word if that shows the dedent, or below the bar."""

    def halt(text: str, lps: list[float]) -> bool:
        if not text.strip():
            return False
        if _indent(text) < len(indent):
            return True  # the body is over: the rest of the line would be decoded to be dropped
        if bar is None:
            return False
        sofar = [*out.logprobs, *lps]
        floor = bar(sofar)
        out.abandoned = floor is not None and sum(sofar) < floor
        if out.abandoned:
            out.why = f"cannot be ranked first: log-probability {sum(sofar):.2f} < {floor:.2f}"
        return out.abandoned

    return halt


def generate_block(  # pylint: disable=too-many-arguments,too-many-locals
    scorer, context: list[int], typed: str, indent: str, *, max_lines: int = 8, max_tokens: int = 160,
    lookahead: Sequence[str] = (), heal: bool = False, lookup: bool = False,
    bar: Callable[[list[float]], float | None] | None = None, doomed: Callable[[list[str]], str] | None = None,
) -> BlockDraft:  # fmt: skip
    """The greedy block after ``context`` + ``typed`` (see the module docstring).

    ``lookahead``: texts that may continue ``typed`` (cheap candidates, the line draft),
    offered to ``scorer.generate`` as speculative drafts line by line.  ``heal``: the first
    line is token-healed as ``llm_draft``'s line is (``heal_span``), so that it follows the
    line draft's tokens, already in the KV cache with their distributions: when greedy
    decoding agrees with it (it does: same prompt, same rule), that line costs no decode call.
    ``lookup``: the context's repeats are speculative drafts too (prompt lookup, see
    editor/ranking/generation.py); gfv's block draft uses it when ``ranker.prompt_lookup`` is set.
    ``bar``: from the log-probabilities of the body's tokens so far, the sum below which it
    is abandoned, or None (no bar yet); asked on the lines after the first, once their first
    word shows they are no dedent (a body that ends after one line never asks).
    ``doomed``: asked with the body's lines after each line that the model goes on from;
    a non-empty answer (why the body cannot pass) abandons it there.
    """
    out = BlockDraft([])
    middle = typed
    index = PromptLookup(context) if lookup else None  # one index for every line's call
    marks: list[int] = []  # where each line's log-probabilities start in ``out.logprobs``
    for i in range(max_lines):
        healed = heal_span(typed) if heal and i == 0 else ""
        base = scorer.tokenize(middle[: len(middle) - len(healed)])
        drafts = []
        for text in lookahead:
            full = typed + text
            if full.startswith(middle) and len(full) > len(middle):
                toks = scorer.tokenize(full)
                if toks[: len(base)] == base:
                    drafts.append(toks[len(base) :])
        halt = _halt(out, indent, bar) if i else None
        text, n = scorer.generate(context + base, max_tokens=max(max_tokens - out.tokens, 1), stop="\n",
                                  lookahead=drafts, heal=healed, halt=halt,
                                  lookup=index)  # fmt: skip
        if healed:
            if not text.startswith(healed):
                break
            text = text[len(healed) :]
        out.tokens += n
        lps = list(scorer.last_logprobs)
        marks.append(len(out.logprobs))
        out.logprobs.extend(lps)
        if out.abandoned:
            break
        by_stop = n >= 1 and len(lps) == n  # the line ended with "\n": the model goes on
        line = middle.rsplit("\n", 1)[-1] + text
        if not line.strip() or (out.lines and _indent(line) < len(indent)):
            break  # an empty line or the dedent: the body is over
        repeats = _loop([typed + out.lines[0], *out.lines[1:], line]) if out.lines else 0
        if repeats:
            _drop_loop(out, repeats, marks)
            break  # greedy decoding has fallen into a loop
        if not out.lines:
            first = line[len(typed) :]
            # the typed indentation already sits before the cursor (as qwen-direct's line completion
            # strips it): the model's own leading spaces would indent the first line twice
            out.lines.append(first.lstrip(" ") if typed[-1:].isspace() else first)
        else:
            out.lines.append(line)
        middle = middle + text + "\n"
        if not by_stop or out.tokens >= max_tokens or _ends_flow(out.lines[-1], indent, len(out.lines) == 1):
            break
        out.why = doomed(out.lines) if doomed is not None and i + 1 < max_lines else ""
        if out.why:
            out.abandoned = True
            break
    if not out.abandoned:
        _drop_comments(out, marks)
    return out
