"""Translations for the interface and for documents.

The interface language is process-wide (like the C locale): ``_()`` looks the message up in the
current catalog at call time, so text produced after a switch comes out in the new language. The
language of an exported document is passed explicitly (``translator(lang)``) and never touches the
interface language.

Catalogs are gettext files under ``locale/<lang>/LC_MESSAGES/declara.{po,mo}``, read with the
standard library's ``gettext`` (Babel is imported only when a missing or stale ``.mo`` has to be
compiled from the ``.po`` in memory, in a fresh source checkout): this module is on the window's
start-up path.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from gettext import GNUTranslations, NullTranslations

from desktop.paths import locale_dir

DOMAIN = "declara"
LANGUAGES: tuple[str, ...] = ("en", "es")
DEFAULT_LANGUAGE = "en"
LANGUAGE_NAMES = {"en": "English", "es": "Español"}

_current = DEFAULT_LANGUAGE
_listeners: list[Callable[[str], None]] = []


@cache
def get_translations(lang: str) -> NullTranslations:
    if lang == DEFAULT_LANGUAGE or lang not in LANGUAGES:
        return NullTranslations()
    folder = locale_dir() / lang / "LC_MESSAGES"
    mo = folder / f"{DOMAIN}.mo"
    po = folder / f"{DOMAIN}.po"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with open(mo, "rb") as fh:
            return GNUTranslations(fh)
    if po.exists():
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with open(po, "rb") as fh:
            catalog = read_po(fh, locale=lang)
        buf = io.BytesIO()
        write_mo(buf, catalog)
        buf.seek(0)
        return GNUTranslations(buf)
    return NullTranslations()


def normalize_language(value: str | None) -> str | None:
    """'es_SV.UTF-8' -> 'es'; None for anything we have no catalog for."""
    if not value:
        return None
    code = value.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return code if code in LANGUAGES else None


def detect_language(env: Mapping[str, str] | None = None) -> str:
    """The interface language the environment asks for (LANGUAGE, LC_ALL, LC_MESSAGES, LANG)."""
    env = os.environ if env is None else env
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        raw = env.get(var)
        if not raw:
            continue
        for part in raw.split(":"):
            lang = normalize_language(part)
            if lang:
                return lang
        if var != "LANGUAGE":
            break
    return DEFAULT_LANGUAGE


def current_language() -> str:
    return _current


def set_language(lang: str) -> None:
    global _current
    lang = normalize_language(lang) or DEFAULT_LANGUAGE
    if lang == _current:
        return
    _current = lang
    for listener in list(_listeners):
        listener(lang)


def add_listener(callback: Callable[[str], None]) -> None:
    _listeners.append(callback)


def remove_listener(callback: Callable[[str], None]) -> None:
    if callback in _listeners:
        _listeners.remove(callback)


@contextmanager
def using_language(lang: str) -> Iterator[None]:
    previous = _current
    set_language(lang)
    try:
        yield
    finally:
        set_language(previous)


def _(message: str) -> str:
    return get_translations(_current).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return get_translations(_current).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return get_translations(_current).pgettext(context, message)


def N_(message: str) -> str:
    """Mark a module-level string for extraction; translate it with _() when shown."""
    return message


def translator(lang: str) -> Callable[[str], str]:
    """A gettext function for one language, for documents exported in that language."""
    return get_translations(lang).gettext


def babel_locale(lang: str | None = None) -> str:
    return {"en": "en_US", "es": "es"}.get(lang or _current, "en_US")


def split_language_option(args: Sequence[str]) -> tuple[str | None, list[str]]:
    """The ``--lang X`` / ``--lang=X`` given before the command, and the arguments without it.

    Options are read up to the first word that is not one (the command, or the window's vault);
    a ``--lang`` after it belongs to that command (``timeline --lang es`` is the document's
    language, not the messages'). The language is returned as given (see
    :func:`normalize_language`); ``None`` when there is none.
    """
    args = list(args)
    lang: str | None = None
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--lang" and i + 1 < len(args):
            lang = lang if lang is not None else args[i + 1]
            i += 2
            continue
        if arg.startswith("--lang="):
            lang = lang if lang is not None else arg.split("=", 1)[1]
            i += 1
            continue
        if not arg.startswith("-"):
            return lang, rest + args[i:]
        rest.append(arg)
        i += 1
    return lang, rest


def format_size(size: int) -> str:
    """A file size as people read it, in the current language ("1.2 MB", "1,2 MB")."""
    from babel.numbers import format_decimal

    locale = babel_locale()
    if size < 1024:
        return ngettext("{count} byte", "{count} bytes", size).format(count=size)
    value, unit = size / 1024, "KB"
    for bigger in ("MB", "GB"):
        if value < 1024:
            break
        value, unit = value / 1024, bigger
    return f"{format_decimal(round(value, 1), locale=locale)} {unit}"
