"""The loader refuses indicator expressions the engine would evaluate to something silently
wrong (a sum of text or yes/no, a comparison of text, a field no unit in scope reports, a
division by a constant zero), naming the file, the [[indicators]] entry and the field."""
from __future__ import annotations

import re

import pytest

from dkdesk.catalogue.loader import PlanError, parse_plan
from dkdesk.indicators.engine import DAT, evaluate

SMALL_PLAN = '''
format = 1

[plan]
code = "KH-NHO"
number = "01/KH-UBND"
title = "Kế hoạch nhỏ để kiểm thử"
year = 2024
issuer = "ỦY BAN NHÂN DÂN QUẬN THỬ"
district = "quận Thử"
place = "Thử"
consolidator = "LD"

[[groups]]
code = "so"
name = "Phòng, ban"

[[groups]]
code = "phuong"
name = "Phường"

[[groups]]
code = "trong"
name = "Nhóm chưa có đơn vị"

[[periods]]
code = "2024-H1"
name = "6 tháng đầu năm 2024"
deadline = 2024-06-15

[[sections]]
code = "I"
title = "Số liệu"

[[fields]]
code = "so_buoi"
label = "Số buổi tuyên truyền"
type = "int"
section = "I"

[[fields]]
code = "co_ke_hoach"
label = "Đã ban hành kế hoạch"
type = "bool"
section = "I"

[[fields]]
code = "ghi_chu"
label = "Ghi chú"
type = "text"
section = "I"

[[fields]]
code = "so_co_so"
label = "Số cơ sở kinh doanh"
type = "int"
section = "I"

[[forms]]
code = "phong"
fields = ["so_co_so", "ghi_chu"]

[[forms]]
code = "phuong"
fields = ["so_buoi", "co_ke_hoach", "ghi_chu"]

[[units]]
code = "LD"
name = "Phòng Lao động"
group = "so"
form = "phong"

[[units]]
code = "P1"
name = "UBND phường Một"
group = "phuong"
form = "phuong"

[[units]]
code = "P2"
name = "UBND phường Hai"
group = "phuong"
form = "phuong"

[[indicators]]
code = "CT01"
name = "Tỷ lệ phường có kế hoạch"
target = 100
numerator = 'count("group:phuong", co_ke_hoach = true)'
denominator = 'count("group:phuong")'
responsible = "UBND các phường"

[[indicators]]
code = "CT02"
name = "Tỷ lệ phường tổ chức tuyên truyền"
target = 50
numerator = 'count("group:phuong", so_buoi >= 1)'
denominator = 'count("group:phuong")'
responsible = "UBND các phường"

[[indicators]]
code = "CT03"
name = "Chỉ tiêu đang kiểm thử"
target = 10
numerator = 'sum(so_buoi, "group:phuong")'
denominator = 'count("group:phuong") * 2'
responsible = "UBND các phường"
'''


def _plan_with(numerator: str, denominator: str = 'count("group:phuong")') -> bytes:
    text = SMALL_PLAN.replace("""numerator = 'sum(so_buoi, "group:phuong")'""", f"numerator = '{numerator}'")
    text = text.replace("""denominator = 'count("group:phuong") * 2'""", f"denominator = '{denominator}'")
    return text.encode("utf-8")


def test_the_small_plan_loads_and_its_sound_expressions_evaluate():
    plan = parse_plan(_plan_with('sum(so_buoi, "group:phuong") + 0 * 2', 'count("group:phuong") / (3 - 1)'),
                      name="nho.toml")
    ct03 = plan.indicator("CT03")
    values = {("P1", "so_buoi"): 1, ("P2", "so_buoi"): 0, ("P1", "co_ke_hoach"): True,
              ("P2", "co_ke_hoach"): False, ("P1", "ghi_chu"): "", ("P2", "ghi_chu"): "",
              ("LD", "so_co_so"): 4, ("LD", "ghi_chu"): ""}
    result = evaluate(plan, ct03, values)
    assert (result.numerator, result.denominator, result.status) == (1, 1, DAT)
    # a bool field compared with true/false, an int field with a number: both fine
    parse_plan(_plan_with('count("group:phuong", co_ke_hoach != false and so_buoi >= 1)'), name="nho.toml")
    # a unit scope where one of the units has the field is fine (the other counts as "not on form")
    parse_plan(_plan_with('sum(so_buoi, "unit:LD,P1")'), name="nho.toml")


