"""Real code must pass: run gfv's validators on the true rest of the line of the code bench's tasks.

For each installed package named, the tasks ``gfv bench code`` would sample (same files held
out, same cut and seed) are built, and the truth, the rest of the line the user would type,
is judged by every validator the pipeline runs on a candidate (``validators.pre_rank`` then
``validators.post_rank`` of the default config), as a candidate would be.  No model, no
generator.  Every refusal printed is either a validator that refuses real code (a bug to mend:
nothing right can be shown there) or an error pylint finds in the package itself.

    python scripts/measure_true_lines.py toolz diskcache --tasks 80 --cut random --seed 0
    python scripts/measure_true_lines.py --site /path/to/site-packages pluggy
"""

from __future__ import annotations

import argparse
import sysconfig
from collections import Counter
from pathlib import Path

from editor.candidates import Candidate
from editor.config import Config
from editor.bench.tasks import sample_tasks, split_files
from editor.stages import StageContext, load_builtin_stages, validators


def judge_truths(package: Path, tasks: int, cut: str, seed: int) -> tuple[int, list[tuple[object, list]]]:
    """(tasks judged, [(task, failing verdicts)]) for ``package``'s bench tasks."""
    load_builtin_stages()
    config = Config()
    ctx = StageContext(config)
    names = [*config.validators.pre_rank, *config.validators.post_rank]
    checks = [validators.get(name)(ctx) for name in names]
    _, held_out = split_files(package, 0.2, seed)
    refused = []
    sampled = sample_tasks(held_out, tasks, seed, cut)
    for task in sampled:
        slot = task.slot()
        cand = Candidate(task.truth, "truth")
        for check in checks:
            if not cand.ok:
                break
            cand.verdicts.extend(check.validate(slot, [cand])[0])
        if not cand.ok:
            refused.append((task, [v for v in cand.verdicts if not v.ok]))
    return len(sampled), refused


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("packages", nargs="+")
    parser.add_argument("--site", type=Path, default=Path(sysconfig.get_paths()["purelib"]))
    parser.add_argument("--tasks", type=int, default=80)
    parser.add_argument("--cut", choices=("random", "start"), default="random")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    codes: Counter[str] = Counter()
    for name in args.packages:
        judged, refused = judge_truths(args.site / name, args.tasks, args.cut, args.seed)
        print(f"{name}: {len(refused)} of {judged} true lines refused")
        for task, verdicts in refused:
            first = verdicts[0]
            codes[first.code] += 1
            where = f"{task.path.relative_to(args.site)}:{task.line + 1}"
            print(f"  {where}: {first.code} {first.message[:110]}")
            print(f"    typed {task.text.split(chr(10))[task.line]!r} + truth {task.truth!r}")
    print("by code:", dict(codes.most_common()))


if __name__ == "__main__":
    main()
