"""The catalogs: the POT is current, every Spanish entry is translated and not fuzzy."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from desktop import i18n

REPO = Path(__file__).resolve().parents[2]
POT = REPO / "locale" / "declara.pot"
PO = REPO / "locale" / "es" / "LC_MESSAGES" / "declara.po"


def _ids(path: Path) -> set:
    with open(path, "rb") as fh:
        return {m.id for m in read_po(fh) if m.id}


def test_pot_is_current(tmp_path):
    pybabel = shutil.which("pybabel", path=str(Path(sys.executable).parent))
    assert pybabel, "pybabel comes with babel"
    fresh = tmp_path / "fresh.pot"
    subprocess.run(
        [
            pybabel,
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "N_",
            "-k",
            "ngettext:1,2",
            "-k",
            "pgettext:1c,2",
            "--no-location",
            "-o",
            str(fresh),
            "desktop",
            "ui",
        ],
        cwd=REPO,
        check=True,
    )
    missing = _ids(fresh) - _ids(POT)
    stale = _ids(POT) - _ids(fresh)
    assert not missing, (
        f"run `make strings`: {len(missing)} new messages, e.g. {sorted(map(str, missing))[:3]}"
    )
    assert not stale, (
        f"run `make strings`: {len(stale)} messages no longer used, e.g. {sorted(map(str, stale))[:3]}"
    )


def test_every_spanish_entry_is_translated_and_not_fuzzy():
    with open(PO, "rb") as fh:
        catalog = read_po(fh)
    bad = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            bad.append(message.id)
    assert not bad, f"{len(bad)} untranslated or fuzzy, e.g. {bad[:3]}"
    assert _ids(POT) <= {m.id for m in catalog if m.id}


def test_placeholders_match_between_languages():
    import re

    with open(PO, "rb") as fh:
        catalog = read_po(fh)
    pattern = re.compile(r"\{[a-z_]+\}|%\([a-z_]+\)[sdr]|%[sdr]")
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(pattern.findall(ids[-1]))
        for text in strings:
            assert set(pattern.findall(text)) <= expected | set(pattern.findall(ids[0])), message.id


@pytest.mark.parametrize(
    "env, lang",
    [
        ({"LANG": "es_SV.UTF-8"}, "es"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANGUAGE": "es:en", "LANG": "en_US.UTF-8"}, "es"),
        ({"LC_ALL": "es_MX.UTF-8", "LANG": "en_US.UTF-8"}, "es"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),
        ({}, "en"),
        ({"LANG": "C"}, "en"),
    ],
)
def test_detect_language(env, lang):
    assert i18n.detect_language(env) == lang


def test_switch_and_listeners():
    seen = []
    i18n.add_listener(seen.append)
    try:
        i18n.set_language("es")
        assert i18n._("The passphrase is wrong.") != "The passphrase is wrong."
        i18n.set_language("es")  # no change, no notification
        i18n.set_language("en")
    finally:
        i18n.remove_listener(seen.append)
    assert seen == ["es", "en"]


def test_document_language_is_independent_of_the_interface():
    i18n.set_language("en")
    es = i18n.translator("es")
    assert es("The passphrase is wrong.") != "The passphrase is wrong."
    assert i18n.current_language() == "en"
