"""``gfv batch``: headless suggestions for many slots, resumable, across worker processes.

:mod:`editor.batch.tasks` reads tasks and keeps the results file whole and
resumable; :mod:`editor.batch.runner` plans workers and memory and runs the
pipeline, loaded once per worker.  See docs/check.md.
"""
