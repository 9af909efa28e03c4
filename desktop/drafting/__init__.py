"""A first draft of the client's declaration, built from the case: the attorney's starting point.

:func:`draft_declaration` turns a declara-case v1 dict into a ``declaration`` object of the case file
(resources/schema/declara-case-1.schema.json), with paragraphs in English and Spanish in the order
the asylum practice guides recommend for a declaration sworn under 28 U.S.C. § 1746 (the
Immigration Equality Asylum Manual; the Florence Immigrant & Refugee Rights Project's guides for
detained people):

1. identity (name, date and place of birth, linked to the birth event);
2. language statement;
3. one paragraph per chronology event (birth, and allegations taken from a government record,
   excluded), in date order, with the date at its real precision where a person says it: as the
   opening ("Around 2015, …", "Between May and August 2021, …"), after a short first clause of the
   client's ("I leave El Salvador with my son Mateo on March 2, 2024."), or left out when the
   paragraph before has the same date — never with an invented day;
4. the government's allegations in their own words, attributed ("DHS states in the I-213 that
   “…”"), then the client's answer in the client's words or :data:`ALLEGATION_PLACEHOLDER`: never
   a denial (or an admission) the client did not make, whatever the allegation's status;
5. fear of return (the client's words, or :data:`FEAR_PLACEHOLDER`).

Every paragraph records its ``sources`` (answers, events, fixed clauses of :data:`CLAUSES`,
allegations, placeholders), which the editor shows beside the text.

A declaration is sworn, so the draft prefers honesty to fluency. An event told in the client's own
words (an answer the event cites as ``interview:<answer id>``) is used as it is. Otherwise the
event's third-person text is converted to the first person by :func:`to_first_person`, a small
rule-based converter that keeps the tense and only answers when it is confident; any text it
cannot convert is kept as written with a visible marker (:data:`REWRITE_MARKER`) for the attorney,
a missing language gets :data:`TRANSLATION_NEEDED`; every marker a draft can leave is in
:data:`BLOCKING_MARKERS`. What the declaration supports is stored as relief keys (``relief``),
worded in the document's language only when it is printed (desktop.documents.declaration).

The texts produced here are document content in two languages at once (both are always written,
whatever the interface language), so they are bilingual tables, not gettext msgids.

The modules, each owning one part:

- :mod:`.locales`: the languages, the markers, the names of countries and languages;
- :mod:`.phrasing`: how dates are said in a paragraph;
- :mod:`.converter`: the declarant, tokens and the pass both converters share;
- :mod:`.first_person_en`, :mod:`.first_person_es`: the English and Spanish converters;
- :mod:`.first_person`: :func:`to_first_person` and :func:`first_person_or_marked`;
- :mod:`.assemble`: :func:`draft_declaration` and the paragraphs and fields it builds;
- :mod:`.declarations`: versions, signing and the editor's paragraph operations in the vault.
"""

from __future__ import annotations

from desktop.drafting.assemble import (
    CLAUSES,
    DEFAULT_RELIEF,
    draft_declaration,
    place_of_signing,
    supported_relief,
)
from desktop.drafting.converter import Declarant
from desktop.drafting.first_person import first_person_or_marked, to_first_person
from desktop.drafting.locales import (
    ALLEGATION_PLACEHOLDER,
    BLOCKING_MARKERS,
    COMPLETE_MARKER,
    DHS_WORDING_PLACEHOLDER,
    FEAR_PLACEHOLDER,
    LANGS,
    REWRITE_MARKER,
    TRANSLATE_QUOTE,
    TRANSLATION_NEEDED,
)
from desktop.drafting.phrasing import date_opening, date_phrase

__all__ = [
    "ALLEGATION_PLACEHOLDER",
    "BLOCKING_MARKERS",
    "CLAUSES",
    "COMPLETE_MARKER",
    "DHS_WORDING_PLACEHOLDER",
    "FEAR_PLACEHOLDER",
    "DEFAULT_RELIEF",
    "LANGS",
    "REWRITE_MARKER",
    "TRANSLATE_QUOTE",
    "TRANSLATION_NEEDED",
    "Declarant",
    "date_opening",
    "date_phrase",
    "draft_declaration",
    "first_person_or_marked",
    "place_of_signing",
    "supported_relief",
    "to_first_person",
]
