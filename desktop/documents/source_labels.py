"""How the sources of chronology events read in a filed document.

An event's sources are case-file tokens (``interview``, ``interview:<id>``, ``paragraph:N``,
``exhibit:<letter>``, ``document:<slug>``, and ``document:<id>`` or ``document:<id>#p<page>`` naming
a document stored in the vault). None of them is printed as written: each becomes a label
in the document's language, as a court reads it ("Form I-213, Record of Deportable/Inadmissible
Alien", "Declaration of the respondent, ¶ 4", "Ex. C"), and, when the document is an exhibit of the
filing, its exhibit letter and page ("… (Ex. B, p. 3)").

The wording is data: ``resources/source_labels.toml`` (both languages, with where each official
name was checked). A document slug that is not in the table prints humanized ("hospital-record" ->
"Hospital record"); :func:`unknown_document_slugs` lists them so the export can warn.

A ``document:<id>`` that names a document of the case (the case file's ``documents[]``, passed as
``documents``) prints its kind's court label when the kind is an official form (``i213`` -> "Form
I-213, Record of Deportable/Inadmissible Alien"), else its title, and ", p. 3" for ``#p3``; an id
is never printed, not even for a document the case does not hold (that one reads "Other document").

Short references ("Ex. B, p. 3", "¶ 4", "párr. 4") are built with non-breaking spaces, so a label
never breaks inside one.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from desktop.paths import resource_path

__all__ = [
    "DECLARATION",
    "KIND_SLUGS",
    "ExhibitRef",
    "LabelTable",
    "document_entries",
    "split_document_token",
    "humanize_slug",
    "label_table",
    "labels_for",
    "normalize_exhibits",
    "parse_exhibit_ref",
    "unknown_document_slugs",
]

#: The key of the declaration in an exhibits mapping ({"declaration": ExhibitRef("A")}).
DECLARATION = "declaration"
NBSP = "\u00a0"
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_PAGE = re.compile(r"^(?P<id>.+?)#p(?P<page>[1-9][0-9]{0,5})$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)

#: A document kind (vocabulary ``document_kind``) whose court label is an official form's name in
#: the table; every other kind prints the document's title.
KIND_SLUGS = {"i213": "i-213", "nta": "nta", "credible_fear": "i-870"}

#: ", p. 3" after a vault document's label, by language (non-breaking inside).
_PAGE_WORDS = {"en": "p.\u00a0{page}", "es": "pág.\u00a0{page}"}


@dataclass(frozen=True)
class ExhibitRef:
    """Where a source is in the filing: its exhibit ``letter`` ("B") and, optionally, the ``page``."""

    letter: str
    page: int | None = None

    def __post_init__(self) -> None:
        letter = str(self.letter).strip()
        if not letter:
            raise ValueError("an exhibit reference needs a letter")
        page = self.page
        if page is not None and (isinstance(page, bool) or not isinstance(page, int) or page < 1):
            raise ValueError(f"an exhibit page is a whole number from 1, not {self.page!r}")
        object.__setattr__(self, "letter", letter)


@dataclass(frozen=True)
class LabelTable:
    """``resources/source_labels.toml``, read: per-language wording and the documents by slug."""

    kinds: dict[str, dict[str, str]]
    references: dict[str, dict[str, str]]
    patterns: dict[str, dict[str, str]]
    documents: dict[str, dict[str, str]]  # canonical slug -> {"en", "es", "source", ...}
    aliases: dict[str, str]  # every slug and alias -> canonical slug

    def canonical(self, slug: str) -> str | None:
        """The table's slug for ``slug`` or one of its aliases (any case); None when unknown."""
        return self.aliases.get(slug.strip().lower())


@lru_cache(maxsize=1)
def label_table() -> LabelTable:
    """The shipped table (read once). Raises ValueError when it is malformed."""
    with open(resource_path("source_labels.toml"), "rb") as fh:
        data = tomllib.load(fh)
    return build_table(data)


def build_table(data: Mapping[str, Any]) -> LabelTable:
    """A :class:`LabelTable` from the parsed TOML; ValueError names the first problem."""
    documents: dict[str, dict[str, str]] = {}
    aliases: dict[str, str] = {}
    for slug, entry in (data.get("documents") or {}).items():
        names = [slug, *entry.get("aliases", [])]
        for name in names:
            if not _SLUG.match(name):
                raise ValueError(f"source_labels.toml: {name!r} is not a lowercase slug")
            if name in aliases:
                raise ValueError(f"source_labels.toml: {name!r} names two documents")
            aliases[name] = slug
        for lang in ("en", "es"):
            if not str(entry.get(lang) or "").strip():
                raise ValueError(f"source_labels.toml: documents.{slug} has no {lang!r} label")
        documents[slug] = {k: v for k, v in entry.items() if isinstance(v, str)}
    for section, keys in (
        ("kinds", ("declaration", "interview")),
        ("references", ("exhibit", "exhibit_page", "paragraph", "paragraphs")),
        ("patterns", ("with_exhibit", "with_paragraph")),
    ):
        for key in keys:
            for lang in ("en", "es"):
                if not str(((data.get(section) or {}).get(key) or {}).get(lang) or "").strip():
                    raise ValueError(f"source_labels.toml: {section}.{key} has no {lang!r} wording")
    return LabelTable(
        kinds=dict(data["kinds"]),
        references=dict(data["references"]),
        patterns=dict(data["patterns"]),
        documents=documents,
        aliases=aliases,
    )


