"""Errors the user sees: each carries a translatable message and named parameters.

The text is rendered in the interface language when it is shown, not when it is raised, so a
message survives a language switch. Messages never contain client data unless the caller passes it
as a parameter for display to the user who owns it (never logged).
"""

from __future__ import annotations

from typing import Any

from desktop.i18n import _


class DeclaraError(Exception):
    """Base of every error that is shown to the user (CLI exit code 1)."""

    default_message = "Declara could not complete the operation."

    def __init__(self, message: str | None = None, **params: Any) -> None:
        self.msgid = message or self.default_message
        self.params = params
        super().__init__(self.msgid)

    def message(self) -> str:
        text = _(self.msgid)
        return text.format(**self.params) if self.params else text

    def __str__(self) -> str:
        return self.message()


class VaultError(DeclaraError):
    pass


class WrongPassphrase(VaultError):
    pass


class NotAVault(VaultError):
    pass


class VaultMissingPart(VaultError):
    pass


class VaultCorrupt(VaultError):
    pass


class ReceivedMismatch(DeclaraError):
    """Bytes received (a sync file's document, a case file's) do not match the SHA-256 they came
    with: the input is refused, the vault is not damaged and stays open."""


class VaultReadOnly(VaultError):
    """The vault's folder or files cannot be written (permissions, a read-only disk): not damage."""


class ForeignFile(VaultError):
    """A file in the vault's folder that is not this vault's (another vault's log, a write refused
    because the target is inside a vault folder)."""


class VaultLocked(VaultError):
    pass


class VaultTooNew(VaultError):
    pass


class KdfRefused(VaultError):
    pass


class WeakPassphrase(DeclaraError):
    pass


class ValidationError(DeclaraError):
    """One invalid value; ``field`` names where it is (a JSON path or a field name)."""

    def __init__(self, message: str, field: str | None = None, **params: Any) -> None:
        super().__init__(message, **params)
        self.field = field


class CaseFileError(DeclaraError):
    """A case file was refused; ``problems`` holds one ValidationError per problem."""

    def __init__(self, message: str, problems: list[ValidationError] | None = None, **params: Any):
        super().__init__(message, **params)
        self.problems = problems or []

    def message(self) -> str:
        head = super().message()
        lines = [head]
        for problem in self.problems:
            where = problem.field or "$"
            lines.append(f"  {where}: {problem.message()}")
        return "\n".join(lines)


class NotFound(DeclaraError):
    pass


class SignedVersion(DeclaraError):
    """A signed declaration (or one of its paragraphs) cannot change."""

    default_message = "This version is signed and cannot change; edits go into a new draft version."
