"""``declara vault …`` commands beyond init, check and passphrase: backups and restore
(:mod:`desktop.cli_backup`), salvage (:mod:`desktop.cli_salvage`) and the recovery key
(:mod:`desktop.cli_recovery`), and unsaved changes brought back (:mod:`desktop.cli_unsaved`). Each
module registers its own actions here."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def add_parser(
    vault_cmds: argparse._SubParsersAction, vault_arg: Callable[[argparse.ArgumentParser], None]
) -> None:
    from desktop import cli_backup, cli_recovery, cli_salvage, cli_unsaved

    cli_backup.add_parser(vault_cmds, vault_arg)
    cli_salvage.add_parser(vault_cmds, vault_arg)
    cli_recovery.add_parser(vault_cmds, vault_arg)
    cli_unsaved.add_parser(vault_cmds, vault_arg)