# -- labels ------------------------------------------------------------------------------------
def labels_for(
    tokens: Iterable[str],
    lang: str,
    *,
    sex: str | None = None,
    exhibits: Mapping[str, ExhibitRef] | None = None,
    table: LabelTable | None = None,
    documents: Mapping[str, Mapping[str, Any]] | None = None,
) -> tuple[str, ...]:
    """The labels of ``tokens`` in ``lang``, in order, each once.

    Every ``paragraph:N`` becomes one label for the declaration ("Declaration of the respondent,
    ¶¶ 2, 9"), where the first of them stood; every ``interview…`` the interview's label (an
    interview id is never printed). ``sex`` ('f', 'm' or None) chooses the wording that agrees
    with the respondent; ``exhibits`` (keys normalized by :func:`normalize_exhibits`) adds
    "(Ex. B, p. 3)" to the declaration and to documents filed as exhibits. ``documents`` maps the
    ids of the case's vault documents to their fields (``kind``, ``title``; see
    :func:`document_entries`).
    """
    table = table or label_table()
    refs = normalize_exhibits(exhibits or {}, table)
    tokens = list(tokens)
    split = [token.partition(":") for token in tokens]
    paragraphs = sorted({int(v) for k, _s, v in split if k == "paragraph" and v.isdigit()})
    labels: list[str] = []
    for token in tokens:
        kind, _sep, value = token.partition(":")
        if kind == "paragraph":
            if not paragraphs:
                continue
            label = _declaration(table, lang, sex, paragraphs, refs.get(DECLARATION))
            paragraphs = []
        elif kind == "interview":
            label = _with_exhibit(table, lang, _kind(table, "interview", lang, sex), refs.get("interview"))
        elif kind == "exhibit":
            label = _reference(table, "exhibit", lang, letter=value.strip())
        elif kind == "document" and _is_vault_document(value, documents):
            label = _vault_document(table, lang, sex, value, documents or {}, refs)
        elif kind == "document":
            slug = table.canonical(value) or value.strip()
            entry = table.documents.get(slug)
            name = _pick(entry, lang, sex) if entry else humanize_slug(value)
            label = _with_exhibit(table, lang, name, refs.get(slug))
        else:
            label = humanize_slug(token)
        if label not in labels:
            labels.append(label)
    return tuple(labels)


def split_document_token(value: str) -> tuple[str, int | None]:
    """ "3f2a…#p3" -> ("3f2a…", 3); "3f2a…" -> ("3f2a…", None): a document id and the page named."""
    match = _PAGE.match(value.strip())
    if match:
        return match["id"], int(match["page"])
    return value.strip(), None


