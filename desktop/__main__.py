"""``python -m desktop``: the same as the ``declara`` command (window without arguments)."""

from ui.launcher import main

raise SystemExit(main())
