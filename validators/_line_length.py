"""The line length a document is written to, when its project does not say.

black's line length is the project's ``[tool.black] line-length``; without one it is black's
88.  Many projects format to 100 or 120 and say so in a pyproject.toml that does not ship
with their code (an installed package, a file copied out of its repository).  Judged at 88,
such a document's real lines are "too long for black's style" (``BLK004``: pydantic's
113-character lines at 88), and every candidate that completes one is refused or split.

So, as for quotes (validators/_string_style.py), the "black" validator follows the document
when the project does not say: a document with at least :data:`MIN_LONG` code lines longer
than the default is written to a longer length, taken as its :data:`MIN_LONG`-th longest
code line (a couple of unsplittable strings do not set it), at most :data:`MAX_LENGTH`.
"""

from __future__ import annotations

from functools import lru_cache

MIN_LONG = 3  # fewer long lines than this: a few unsplittable strings, not the document's length
MAX_LENGTH = 120  # the longest line length projects commonly choose


@lru_cache(maxsize=8)
def document_line_length(text: str, default: int) -> int:
    """The line length ``text`` is written to: ``default`` unless at least :data:`MIN_LONG`
    lines (comment lines aside) are longer; then the :data:`MIN_LONG`-th longest of them,
    at most :data:`MAX_LENGTH` and never below ``default``."""
    longer = sorted(
        (n for n in map(len, _code_lines(text)) if n > default),
        reverse=True,
    )
    if len(longer) < MIN_LONG:
        return default
    return max(default, min(longer[MIN_LONG - 1], MAX_LENGTH))


def _code_lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.split("\n") if not line.lstrip().startswith("#")]
