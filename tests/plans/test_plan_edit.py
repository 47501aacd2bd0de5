"""Next year's plan made from this one, edit by edit; every result passes the strict loader."""
from __future__ import annotations

from datetime import date

import pytest

from dkdesk.catalogue import plan_edit as edit
from dkdesk.catalogue.loader import PlanError, load_plan_text
from dkdesk.catalogue.plan_dump import dump_plan
from tests.conftest import WARDS


@pytest.fixture(scope="module")
def y2025(plan):
    return edit.next_year(plan)


def test_next_year_moves_periods_deadlines_and_names_on(plan, y2025):
    assert y2025.info.code == "duong-kinh-2025" and y2025.info.year == 2025
    assert y2025.info.previous == plan.info.code
    assert [p.code for p in y2025.periods] == ["2025-H1", "2025-Y"]
    h1 = y2025.period("2025-H1")
    assert h1.name == "6 tháng đầu năm 2025"
    assert (h1.start, h1.end, h1.deadline) == (date(2025, 1, 1), date(2025, 6, 30),
                                                plan.period("2024-H1").deadline.replace(year=2025))
    assert "năm 2025" in y2025.info.title and "năm 2024" not in y2025.info.title
    assert y2025.info.signed_on is None
    assert [u.code for u in y2025.units] == [u.code for u in plan.units]
    assert y2025.indicators == plan.indicators
    assert load_plan_text(dump_plan(y2025)).digest == y2025.digest


def test_next_year_refuses_a_year_not_after_and_the_same_code(plan):
    with pytest.raises(PlanError, match="phải sau năm 2024"):
        edit.next_year(plan, year=2024)
    with pytest.raises(PlanError, match="phải khác"):
        edit.next_year(plan, code=plan.info.code)


def test_merging_the_wards_closes_them_the_day_before_with_a_successor(y2025):
    p = edit.merge_units(y2025, WARDS[:3], "P-DUONGKINH", "Ủy ban nhân dân phường Dương Kinh", date(2025, 7, 1))
    p = edit.merge_units(p, WARDS[3:], "P-HUNGDAO", "Ủy ban nhân dân phường Hưng Đạo", date(2025, 7, 1))
    for w in WARDS:
        u = p.unit(w)
        if w == "P-HUNGDAO":
            assert u.active_to is None and u.name == "Ủy ban nhân dân phường Hưng Đạo"
        else:
            assert u.active_to == date(2025, 6, 30) and u.successor in ("P-DUONGKINH", "P-HUNGDAO")
    new = p.unit("P-DUONGKINH")
    assert (new.active_from, new.group, new.form) == (date(2025, 7, 1), "phuong", "phuong")
    assert p.predecessors("P-DUONGKINH") == tuple(WARDS[:3])
    assert p.predecessors("P-HUNGDAO") == ("P-HOANGHIA", "P-TANTHANH")
    assert [u.code for u in p.closed_units("2025-H1")] == ["P-DUONGKINH"]
    assert [u.code for u in p.closed_units("2025-Y")] == []
    # the next year after that drops the closed wards and keeps the successors
    p26 = edit.next_year(p)
    assert {u.code for u in p26.units} >= {"P-DUONGKINH", "P-HUNGDAO"}
    assert not set(WARDS) - {"P-HUNGDAO"} & {u.code for u in p26.units}
    assert p26.unit("P-DUONGKINH").active_from is None


def test_merging_refuses_unknown_units_and_nothing_to_merge(y2025):
    with pytest.raises(PlanError, match='Không có đơn vị mã "P-KHONGCO"'):
        edit.merge_units(y2025, ["P-KHONGCO"], "X", "X", date(2025, 7, 1))
    with pytest.raises(PlanError, match="ít nhất một đơn vị khác"):
        edit.merge_units(y2025, ["P-HUNGDAO"], "P-HUNGDAO", "Phường Hưng Đạo", date(2025, 7, 1))
    with pytest.raises(PlanError, match="Chưa chọn"):
        edit.merge_units(y2025, [], "X", "X", date(2025, 7, 1))


