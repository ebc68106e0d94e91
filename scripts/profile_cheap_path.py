"""Per-stage latency of the pipeline's cheap path (no LLM) on slots cut from one file.

    python scripts/profile_cheap_path.py FILE [--slots 16] [--seed 0] [--cut random|start|both]
        [--dump OUT.json] [--root REPO] [--compare OTHER_REPO] [--repeat 1]

Slots are cut like ``gfv bench`` tasks (editor/bench/tasks.py: the target line cut at
the cursor, the rest of the file kept).  One ``Pipeline(Config(), None)`` with
``post_rank = []`` serves every request, as in the editor; per stage (generate.*,
validate.syntax, validate.black, repair.*) and for their sum ("cheap") the median and
p95 over the requests are printed, in ms.

``--root`` imports gfv from another checkout (default: this script's).  ``--compare``
runs the same requests with the code of another checkout in a second process and
checks that every candidate got the same verdicts (validator, ok, code, message,
line, col, replacement, repairs, details) there: the fast paths must change no verdict.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def _setup_path(root: Path) -> None:
    sys.path.insert(0, str(root))
    os.chdir(root)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    idx = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[idx]


def _verdicts(cand) -> list[dict]:
    out = []
    for v in cand.verdicts:
        out.append(
            {
                "validator": v.validator,
                "ok": v.ok,
                "code": v.code,
                "message": v.message,
                "line": v.line,
                "col": v.col,
                "replacement": v.replacement,
                "repairs": [list(r) for r in v.repairs],
                "details": json.loads(json.dumps(v.details, default=str)),
            }
        )
    return out


def run(args: argparse.Namespace) -> dict:
    _setup_path(Path(args.root).resolve() if args.root else HERE)
    from editor.bench.tasks import sample_tasks  # pylint: disable=import-outside-toplevel
    from editor.config import Config  # pylint: disable=import-outside-toplevel
    from editor.pipeline import Pipeline  # pylint: disable=import-outside-toplevel

    config = Config()
    config.validators.post_rank = []
    pipe = Pipeline(config, None)
    path = Path(args.file).resolve()
    cuts = ["random", "start"] if args.cut == "both" else [args.cut]
    per_cut = max(1, args.slots // len(cuts))
    tasks = [t for cut in cuts for t in sample_tasks([path], per_cut, args.seed, cut=cut)]
    stages: dict[str, list[float]] = {}
    records = []
    for _ in range(args.repeat):
        for task in tasks:
            slot = task.slot()
            t0 = time.perf_counter()
            result = pipe.suggest(slot)
            wall = (time.perf_counter() - t0) * 1000
            timings = dict(result.timings_ms)
            cheap = {
                k: v for k, v in timings.items() if k.startswith(("generate.", "validate.", "repair."))
            }
            groups = {
                "generate": sum(v for k, v in cheap.items() if k.startswith("generate.")),
                "syntax": sum(v for k, v in cheap.items() if k == "validate.syntax"),
                "black": sum(v for k, v in cheap.items() if k == "validate.black"),
                "repair": sum(v for k, v in cheap.items() if k.startswith("repair.")),
            }
            groups["cheap"] = sum(groups.values())
            groups["wall"] = wall
            for key, value in {**cheap, **groups}.items():
                stages.setdefault(key, []).append(value)
            cands = result.candidates + result.unshown + result.rejected
            records.append(
                {
                    "line": task.line,
                    "col": task.col,
                    "candidates": sorted(
                        ([c.origin.get("original_text", c.text), c.text, _verdicts(c)] for c in cands),
                        key=lambda r: (r[0], r[1]),
                    ),
                }
            )
    return {"stages": stages, "records": records, "n_requests": len(tasks) * args.repeat}


def _report(name: str, data: dict) -> None:
    print(f"{name}: {data['n_requests']} requests")
    print(f"{'stage':<28} {'median':>9} {'p95':>9} {'max':>9}")
    order = ["generate", "syntax", "black", "repair", "cheap", "wall"]
    keys = [k for k in data["stages"] if k not in order] + order
    for key in keys:
        values = data["stages"].get(key, [])
        if not values:
            continue
        print(
            f"{key:<28} {statistics.median(values):9.1f} {_percentile(values, 0.95):9.1f} {max(values):9.1f}"
        )


def _compare(mine: dict, theirs: dict) -> int:
    bad = 0
    total = 0
    for a, b in zip(mine["records"], theirs["records"]):
        total += len(a["candidates"])
        if a["candidates"] != b["candidates"]:
            bad += 1
            mine_by = {(r[0], r[1]): r[2] for r in a["candidates"]}
            theirs_by = {(r[0], r[1]): r[2] for r in b["candidates"]}
            for key in sorted(set(mine_by) | set(theirs_by)):
                if mine_by.get(key) != theirs_by.get(key):
                    print(f"DIFF line {a['line'] + 1} col {a['col']} cand {key!r}:")
                    print(f"   this:  {mine_by.get(key)}")
                    print(f"   other: {theirs_by.get(key)}")
    print(f"verdicts compared: {total} candidates in {len(mine['records'])} requests, {bad} requests differ")
    return bad


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("file")
    parser.add_argument("--slots", type=int, default=16)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cut", choices=["random", "start", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--root", help="import gfv from this checkout")
    parser.add_argument("--dump", help="write stages and verdicts as JSON here")
    parser.add_argument("--compare", help="another checkout whose verdicts must be the same")
    args = parser.parse_args()
    data = run(args)
    if args.dump:
        Path(args.dump).write_text(json.dumps(data), encoding="utf-8")
    _report(f"{args.file} ({args.root or HERE})", data)
    if not args.compare:
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "other.json"
        cmd = [sys.executable, str(Path(__file__).resolve()), str(Path(args.file).resolve())]
        cmd += ["--slots", str(args.slots), "--seed", str(args.seed), "--cut", args.cut]
        cmd += ["--repeat", str(args.repeat), "--root", args.compare, "--dump", str(out)]
        subprocess.run(cmd, check=True)
        theirs = json.loads(out.read_text(encoding="utf-8"))
    return 1 if _compare(data, theirs) else 0


if __name__ == "__main__":
    sys.exit(main())
