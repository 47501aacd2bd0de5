"""A period with known figures for the report tests (imported as a plain module)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from tests.conftest import WARDS, fill_unit, values_for
from dkdesk.storage.models import ImportRow, ReportRow

MADE_ON = date(2024, 6, 20)
INJECTIONS = {"kho_khan": '=HYPERLINK("http://x.invalid","bấm")', "kien_nghi": "+84 912 345 678",
              "ket_qua_noi_bat": "@SUM(A1:A9)"}
CA_FILE = "bao-cao_CA_2024-H1.xlsx"


def add_import(desk, unit: str, period: str, file_name: str, at: datetime) -> int:
    with desk.write() as s:
        row = ImportRow(file_name=file_name, sha256="0" * 64, size=1000, unit_id=desk.unit_id(unit),
                        period_id=desk.period_id(period), imported_at=at, who="test", result="imported")
        s.add(row)
        s.flush()
        return row.id


def set_received(desk, unit: str, period: str, at: datetime) -> None:
    with desk.write() as s:
        r = s.scalar(select(ReportRow).where(ReportRow.unit_id == desk.unit_id(unit),
                                             ReportRow.period_id == desk.period_id(period)))
        r.received_at = at


def fill_from_file(desk, unit: str, period: str, file_name: str, at: datetime, overrides: dict | None = None) -> None:
    """``fill_unit`` as if the values came from an imported file received at ``at``."""
    import_id = add_import(desk, unit, period, file_name, at)
    desk.set_values(unit, period, values_for(desk, unit, overrides), source="import", import_id=import_id)
    set_received(desk, unit, period, at)


def seed(desk, period: str = "2024-H1") -> None:
    """5 wards (P-TANTHANH missing), CA 2/3 tin báo (66,66%) from a late file, GDDT on time
    from a file, TP's free texts start with =, + and @; LDTBXH, TCKH, HCCB not reported."""
    for i, w in enumerate(WARDS[:5]):
        fill_unit(desk, w, period, {"nld_cskd_tong": 150, "nld_cskd_duoc_tt": 80 if i == 0 else 100})
    for u in ["VHTT", "LDLD", "HLHPN", "YT", "VKS", "TA", "MTTQ", "DTN"]:
        fill_unit(desk, u, period)
    fill_unit(desk, "TP", period, INJECTIONS)
    fill_from_file(desk, "CA", period, CA_FILE, datetime(2024, 6, 18, 9, 30),
                   {"tin_bao_tiep_nhan": 3, "tin_bao_xu_ly_kip_thoi": 2, "ca_luot_kiem_tra": 1234})
    fill_from_file(desk, "GDDT", period, "GDDT.xlsx", datetime(2024, 6, 10, 8, 0))