def test_closing_a_unit_midyear_and_renaming_keep_its_code(y2025):
    p = edit.close_unit(y2025, "CA", date(2025, 3, 1))
    assert p.unit("CA").active_to == date(2025, 2, 28)
    assert p.unit_active("CA", "2025-H1") and p.unit_active("CA", "2025-Y")
    p = edit.rename_unit(p, "TA", "Tòa án nhân dân khu vực 7", "TAND khu vực 7")
    assert (p.unit("TA").name, p.unit("TA").short_name) == ("Tòa án nhân dân khu vực 7", "TAND khu vực 7")
    assert edit.reopen_unit(p, "CA").unit("CA").active_to is None
    with pytest.raises(PlanError, match="tên không được để trống"):
        edit.rename_unit(p, "TA", "  ")


def test_a_target_becomes_a_count_and_deadlines_move(y2025):
    p = edit.set_target(y2025, "CT07", 5, "count")
    assert (p.indicator("CT07").target, p.indicator("CT07").target_kind) == (5.0, "count")
    p = edit.set_target(p, "CT02", 70)
    assert (p.indicator("CT02").target, p.indicator("CT02").target_kind) == (70.0, "percent")
    with pytest.raises(PlanError, match="phần trăm từ 0 đến 1000"):
        edit.set_target(p, "CT02", 5000)
    with pytest.raises(PlanError, match='Không có chỉ tiêu mã "CT99"'):
        edit.set_target(p, "CT99", 5)
    p = edit.set_deadline(p, "2025-H1", date(2025, 6, 20))
    assert p.period("2025-H1").deadline == date(2025, 6, 20)
    with pytest.raises(PlanError, match="trước ngày bắt đầu kỳ"):
        edit.set_deadline(p, "2025-Y", date(2024, 12, 1))


def test_adding_units_and_fields_is_checked_by_the_loader(y2025):
    p = edit.add_unit(y2025, "TAKV", "Tòa án nhân dân khu vực", group="noi_chinh", form="ta",
                      active_from=date(2025, 7, 1))
    assert p.unit("TAKV").short_name == "Tòa án nhân dân khu vực"
    with pytest.raises(PlanError, match="đã có trong kế hoạch"):
        edit.add_unit(p, "CA", "Công an", group="noi_chinh", form="ca")
    with pytest.raises(PlanError, match='không có nhóm "khong_co"'):
        edit.add_unit(p, "X1", "X", group="khong_co", form="ca")
    p = edit.add_int_field(p, "yt", "yt_co_so_moi", "Số cơ sở mới được kiểm tra", section="kiem_tra",
                           measure="cơ sở")
    assert p.form_fields("YT")[-1].code == "yt_co_so_moi"
    assert p.field("yt_co_so_moi").year_rule == "sum"
    p = edit.rename_indicator(p, "CT01", "Tỷ lệ phường có kế hoạch")
    assert p.indicator("CT01").name == "Tỷ lệ phường có kế hoạch"


def test_an_edit_that_breaks_an_indicator_is_refused_naming_it(plan):
    # CT05 reads the wards' group; dropping every unit of a scope the loader needs fails loudly
    ca_closed = edit.close_unit(plan, "CA", date(2024, 1, 1))
    with pytest.raises(PlanError, match=r"\[\[indicators\]\]|\[plan\]|đơn vị"):
        edit.next_year(edit.close_unit(ca_closed, "LDTBXH", date(2024, 1, 1)))


