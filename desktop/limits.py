"""Input limits: the one set of bounds every file from outside is held to before it is used.

Case files, sync files (their manifest, before the signature is checked, and their record lines),
device cards and the key header are parsed here, so that no input, however it was made, can make
Declara recurse without end, convert a 5,000-digit number, hold a gigabyte it did not mean to, or
store text that hides what it says. What is refused raises :class:`InputRefused` (a
:class:`~desktop.errors.ValidationError`, so a DeclaraError: exit 1 and one message), naming where
the problem is as a JSON path (``$.client.given_names``) in ``field``.

The limits (docs/input-limits.md says why each is what it is):

* size: checked before reading (:func:`read_bounded` stats the file first, and never reads a pipe or
  a device) and before parsing (:func:`load_json`);
* nesting: at most :data:`MAX_DEPTH` arrays and objects inside one another, counted on the text
  before the JSON parser sees it (the parser recurses once per level);
* numbers: integers at most :data:`MAX_INT` in absolute value (every integer a double represents
  exactly, and well inside SQLite's 64 bits), and their digits counted before ``int()`` is called;
  floats finite (no NaN, no Infinity);
* text: at most :data:`MAX_STRING` characters per string (less for the fields given in
  ``field_limits``); no lone surrogates (half of a UTF-16 pair: not a character, and not encodable
  as UTF-8), no NUL or other C0/C1 control character except tab, line feed, form feed (a PDF's
  page break) and carriage return (and not those in single-line fields), no bidirectional
  override, embedding or isolate (U+202A-U+202E, U+2066-U+2069: they make text display in
  another order than it is stored, so a name or a fingerprint can be made to read as something
  else).
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
import threading
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from desktop.errors import ValidationError
from desktop.i18n import N_, _

#: Deepest nesting of arrays and objects accepted (Declara's own files need at most 7).
MAX_DEPTH = 32
#: Largest integer accepted, in absolute value: 2**53, the last of the integers a double holds
#: exactly (what any JSON reader agrees on), far inside SQLite's signed 64-bit integers.
MAX_INT = 2**53
#: Most digits an integer may have before it is converted (2**53 has 16).
MAX_INT_DIGITS = 20
#: Longest string accepted by default (characters).
MAX_STRING = 1_000_000

# Characters never accepted in text: C0 controls but tab, line feed, form feed and carriage return;
# DEL and the C1 controls; the bidirectional embeddings, overrides and isolates; lone surrogates. The
# form feed is the page break of text extracted from a PDF (pdftotext puts one after each page), so
# a document's text holds it; it is whitespace, displayed as such.
_CONTROL = "\x00-\x08\x0b\x0e-\x1f\x7f-\x9f"
_BIDI = "\u202a-\u202e\u2066-\u2069"
_SURROGATE = "\ud800-\udfff"
_FORBIDDEN = re.compile(f"[{_CONTROL}{_BIDI}{_SURROGATE}]")
# ... and, in single-line fields, line and page breaks and tabs too.
_FORBIDDEN_LINE = re.compile(f"[\t\n\x0c\r\u2028\u2029{_CONTROL}{_BIDI}{_SURROGATE}]")
# JSON text (UTF-8) whose strings may hold a forbidden character: the character itself (a C0
# control or DEL; a C1 control, \xc2\x80-\xc2\x9f; a text-direction control, \xe2\x80\xaa-\xae or
# \xe2\x81\xa6-\xa9; strict UTF-8 holds no surrogate), or an escape that makes one (\b, \f,
# \u0000-\u001f, \u007f-\u009f, \u202x, \u206x, \ud800-\udfff). Broader than needed on purpose: a
# match only means the parsed value is walked (check_tree) to find out. Checked on the bytes, which
# is several times faster than a regular expression over the text (a sync file has 290 MB of it).
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
_BIDI_UTF8 = re.compile(rb"\xe2(?:\x80[\xaa-\xae]|\x81[\xa6-\xa9])")
_ESCAPE = re.compile(rb"\\(?:[bf]|u(?:00[01]|007[fF]|00[89]|202|206|[dD][89a-fA-F]))")
# A JSON string (escapes included), anything that is not a bracket, and an innermost pair.
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_INNERMOST = re.compile(r"\[\]|\{\}")
_BOM = b"\xef\xbb\xbf"


class InputRefused(ValidationError):
    """A value from outside that Declara does not accept; ``field`` is where (a JSON path).

    ``reason`` says which limit it met: ``"size"``, ``"unreadable"``, ``"utf8"``, ``"json"``,
    ``"depth"``, ``"duplicate"`` (the whole input) or ``"value"`` (one value, at ``field``).
    A ``what`` parameter (a msgid naming the input, such as "The case file") is translated when
    the message is shown.
    """

    def __init__(self, message: str, field: str | None = None, *, reason: str = "value", **params: Any):
        super().__init__(message, field, **params)
        self.reason = reason

    def message(self) -> str:
        params = dict(self.params)
        if isinstance(params.get("what"), str):
            params["what"] = _(params["what"])
        text = _(self.msgid)
        return text.format(**params) if params else text


class _Huge(str):
    """An integer literal out of range, kept (as its first digits) until its JSON path is known."""


# -- paths -----------------------------------------------------------------------------------------
def _shown_key(key: str) -> str:
    """A key as it can be shown safely inside a path (escaped, shortened)."""
    shown = "".join(
        ch if ch.isprintable() and not _FORBIDDEN.match(ch) else f"\\u{ord(ch):04x}" for ch in key[:60]
    )
    return shown + ("…" if len(key) > 60 else "")


def path_of(parts: list[str | int], root: str = "$") -> str:
    """``$.client.aliases[0]`` from ``["client", "aliases", 0]``."""
    out = root
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{_shown_key(part)}"
    return out


# -- text ------------------------------------------------------------------------------------------
def _text_problem(text: str, field: str, max_len: int, single_line: bool) -> InputRefused | None:
    """Why ``text`` is refused, or None."""
    if len(text) > max_len:
        return InputRefused(
            N_("This is too long ({length} characters; at most {limit})."),
            field,
            length=len(text),
            limit=max_len,
        )
    found = (_FORBIDDEN_LINE if single_line else _FORBIDDEN).search(text)
    if found is None:
        return None
    code = ord(found.group())
    hexcode = f"{code:04X}"
    if 0xD800 <= code <= 0xDFFF:
        msgid = N_("This text holds half of a surrogate pair (U+{code}), which is not a character.")
    elif 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        msgid = N_(
            "This text holds a text-direction control (U+{code}), which can disguise what it says; "
            "it is not accepted."
        )
    elif code in (0x09, 0x0A, 0x0C, 0x0D, 0x2028, 0x2029):
        msgid = N_("This must be a single line (no line breaks or tabs).")
    else:
        msgid = N_("This text holds a control character (U+{code}), which is not accepted.")
    return InputRefused(msgid, field, code=hexcode)


def check_text(text: str, *, field: str, max_len: int, allow_newlines: bool = True) -> str:
    """``text`` itself when it is acceptable text of at most ``max_len`` characters (on one line
    unless ``allow_newlines``); else InputRefused naming ``field``."""
    if not isinstance(text, str) or isinstance(text, _Huge):
        raise InputRefused(N_("This must be text."), field)
    problem = _text_problem(text, field, max_len, not allow_newlines)
    if problem is not None:
        raise problem
    return text


# -- parsed JSON -----------------------------------------------------------------------------------
class _Walk:
    def __init__(
        self,
        root: str,
        max_depth: int,
        max_string: int,
        field_limits: Mapping[str, int] | None,
        single_line: Collection[str],
    ) -> None:
        self.root = root
        self.max_depth = max_depth
        self.max_string = max_string
        self.field_limits = field_limits or {}
        self.single_line = single_line
        self.parts: list[str | int] = []

    def here(self) -> str:
        return path_of(self.parts, self.root)

    def refuse(self, msgid: str, **params: Any) -> InputRefused:
        return InputRefused(msgid, self.here(), **params)

    def string(self, text: str, key: str | None) -> None:
        limit = self.field_limits.get(key, self.max_string) if key is not None else self.max_string
        single = key is not None and key in self.single_line
        if len(text) > limit or (_FORBIDDEN_LINE if single else _FORBIDDEN).search(text):
            problem = _text_problem(text, self.here(), limit, single)
            if problem is not None:
                raise problem

    def node(self, value: Any, depth: int, key: str | None) -> None:
        kind = type(value)
        if kind is str:
            self.string(value, key)
        elif kind is dict or kind is list or kind is tuple or isinstance(value, dict | list | tuple):
            if depth >= self.max_depth:
                raise self.refuse(
                    N_("This is nested too deeply (more than {limit} levels)."), limit=self.max_depth
                )
            parts = self.parts
            if isinstance(value, dict):
                for name, item in value.items():
                    if type(name) is not str:
                        raise self.refuse(N_("This value is not valid here."))
                    parts.append(name)
                    if len(name) > self.max_string or _FORBIDDEN_LINE.search(name):
                        problem = _text_problem(name, self.here(), self.max_string, True)
                        if problem is not None:
                            raise problem
                    self.node(item, depth + 1, name)
                    parts.pop()
            else:
                for index, item in enumerate(value):
                    parts.append(index)
                    self.node(item, depth + 1, key)
                    parts.pop()
        elif kind is int:
            if not -MAX_INT <= value <= MAX_INT:
                raise self.refuse(
                    N_("This number is out of range (at most {limit} either way)."), limit=MAX_INT
                )
        elif kind is float:
            if not math.isfinite(value):
                raise self.refuse(N_("This number is not finite (NaN or Infinity are not accepted)."))
        elif kind is _Huge:
            raise self.refuse(N_("This number is out of range (at most {limit} either way)."), limit=MAX_INT)
        elif value is None or kind is bool:
            pass
        elif isinstance(value, str):  # a str subclass (an enum's value): checked as text
            self.string(str(value), key)
        elif isinstance(value, bool | int):
            self.node(int(value), depth, key)
        else:
            raise self.refuse(N_("This value is not valid here."))


def check_tree(
    value: Any,
    *,
    where: str = "$",
    max_depth: int = MAX_DEPTH,
    max_string: int = MAX_STRING,
    field_limits: Mapping[str, int] | None = None,
    single_line: Collection[str] = (),
) -> None:
    """Check parsed JSON (or the same shapes built in Python): nesting, numbers, text.

    ``where`` is the path of ``value`` itself. ``field_limits`` maps an object key to the longest
    text accepted under it (the items of a list count as their list's key); the keys in
    ``single_line`` refuse line breaks and tabs as well. Raises InputRefused naming the first
    problem's path. The walk is bounded by ``max_depth``, so it never recurses deeper than that,
    whatever ``value`` holds (a cycle included)."""
    _Walk(where, max_depth, max_string, field_limits, single_line).node(value, 0, None)


# -- JSON text -------------------------------------------------------------------------------------
def _suspect(raw: bytes) -> bool:
    """Whether the strings of ``raw``, JSON text that parsed, may hold a refused character. (The
    parser refuses C0 controls in strings, and outside them only tab, CR and LF are whitespace:
    of the ASCII characters, only DEL can be left.)"""
    return (
        b"\x7f" in raw
        or _C1_UTF8.search(raw) is not None
        or _BIDI_UTF8.search(raw) is not None
        or _ESCAPE.search(raw) is not None
    )


def _nesting(text: str, limit: int) -> int | None:
    """The deepest nesting of ``text`` when it exceeds ``limit``, else None; counted on the text
    with its strings taken out, without recursion (a bracket left unmatched counts, so a broken
    text may count deeper than the parser would go: never shallower)."""
    if text.count("[") + text.count("{") <= limit:
        return None
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    # Each pass takes out the innermost pairs: one level (fast, in C). Pairs that do not match stop
    # it; what is left is counted one by one, above the levels taken out.
    levels = 0
    while brackets and levels <= limit:
        fewer = _INNERMOST.sub("", brackets)
        if fewer == brackets:
            break
        brackets = fewer
        levels += 1
    if levels > limit:
        return levels
    depth = levels
    for ch in brackets:
        if ch == "[" or ch == "{":
            depth += 1
            if depth > limit:
                return depth
        else:
            depth -= 1
    return None


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


# The decoders, one pair per thread (made once: json.loads with hooks builds one per call), and
# whether the text being decoded held a number out of range (then its value is walked for the path).
_state = threading.local()


def _parse_int(literal: str) -> int | _Huge:
    if len(literal) <= MAX_INT_DIGITS:  # counted before int() is called
        number = int(literal)
        if -MAX_INT <= number <= MAX_INT:
            return number
    _state.flagged = True
    return _Huge(literal[:MAX_INT_DIGITS])


def _parse_float(literal: str) -> float:
    number = float(literal)
    if not math.isfinite(number):  # 1e999
        _state.flagged = True
    return number


def _parse_constant(literal: str) -> float:  # NaN, Infinity, -Infinity: not JSON
    _state.flagged = True
    return math.nan


def _decoder(allow_duplicates: bool) -> json.JSONDecoder:
    decoders = getattr(_state, "decoders", None)
    if decoders is None:
        hooks: dict[str, Any] = {
            "parse_int": _parse_int,
            "parse_float": _parse_float,
            "parse_constant": _parse_constant,
        }
        decoders = _state.decoders = (
            json.JSONDecoder(**hooks, object_pairs_hook=_unique),
            json.JSONDecoder(**hooks),
        )
    return decoders[1] if allow_duplicates else decoders[0]


def _too_deep(root: str, where: str, max_depth: int) -> InputRefused:
    return InputRefused(
        N_("{what} is nested too deeply (more than {limit} levels)."),
        root,
        reason="depth",
        what=where,
        limit=max_depth,
    )


def load_json(
    raw: bytes | bytearray | memoryview,
    *,
    max_bytes: int,
    where: str,
    max_depth: int = MAX_DEPTH,
    max_string: int = MAX_STRING,
    allow_duplicates: bool = False,
    root: str = "$",
) -> Any:
    """Parse UTF-8 JSON from outside, within the limits (see the module's docstring).

    ``where`` names the input in messages (a msgid such as ``N_("The case file")``, translated when
    shown); the paths of the values in it start at ``root``. The size is checked first, then UTF-8
    (strict: no encoded surrogates), then the nesting on the text (before the parser recurses),
    then the JSON itself, with integers of more than :data:`MAX_INT_DIGITS` digits never converted,
    then every value (:func:`check_tree`; skipped when the text cannot hold a refused value).
    An object naming a key twice is refused unless ``allow_duplicates`` (then the last one counts).
    """
    size = len(raw)
    if size > max_bytes:
        raise InputRefused(
            N_("{what} exceeds the size limit ({size} bytes; at most {limit} bytes)."),
            root,
            reason="size",
            what=where,
            size=size,
            limit=max_bytes,
        )
    raw = bytes(raw)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputRefused(N_("{what} is not UTF-8 text."), root, reason="utf8", what=where) from None
    deepest = _nesting(text, max_depth)
    if deepest is not None:
        raise _too_deep(root, where, max_depth)
    _state.flagged = False
    try:
        value = _decoder(allow_duplicates).decode(text)
    except _DuplicateKey as dup:
        raise InputRefused(
            N_("{what} names the key “{key}” twice in one object."),
            root,
            reason="duplicate",
            what=where,
            key=_shown_key(dup.key),
        ) from None
    except json.JSONDecodeError as exc:
        raise InputRefused(
            N_("{what} is not valid JSON (line {line}, column {column}: {detail})."),
            root,
            reason="json",
            what=where,
            line=exc.lineno,
            column=exc.colno,
            detail=exc.msg,
        ) from None
    except RecursionError:  # not reached: the nesting was counted first
        raise _too_deep(root, where, max_depth) from None
    if _state.flagged or len(text) > max_string or _suspect(raw):
        check_tree(value, where=root, max_depth=max_depth, max_string=max_string)
    return value


def strip_bom(raw: bytes) -> bytes:
    """``raw`` without a leading UTF-8 byte-order mark (which some editors write)."""
    return raw[len(_BOM) :] if raw.startswith(_BOM) else raw


# -- files -----------------------------------------------------------------------------------------
def read_bounded(path: str | os.PathLike[str], max_bytes: int, what: str) -> bytes:
    """The bytes of the regular file at ``path``, refused before reading when it is larger than
    ``max_bytes`` (from its size on the disk) or is not a regular file (a pipe or a device could be
    read forever). ``what`` names it in messages (a msgid, translated when shown)."""
    path = Path(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise InputRefused(N_("{what} is not a regular file."), reason="unreadable", what=what)
        if info.st_size > max_bytes:
            raise _too_large(what, info.st_size, max_bytes)
        with open(path, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise InputRefused(N_("{what} is not a regular file."), reason="unreadable", what=what)
            data = fh.read(max_bytes + 1)  # it may have grown since
    except OSError as exc:
        raise InputRefused(
            N_("{what} cannot be read ({detail})."), reason="unreadable", what=what, detail=exc.strerror or ""
        ) from None
    if len(data) > max_bytes:
        raise _too_large(what, len(data), max_bytes)
    return data


def _too_large(what: str, size: int, limit: int) -> InputRefused:
    return InputRefused(
        N_("{what} exceeds the size limit ({size} bytes; at most {limit} bytes)."),
        reason="size",
        what=what,
        size=size,
        limit=limit,
    )
