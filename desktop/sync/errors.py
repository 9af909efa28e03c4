"""The one refusal of the sync package: a sync file, card or peer turned away, the vault unchanged.

A leaf module so that every other module of the package can raise it without importing the others.
"""

from __future__ import annotations

from desktop.errors import DeclaraError
from desktop.i18n import N_


class SyncError(DeclaraError):
    """A sync file, card or peer was refused; the vault is unchanged."""

    default_message = N_("The sync file was refused; nothing was changed.")
