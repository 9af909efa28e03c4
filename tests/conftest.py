"""Shared fixtures: every test gets a fresh encrypted vault in its own tmp_path.

Key derivation uses the explicit, test-only cheap profile (``unsafe_test_policy``); tests that
exercise the production cost say so with the ``slow`` marker.

Helpers shared between test modules live here, as fixtures: ``passphrase``, ``ana_path`` (the
reference case file in tests/data), ``cli`` (a factory of in-process command-line runners) and
``run`` (one with the test passphrase), ``pdf`` (poppler's tools on a written PDF). Test modules
never import one another, nor this file.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.umask(0o077)

from desktop import i18n  # noqa: E402
from desktop.vault import keyheader as kh  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
LOCAL_ANA = REPO / "tests" / "data" / "case-ana.json"
PASSPHRASE = "violet harbor lantern quietly 42"
# Transitional: PASSPHRASE, LOCAL_ANA and SHARED_ANA are still imported by modules that have not
# moved to the fixtures yet. SHARED_ANA is the in-repo copy too: nothing points outside the checkout.
SHARED_ANA = LOCAL_ANA


class Run:
    """Runs ``desktop.cli.main`` in-process with the cheap test KDF and scripted prompts.

    ``Run(env=..., answers=[...])("vault", "init", path)`` returns (exit code, stdout, stderr);
    each prompt takes the next of ``answers``.
    """

    def __init__(self, env=None, answers=()):
        self.env = {"LANG": "en_US.UTF-8", **(env or {})}
        self.answers = list(answers)

    def __call__(self, *argv):
        from desktop.cli import Context, main

        out, err = io.StringIO(), io.StringIO()
        ctx = Context(
            policy=kh.unsafe_test_policy(),
            stdout=out,
            stderr=err,
            env=self.env,
            prompt=lambda _label: self.answers.pop(0),
        )
        code = main(list(map(str, argv)), ctx)
        return code, out.getvalue(), err.getvalue()


class PdfTools:
    """poppler's tools (pdftotext, pdfinfo, pdftohtml) on a PDF file, for the document tests."""

    @staticmethod
    def write(tmp_path: Path, pdf: bytes, name: str = "doc.pdf") -> Path:
        path = tmp_path / name
        path.write_bytes(pdf)
        return path

    @staticmethod
    def run(*cmd: str | Path) -> str:
        return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, check=True).stdout

    @classmethod
    def layout_text(cls, path: Path) -> str:
        return cls.run("pdftotext", "-layout", path, "-")

    @classmethod
    def info(cls, path: Path) -> dict[str, str]:
        lines = cls.run("pdfinfo", path).splitlines()
        return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in lines)}

    @classmethod
    def outline(cls, path: Path) -> list[str]:
        xml = cls.run("pdftohtml", "-xml", "-i", "-q", "-stdout", path)
        return re.findall(r'<item page="\d+">([^<]*)</item>', xml)

    @staticmethod
    def positions(text: str, needles: list[str]) -> list[int]:
        found = [text.find(needle) for needle in needles]
        assert -1 not in found, [n for n, p in zip(needles, found, strict=True) if p == -1]
        return found


@pytest.fixture(autouse=True)
def _english_interface():
    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture
def policy() -> kh.KdfPolicy:
    return kh.unsafe_test_policy()


@pytest.fixture(scope="session")
def passphrase() -> str:
    """The test vaults' passphrase (session-wide, so module-scoped fixtures can use it too)."""
    return PASSPHRASE


@pytest.fixture
def vault_path(tmp_path: Path) -> Path:
    return tmp_path / "test.declara"


@pytest.fixture
def vault(vault_path, policy, passphrase):
    from desktop.vault.database import create_vault

    v = create_vault(vault_path, passphrase, policy)
    yield v
    v.close()


@pytest.fixture
def store(vault):
    from desktop.case.store import CaseStore

    return CaseStore(vault)


@pytest.fixture
def ana_path() -> Path:
    """The reference case file (Ana), the copy kept in tests/data."""
    return LOCAL_ANA


@pytest.fixture
def cli() -> type[Run]:
    """A factory of command-line runners: ``cli(env={...}, answers=[...])``; see :class:`Run`."""
    return Run


@pytest.fixture
def run(cli, passphrase) -> Run:
    """A command-line runner whose passphrase comes from DECLARA_PASSPHRASE."""
    return cli(env={"DECLARA_PASSPHRASE": passphrase})


@pytest.fixture
def pdf() -> PdfTools:
    """poppler's tools: ``pdf.write``, ``run``, ``layout_text``, ``info``, ``outline``, ``positions``."""
    return PdfTools()
