"""The plan file loads, holds the contract of SPEC §2-§4, and bad plan files are refused clearly."""
from __future__ import annotations

import re

import pytest

from dkdesk.catalogue.loader import PlanError, parse_plan
from tests.conftest import PLAN_PATH, WARDS

SPEC_UNITS = ["LDTBXH", "CA", "YT", "VHTT", "TP", "GDDT", "TCKH", "VKS", "TA", "MTTQ", "HLHPN", "DTN",
              "LDLD", "HCCB", *WARDS]
FIXED = {"LDLD": ["nld_kcn_tong", "nld_kcn_duoc_tt"], "GDDT": ["hs_tong", "hs_duoc_tt"],
         "CA": ["tin_bao_tiep_nhan", "tin_bao_xu_ly_kip_thoi"], "VHTT": ["cskd_tong", "cskd_duoc_kiem_tra"],
         "HLHPN": ["nbd_co_nhu_cau", "nbd_duoc_ho_tro"]}


def test_real_plan_matches_the_spec(plan):
    assert [u.code for u in plan.units] == SPEC_UNITS
    assert {p.code for p in plan.periods} >= {"2024-H1", "2024-Y"}
    assert [i.code for i in plan.indicators] == [f"CT0{n}" for n in range(1, 10)]
    assert [i.target for i in plan.indicators] == [100, 60, 50, 60, 100, 100, 10, 100, 100]
    for u in plan.units:
        codes = {f.code: f.type for f in plan.form_fields(u.code)}
        assert codes["cbcc_lien_quan"] == codes["cbcc_duoc_tap_huan"] == "int"
        want = ["tt_so_hinh_thuc", "nld_cskd_tong", "nld_cskd_duoc_tt"] if u.code in WARDS else FIXED.get(u.code, [])
        for code in want:
            assert codes.get(code) == "int", (u.code, code)
        if u.code in WARDS:
            assert codes["kh_da_ban_hanh"] == "bool"
        # every unit's form covers its tasks, not only the fixed fields, and three free texts
        assert len(codes) >= 8
        assert [c for c, t in codes.items() if t == "text"][-3:] == ["ket_qua_noi_bat", "kho_khan", "kien_nghi"]


def test_parts_point_at_their_totals(plan):
    parts = {f.code: f.part_of for f in plan.fields if f.part_of}
    assert parts["nld_cskd_duoc_tt"] == "nld_cskd_tong"
    assert parts["cbcc_duoc_tap_huan"] == "cbcc_lien_quan"
    assert parts["tin_bao_xu_ly_kip_thoi"] == "tin_bao_tiep_nhan"


def _mutate(old: str, new: str, count: int = 1) -> bytes:
    text = PLAN_PATH.read_text(encoding="utf-8")
    assert old in text, old
    return text.replace(old, new, count).encode("utf-8")


@pytest.mark.parametrize("old,new,expect", [
    ('[plan]\n', '[plan]\nnumbr = "x"\n', r'\[plan\]: khóa không hợp lệ "numbr"'),
    ('code = "CA"', 'code = "LDTBXH"', r'\[\[units\]\] thứ 2 \(mã "LDTBXH"\): mã "LDTBXH" trùng'),
    ('part_of = "nld_cskd_tong"', 'part_of = "nld_cskd_tongg"', r'part_of chỉ tới trường không có "nld_cskd_tongg"'),
    ('count("group:phuong", tt_so_hinh_thuc >= 1)', 'count("group:phuong", tt_so_hinh_thuc >= )',
     r'\[\[indicators\]\] thứ 1 \(mã "CT01"\): numerator không đọc được ở ký tự \d+'),
    ('sum(nld_cskd_duoc_tt, "group:phuong")', 'sum(nld_cskd_duoc, "group:phuong")',
     r'CT02"\): numerator dùng trường không có "nld_cskd_duoc"'),
    ('"group:phuong"', '"group:phuongg"', r'dùng nhóm không có "phuongg"'),
    ('type = "bool"', 'type = "boolean"', r'kiểu "boolean" không hợp lệ'),
    ('format = 1', 'format = 9', r'phiên bản định dạng 9'),
    ('[[indicators]]', '[[indicators]]\nfoo = 1', r'\[\[indicators\]\] thứ 1.*khóa không hợp lệ "foo"'),
])
def test_loader_refuses_bad_plans_naming_the_place(old, new, expect):
    with pytest.raises(PlanError) as info:
        parse_plan(_mutate(old, new), name="ke-hoach.toml")
    message = str(info.value)
    assert message.startswith("ke-hoach.toml: ")
    assert re.search(expect, message), message


def test_loader_refuses_broken_toml_and_missing_sections():
    with pytest.raises(PlanError, match=r"ke-hoach.toml: sai cú pháp TOML"):
        parse_plan(b"[plan\n", name="ke-hoach.toml")
    with pytest.raises(PlanError, match=r'thiếu khóa bắt buộc "indicators"'):
        text = PLAN_PATH.read_text(encoding="utf-8")
        parse_plan(text[: text.index("[[indicators]]")].encode(), name="ke-hoach.toml")


def test_loader_refuses_a_form_missing_the_total_of_a_part():
    # drop the total from the ward form: the part has no total to be checked against
    raw = PLAN_PATH.read_text(encoding="utf-8")
    assert '"nld_cskd_tong",' in raw
    with pytest.raises(PlanError, match='không có "nld_cskd_tong"'):
        parse_plan(raw.replace('"nld_cskd_tong",', "", 1).encode(), name="ke-hoach.toml")


def test_plan_text_is_nfc_normalised():
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Công an quận")
    plan = parse_plan(_mutate('name = "Công an quận"', f'name = "{decomposed}"'), name="k.toml")
    assert plan.unit("CA").name == "Công an quận"
