"""The demo vault: three fictional clients from ``resources/examples/``."""

from __future__ import annotations

import secrets
import string
from pathlib import Path

from desktop.case.names import display_name

from desktop.vault import keyheader as kh
from desktop.case.casefile import import_case, read_case_file
from desktop.paths import resource_path
from desktop.case.store import CaseStore
from desktop.vault.database import create_vault

DEMO_FILES = ("case-daniel.json", "case-maria.json", "case-jose.json")


def demo_passphrase() -> str:
    """A random passphrase for a demo vault ("demo-abcd-efgh-ijkl-mnop"): shown, never reused."""
    groups = ["".join(secrets.choice(string.ascii_lowercase) for _ in range(4)) for _ in range(4)]
    return "demo-" + "-".join(groups)


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
                names.append(display_name(doc["client"]))
    return names
