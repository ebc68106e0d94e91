"""How often the n-gram generator proposes the true rest of a line (no LLM, no validators).

The tasks are ``gfv bench code``'s (the same split, seed and cut), and the n-gram model is
trained as the bench trains it (the repository's other files and the stdlib).  For each
task the generator is asked for its first ``--limit`` candidates; the script prints, for
the lines that start a statement and for those that continue one inside brackets
(editor/logical_lines.py), how many tasks there are and how often the truth is first and
among the candidates (docs/benchmarks.md, "Code, round 16").  ``--without-lead``: the
generator as it was before it continued open statements (every line searched as a statement).

    python scripts/measure_ngram_recall.py .venv/lib/python3.11/site-packages/click --cut random --tasks 80
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from editor.bench.metrics import squash
from editor.bench.tasks import sample_tasks, split_files, training_corpus
from editor.config import Config
from editor.generators import ngram
from editor.generators.ngram import NgramGenerator
from editor.logical_lines import open_statement
from editor.ngram.model import NgramModel
from editor.ngram.train import train


def measure(repo: Path, cut: str, tasks: int, seed: int, limit: int) -> dict[str, dict[str, int]]:
    config = Config()
    train_files, held_out = split_files(repo, 0.2, seed)
    corpus = training_corpus(repo, train_files, held_out, False)
    info = train(corpus, order=config.generators.order, set_current=False)
    generator = NgramGenerator(NgramModel.load(info.path), config.generators)
    counts = {kind: {"tasks": 0, "first": 0, "any": 0} for kind in ("statement", "continued")}
    for task in sample_tasks(held_out, tasks, seed, cut):
        slot = task.slot()
        above = "".join(line + "\n" for line in slot.document.lines[: slot.line])
        kind = "statement" if open_statement(above) is None else "continued"
        texts = [squash(c.text) for c in generator.generate(slot, limit)]
        truth = squash(task.truth)
        tally = counts[kind]
        tally["tasks"] += 1
        tally["first"] += bool(texts) and texts[0] == truth
        tally["any"] += truth in texts
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("repo", type=Path)
    parser.add_argument("--cut", choices=["start", "random"], default="random")
    parser.add_argument("--tasks", type=int, default=80)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=int, default=12)
    parser.add_argument("--without-lead", action="store_true")
    args = parser.parse_args()
    if args.without_lead:
        ngram.statement_lead = lambda lines, row: None
    print(json.dumps(measure(args.repo, args.cut, args.tasks, args.seed, args.limit)))


if __name__ == "__main__":
    main()
