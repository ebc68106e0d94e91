"""The Textual editor (``gfv edit``). The only package that may import Textual.

Import :mod:`editor.tui.app` for the app; this package's ``__init__`` stays Textual-free.
"""
