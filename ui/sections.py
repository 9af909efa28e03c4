"""The sections of a client's record, in tab order (Ctrl+1 … Ctrl+9, Ctrl+0; Custody by its Alt
key). A module of its own so the window's menus can name them without importing the record page at
start-up."""

from __future__ import annotations

from desktop.i18n import N_

SECTIONS = (
    ("identity", N_("&Identity and custody")),
    ("proceedings", N_("&Proceedings")),
    ("family", N_("&Family")),
    ("allegations", N_("&Allegations")),
    ("foia", N_("Re&quests")),
    ("visits", N_("&Visits")),
    ("timeline", N_("&Timeline")),
    ("declaration", N_("&Declaration")),
    ("documents", N_("Docu&ments")),
    ("packet", N_("Pac&ket")),
    ("custody", N_("Cu&stody")),
)
