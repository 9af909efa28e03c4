"""Settings of the filing packet kept in the vault (encrypted, never beside it).

The address of the DHS Office of the Principal Legal Advisor (OPLA) that serves a court is typed
once per court and offered again for every packet filed there (proof of service, 8 C.F.R.
§ 1003.32). It lives in the vault's ``meta`` table under ``service_address:<court>``.
"""

from __future__ import annotations

from typing import Any

PREFIX = "service_address:"
ADDRESS_MAX = 500


def _key(court: str) -> str:
    return PREFIX + " ".join(str(court or "").split()).casefold()


def service_address(vault: Any, court: str | None) -> str | None:
    """The OPLA address remembered for ``court`` (case and spacing ignored), or None."""
    if not court or not str(court).strip():
        return None
    value = vault.meta(_key(court))
    return value or None


def remember_service_address(vault: Any, court: str | None, address: str) -> None:
    """Remember ``address`` for ``court`` (an empty address forgets it)."""
    if not court or not str(court).strip():
        return
    address = str(address or "").strip()[:ADDRESS_MAX]
    with vault.transaction():
        if address:
            vault.conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (_key(court), address)
            )
        else:
            vault.conn.execute("DELETE FROM meta WHERE key = ?", (_key(court),))
