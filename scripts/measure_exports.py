"""How often the exports generator proposes the right ``__all__`` entry (no LLM, no validators).

For every line of the given installed packages that is one string entry of an open
``__all__`` list, the line is emptied to its indentation and
:class:`editor.generators.exports.ExportsGenerator` asked for candidates there.  Prints, per
package, the share of entries that are the generator's first, among its first four (the
room the start-of-line list has after the model's line) and anywhere (docs/benchmarks.md,
"Code, round 15").

    python scripts/measure_exports.py hypothesis pydantic
    python scripts/measure_exports.py --site /path/to/site-packages dateutil
"""

from __future__ import annotations

import argparse
import re
import sysconfig
from pathlib import Path

from editor.document import Document
from editor.generators.exports import ExportsGenerator, all_list_start

ENTRY = re.compile(r"""\s*(['"])\w+\1,?\s*""")


def measure(package: Path) -> tuple[int, int, int, int]:
    """(entries, first, among the first four, anywhere) over ``package``'s ``.py`` files."""
    gen = ExportsGenerator()
    counts = [0, 0, 0, 0]
    for path in sorted(package.rglob("*.py")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if "__all__" not in text:
            continue
        lines = text.split("\n")
        for row, line in enumerate(lines):
            if not ENTRY.fullmatch(line) or all_list_start(lines, row) is None:
                continue
            indent = line[: len(line) - len(line.lstrip())]
            doc = Document("\n".join([*lines[:row], indent, *lines[row + 1 :]]), path)
            got = [c.text.strip().rstrip(",") for c in gen.generate(doc.slot(row, len(indent)), 40)]
            truth = line.strip().rstrip(",")
            for i, hit in enumerate((True, got[:1] == [truth], truth in got[:4], truth in got)):
                counts[i] += hit
    return counts[0], counts[1], counts[2], counts[3]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("packages", nargs="+")
    parser.add_argument("--site", type=Path, default=Path(sysconfig.get_paths()["purelib"]))
    args = parser.parse_args(argv)
    for name in args.packages:
        n, first, four, anywhere = measure(args.site / name)
        share = [x / n if n else 0.0 for x in (first, four, anywhere)]
        print(f"{name:20s} entries {n:5d} top1 {share[0]:.3f} top4 {share[1]:.3f} any {share[2]:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
