"""The vault: one folder holding an encrypted SQLCipher database, its key header and its lock.

- :mod:`~desktop.vault.database`: open, create and close a vault; transactions; integrity checks.
- :mod:`~desktop.vault.keyheader`: the random data key, wrapped by keys derived from the passphrase
  (and by the recovery code and the office key); :mod:`~desktop.vault.headerfile`: its two files
  (``keyheader.json`` and ``keyheader.copy.json``).
- :mod:`~desktop.vault.recovery`: recovery codes, the office key, recovering a forgotten passphrase
  and changing the data key; :mod:`~desktop.vault.recovery_sheet`: the printed sheet.
- :mod:`~desktop.vault.lockfile`: one writer per vault (an OS lock on ``declara.lock``).
- :mod:`~desktop.vault.passphrase`: what a passphrase must be.
- :mod:`~desktop.vault.migrations`: the numbered, forward-only schema migrations.
- :mod:`~desktop.vault.fsutil`: atomic file writes and directory syncs, used wherever a file is written.
- :mod:`~desktop.vault.health`, :mod:`~desktop.vault.walcheck`: before SQLite opens the database,
  prove the folder writable, every page this vault's and any write-ahead log this database's.
- :mod:`~desktop.vault.backups`, :mod:`~desktop.vault.restore`: verified, rotating backups and
  restoring one into a new vault.
- :mod:`~desktop.vault.pagereader`, :mod:`~desktop.vault.salvage`: reading a damaged database page by
  page and copying what still reads into a new vault.
"""
