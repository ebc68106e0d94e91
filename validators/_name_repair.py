"""The repair pylint's undefined-name verdict (``PYL-E0602``) offers: the close name in scope.

A generator often proposes a partial or misspelt identifier (``resul`` for ``result``,
``lenght`` for ``length``).  :func:`name_repairs` replaces the undefined name in the
candidate by a name in scope at the slot (:func:`editor.scope.scope_at`, plus the
builtins) when one is very close: the undefined name is a prefix of exactly one name
in scope, or :func:`difflib.SequenceMatcher` rates them at least ``CUTOFF`` (for names
of ``MIN_FUZZY`` characters or more).

Only the candidate's text changes: an occurrence that lies wholly in the typed text is
left alone, and one that starts in the typed text (``coun`` typed, ``t`` proposed) is
only replaced by a name that starts with the typed part: then the names that do are the
repairs, closest first, however far the candidate's name is from them (``te`` typed, the
model's ``ternary`` becomes ``temporary``).  Names inside strings and comments are not
touched.  :func:`attribute_repairs` does the same for ``self.x`` (the names validator's
``NAM002``), from the class's members.
"""

from __future__ import annotations

import builtins
import difflib
import io
import re
import tokenize
from typing import Sequence

from editor.candidates import Candidate, Verdict
from editor.document import Slot
from editor.scope import scope_at

CUTOFF = 0.8
MIN_FUZZY = 4  # shorter names are too often "close" to anything (val ~ eval)
MAX_REPAIRS = 3
_UNDEFINED = re.compile(r"Undefined variable '([^']+)'")
BUILTINS = [name for name in dir(builtins) if not name.startswith("_")]


def undefined_name(message: str) -> str | None:
    """The name in pylint's ``Undefined variable 'x'`` message, or None."""
    match = _UNDEFINED.search(message or "")
    return match.group(1) if match else None


def _closest(name: str, names: list[str], begun: str = "") -> list[str]:
    """In-scope names that ``name`` plausibly stands for, best first.

    ``begun``: the part of ``name`` the user typed (the candidate completes it): then the names
    that start with it, the closest to ``name`` first (a model that wrote ``ternary`` after
    ``te`` typed meant a name starting ``te``)."""
    names = [n for n in dict.fromkeys(names) if n != name]
    if begun:
        started = [n for n in names if n.startswith(begun)]
        started.sort(key=lambda n: -difflib.SequenceMatcher(None, name, n).ratio())  # stable: scope order
        return started[:MAX_REPAIRS]
    prefixed = [n for n in names if n.startswith(name)]
    out = prefixed if len(prefixed) == 1 else []
    fuzzy = (
        difflib.get_close_matches(name, names, n=MAX_REPAIRS, cutoff=CUTOFF) if len(name) >= MIN_FUZZY else []
    )
    for close in fuzzy:
        if close not in out:
            out.append(close)
    return out[:MAX_REPAIRS]


def _name_spans(source: str, name: str, attribute: bool = False) -> list[tuple[int, int]]:
    """(start, end) offsets of ``name`` as an identifier in ``source``: not after a dot, or
    (``attribute``) only as ``self.name``."""
    starts = [0]
    for line in source.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    spans: list[tuple[int, int]] = []
    previous: tuple[str | None, str | None] = (None, None)
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.NAME and tok.string == name:
                wanted = previous == ("self", ".") if attribute else previous[1] != "."
                if wanted:
                    start = starts[tok.start[0] - 1] + tok.start[1]
                    spans.append((start, start + len(name)))
            if tok.type not in (tokenize.NL, tokenize.COMMENT):
                previous = (previous[1], tok.string)
    except (tokenize.TokenError, SyntaxError):  # an open bracket at the end: the spans so far
        pass
    return spans


def _replace(line: str, cut: int, spans: list[tuple[int, int]], new: str) -> str | None:
    """The candidate's part of ``line`` (after ``cut``) with the name at ``spans`` replaced by ``new``
    where the candidate may change it, or None."""
    out, changed, last = [], False, 0
    for start, end in spans:
        if end <= cut:
            continue  # wholly typed: not the candidate's to change
        if start < cut and not new.startswith(line[start:cut]):
            return None  # the typed part of the name cannot become ``new``
        out.append(line[max(last, cut) : max(start, cut)])
        out.append(new[max(cut - start, 0) :])
        last, changed = end, True
    if not changed:
        return None
    out.append(line[max(last, cut) :])
    return "".join(out)


def _renamed(typed: str, text: str, name: str, names: list[str], attribute: bool) -> list[tuple[str, str]]:
    """``[(repaired text, new name)]``: ``text`` with ``name`` (``self.name``: ``attribute``) replaced
    by each of :func:`_closest`'s names; the part of it the user began (typed) chooses them."""
    line, cut = typed + text, len(typed)
    spans = _name_spans(line, name, attribute)
    begun = next((line[start:cut] for start, end in spans if start < cut < end), "")
    out = []
    for new in _closest(name, names, begun):
        repaired = _replace(line, cut, spans, new)
        if repaired is not None and repaired != text:
            out.append((repaired, new))
    return out


def name_repairs(
    slot: Slot, text: str, undefined: str | None, in_scope: list[str] | None = None
) -> list[tuple[str, str]]:
    """Candidate ``text`` with the undefined name replaced by each close in-scope name.

    Returns ``[(repaired candidate, description)]``, best first; empty when no name in
    scope is close enough or the name does not occur in the candidate's part of the line.
    ``in_scope``: :func:`scope_names` of ``slot``, when the caller keeps it (it parses the document).
    """
    if not undefined or not text.strip():
        return []
    names = scope_names(slot) if in_scope is None else in_scope
    return [
        (repaired, f"replaced the undefined name '{undefined}' by '{new}' (in scope)")
        for repaired, new in _renamed(slot.typed, text, undefined, names, attribute=False)
    ]


def attribute_repairs(slot: Slot, text: str, missing: str, members: list[str]) -> list[tuple[str, str]]:
    """Candidate ``text`` with ``self.missing``, which the class lacks, replaced by each close member
    of ``members`` (the names validator's ``NAM002``), chosen as :func:`name_repairs` chooses names."""
    return [
        (repaired, f"replaced 'self.{missing}', which the class lacks, by 'self.{new}'")
        for repaired, new in _renamed(slot.typed, text, missing, members, attribute=True)
    ]


def scope_names(slot: Slot) -> list[str]:
    """The names a repair may use at ``slot``: those in scope, most recent first, then the builtins."""
    return [*scope_at(slot).all_names(), *BUILTINS]


def add_name_repairs(
    slot: Slot, candidates: Sequence[Candidate], verdicts: Sequence[list[Verdict] | None]
) -> None:
    """Attach :func:`name_repairs` to every ``PYL-E0602`` verdict (one verdict list per candidate)."""
    for cand, judged in zip(candidates, verdicts):
        for verdict in judged or []:
            if verdict.code == "PYL-E0602" and not verdict.ok:
                verdict.repairs = name_repairs(slot, cand.text, undefined_name(verdict.message))
