"""Declara's PySide6 interface: views, table models and presenters over the Qt-free core."""
