"""The headless core must import without Textual (harlequin-style import contract)."""

import subprocess
import sys

CORE = ["editor.pipeline", "editor.stages", "editor.cli.main", "editor.ranking.llm", "validators"]


def test_core_imports_without_textual():
    code = (
        "import sys\n"
        f"for m in {CORE!r}: __import__(m)\n"
        "from editor.stages import load_builtin_stages; load_builtin_stages()\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