def document_entries(case: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The case file's vault documents (``documents[]``, version 2) by id: ``{"kind", "title"}``."""
    out: dict[str, dict[str, Any]] = {}
    for doc in case.get("documents") or []:
        if isinstance(doc, Mapping) and doc.get("id"):
            out[str(doc["id"])] = {"kind": doc.get("kind"), "title": doc.get("title") or ""}
    return out


def _is_vault_document(value: str, documents: Mapping[str, Mapping[str, Any]] | None) -> bool:
    """A token naming a document of the case, or one that can only be a vault id (a UUID, or any
    id with a page): never printed as written."""
    ident, page = split_document_token(value)
    return bool(documents and ident in documents) or page is not None or bool(_UUID.match(ident))


def _vault_document(
    table: LabelTable,
    lang: str,
    sex: str | None,
    value: str,
    documents: Mapping[str, Mapping[str, Any]],
    refs: Mapping[str, ExhibitRef],
) -> str:
    ident, page = split_document_token(value)
    entry = documents.get(ident)
    slug = KIND_SLUGS.get(str((entry or {}).get("kind") or ""))
    if entry is None:
        name = _pick(table.documents["other"], lang, sex)
    elif slug and slug in table.documents:
        name = _pick(table.documents[slug], lang, sex)
    else:
        name = " ".join(str(entry.get("title") or "").split()) or _pick(table.documents["other"], lang, sex)
    if page is not None:
        name = f"{name}, {_PAGE_WORDS.get(lang, _PAGE_WORDS['en']).format(page=page)}"
    return _with_exhibit(table, lang, name, refs.get(ident.lower()))


def humanize_slug(slug: str) -> str:
    """ "hospital-record" -> "Hospital record": hyphens and underscores become spaces, first letter
    capital; what cannot be read at all becomes "Document"."""
    words = " ".join(re.sub(r"[-_:]+", " ", slug).split())
    return words[:1].upper() + words[1:] if words else "Document"


def normalize_exhibits(
    exhibits: Mapping[str, ExhibitRef], table: LabelTable | None = None
) -> dict[str, ExhibitRef]:
    """``exhibits`` keyed as the labels look them up: "declaration", "interview", or a document's
    canonical slug ("document:solvencia" and "constancia-antecedentes" both -> "solvencia")."""
    table = table or label_table()
    out: dict[str, ExhibitRef] = {}
    for key, ref in exhibits.items():
        name = key.strip().lower().removeprefix("document:")
        out[table.canonical(name) or name] = ref
    return out


def unknown_document_slugs(
    tokens: Iterable[str],
    table: LabelTable | None = None,
    documents: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[str]:
    """The ``document:<slug>`` tokens whose slug is not in the table, each once, in order (a token
    naming a vault document is not a slug: it is never reported)."""
    table = table or label_table()
    unknown: list[str] = []
    for token in tokens:
        kind, _sep, value = token.partition(":")
        if kind != "document" or _is_vault_document(value, documents):
            continue
        if table.canonical(value) is None and token not in unknown:
            unknown.append(token)
    return unknown


def parse_exhibit_ref(text: str) -> tuple[str, ExhibitRef]:
    """ "i-213=B:3" -> ("i-213", ExhibitRef("B", 3)); "declaration=A" -> ("declaration", ExhibitRef("A")).

    The source is a document slug (with or without "document:") or "declaration". Raises
    ValueError when the text is not SOURCE=LETTER or SOURCE=LETTER:PAGE.
    """
    source, sep, ref = text.partition("=")
    source = source.strip().lower()
    letter, _colon, page = ref.partition(":")
    if not sep or not source or not letter.strip():
        raise ValueError(f"{text!r} is not SOURCE=LETTER or SOURCE=LETTER:PAGE")
    if page.strip() and not page.strip().isdigit():
        raise ValueError(f"{text!r}: the page must be a whole number")
    return source, ExhibitRef(letter.strip(), int(page) if page.strip() else None)


# -- helpers -----------------------------------------------------------------------------------
def _pick(entry: Mapping[str, str], lang: str, sex: str | None) -> str:
    """The wording in ``lang``, in the variant agreeing with ``sex`` when the entry has one."""
    variant = {"f": "female", "m": "male"}.get(sex or "")
    if variant and entry.get(f"{lang}_{variant}"):
        return entry[f"{lang}_{variant}"]
    return entry.get(lang) or entry["en"]


def _kind(table: LabelTable, kind: str, lang: str, sex: str | None) -> str:
    return _pick(table.kinds[kind], lang, sex)


def _reference(table: LabelTable, key: str, lang: str, **values: object) -> str:
    """A short reference with its spaces non-breaking, but for one after a comma ("Ex.\u00a0B,
    p.\u00a03" may break after "B,", never inside "Ex. B" or "p. 3")."""
    template = _pick(table.references[key], lang, None).replace(" ", NBSP).replace("," + NBSP, ", ")
    return template.format(**values)


def _exhibit(table: LabelTable, lang: str, ref: ExhibitRef) -> str:
    if ref.page is None:
        return _reference(table, "exhibit", lang, letter=ref.letter)
    return _reference(table, "exhibit_page", lang, letter=ref.letter, page=ref.page)


def _with_exhibit(table: LabelTable, lang: str, label: str, ref: ExhibitRef | None) -> str:
    if ref is None:
        return label
    pattern = _pick(table.patterns["with_exhibit"], lang, None)
    return pattern.format(label=label, exhibit=_exhibit(table, lang, ref))


def _declaration(
    table: LabelTable, lang: str, sex: str | None, paragraphs: list[int], ref: ExhibitRef | None
) -> str:
    label = _with_exhibit(table, lang, _kind(table, "declaration", lang, sex), ref)
    key = "paragraph" if len(paragraphs) == 1 else "paragraphs"
    numbers = ", ".join(str(n) for n in paragraphs)
    paragraph = _reference(table, key, lang, numbers=numbers)
    return _pick(table.patterns["with_paragraph"], lang, None).format(label=label, paragraph=paragraph)
