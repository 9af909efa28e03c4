"""The client list's “Laptops” column on the office's vault: which laptops each client is assigned
to, and which laptops still hold it until their next sync file acknowledges the removal.

Everything the column shows is read when the list loads, in one call each to
:func:`desktop.sync.assignments.assignments` and :func:`~desktop.sync.assignments.holders` (one
query each, whatever the number of clients): never a query per row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop.i18n import _

if TYPE_CHECKING:
    from desktop.vault.database import Vault


@dataclass(frozen=True, slots=True)
class LaptopCell:
    """The laptops of one client: assigned to it, and no longer assigned but still holding it."""

    assigned: tuple[str, ...] = ()
    pending: tuple[str, ...] = ()

    def text(self) -> str:
        # Translators: a laptop in the client list's "Laptops" column that no longer has the client
        # assigned but still holds its records until its next sync file says they were removed.
        pending = [_("{name} (awaiting deletion)").format(name=name) for name in self.pending]
        return ", ".join([*self.assigned, *pending])

    def tooltip(self) -> str:
        lines = []
        if self.assigned:
            lines.append(_("Assigned to: {laptops}").format(laptops=", ".join(self.assigned)))
        if self.pending:
            lines.append(
                _("Still held, awaiting deletion at the next sync: {laptops}").format(
                    laptops=", ".join(self.pending)
                )
            )
        return "\n".join(lines)


def is_office(vault: Vault) -> bool:
    """Is this vault the office? Read only (never creates the sync identity as ``identity`` would)."""
    from desktop.sync import devices

    return devices.role(vault) == "office"


def laptop_names(vault: Vault) -> dict[str, str]:
    """Device id → name of every trusted laptop, in the order of their names."""
    from desktop.sync import devices

    laptops = [p for p in devices.peers(vault) if p.role == "laptop"]
    return {p.device_id: p.name for p in sorted(laptops, key=lambda p: p.name.casefold())}


def load_cells(vault: Vault) -> dict[str, LaptopCell]:
    """Client id → its laptops, for every client with at least one (three queries in all)."""
    from desktop.sync import assignments as core

    names = laptop_names(vault)
    assigned = core.assignments(vault)
    held = core.holders(vault)
    order = {device: i for i, device in enumerate(names)}

    def named(devices: list[str] | set[str]) -> tuple[str, ...]:
        ordered = sorted(devices, key=lambda d: order.get(d, len(order)))
        return tuple(names.get(d, d[:8]) for d in ordered)

    cells: dict[str, LaptopCell] = {}
    shared: dict[tuple[tuple[str, ...], tuple[str, ...]], LaptopCell] = {}  # few distinct cells
    for source in (held, assigned):  # every client assigned is held too; the second pass is a guard
        for client_id, devices in source.items():
            if client_id in cells:
                continue
            now = tuple(assigned.get(client_id, ()))
            key = (now, tuple(devices))
            cell = shared.get(key)
            if cell is None:
                cell = shared[key] = LaptopCell(named(now), named([d for d in devices if d not in now]))
            cells[client_id] = cell
    return cells


def counts(vault: Vault) -> dict[str, tuple[int, int]]:
    """Device id → (clients assigned, clients awaiting deletion) for every laptop that has any."""
    from desktop.sync import assignments as core

    totals: dict[str, list[int]] = {}
    assigned = core.assignments(vault)
    for devices in assigned.values():
        for device in devices:
            totals.setdefault(device, [0, 0])[0] += 1
    for client_id, devices in core.holders(vault).items():
        now = assigned.get(client_id, [])
        for device in devices:
            if device not in now:
                totals.setdefault(device, [0, 0])[1] += 1
    return {device: (a, p) for device, (a, p) in totals.items()}
