"""Storing values: validation, all-or-nothing, audit, report status, locking."""
from __future__ import annotations

import pytest

from dkdesk.core.desk import STATUS_APPROVED, STATUS_DRAFT, STATUS_EMPTY, STATUS_SUBMITTED, Refused
from dkdesk.core.validation import ValidationFailed
from tests.conftest import fill_unit

WARD = "P-HUNGDAO"
H1 = "2024-H1"


def test_round_trip_reads_what_people_type(desk):
    result = desk.set_values(WARD, H1, {"tt_so_hinh_thuc": " 3 ", "kh_da_ban_hanh": "CÓ",
                                        "nld_cskd_tong": "1.200", "nld_cskd_duoc_tt": "1 100"})
    assert (result.new, result.changed) == (4, 0)
    uv = desk.get_values(WARD, H1)
    assert uv.values == {"tt_so_hinh_thuc": 3, "kh_da_ban_hanh": True, "nld_cskd_tong": 1200,
                         "nld_cskd_duoc_tt": 1100}
    assert uv.status == STATUS_DRAFT
    assert uv.info["nld_cskd_tong"].updated_by == "Người kiểm thử"
    assert uv.info["nld_cskd_tong"].source == "manual"


@pytest.mark.parametrize("raw,reason", [
    ({"tt_so_hinh_thuc": "-1"}, "không được là số âm"),
    ({"tt_so_hinh_thuc": "ba"}, "không phải là số"),
    ({"tt_so_hinh_thuc": "12,5"}, "số nguyên"),
    ({"kh_da_ban_hanh": "có lẽ"}, "Có hoặc Không"),
    ({"nld_cskd_tong": "10", "nld_cskd_duoc_tt": "11"}, "lớn hơn tổng"),
    ({"hs_tong": "5"}, "không thuộc biểu mẫu"),
    ({"khong_co": "5"}, "Không có trường"),
    ({"tt_so_hinh_thuc": "99999999999999"}, "quá lớn"),
])
def test_refusals_store_nothing(desk, raw, reason):
    desk.set_values(WARD, H1, {"tt_so_hinh_thuc": "2"})
    before = desk.get_values(WARD, H1)
    audit_before = len(desk.history())
    with pytest.raises(ValidationFailed) as info:
        desk.set_values(WARD, H1, {"nld_cskd_tong": "500", **raw})
    assert reason in str(info.value)
    assert desk.get_values(WARD, H1).values == before.values
    assert len(desk.history()) == audit_before


def test_part_checked_against_the_stored_total(desk):
    desk.set_values(WARD, H1, {"nld_cskd_tong": "100"})
    with pytest.raises(ValidationFailed, match="lớn hơn tổng"):
        desk.set_values(WARD, H1, {"nld_cskd_duoc_tt": "101"})
    desk.set_values(WARD, H1, {"nld_cskd_duoc_tt": "100"})  # exactly the total is fine


def test_every_change_is_audited_with_old_and_new(desk):
    desk.set_values(WARD, H1, {"nld_cskd_tong": "100"})
    desk.set_values(WARD, H1, {"nld_cskd_tong": "120", "tt_so_hinh_thuc": "1"})
    desk.set_values(WARD, H1, {"nld_cskd_tong": ""})  # clearing is explicit and audited
    entries = desk.history(unit=WARD, field="nld_cskd_tong")
    assert [(e.old, e.new) for e in entries] == [("120", None), ("100", "120"), (None, "100")]
    assert "nld_cskd_tong" not in desk.get_values(WARD, H1).values


def test_unchanged_values_write_no_audit(desk):
    desk.set_values(WARD, H1, {"nld_cskd_tong": "100"})
    result = desk.set_values(WARD, H1, {"nld_cskd_tong": "100"})
    assert (result.new, result.changed, result.unchanged) == (0, 0, 1)
    assert len(desk.history()) == 1


def test_unknown_unit_and_period_are_refused(desk):
    with pytest.raises(Refused, match='Không có đơn vị mã "P-XYZ"'):
        desk.set_values("P-XYZ", H1, {"tt_so_hinh_thuc": "1"})
    with pytest.raises(Refused, match='Không có kỳ báo cáo "2030-H1"'):
        desk.set_values(WARD, "2030-H1", {"tt_so_hinh_thuc": "1"})


def test_submit_requires_required_fields_then_lock_refuses_writes(desk):
    assert desk.status(WARD, H1).status == STATUS_EMPTY
    desk.set_values(WARD, H1, {"tt_so_hinh_thuc": "1"})
    with pytest.raises(ValidationFailed, match="bắt buộc"):
        desk.set_status(WARD, H1, STATUS_SUBMITTED)
    fill_unit(desk, WARD, H1)
    assert desk.set_status(WARD, H1, STATUS_SUBMITTED).status == STATUS_SUBMITTED
    desk.set_status(WARD, H1, STATUS_APPROVED)
    with pytest.raises(Refused, match="đã được duyệt và khóa"):
        desk.set_values(WARD, H1, {"tt_so_hinh_thuc": "5"})
    assert desk.get_values(WARD, H1).values["tt_so_hinh_thuc"] == 40
    unlocked = desk.set_status(WARD, H1, STATUS_SUBMITTED, note="sửa số liệu")
    assert not unlocked.locked
    actions = [e.action for e in desk.history(unit=WARD) if e.field is None]
    assert actions[:3] == ["unlock", "lock", "status"]


def test_batch_in_one_session_is_all_or_nothing(desk):
    with pytest.raises(ValidationFailed):
        with desk.write() as s:
            desk.set_values("CA", H1, {"tin_bao_tiep_nhan": "5"}, session=s, source="import")
            desk.set_values("VHTT", H1, {"cskd_tong": "1", "cskd_duoc_kiem_tra": "9"}, session=s)
    assert desk.get_values("CA", H1).values == {}
