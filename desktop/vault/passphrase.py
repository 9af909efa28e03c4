"""Passphrase rules: at least 12 characters and not trivially guessable (zxcvbn score >= 3)."""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop.errors import WeakPassphrase
from desktop.i18n import N_, _

MIN_LENGTH = 12
MIN_SCORE = 3

# zxcvbn's own feedback is English only; these are its warnings that matter most, translated.
_WARNINGS = {
    "Straight rows of keys are easy to guess.": N_("Straight rows of keys are easy to guess."),
    "Short keyboard patterns are easy to guess.": N_("Short keyboard patterns are easy to guess."),
    'Repeats like "aaa" are easy to guess.': N_("Repeated characters are easy to guess."),
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".': N_(
        "Repeated words or patterns are easy to guess."
    ),
    "Sequences like abc or 6543 are easy to guess.": N_("Sequences like abc or 6543 are easy to guess."),
    "Recent years are easy to guess.": N_("Years are easy to guess."),
    "Dates are often easy to guess.": N_("Dates are easy to guess."),
    "This is a top-10 common password.": N_("This is one of the most common passwords."),
    "This is a top-100 common password.": N_("This is one of the most common passwords."),
    "This is a very common password.": N_("This is a very common password."),
    "This is similar to a commonly used password.": N_("This is similar to a commonly used password."),
    "A word by itself is easy to guess.": N_("A single word is easy to guess."),
    "Names and surnames by themselves are easy to guess.": N_("Names and surnames are easy to guess."),
    "Common names and surnames are easy to guess.": N_("Names and surnames are easy to guess."),
}


@dataclass
class Strength:
    score: int  # 0..4 (zxcvbn); 0 when too short
    acceptable: bool
    reasons: list[str] = field(default_factory=list)  # msgids, translate with _()

    def messages(self) -> list[str]:
        return [_(r).format(min=MIN_LENGTH) for r in self.reasons]


def assess(passphrase: str, user_inputs: list[str] | None = None) -> Strength:
    reasons: list[str] = []
    if len(passphrase) < MIN_LENGTH:
        reasons.append(N_("Use at least {min} characters."))
        return Strength(score=0, acceptable=False, reasons=reasons)
    from zxcvbn import zxcvbn

    result = zxcvbn(passphrase[:100], user_inputs=user_inputs or ["declara", "vault", "boveda"])
    score = int(result["score"])
    if score < MIN_SCORE:
        warning = result.get("feedback", {}).get("warning") or ""
        if warning in _WARNINGS:
            reasons.append(_WARNINGS[warning])
        reasons.append(N_("Too easy to guess. Use four or more unrelated words, or a longer phrase."))
    return Strength(score=score, acceptable=not reasons, reasons=reasons)


class PassphraseRefused(WeakPassphrase):
    """Carries the assessment so the reasons are translated when shown, not when raised."""

    def __init__(self, strength: Strength) -> None:
        super().__init__(N_("This passphrase is not accepted: {reasons}"))
        self.strength = strength

    def message(self) -> str:
        return _(self.msgid).format(reasons=" ".join(self.strength.messages()))


def require_strong(passphrase: str) -> None:
    strength = assess(passphrase)
    if not strength.acceptable:
        raise PassphraseRefused(strength)