def test_next_year_says_the_new_year_in_labels_and_help_texts_only_where_it_reads_nam_2024(plan, y2025):
    """"năm 2024" in a label, help text, section, form or indicator becomes "năm 2025"; other
    numbers (dates, document numbers, legal basis) stay."""
    def texts(p):  # noqa: ANN001, ANN202
        return ([f.label for f in p.fields] + [f.help for f in p.fields] + [s.title for s in p.sections]
                + [f.title for f in p.forms] + [i.name for i in p.indicators])

    before = [t for t in texts(plan) if "năm 2024" in t.lower()]
    assert before, "the bundled plan says năm 2024 in some label"
    assert not [t for t in texts(y2025) if "năm 2024" in t.lower()]
    label = y2025.field("kh_da_ban_hanh").label
    assert label.startswith("Phường đã ban hành Kế hoạch phòng, chống mại dâm năm 2025 ")
    for old, new in zip(texts(plan), texts(y2025)):
        assert new == old.replace("năm 2024", "năm 2025").replace("Năm 2024", "Năm 2025")
    assert y2025.info.legal_basis == plan.info.legal_basis  # "ngày 16/02/2024 ... năm 2024" of the city stays
    assert [f.code for f in y2025.fields] == [f.code for f in plan.fields]


def test_year_replaced_only_as_the_words_nam_and_the_plans_year():
    assert edit._plan_year_text("Kế hoạch năm 2024, Năm 2024", 2024, 2025) == "Kế hoạch năm 2025, Năm 2025"
    for same in ("ngày 16/01/2024", "năm 20245", "năm 2023", "số 2024/QĐ", "khănăm 2024"):
        assert edit._plan_year_text(same, 2024, 2025) == same


def test_a_field_label_help_and_measure_change_and_its_code_stays(y2025):
    p = edit.edit_field(y2025, "hs_tong", label="  Học sinh THPT và học viên GDNN  ", measure="học sinh",
                        help="Tính đến cuối kỳ.")
    f = p.field("hs_tong")
    assert (f.code, f.label, f.measure, f.help) == ("hs_tong", "Học sinh THPT và học viên GDNN", "học sinh",
                                                    "Tính đến cuối kỳ.")
    assert p.indicator("CT04") == y2025.indicator("CT04")  # the indicator still reads hs_tong
    with pytest.raises(PlanError, match='Trường "hs_tong": nhãn không được để trống'):
        edit.edit_field(y2025, "hs_tong", label="   ")
    with pytest.raises(PlanError, match='Không có trường mã "hs_tongg"'):
        edit.edit_field(y2025, "hs_tongg", label="x")


def test_a_new_int_field_on_several_forms(y2025):
    p = edit.add_new_int_field(y2025, ["phuong", "ca"], "so_vu_moi", "Số vụ mới phát hiện", section="kiem_tra",
                               measure="vụ", help="Trong kỳ báo cáo.")
    assert p.field("so_vu_moi").type == "int" and p.field("so_vu_moi").measure == "vụ"
    assert p.form_fields("P-DAPHUC")[-1].code == "so_vu_moi" and p.form_fields("CA")[-1].code == "so_vu_moi"
    assert "so_vu_moi" not in p.form("yt").fields
    assert load_plan_text(dump_plan(p)).field("so_vu_moi") == p.field("so_vu_moi")


@pytest.mark.parametrize(("forms", "code", "label", "message"), [
    (["phuong"], "hs_tong", "Học sinh", 'Mã trường "hs_tong" đã có trong kế hoạch'),
    (["phuong"], "Số_buổi", "Số buổi", 'Mã trường "Số_buổi" không hợp lệ: chỉ dùng chữ thường không dấu'),
    (["phuong"], "so-buoi", "Số buổi", 'Mã trường "so-buoi" không hợp lệ'),
    (["phuong"], "1_buoi", "Số buổi", 'Mã trường "1_buoi" không hợp lệ'),
    (["phuong"], "", "Số buổi", "Chưa nhập mã trường"),
    (["phuong"], "so_buoi_moi", "  ", 'Trường "so_buoi_moi": nhãn không được để trống'),
    ([], "so_buoi_moi", "Số buổi", 'Trường "so_buoi_moi": chưa chọn biểu mẫu nào'),
    (["khong_co"], "so_buoi_moi", "Số buổi", 'Không có biểu mẫu "khong_co"'),
])
def test_a_new_field_is_refused_naming_what_is_wrong(y2025, forms, code, label, message):
    with pytest.raises(PlanError, match=message):
        edit.add_new_int_field(y2025, forms, code, label, section="kiem_tra")
