"""The start-up path (issue 21: start-up on a real display ≤ 1.3× a bare window). Timing lives in
``make bench`` (bench/startup.py); these tests hold what the figure depends on, and can fail: the
first page is painted before the features are built, without the modules only they need, without
Qt's namespace enums, and with garbage collection off until then; then everything is there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

#: Run ``declara gui VAULT`` through the real entry point (ui.launcher.main) with the start-up probe,
#: noting the process's state at the first paint of the window and once it is ready.
SCRIPT = r"""
import gc, json, sys
import PySide6.QtCore as QtCore
from PySide6.QtCore import QEvent, QObject
import ui.main_window as mw

states = {}

def state(window):
    return {
        "features_built": window._features_built,
        "modules": sorted(m for m in sys.modules if m.split(".")[0] in WATCH),
        "qt_namespace": "Qt" in QtCore.__dict__,
        "gc_enabled": gc.isenabled(),
        "gc_frozen": gc.get_freeze_count(),
        "file_menu": [a.objectName() for a in window.menu_file.actions() if a.objectName()],
    }

WATCH = {"ui", "desktop", "edtf", "pyparsing", "reportlab", "docx", "pypdf", "sqlcipher3", "babel"}

class Watch(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and "painted" not in states:
            states["painted"] = state(watched)
        return False

original = mw.MainWindow.build_features

def build_features(self):
    original(self)
    states.setdefault("ready", state(self))

mw.MainWindow.build_features = build_features
original_init = mw.MainWindow.__init__

def init(self, *args, **kwargs):
    original_init(self, *args, **kwargs)
    self._watch = Watch(self)
    self.installEventFilter(self._watch)

mw.MainWindow.__init__ = init
from ui.launcher import main
code = main(["gui", sys.argv[1]])
print("STATES " + json.dumps(states))
"""

#: Modules the unlock page must not wait for: the workspace's, the documents', the vault's database.
NOT_BEFORE_THE_FIRST_PAINT = (
    "ui.controllers.clients",
    "ui.controllers.documents",
    "ui.controllers.requests",
    "ui.models.documents",
    "ui.models.packet",
    "ui.pages.client_record",
    "ui.save_failures",
    "ui.recovery_ui",
    "ui.backups_ui",
    "ui.request_glance",
    "desktop.vault.database",
    "desktop.vault.backups",
    "desktop.case.dates",
    "desktop.case.unsaved_edits",
    "sqlcipher3",
    "edtf",
    "pyparsing",
    "reportlab",
    "docx",
    "pypdf",
    "babel.dates",
)


@pytest.fixture(scope="module")
def states(tmp_path_factory):
    from desktop.vault import keyheader as kh
    from desktop.vault.database import create_vault

    folder = tmp_path_factory.mktemp("startup")
    create_vault(folder / "v.declara", "violet harbor lantern quietly 42", kh.unsafe_test_policy()).close()
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        DECLARA_STARTUP_PROBE="1",
        XDG_CONFIG_HOME=str(folder / "config"),
        HOME=str(folder),
    )
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(folder / "v.declara")],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    line = next((x for x in out.stdout.splitlines() if x.startswith("STATES ")), None)
    assert line is not None, out.stdout[-800:] + out.stderr[-800:]
    assert "startup: UnlockPage shown after" in out.stdout and "startup: UnlockPage ready after" in out.stdout
    return json.loads(line.removeprefix("STATES "))


def test_the_first_page_is_painted_before_the_features_are_built(states):
    painted = states["painted"]
    assert painted["features_built"] is False
    loaded = set(painted["modules"])
    assert not loaded & set(NOT_BEFORE_THE_FIRST_PAINT), sorted(loaded & set(NOT_BEFORE_THE_FIRST_PAINT))
    assert "ui.pages.unlock" in loaded  # what is shown


def test_the_first_page_does_not_make_pyside_build_the_qt_namespace(states):
    assert states["painted"]["qt_namespace"] is False  # its enums cost 15 ms at first use


def test_garbage_collection_waits_for_the_first_page_then_is_back(states):
    assert states["painted"]["gc_enabled"] is False
    ready = states["ready"]
    assert ready["gc_enabled"] is True and ready["gc_frozen"] > 10_000  # what start-up made: frozen


def test_once_ready_the_menus_hold_every_feature(states):
    assert states["painted"]["file_menu"][-4:] == ["actBackups", "actApplyUnsaved", "actLock", "actQuit"]
    ready = states["ready"]
    assert ready["features_built"] is True
    assert ready["file_menu"][:2] == ["actNewClient", "actStartVisit"]
    assert ready["file_menu"][-4:] == ["actBackups", "actApplyUnsaved", "actLock", "actQuit"]
    assert "ui.controllers.clients" in ready["modules"]


def test_a_window_built_in_code_has_its_features_on_first_use(qtbot, settings, languages):
    from ui.main_window import MainWindow

    window = MainWindow(settings, languages)
    qtbot.addWidget(window)
    assert window._features_built is False and window.menu_edit.actions() == []
    assert window.clients.act_find in window.menu_edit.actions()  # asking for one builds them all
    assert window._features_built is True and window.controllers[0] is window.vault


def test_the_document_link_kinds_the_controller_watches_are_the_models(qtbot):
    from ui.controllers.documents import LABEL_KINDS
    from ui.models.documents import LINK_KINDS

    assert {kind for kind, _label in LINK_KINDS} == LABEL_KINDS
