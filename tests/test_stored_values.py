"""One decoder of a stored figure (dkdesk.storage.values): every reader of the database sees
the same values — the entry form (``get_values``), the overview and the import comparison
(``period_values``) and the reports (``gather``)."""
from __future__ import annotations

from sqlalchemy import text

from dkdesk.reports.data import gather

WARD = "P-HUNGDAO"
H1 = "2024-H1"


def _misplace(desk, field: str) -> None:
    """Leave a figure in a column its field's type does not use (as after the plan changed the
    field's type): no reader may show it."""
    with desk.engine.begin() as con:
        con.execute(text("UPDATE field_values SET int_value = NULL, text_value = '5' WHERE field_id = :f"),
                    {"f": desk.field_id(field)})


def test_every_reader_decodes_a_stored_figure_the_same_way(desk, db_path):
    desk.set_values(WARD, H1, {"tt_so_hinh_thuc": "3", "kh_da_ban_hanh": "Có", "nld_cskd_tong": "1.200"})
    _misplace(desk, "nld_cskd_tong")
    expected = {"tt_so_hinh_thuc": 3, "kh_da_ban_hanh": True}

    form = desk.get_values(WARD, H1).values
    period = {f: v for (u, f), v in desk.period_values(H1).items() if u == WARD}
    report = gather(desk, H1).unit(WARD).values
    for seen in (form, period, report):
        assert seen == expected
        assert type(seen["kh_da_ban_hanh"]) is bool  # a yes/no never reads back as 1


def test_period_values_reads_only_the_fields_asked_for(desk):
    desk.set_values(WARD, H1, {"tt_so_hinh_thuc": "3", "kh_da_ban_hanh": "Không"})
    assert desk.period_values(H1, {"kh_da_ban_hanh"}) == {(WARD, "kh_da_ban_hanh"): False}
    assert desk.has_values(H1) and not desk.has_values("2024-Y")
