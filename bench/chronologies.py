"""Generated chronologies for the exhibit's layout checks and the benchmark.

``generated_case(n)`` is a fictional client (born in 1988) whose ``n`` events look like the
chronologies attorneys build: a few events spread over decades, then most of them packed into
dense clusters (several on the same day, many in the same weeks) in 2024-2025, the months of
flight, border and detention. Dates use every precision the exhibit draws (day, month, month
intervals, years, approximate and uncertain values, open ends), every status and category, and
every kind of source token. The result is deterministic for a given ``n`` and ``seed``.
"""

from __future__ import annotations

import random
from typing import Any

from desktop.case.model import VOCABULARIES

__all__ = ["SIZES", "generated_case"]

#: The sizes the issue asks to look at: 5, 30, 100 and 300 events.
SIZES = (5, 30, 100, 300)

_CATEGORIES = tuple(VOCABULARIES["event_category"])
_STATUSES = ("client_account", "documented", "disputed", "government_allegation")
_SOURCES = (
    "interview",
    "document:i-213",
    "document:i-94",
    "document:nta",
    "document:release-order",
    "document:solvencia",
    "document:i-589-receipt",
    "document:birth-certificate",
    "exhibit:C",
    "paragraph:2",
)
_TEXTS = (
    (
        "Threatened by gang members outside the market; they demand a weekly payment.",
        "Pandilleros la amenazan afuera del mercado; le exigen una cuota semanal.",
    ),
    (
        "Crosses into Mexico with her son and waits in a shelter.",
        "Cruza a México con su hijo y espera en un albergue.",
    ),
    (
        "Processing systems flag her as affiliated with a gang, on information from a foreign police force.",
        "Los sistemas de procesamiento la señalan como afiliada a una pandilla, según información de una policía extranjera.",
    ),
    (
        "Transferred to another detention center without notice to counsel; her son remains in ORR custody "
        "in another state and she cannot call him for eleven days.",
        "La trasladan a otro centro de detención sin avisar a su abogada; su hijo sigue bajo custodia de la ORR "
        "en otro estado y no puede llamarlo durante once días.",
    ),
    ("Hearing before the immigration judge.", "Audiencia ante el juez de inmigración."),
)


def _date(rng: random.Random, year: int, month: int, day: int) -> str:
    """A date of the cluster at one of the precisions clients give."""
    kind = rng.random()
    if kind < 0.55:
        return f"{year:04d}-{month:02d}-{day:02d}"
    if kind < 0.7:
        return f"{year:04d}-{month:02d}"
    if kind < 0.8:
        return f"{year:04d}-{month:02d}-{day:02d}~"
    if kind < 0.88:
        end = min(12, month + rng.randint(1, 3))
        return f"{year:04d}-{month:02d}/{year:04d}-{end:02d}"
    if kind < 0.94:
        return f"{year:04d}-{month:02d}?"
    return f"{year:04d}-{month:02d}-{day:02d}/.."


def generated_case(n_events: int, *, seed: int = 1) -> dict[str, Any]:
    """A declara-case v1 dict with ``n_events`` events (see the module docstring)."""
    rng = random.Random(seed * 7919 + n_events)
    events: list[dict[str, Any]] = []

    def add(date: str, i: int) -> None:
        en, es = _TEXTS[i % len(_TEXTS)]
        events.append(
            {
                "id": f"ev-{i}",
                "date": date,
                "place": rng.choice(
                    ("San Salvador, El Salvador", "Tapachula, Chiapas", "El Paso, Texas", "")
                ),
                "category": _CATEGORIES[i % len(_CATEGORIES)],
                "status": _STATUSES[(i // 2) % len(_STATUSES)],
                "text": {"en": f"{en} ({i})", "es": f"{es} ({i})"},
                "sources": [
                    _SOURCES[i % len(_SOURCES)],
                    *([_SOURCES[(i * 3 + 1) % len(_SOURCES)]] if i % 3 == 0 else []),
                ],
            }
        )

    add("1988-05-02", 0)  # birth: the axis would span 37 years
    spread = max(1, n_events // 10)
    for i in range(1, spread):
        year = 2000 + rng.randint(0, 22)
        add(rng.choice((f"{year}", f"{year}~", f"{year}-{rng.randint(1, 12):02d}", f"../{year}")), i)
    # the clusters: most events within days or weeks of each other in 2024-2025
    centres = [(2024, 3), (2024, 11), (2025, 1), (2025, 6)]
    for i in range(len(events), n_events):
        year, month = centres[i % len(centres)]
        day = 1 + int(abs(rng.gauss(0, 4))) % 28
        add(_date(rng, year, month, day), i)
    return {
        "format": "declara-case",
        "version": 1,
        "client": {
            "given_names": "Rosa Amelia",
            "family_names": "Portillo Meza",
            "a_number": "A 201-555-077",
            "date_of_birth": "1988-05-02",
            "country_of_birth": "SV",
            "nationalities": ["SV"],
            "languages": ["es"],
            "custody": {"status": "detained", "facility": None, "since": "2025-01-09", "bond": None},
        },
        "proceedings": {"court": "El Paso Immigration Court"},
        "events": events[:n_events],
        "allegations": [],
        "family": [],
        "foia_requests": [],
        "visits": [],
        "declaration": {"paragraphs": []},
    }
