"""The ``gfv`` console script.

gfv's top-level packages are called ``editor`` and ``validators``, like two popular
PyPI packages.  If either is installed in the same environment, one shadows the
other; this launcher has a unique name, so it can notice and say so plainly.
"""

from __future__ import annotations

import importlib
import sys

_ADVICE = (
    "gfv: the package {name!r} imported from {where} is not gfv's.\n"
    "Another installed package called {name!r} shadows gfv's own. Install gfv in its own\n"
    "environment: `pipx install .` or `uv tool install .` (or the repo's .venv via scripts/setup.sh)."
)


def shadowed_packages() -> list[tuple[str, str]]:
    """Names of gfv's top-level packages that resolve to something else, with where from."""
    bad = []
    for name in ("editor", "validators"):
        try:
            module = importlib.import_module(name)
        except ImportError as exc:  # pragma: no cover - broken install
            bad.append((name, f"nowhere ({exc})"))
            continue
        if not getattr(module, "__gfv__", False):
            bad.append((name, str(getattr(module, "__file__", "?"))))
    return bad


def main(argv: list[str] | None = None) -> int:
    bad = shadowed_packages()
    if bad:
        for name, where in bad:
            print(_ADVICE.format(name=name, where=where), file=sys.stderr)
        return 2
    from editor.cli.main import main as cli_main  # pylint: disable=import-outside-toplevel

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
