"""Whose fault a pylint message is: the candidate's, or the text it did not write.

The pylint validator (validators/pylint_errors.py) counts a message against a candidate only
when it is on the candidate's lines and is the candidate's doing.  Two kinds of message are
not, beyond "pylint says the same elsewhere in the document" (which that module checks):

* :func:`in_typed`: a message wholly inside the text the user typed on the cursor's line;
* :func:`own_member`: pylint's no-member on a member the document itself uses as ``self.x``.

Each was found by running the validators on the true lines of packages gfv was never tuned
on (``scripts/measure_true_lines.py``): real code must pass.
"""

from __future__ import annotations

import re

_NO_MEMBER = re.compile(r"Instance of '[^']*' has no '([^\W\d]\w*)' member")


def own_member(msg: dict, reads: frozenset[str]) -> bool:
    """Whether ``msg`` is pylint's no-member on an instance for a member the document uses as
    ``self.x`` elsewhere: a mixin's (PyYAML's ``Scanner`` reads the ``Reader``'s ``self.peek()``).
    "pylint says the same elsewhere" misses it where the other uses are in functions that
    pylint's focused walk skips (validators/_focus.py): yaml's ``ch = self.peek()``."""
    found = _NO_MEMBER.match(msg["msg"]) if msg["msg_id"] == "E1101" else None
    return found is not None and found.group(1) in reads


def in_typed(msg: dict, origin: list[int | None], typed: tuple[int, int]) -> bool:
    """Whether pylint's message ``msg`` (on the linted source's lines) lies wholly in the text the
    user typed on the cursor's line (``typed``: that line, 1-based, and the typed length).

    Such a message is the user's, as the names validator leaves the typed names to the user:
    ``self._hash is not callable`` on a typed ``index = self._hash(key) % se`` (diskcache; an
    inference pylint gets wrong) would otherwise reject every completion of the line.  A
    message that reaches into the candidate's text (a call the candidate closes) is its own."""
    line, end_line, end_col = msg["line"], msg.get("end_line"), msg.get("end_column")
    if not typed[0] or not line or end_line != line or end_col is None:
        return False
    doc_line = origin[line - 1] if origin and line <= len(origin) else (None if origin else line)
    return doc_line == typed[0] and end_col <= typed[1]
