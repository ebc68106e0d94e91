"""gfv: generate, filter, validate. A local, CPU-first structured editor for code and tables.

This package is the headless core (documents, candidates, generators, ranker, pipeline)
plus the CLI.  It imports without Textual.
"""

__version__ = "0.1.0"
__gfv__ = True  # marker: lets the gfv entry point detect a shadowing "editor" package
