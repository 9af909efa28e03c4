"""``declara vault …`` commands: recovery (being written)."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def add_parser(
    vault_cmds: argparse._SubParsersAction, vault_arg: Callable[[argparse.ArgumentParser], None]
) -> None:
    """Register this module's vault actions."""
