"""Window or command line (ui.launcher.wants_window): decided from the arguments alone."""

from __future__ import annotations

import pytest

from ui.launcher import wants_window


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--lang", "es"],
        ["--lang=es"],
        ["gui"],
        ["--lang", "es", "gui"],
        ["--lang", "es", "gui", "/home/ana/casos.declara"],
        ["gui", "/home/ana/casos.declara"],
    ],
)
def test_the_window(args):
    assert wants_window(args) is True


@pytest.mark.parametrize(
    "args",
    [
        ["case", "list", "/home/ana/casos.declara"],
        ["--lang", "es", "case", "list", "/home/ana/casos.declara"],
        ["demo", "/tmp/demo.declara"],
        ["vault", "gui"],  # "gui" only counts as the command itself
        ["--help"],
        ["/home/ana/casos.declara"],
    ],
)
def test_the_command_line(args):
    assert wants_window(args) is False


def test_a_tuple_of_arguments():
    assert wants_window(("--lang", "en")) is True
    assert wants_window(("timeline", "V", "--lang", "en")) is False