@pytest.mark.parametrize("numerator,denominator,expect", [
    # sum() of a non-numeric field: the engine would add nothing (text) or count "có" as 1 (bool)
    ('sum(ghi_chu, "all")', None,
     r'numerator: sum\(\) chỉ cộng được trường kiểu số \(int\), trường "ghi_chu" có kiểu chữ \(text\)'),
    ('sum(co_ke_hoach, "group:phuong")', None,
     r'numerator: sum\(\) .* trường "co_ke_hoach" có kiểu có/không \(bool\); để đếm đơn vị trả lời "có" '
     r'dùng count\("group:phuong", co_ke_hoach = true\)'),
    ('sum(so_buoi, "group:phuong")', 'sum(ghi_chu, "group:phuong") + 1',
     r'denominator: sum\(\) .* trường "ghi_chu" có kiểu chữ'),
    # comparisons that the engine would silently read as "false" or as a number
    ('count("group:phuong", ghi_chu = 1)', None,
     r'numerator: so sánh "ghi_chu = 1" dùng trường "ghi_chu" kiểu chữ \(text\)'),
    ('count("group:phuong", co_ke_hoach >= 1)', None,
     r'so sánh "co_ke_hoach >= 1": trường "co_ke_hoach" kiểu có/không \(bool\) chỉ so với true hoặc false'),
    ('count("group:phuong", co_ke_hoach > false)', None,
     r'trường "co_ke_hoach" kiểu có/không \(bool\) chỉ dùng = hoặc !='),
    ('count("group:phuong", so_buoi >= 1 and so_buoi = true)', None,
     r'so sánh "so_buoi = true": trường "so_buoi" kiểu số \(int\) phải so với một số'),
    # a field none of the scope's units reports: the result would always be 0
    ('sum(so_co_so, "group:phuong")', None,
     r'trường "so_co_so" không có trong biểu mẫu của đơn vị nào thuộc phạm vi "group:phuong"'),
    ('count("unit:LD", so_buoi >= 1)', None,
     r'trường "so_buoi" không có trong biểu mẫu của đơn vị nào thuộc phạm vi "unit:LD"'),
    # a group that exists but holds no unit
    ('count("group:trong")', None, r'phạm vi "group:trong" không có đơn vị nào'),
    # a division by a constant zero: always "Không phát sinh"
    ('sum(so_buoi, "group:phuong") / 0', None, r'numerator: chia cho hằng số 0'),
    ('sum(so_buoi, "group:phuong")', 'count("all") / (2 - 2)', r'denominator: chia cho hằng số 0'),
])
def test_loader_refuses_expressions_the_engine_would_misread(numerator, denominator, expect):
    raw = _plan_with(numerator, denominator) if denominator else _plan_with(numerator)
    with pytest.raises(PlanError) as info:
        parse_plan(raw, name="ke-hoach-nho.toml")
    message = str(info.value)
    assert message.startswith('ke-hoach-nho.toml: [[indicators]] thứ 3 (mã "CT03"): '), message
    assert re.search(expect, message), message
    assert "(trong " in message  # the expression as written, to find it in the file


def test_existing_checks_still_come_first():
    with pytest.raises(PlanError, match=r'thứ 3 \(mã "CT03"\): numerator dùng trường không có "khong_co"'):
        parse_plan(_plan_with('sum(khong_co, "all")'), name="nho.toml")
    with pytest.raises(PlanError, match=r'numerator dùng đơn vị không có "P9"'):
        parse_plan(_plan_with('sum(so_buoi, "unit:P9")'), name="nho.toml")
