"""Chép số liệu kỳ trước: only stock fields, only into empty fields, audited as "carry"."""
from __future__ import annotations

import pytest

from tests.conftest import fill_unit
from dkdesk.core.carry import carry_stock, stock_fields
from dkdesk.core.desk import Refused


def test_carry_copies_only_stock_fields_into_empty_form(desk):
    before = fill_unit(desk, "P-HUNGDAO", "2024-H1")
    result = carry_stock(desk, "P-HUNGDAO", "2024-Y", who="Chị Lan")
    stock = {f.code for f in stock_fields(desk.plan, "P-HUNGDAO")}
    assert stock == {"nld_cskd_tong", "ph_nguy_co_cao", "cskd_phuong", "cbcc_lien_quan", "kp_du_toan"}
    assert set(result.copied) == stock
    stored = desk.get_values("P-HUNGDAO", "2024-Y")
    assert stored.values == {c: before[c] for c in stock}
    assert {i.source for i in stored.info.values()} == {"carry"}
    audit = desk.history(unit="P-HUNGDAO", period="2024-Y")
    assert len(audit) == len(stock) and {a.source for a in audit} == {"carry"}
    assert {a.who for a in audit} == {"Chị Lan"}


def test_carry_never_overwrites(desk):
    fill_unit(desk, "CA", "2024-H1")
    desk.set_values("CA", "2024-Y", {"cbcc_lien_quan": 7})
    with pytest.raises(Refused, match="không chép đè"):
        carry_stock(desk, "CA", "2024-Y")
    assert desk.get_values("CA", "2024-Y").values == {"cbcc_lien_quan": 7}


def test_carry_refused_without_previous_period_or_values(desk):
    with pytest.raises(Refused, match="không có kỳ trước"):
        carry_stock(desk, "CA", "2024-H1")
    with pytest.raises(Refused, match="chưa có số liệu tồn"):
        carry_stock(desk, "CA", "2024-Y")
    assert desk.history() == []
