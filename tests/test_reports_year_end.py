"""Year-end preparation: stock figures proposed from H1, sum figures only on request, never
overwriting, one transaction, and the report says the figure was copied from H1."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests.conftest import fill_unit


def rows_by_key(rows):
    return {(r.unit, r.field): r for r in rows}


def test_preview_proposes_stock_fields_only_by_default(desk) -> None:
    from dkdesk.reports import year_end

    fill_unit(desk, "VHTT", "2024-H1", {"cskd_tong": 37, "cskd_duoc_kiem_tra": 9})
    rows = rows_by_key(year_end.preview(desk, "2024-Y"))
    r = rows[("VHTT", "cskd_tong")]
    assert (r.h1_value, r.proposed, r.current, r.action, r.rule) == (37, 37, None, "copy", "stock")
    assert ("VHTT", "cskd_duoc_kiem_tra") not in rows  # a "sum" field: not proposed
    assert all(r.rule == "stock" for r in rows.values())
    with_sum = rows_by_key(year_end.preview(desk, "2024-Y", include_sum=True))
    assert with_sum[("VHTT", "cskd_duoc_kiem_tra")].note.startswith("số 6 tháng đầu năm")


def test_apply_copies_in_one_go_and_never_overwrites(desk) -> None:
    from dkdesk.reports import year_end

    fill_unit(desk, "VHTT", "2024-H1", {"cskd_tong": 37})
    fill_unit(desk, "GDDT", "2024-H1", {"hs_tong": 1500, "hs_duoc_tt": 900})
    desk.set_values("GDDT", "2024-Y", {"hs_tong": 1600})  # already typed for the year
    rows = year_end.preview(desk, "2024-Y")
    assert rows_by_key(rows)[("GDDT", "hs_tong")].action == "keep"
    desk.set_values("VHTT", "2024-Y", {"cbcc_lien_quan": 5})  # typed after the preview
    result = year_end.apply(desk, "2024-Y", rows)
    assert desk.get_values("VHTT", "2024-Y").values["cskd_tong"] == 37
    assert desk.get_values("VHTT", "2024-Y").info["cskd_tong"].source == "carry"
    assert desk.get_values("VHTT", "2024-Y").values["cbcc_lien_quan"] == 5
    assert desk.get_values("GDDT", "2024-Y").values["hs_tong"] == 1600
    assert result.kept >= 1 and result.written > 0
    assert any(e.source == "carry" and e.field == "cskd_tong" for e in desk.history(unit="VHTT", period="2024-Y"))


def test_apply_is_all_or_nothing(desk) -> None:
    from dkdesk.core.desk import Refused
    from dkdesk.reports import year_end

    fill_unit(desk, "VHTT", "2024-H1")
    fill_unit(desk, "CA", "2024-H1")
    rows = year_end.preview(desk, "2024-Y")
    fill_unit(desk, "CA", "2024-Y")
    desk.set_values("CA", "2024-Y", {"cbcc_lien_quan": None})
    desk.set_status("CA", "2024-Y", "approved")  # locked after the preview
    with pytest.raises(Refused):
        year_end.apply(desk, "2024-Y", rows)
    assert "cskd_tong" not in desk.get_values("VHTT", "2024-Y").values


def test_refuses_a_first_half_period(desk) -> None:
    from dkdesk.core.desk import Refused
    from dkdesk.reports import year_end

    with pytest.raises(Refused, match="không phải kỳ báo cáo năm"):
        year_end.preview(desk, "2024-H1")


def test_sources_sheet_says_copied_from_first_half(desk, tmp_path: Path) -> None:
    from dkdesk.reports import year_end
    from dkdesk.reports.output import make_reports

    fill_unit(desk, "VHTT", "2024-H1", {"cskd_tong": 37})
    year_end.apply(desk, "2024-Y", year_end.preview(desk, "2024-Y"))
    out = tmp_path / "nam.xlsx"
    make_reports(desk, "2024-Y", out)
    ws = openpyxl.load_workbook(out)["Nguồn số liệu"]
    row = next([c.value for c in r] for r in ws.iter_rows() if r[2].value == "cskd_tong")
    assert row[4] == 37 and row[5] == "chép từ 6 tháng"
