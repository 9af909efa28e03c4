"""PyInstaller's entry script: the same as the ``declara`` command."""

from ui.launcher import main

raise SystemExit(main())
