"""The ``declara`` entry point: the window without arguments, the command line with them, and
``--self-test`` (offscreen, no display needed) to check an installation."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def wants_window(args: Sequence[str]) -> bool:
    """No command (only ``--lang``), or the ``gui`` command: open the window."""
    from desktop.i18n import split_language_option

    _lang, rest = split_language_option(args)
    return not rest or rest[0] == "gui"


def main(argv: Sequence[str] | None = None) -> int:
    from desktop.hardening import disable_core_dumps

    disable_core_dumps()  # first: no crash dump may hold the data key (docs/security.md)
    args = list(sys.argv[1:] if argv is None else argv)
    if "--self-test" in args:
        from ui.selftest import main as self_test

        return self_test(args)
    if wants_window(args):
        import gc

        # No garbage collection until the first page is shown: start-up makes hundreds of thousands
        # of objects (Qt's types, the modules) and none of them is garbage; the collector's passes
        # over them cost about as much as a tenth of the start. MainWindow.build_features turns it
        # back on, after freezing what start-up made (gc.freeze: never scanned again).
        gc.disable()
        from ui.app import run

        return run([a for a in args if a != "gui"])
    from desktop.cli import main as cli_main

    return cli_main(args)
