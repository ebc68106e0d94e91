"""Helpers shared by the table validators (the leading underscore keeps it out of the registry scan)."""

from __future__ import annotations

from typing import Any, Callable, Sequence

from editor.candidates import Candidate, Verdict


def per_candidate(
    name: str,
    slot: Any,
    candidates: Sequence[Candidate],
    judge: Callable[[list[str]], list[Verdict]],
    bad_row_code: str,
) -> list[list[Verdict]]:
    """Judge each candidate's full row; a text that is not a row gets ``bad_row_code``."""
    out = []
    for cand in candidates:
        try:
            row = slot.candidate_row(cand.text)
        except ValueError as exc:
            out.append([Verdict(name, False, bad_row_code, str(exc), details={"text": cand.text})])
            continue
        out.append(judge(row))
    return out


def cell(slot: Any, column: str, value: str) -> dict[str, Any]:
    """A failing cell as reported in verdict details: 1-based data row, column, value."""
    return {"row": slot.row + 1, "column": column, "value": value}
