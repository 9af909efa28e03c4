"""Declara core: the encrypted vault, the case model, case files and the CLI.

Nothing in this package may import PySide6 (tests/desktop/test_no_qt.py enforces it).
"""

__version__ = "0.1.0"
