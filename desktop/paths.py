"""Where Declara finds its resources and keeps its data."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "Declara"


def project_root() -> Path:
    """The folder holding resources/ and locale/, in a source checkout or a frozen bundle."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def resource_path(*parts: str) -> Path:
    return project_root().joinpath("resources", *parts)


def locale_dir() -> Path:
    return project_root() / "locale"


def data_dir() -> Path:
    """Private per-user data folder (created 0700)."""
    from platformdirs import user_data_dir

    path = Path(user_data_dir(APP_NAME, appauthor=False))
    make_private_dir(path)
    return path


def default_vault_path() -> Path:
    return data_dir() / "vault.declara"


def make_private_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name == "posix":
        os.chmod(path, 0o700)
