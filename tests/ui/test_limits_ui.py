"""Text that no record may hold (issue 18, finding 11): NUL and U+202E typed into a name are refused
under the field, with the reason, and the pasted text stays in the field to be corrected."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication


@pytest.mark.parametrize(("typed", "fragment"), [("\u202e", "U+202E"), ("\x00", "U+0000")])
def test_a_name_with_a_refused_character_shows_why_under_the_field(
    qtbot, unlocked, open_client, typed, fragment
):
    daniel = open_client(unlocked, "Daniel")
    form = unlocked.record.form_for("given_names")
    field = form.editors["given_names"].widget
    QApplication.clipboard().setText("Dan" + typed)  # pasted: a keyboard does not type these
    field.setFocus()
    field.selectAll()
    field.paste()
    qtbot.waitUntil(lambda: form.has_error("given_names"), timeout=3000)
    assert fragment in form.error_text("given_names")
    assert field.text() == "Dan" + typed  # kept, to be corrected
    assert unlocked.session.get(daniel.id).data["given_names"] == daniel.data["given_names"]
