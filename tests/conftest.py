"""Shared fixtures: every test gets a fresh encrypted vault in its own tmp_path.

Key derivation uses the explicit, test-only cheap profile (``unsafe_test_policy``); tests that
exercise the production cost say so with the ``slow`` marker.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.umask(0o077)

from desktop import i18n  # noqa: E402
from desktop.vault import keyheader as kh  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SHARED_ANA = REPO.parent / "shared" / "examples" / "case-ana.json"
LOCAL_ANA = REPO / "tests" / "data" / "case-ana.json"
PASSPHRASE = "violet harbor lantern quietly 42"


@pytest.fixture(autouse=True)
def _english_interface():
    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture
def policy() -> kh.KdfPolicy:
    return kh.unsafe_test_policy()


@pytest.fixture
def passphrase() -> str:
    return PASSPHRASE


@pytest.fixture
def vault_path(tmp_path: Path) -> Path:
    return tmp_path / "test.declara"


@pytest.fixture
def vault(vault_path, policy):
    from desktop.vault.database import create_vault

    v = create_vault(vault_path, PASSPHRASE, policy)
    yield v
    v.close()


@pytest.fixture
def store(vault):
    from desktop.case.store import CaseStore

    return CaseStore(vault)


@pytest.fixture
def ana_path() -> Path:
    """The reference case file from ../shared (the copy in tests/data when shared/ is absent)."""
    return SHARED_ANA if SHARED_ANA.exists() else LOCAL_ANA
