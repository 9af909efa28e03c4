"""The window's feature controllers, one a feature (after Picard's small controllers and Anki's
operations): each owns its actions and their shortcuts, wires its views' intents to the session,
runs its work through :func:`ui.ops.run_op`, and refreshes its views from the session's change
signals.

- :mod:`~ui.controllers.vault`: create, demo, choose, unlock, lock (now and when idle);
- :mod:`~ui.controllers.clients`: the list, search, the record, autosave, add/delete/undo, new
  client, case files;
- :mod:`~ui.controllers.chronology`: events, duplicate/move, checks, the timeline exhibit;
- :mod:`~ui.controllers.declaration`: drafts, paragraphs, linked events, signing, the PDFs;
- :mod:`~ui.controllers.visits`: visit mode, answers, events and allegations from answers, the
  end-of-visit summary;
- :mod:`~ui.controllers.sync`: the card, trust, sync files out and in, conflicts;
- :mod:`~ui.controllers.documents`: the evidence in the vault: import (and files dropped on the
  window), the viewer's page edits as revisions, links, export, delete, OCR.
"""
