"""The one way a list-like table (one record a row) is set up in dkdesk's screens."""
from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView


def setup_rows_view(view: QTableView, model: QAbstractItemModel | None = None, *, single: bool = False,
                    alternating: bool = True, stretch_last: bool = True, interactive: bool = False) -> QTableView:
    """Whole-row selection (``single``: one row at a time), no row numbers, alternating row
    colours, the last column taking the spare width; ``interactive``: the person resizes columns.
    Sets ``model`` first when given. Returns ``view``."""
    if model is not None:
        view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single:
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.verticalHeader().setVisible(False)
    view.setAlternatingRowColors(alternating)
    header = view.horizontalHeader()
    if interactive:
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    if stretch_last:
        header.setStretchLastSection(True)
    return view
