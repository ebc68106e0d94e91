"""Running validators on candidates: verdicts, rewrites that must pass their own validator, repairs.

The pipeline (editor/pipeline.py) decides *which* candidates are validated when; this
module is *how*: each validator's verdicts are appended to each candidate's trace; a
validator that offers a rewrite (black's formatting) replaces the candidate's text, and
the rewrite must pass that validator as shown; a failed candidate's repairs (a missing
``:``, a bracket, a close name in scope) become new candidates.
"""

from __future__ import annotations

import copy
import time

from editor.candidates import Candidate, Verdict
from editor.document import Slot
from editor.stages import judged

# Subtracted from a repaired candidate's cheap and n-gram scores: the generator did not propose it as is.
REPAIR_PENALTY = 1.0


def run_validators(
    stages: list, slot: Slot, cands: list[Candidate], timings: dict[str, float], prefix: str = ""
) -> None:
    """Each of ``stages`` in order on the candidates still ok that it has not judged yet.

    A validator that crashed or gave a wrong number of verdict lists leaves its candidates
    "not checked" (``GFV011``, :func:`editor.stages.judged`).  Its time goes to
    ``timings[prefix + "validate." + name]``.
    """
    for validator in stages:
        live = [c for c in cands if c.ok and not any(v.validator == validator.name for v in c.verdicts)]
        if not live:
            continue
        start = time.perf_counter()
        replaced = []
        for cand, verdicts in zip(live, judged(validator, slot, live)):
            cand.verdicts.extend(verdicts)
            for verdict in verdicts:
                if verdict.ok and verdict.replacement is not None and verdict.replacement != cand.text:
                    cand.origin.setdefault("original_text", cand.text)
                    cand.text = verdict.replacement
                    replaced.append(cand)
        recheck(validator, slot, [c for c in replaced if c.ok])
        timings[f"{prefix}validate.{validator.name}"] = (time.perf_counter() - start) * 1000


def recheck(validator, slot: Slot, replaced: list[Candidate]) -> None:
    """The text a validator offered instead (black's formatting) must pass that validator as shown."""
    if not replaced:
        return
    for cand, verdicts in zip(replaced, judged(validator, slot, replaced)):
        stable = all(v.ok and v.replacement in (None, cand.text) for v in verdicts)
        if stable:
            cand.verdicts.extend(verdicts)
        else:
            why = "; ".join(f"{v.code} {v.message}" for v in verdicts)[:200]
            cand.verdicts.append(
                Verdict.not_checked(
                    validator.name, "GFV010", f"not checked: its own rewrite does not pass it: {why}"
                )
            )


def repairs_of(cands: list[Candidate]) -> list[Candidate]:
    """New candidates from the repairs that validators offered for the failed ``cands`` (one round).

    A repaired candidate keeps its original's source, kind and origin (plus
    ``repaired_from``, ``repair``, ``repaired_by``) and scores, less ``REPAIR_PENALTY`` on
    ``cheap`` and ``ngram``; a repair its validator marks as a cut (``details["cuts"]``: the
    names validator's cut before an undefined name) drops the draft's ``draft_min_p`` (the
    model was sure of the tokens cut, not of ending there; a syntax repair that drops a
    stray closer keeps it).  A
    repaired candidate's own failures are not repaired again, nor are those of a candidate
    whose origin says ``no_repairs`` (why), and a text that is already a candidate is not
    added twice.  The caller validates them
    like any other (the pipeline: by every pre-rank validator from the first).  Repairs
    offered by post-rank validators (pylint's undefined-name repair) are not applied by the
    pipeline: they stay in the verdict, in the trace.
    """
    known = {c.text for c in cands}
    repaired: list[Candidate] = []
    for cand in cands:
        if cand.ok or "repaired_from" in cand.origin or "no_repairs" in cand.origin:
            continue
        for verdict in cand.failures:
            for text, what in verdict.repairs:
                if text in known or not text.strip():
                    continue
                known.add(text)
                scores = dict(cand.scores)
                for key in ("cheap", "ngram"):
                    if key in scores:
                        scores[key] = round(scores[key] - REPAIR_PENALTY, 4)
                origin = {
                    **copy.deepcopy(cand.origin),
                    "repaired_from": cand.text,
                    "repair": what,
                    "repaired_by": verdict.validator,
                }
                if text in verdict.details.get("cuts", ()):  # the model was sure of the tokens cut,
                    origin.pop("draft_min_p", None)  # not of ending there
                repaired.append(Candidate(text, cand.source, cand.kind, scores, origin=origin))
    return repaired
