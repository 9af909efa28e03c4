"""Keyboard-first: within each menu, in each language, no two entries share an Alt+letter
mnemonic (the second would never be reached by its letter)."""

from __future__ import annotations

import re

import pytest

_MNEMONIC = re.compile(r"&([^&])")


def _clashes(menu) -> list[str]:  # noqa: ANN001 - a QMenu
    seen: dict[str, str] = {}
    clashes = []
    for action in menu.actions():
        if action.isSeparator():
            continue
        if action.menu() is not None:
            clashes += _clashes(action.menu())
        found = _MNEMONIC.search(action.text().replace("&&", ""))
        if found is None:
            continue
        letter = found.group(1).lower()
        if letter in seen:
            clashes.append(f"{menu.title()}: “{seen[letter]}” and “{action.text()}” share &{letter}")
        seen[letter] = action.text()
    return clashes


@pytest.mark.parametrize("lang", ["en", "es"])
def test_no_two_entries_of_a_menu_share_a_mnemonic(unlocked, languages, lang):
    languages.set_language(lang)
    window = unlocked
    clashes = []
    for action in window.menuBar().actions():
        if action.menu() is not None:
            clashes += _clashes(action.menu())
    assert not clashes, "\n".join(clashes)
