"""Table models without a view, and under pytest-qt's qtmodeltester."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from desktop.case.clients import client_rows
from ui.models.client_table import ID_ROLE, ClientTableModel, Column
from ui.models.record_table import RecordTableModel
from ui.specs import FOIA_COLUMNS


def _rows(store):
    return lambda: client_rows(store.conn, date(2026, 11, 25))


def test_client_model_passes_qtmodeltester(qtmodeltester, store, ana_path):
    from desktop.case.casefile import import_case_file

    import_case_file(store, ana_path)
    store.create("client", {"given_names": "José", "family_names": "Núñez"})
    model = ClientTableModel(_rows(store))
    model.reload()
    qtmodeltester.check(model, force_py=True)
    model.set_filter(set())
    qtmodeltester.check(model, force_py=True)


def test_search_jose_finds_jose_in_the_model(store):
    for given, family in (("José", "Núñez"), ("Jose", "Perez"), ("Ana", "Pérez")):
        store.create("client", {"given_names": given, "family_names": family})
    model = ClientTableModel(_rows(store))
    model.reload()
    model.set_filter(set(store.search("jose")))
    names = sorted(model.index(r, Column.NAME).data() for r in range(model.rowCount()))
    assert names == ["Núñez, José", "Perez, Jose"]
    model.set_filter(set(store.search("perez")))
    assert model.rowCount() == 2
    model.set_filter(None)
    assert model.rowCount() == 3


def test_sorting_by_every_column(store, ana_path):
    from desktop.case.casefile import import_case_file

    import_case_file(store, ana_path)
    store.create(
        "client",
        {
            "given_names": "Beto",
            "family_names": "Zúñiga",
            "a_number": "100555001",
            "proceedings": {"next_hearing": "2027-02"},
        },
    )
    store.create("client", {"given_names": "Ángela", "family_names": "Ábrego"})
    model = ClientTableModel(_rows(store))
    model.reload()
    model.sort(Column.NAME, Qt.SortOrder.AscendingOrder)
    assert [model.index(r, 0).data() for r in range(3)] == [
        "Ábrego, Ángela",
        "Pérez Gómez, Ana Lucía",
        "Zúñiga, Beto",
    ]  # accents sort as letters
    model.sort(Column.A_NUMBER, Qt.SortOrder.AscendingOrder)
    assert [model.index(r, Column.A_NUMBER).data() for r in range(3)] == [
        "A 100-555-001",
        "A 201-555-014",
        "",
    ]  # empty values last
    model.sort(Column.NEXT_HEARING, Qt.SortOrder.DescendingOrder)
    assert model.index(0, Column.NEXT_HEARING).data() == "February 2027"
    ids = {model.index(r, 0).data(ID_ROLE) for r in range(3)}
    assert len(ids) == 3


def test_deadline_column_says_overdue_in_words(store, ana_path):
    from desktop.case.casefile import import_case_file

    import_case_file(store, ana_path)
    model = ClientTableModel(_rows(store))
    model.reload()
    text = model.index(0, Column.NEXT_DEADLINE).data()
    assert text.startswith("Overdue")  # Ana's FOIA requests of May 2024 are long overdue


def test_record_model_passes_qtmodeltester(qtmodeltester, store, ana_path):
    from desktop.case.casefile import import_case_file

    client_id = import_case_file(store, ana_path)
    model = RecordTableModel(FOIA_COLUMNS)
    model.set_records(store.children(client_id, "foia_request"))
    qtmodeltester.check(model, force_py=True)
    assert model.index(0, 0).data() == "CBP — U.S. Customs and Border Protection"  # the code, then its name
