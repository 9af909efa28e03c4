"""The custody record and the documents drafted from it (docs/custody.md)."""

#: The custody documents, as ``declara custody draft --kind`` names them.
KINDS = ("parole", "bond", "habeas-facts")
