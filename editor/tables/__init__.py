"""Tables: CSV/TSV documents, their pandera schemas and cross-table rules.

Light on import: pandas and pandera are imported only inside the functions that need
them (``gfv[tables]`` extra), so the core and ``gfv check`` on Python files stay light.
"""

TABLE_SUFFIXES = (".csv", ".tsv")
