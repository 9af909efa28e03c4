"""The case: what Declara knows about a client, and the one way it is read and written.

- :mod:`~desktop.case.model`: record kinds, their fields, their vocabularies and validation.
- :mod:`~desktop.case.store`: the case store, the service every write goes through.
- :mod:`~desktop.case.codec`: rows <-> records, canonical JSON, single and bulk writes with their
  index and summary hooks: the only code that writes the ``records`` table (store and sync use it).
- :mod:`~desktop.case.states`: U.S. states and territories.
- :mod:`~desktop.case.dates`, :mod:`~desktop.case.anumber`, :mod:`~desktop.case.names`: values with
  rules of their own (EDTF dates, A-numbers, how a client's name is shown).
- :mod:`~desktop.case.deadlines`, :mod:`~desktop.case.chronology`: what is due, and what in the
  chronology needs checking.
- :mod:`~desktop.case.search`, :mod:`~desktop.case.summary`, :mod:`~desktop.case.clients`: the
  derived tables behind the client list and its search.
- :mod:`~desktop.case.casefile`, :mod:`~desktop.case.report`: case files (JSON) and the text summary.
- :mod:`~desktop.case.facilities`: the ICE detention facility list.
"""
