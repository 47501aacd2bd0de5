"""The consolidated workbook of a plan that follows another: a "Cùng kỳ năm trước" column."""
from __future__ import annotations

from datetime import date

from openpyxl import load_workbook

from dkdesk.catalogue import plan_edit as edit
from dkdesk.catalogue.plan_dump import dump_plan
from dkdesk.core.desk import Desk
from dkdesk.reports.output import make_reports
from dkdesk.reports.workbook import SHEET_INDICATORS
from tests.conftest import WARDS


def _rows(path):
    ws = load_workbook(path)[SHEET_INDICATORS]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    head = next(i for i, r in enumerate(rows) if r[:3] == ["STT", "Mã", "Chỉ tiêu"])
    return rows[head], {r[1]: r for r in rows[head + 1:] if r[1] and str(r[1]).startswith("CT")}, rows


def test_the_workbook_compares_with_last_years_plan_over_the_merged_units(db_path, plan, tmp_path):
    with Desk.open(db_path) as desk:
        for i, w in enumerate(WARDS):
            desk.set_values(w, "2024-Y", {"nld_cskd_tong": 100, "nld_cskd_duoc_tt": 10 * (i + 1)})
        p = edit.merge_units(edit.next_year(plan), WARDS[:3], "P-DUONGKINH", "Ủy ban nhân dân phường Dương Kinh",
                             date(2025, 7, 1), short_name="P. Dương Kinh")
        desk.add_plan(dump_plan(edit.set_target(p, "CT07", 5, "count")))
    with Desk.open(db_path) as desk:
        desk.set_values("P-DUONGKINH", "2025-Y", {"nld_cskd_tong": 300, "nld_cskd_duoc_tt": 240})
        desk.set_values("VHTT", "2025-Y", {"cskd_tong": 50, "cskd_duoc_kiem_tra": 7})
        out = tmp_path / "th.xlsx"
        make_reports(desk, "2025-Y", out)
    header, rows, every = _rows(out)
    col = header.index("Cùng kỳ năm trước (năm 2024)")
    assert header[col + 1] == "Đánh giá cùng kỳ năm trước"
    assert rows["CT02"][col] == 0.35 and rows["CT02"][col + 1] == "Chưa đạt"
    assert (rows["CT07"][4], rows["CT07"][7]) == ("≥ 5", 7)  # a count target and its result
    status = load_workbook(out)["Tình hình báo cáo"]
    texts = [c.value for r in status.iter_rows() for c in r if isinstance(c.value, str)]
    assert "Chưa thành lập (hoạt động từ 01/07/2025)" not in texts  # the year: P-DUONGKINH existed
    notes = " ".join(str(c) for r in every for c in r if isinstance(c, str) and c.startswith("Ghi chú"))
    assert "P. Dương Kinh gồm số liệu năm trước của" in notes and "duong-kinh-2024" in notes


def test_a_one_year_plan_has_no_such_column(desk, tmp_path):
    out = tmp_path / "th.xlsx"
    make_reports(desk, "2024-Y", out)
    header, _, _ = _rows(out)
    assert not any(str(h).startswith("Cùng kỳ năm trước") for h in header if h)


def test_the_draft_report_says_last_years_result_and_reads_counts_as_numbers(db_path, plan, tmp_path):
    from dkdesk.reports.data import gather
    from dkdesk.reports.narrative import indicator_sentence

    with Desk.open(db_path) as desk:
        for w in WARDS:
            desk.set_values(w, "2024-Y", {"nld_cskd_tong": 100, "nld_cskd_duoc_tt": 50})
        desk.add_plan(dump_plan(edit.set_target(edit.next_year(plan), "CT07", 5, "count")))
    with Desk.open(db_path) as desk:
        for w in WARDS:
            desk.set_values(w, "2025-Y", {"nld_cskd_tong": 100, "nld_cskd_duoc_tt": 70})
        desk.set_values("VHTT", "2025-Y", {"cskd_tong": 50, "cskd_duoc_kiem_tra": 3})
        data = gather(desk, "2025-Y")
    by_code = {r.code: r for r in data.indicators}
    assert indicator_sentence(data, by_code["CT02"]).endswith("(cùng kỳ năm trước, năm 2024: 50,00%).")
    ct07 = indicator_sentence(data, by_code["CT07"])
    assert "kế hoạch ≥ 5)" in ct07 and ": đạt 3, chưa đạt chỉ tiêu kế hoạch." in ct07


def test_the_status_sheet_says_a_ward_was_not_yet_founded(db_path, plan, tmp_path):
    with Desk.open(db_path) as desk:
        p = edit.merge_units(edit.next_year(plan), WARDS[:3], "P-DUONGKINH", "Ủy ban nhân dân phường Dương Kinh",
                             date(2025, 7, 1))
        desk.add_plan(dump_plan(p))
    with Desk.open(db_path) as desk:
        desk.set_values("YT", "2025-H1", {"tt_so_buoi": 1})
        out = tmp_path / "h1.xlsx"
        make_reports(desk, "2025-H1", out)
    ws = load_workbook(out)["Tình hình báo cáo"]
    rows = {r[1].value: [c.value for c in r] for r in ws.iter_rows() if isinstance(r[1].value, str)}
    assert rows["Ủy ban nhân dân phường Dương Kinh"][3] == "Chưa thành lập (hoạt động từ 01/07/2025)"
    assert not rows["Ủy ban nhân dân phường Dương Kinh"][5]  # no "Chưa nhận"
    notes = [c.value for r in ws.iter_rows() for c in r if isinstance(c.value, str) and "Đã nhận" in c.value]
    assert notes and notes[0].startswith(f"Đã nhận báo cáo của 0/{len(p.units) - 1} đơn vị")
