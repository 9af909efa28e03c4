"""The one ``--lang`` parser (desktop.i18n.split_language_option) shared by the CLI and the window."""

from __future__ import annotations

import pytest

from desktop.i18n import split_language_option


@pytest.mark.parametrize(
    ("args", "lang", "rest"),
    [
        ([], None, []),
        (["--lang", "es"], "es", []),
        (["--lang=es"], "es", []),
        (["--lang", "es", "case", "list"], "es", ["case", "list"]),
        (["--lang=en", "case", "show", "V", "A201555014"], "en", ["case", "show", "V", "A201555014"]),
        (["case", "list", "V"], None, ["case", "list", "V"]),
    ],
)
def test_the_language_before_the_command(args, lang, rest):
    assert split_language_option(args) == (lang, rest)


@pytest.mark.parametrize(
    "args",
    [
        ["--lang", "es", "--lang", "en", "demo"],
        ["--lang=es", "--lang", "en", "demo"],
        ["--lang", "es", "--lang=en", "demo"],
        ["--lang=es", "--lang=en", "demo"],
    ],
)
def test_the_first_one_wins_and_every_one_is_taken_out(args):
    assert split_language_option(args) == ("es", ["demo"])


def test_a_lang_after_the_command_belongs_to_the_command():
    args = ["timeline", "V", "A201555014", "--lang", "es", "--out", "t.pdf"]
    assert split_language_option(args) == (None, args)
    assert split_language_option(["--lang", "en", *args]) == ("en", args)
    assert split_language_option(["--lang=en", "declaration", "V", "--lang=es"]) == (
        "en",
        ["declaration", "V", "--lang=es"],
    )


def test_other_options_before_the_command_are_kept_in_order():
    assert split_language_option(["--self-test", "--lang", "es"]) == ("es", ["--self-test"])
    assert split_language_option(["-v", "--lang=es", "--debug", "case", "list"]) == (
        "es",
        ["-v", "--debug", "case", "list"],
    )
    assert split_language_option(["--help"]) == (None, ["--help"])


def test_the_window_vault_path_ends_the_options():
    assert split_language_option(["--lang", "es", "/home/ana/casos.declara", "--lang", "en"]) == (
        "es",
        ["/home/ana/casos.declara", "--lang", "en"],
    )


def test_the_language_is_returned_as_given():
    assert split_language_option(["--lang", "es_MX.UTF-8"]) == ("es_MX.UTF-8", [])
    assert split_language_option(["--lang=ES"]) == ("ES", [])
    assert split_language_option(["--lang="]) == ("", [])


def test_a_trailing_lang_without_a_value_is_left_for_the_parser_to_refuse():
    assert split_language_option(["--lang"]) == (None, ["--lang"])


def test_any_sequence_and_the_arguments_are_not_changed():
    args = ["--lang", "es", "gui"]
    assert split_language_option(tuple(args)) == ("es", ["gui"])
    lang, rest = split_language_option(args)
    assert args == ["--lang", "es", "gui"]
    rest.append("x")
    assert args == ["--lang", "es", "gui"]
