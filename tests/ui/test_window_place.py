"""The window uses the screen (issue 21): the first time it opens maximised on a laptop-sized screen,
and after that where and as large as the user left it (kept per user in the settings file)."""

from __future__ import annotations

from ui.main_window import MAXIMISE_UP_TO


def test_the_first_run_fills_a_laptop_screen_and_then_the_window_opens_as_left(qtbot, make_window, tmp_path):
    window = make_window()
    assert window.settings.geometry is None
    assert window.screen().availableGeometry().width() <= MAXIMISE_UP_TO  # offscreen: a small screen
    window.show_placed()
    assert window.isMaximized()
    window.showNormal()
    window.resize(700, 500)  # inside the offscreen screen (restoreGeometry keeps a window on it)
    window.close()
    assert window.settings.geometry is not None
    again = make_window()
    again.show_placed()
    assert not again.isMaximized() and (again.width(), again.height()) == (700, 500)


def test_the_client_list_says_an_exact_hearing_day_short_and_whole_in_its_tooltip(unlocked, languages):
    from PySide6.QtCore import Qt

    from ui.models.client_table import Column

    model = unlocked.client_model
    languages.set_language("es")
    rows = {model.index(r, Column.NAME).data(): r for r in range(model.rowCount())}
    index = model.index(rows["Martínez Núñez, José Ángel"], Column.NEXT_HEARING)
    assert index.data() == "15 dic 2026"  # fits a narrow column
    assert index.data(Qt.ItemDataRole.ToolTipRole) == "15 de diciembre de 2026"
