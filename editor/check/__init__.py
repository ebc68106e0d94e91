"""``gfv check``: whole-file validation for the pre-commit hook and CI (see docs/check.md).

File checkers register in :mod:`editor.check.checkers` and are picked per file by
glob; :mod:`editor.check.python` is the Python one.  Nothing here imports the
model, n-gram, TUI or table stacks.
"""
