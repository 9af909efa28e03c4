"""Per-user preferences (never client data): interface language, last vault, idle lock delay."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

DEFAULT_IDLE_MINUTES = 5


class Settings:
    """A thin typed wrapper over an INI file; tests give it a path in ``tmp_path``."""

    def __init__(self, path: Path | None = None) -> None:
        if path is None:
            self._qs = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "Declara", "Declara")
        else:
            self._qs = QSettings(str(path), QSettings.Format.IniFormat)

    @property
    def file_name(self) -> str:
        return self._qs.fileName()

    def _get(self, key: str, default: object = None) -> object:
        return self._qs.value(key, default)

    def _set(self, key: str, value: object) -> None:
        self._qs.setValue(key, value)
        self._qs.sync()

    @property
    def language(self) -> str | None:
        value = self._get("ui/language")
        return str(value) if value else None

    @language.setter
    def language(self, value: str) -> None:
        self._set("ui/language", value)

    @property
    def last_vault(self) -> Path | None:
        value = self._get("vault/last")
        return Path(str(value)) if value else None

    @last_vault.setter
    def last_vault(self, value: Path) -> None:
        self._set("vault/last", str(value))

    @property
    def idle_minutes(self) -> int:
        try:
            return max(1, int(self._get("lock/idle_minutes", DEFAULT_IDLE_MINUTES)))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return DEFAULT_IDLE_MINUTES

    @idle_minutes.setter
    def idle_minutes(self, value: int) -> None:
        self._set("lock/idle_minutes", int(value))

    @property
    def geometry(self) -> QByteArray | None:
        """The main window's place and size as the user last left it (QWidget.saveGeometry)."""
        value = self._get("window/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._set("window/geometry", value)
