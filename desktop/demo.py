"""The demo vault: three fictional clients from ``resources/examples/``."""

from __future__ import annotations

from pathlib import Path

from desktop import keyheader as kh
from desktop.casefile import import_case, read_case_file
from desktop.paths import resource_path
from desktop.store import CaseStore
from desktop.vault import create_vault

DEMO_FILES = ("case-daniel.json", "case-maria.json", "case-jose.json")


def demo_case_paths() -> list[Path]:
    return [resource_path("examples", name) for name in DEMO_FILES]


def create_demo_vault(path: Path, passphrase: str, policy: kh.KdfPolicy = kh.PRODUCTION) -> list[str]:
    """Create a vault holding the demo clients; return their names."""
    docs = [read_case_file(p) for p in demo_case_paths()]
    names = []
    with create_vault(path, passphrase, policy) as vault:
        store = CaseStore(vault)
        with vault.transaction():
            for doc in docs:
                import_case(store, doc)
                names.append(
                    f"{doc['client']['given_names']} {doc['client'].get('family_names') or ''}".strip()
                )
    return names
