"""run_op, the one way the window runs what the user asked for and reports a failure."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QWidget

from desktop.errors import DeclaraError, NotFound
from ui import dialogs, ops


@pytest.fixture
def parent(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def test_a_quick_store_write_runs_at_once_and_hands_over_its_result(parent):
    got = []
    assert ops.run_op(parent, lambda: 42, got.append) == 42
    assert got == [42] and dialogs.shown == []


def test_a_refusal_is_the_one_not_saved_dialog(parent, monkeypatch):
    titles = []
    monkeypatch.setattr(dialogs, "error", lambda _p, title, text: titles.append((title, text)))

    def refused():
        raise NotFound("No such record.")

    got = []
    assert ops.run_op(parent, refused, got.append) is None
    assert got == [] and titles == [("Not saved", "No such record.")]
    ops.run_op(parent, refused, title="Not exported")
    assert titles[-1] == ("Not exported", "No such record.")


def test_a_failure_can_go_to_the_caller_instead(parent):
    failures = []
    ops.run_op(parent, lambda: (_ for _ in ()).throw(DeclaraError("Nope.")), on_failure=failures.append)
    assert [f.message() for f in failures] == ["Nope."] and dialogs.shown == []


def test_a_bug_is_not_a_refusal(parent):
    with pytest.raises(ZeroDivisionError):
        ops.run_op(parent, lambda: 1 / 0)


def test_writing_turns_an_os_error_into_what_the_user_reads(tmp_path):
    with pytest.raises(DeclaraError) as err:
        with ops.writing():
            (tmp_path / "missing" / "file.json").write_text("x")
    assert err.value.message().startswith("The file could not be written (")


def test_describe_names_only_the_kind_of_an_unexpected_error():
    assert ops.describe(DeclaraError("Said so.")) == "Said so."
    assert ops.describe(KeyError("client data")) == "Something went wrong (KeyError). Nothing was changed."


def test_in_the_background_with_progress(qtbot, parent):
    release, progress, results = threading.Event(), [], []

    def work(report):
        assert threading.current_thread() is not threading.main_thread()
        report(1, 2)
        release.wait(5)
        report(2, 2)
        return "done"

    def on_gui_thread() -> bool:
        return threading.current_thread() is threading.main_thread()

    task = ops.run_op(
        parent,
        work,
        lambda result: results.append((result, on_gui_thread())),
        background=True,
        on_progress=lambda d, t: progress.append((d, t, on_gui_thread())),
    )
    assert task is not None and ops.busy()
    idle = []
    ops.when_idle(lambda: idle.append(True))
    assert idle == []  # not yet
    release.set()
    qtbot.waitUntil(lambda: bool(idle), timeout=5000)
    assert results == [("done", True)] and progress == [(1, 2, True), (2, 2, True)]
    assert not ops.busy()
    ops.when_idle(lambda: idle.append(True))  # none runs: at once
    assert idle == [True, True]


def test_a_background_failure_is_reported_in_words(qtbot, parent, monkeypatch):
    titles = []
    monkeypatch.setattr(dialogs, "error", lambda _p, title, text: titles.append((title, text)))

    def work():
        raise OSError("disk")

    ops.run_op(parent, work, background=True, title="Sync")
    qtbot.waitUntil(lambda: bool(titles), timeout=5000)
    assert titles == [("Sync", "Something went wrong (OSError). Nothing was changed.")]
