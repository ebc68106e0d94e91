"""gfv's validators: each module registers one validator with ``editor.stages.validators``.

Stable verdict codes are listed in docs/verdict-codes.md.
"""

__gfv__ = True  # marker: lets the gfv entry point detect a shadowing "validators" package
