"""Template conventions shared by the writer and the readers (SPEC §6).

The entry sheet has a header row with a column titled exactly ``Mã`` and one titled exactly
``Giá trị``; the hidden sheet ``_dkdesk`` identifies the file. ``TEMPLATE_VERSION`` is bumped
whenever the layout changes; ``reader.READERS`` keeps a reader for every released version.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

from dkdesk.catalogue.model import Plan

TEMPLATE_VERSION = 1
APP_MARK = "dkdesk"

SHEET_GUIDE = "Hướng dẫn"
SHEET_ENTRY = "Biểu nhập liệu"
SHEET_ID = "_dkdesk"

HEADERS = ("STT", "Mã", "Nội dung", "Đơn vị tính", "Giá trị", "Ghi chú")
COL_CODE_TITLE = "Mã"
COL_VALUE_TITLE = "Giá trị"
HEADER_ROW = 8  # row of the column titles in version 1 (readers search for it anyway)

# keys of the identification sheet (column A key, column B value)
ID_APP, ID_PLAN, ID_VERSION, ID_UNIT, ID_PERIOD, ID_STRUCTURE, ID_CREATED = (
    "ung_dung", "ke_hoach", "phien_ban_mau", "don_vi", "ky", "cau_truc", "tao_luc")

BOOL_CHOICES = ("Có", "Không")
INPUT_FILL = "FFF5CC"  # pale yellow: the cells a person types into


def structure_hash(plan: Plan, unit: str) -> str:
    """A short fingerprint of the unit's form: field codes and types in order."""
    text = "|".join(f"{f.code}:{f.type}" for f in plan.form_fields(unit))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def ascii_slug(text: str) -> str:
    """ASCII-only, file-system-safe form of a code ("P-HUNGDAO", "2024-H1")."""
    plain = unicodedata.normalize("NFKD", text.replace("Đ", "D").replace("đ", "d"))
    plain = plain.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9-]+", "-", plain).strip("-") or "x"


def template_file_name(unit: str, period: str) -> str:
    """``mau-bao-cao_2024-H1_P-HUNGDAO.xlsx``: survives e-mail and FAT32 sticks."""
    return f"mau-bao-cao_{ascii_slug(period)}_{ascii_slug(unit)}.xlsx"


def filled_file_name(unit: str, period: str) -> str:
    return f"bao-cao_{ascii_slug(period)}_{ascii_slug(unit)}.xlsx"
