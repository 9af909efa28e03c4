"""The timeline export dialog: sources as a court reads them, and the declaration's exhibit letter."""

from __future__ import annotations

import subprocess

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from ui import dialogs


def _text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return " ".join(out.decode("utf-8").replace("\u00a0", " ").split())


def test_declaration_exhibit_letter_reaches_the_preview(qtbot, unlocked, open_client):
    open_client(unlocked, "María")
    QTest.keyClick(unlocked, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    tab = unlocked.record.chronology
    seen = {}

    def drive(dialog):
        assert dialog.wait_rendered()
        assert not dialog.findChild(type(dialog.exhibit), "declarationExhibit").isHidden()
        seen["before"] = _text(dialog.pdf)
        dialog.declaration_exhibit.setText("A")
        assert dialog.wait_rendered()
        seen["after"] = _text(dialog.pdf)
        dialog.reject()

    dialogs.set_next_answer(drive)
    tab.export_button.click()
    before, after = seen["before"], seen["after"]
    assert "Declaration of the respondent, ¶" in before and "(Ex. A)" not in before
    assert "Declaration of the respondent (Ex. A), ¶" in after
    # María's sources as a court reads them, never as tokens.
    assert "Respondent's interview with counsel" in after
    for token in ("document:", "paragraph:", "death-certificate", "orr-release-notice", "dhs-notice"):
        assert token not in after, token
