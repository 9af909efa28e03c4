"""The ``declara date`` command: what Declara understands from a date phrase, before it is saved.

``declara date "invierno de 2019" --lang es --country SV`` prints the EDTF value and how it is said
in English and in Spanish, the same reading the visit's "understood as" preview shows; season
words are read with ``--seasons`` or, by default, with the region of ``--country``
(:mod:`desktop.interview.seasons`). A phrase that cannot be read (a season with no region, a day
that does not exist…) exits with 1 and the reason on stderr, in the interface language.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from desktop.i18n import LANGUAGE_NAMES, LANGUAGES, _

if TYPE_CHECKING:
    from desktop.cli import Context

SEASON_CHOICES = ("auto", "northern", "central_america", "southern", "ask")


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``declara date`` on the command line's subcommands."""
    p = commands.add_parser("date", help=_("show how Declara reads a date phrase"))
    p.add_argument("phrase", metavar=_("PHRASE"), help=_("the date as the client said it"))
    p.add_argument(
        "--lang", dest="phrase_lang", choices=LANGUAGES, default="en", help=_("the language of the phrase")
    )
    p.add_argument("--country", metavar="CC", help=_("the client's country (ISO 3166 code, e.g. SV)"))
    p.add_argument(
        "--seasons",
        choices=SEASON_CHOICES,
        default="auto",
        help=_("how the client names seasons (default: from --country)"),
    )
    p.set_defaults(func=cmd_date)


def cmd_date(ctx: Context, args: argparse.Namespace) -> int:
    """Print the EDTF of a phrase and the period it names, in English and in Spanish."""
    from desktop.case.dates import format_edtf
    from desktop.interview.phrases import phrase_to_edtf
    from desktop.interview.seasons import resolve_seasons

    region = resolve_seasons(args.seasons, args.country)
    value = phrase_to_edtf(args.phrase, args.phrase_lang, seasons=region)
    ctx.out(f"EDTF: {value}")
    for lang in LANGUAGES:  # each language's name in itself: English, Español
        ctx.out(f"{LANGUAGE_NAMES[lang]}: {format_edtf(value, lang)}")
    return 0
