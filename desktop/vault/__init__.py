"""The vault: one folder holding an encrypted SQLCipher database, its key header and its lock.

- :mod:`~desktop.vault.database`: open, create and close a vault; transactions; integrity checks.
- :mod:`~desktop.vault.keyheader`: the random data key, wrapped by keys derived from the passphrase.
- :mod:`~desktop.vault.lockfile`: one writer per vault (an OS lock on ``declara.lock``).
- :mod:`~desktop.vault.passphrase`: what a passphrase must be.
- :mod:`~desktop.vault.migrations`: the numbered, forward-only schema migrations.
- :mod:`~desktop.vault.fsutil`: atomic file writes and directory syncs, used wherever a file is written.
"""
