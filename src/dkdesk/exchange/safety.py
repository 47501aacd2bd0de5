"""Checks made on a file's bytes BEFORE any spreadsheet parser sees them.

``inspect_package(content).reason`` is None when the bytes look like a sane .xlsx package, or
a Vietnamese reason to refuse: wrong format (.xls, .csv, .ods, encrypted, renamed text),
an archive that would inflate to an absurd size (zip bomb), XML with DTD/entity
declarations (entity bombs), too many parts. Only the zip central directory and the first
bytes of each XML part are read, so a hostile file is refused in milliseconds.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import IO

import openpyxl

MAX_FILE_BYTES = 20 * 1024 * 1024  # on disk
MAX_TOTAL_UNCOMPRESSED = 48 * 1024 * 1024
MAX_PART_UNCOMPRESSED = 16 * 1024 * 1024  # a 2000-row sheet is ~4 MB
MAX_RATIO = 100  # uncompressed / compressed, checked once the total passes RATIO_FLOOR
RATIO_FLOOR = 5 * 1024 * 1024
MAX_PARTS = 2000
PROLOG_BYTES = 4096

ACCEPTED_SUFFIXES = (".xlsx", ".xlsm")
_HOW_TO_SAVE = ("hãy mở tệp trong Excel hoặc LibreOffice Calc rồi chọn Lưu dạng (Save As) "
                "\"Sổ làm việc Excel (.xlsx)\" và gửi lại tệp .xlsx đó")
SUFFIX_ADVICE = {
    ".xls": "là định dạng Excel 97-2003 (.xls) cũ, dkdesk không đọc",
    ".csv": "là tệp văn bản CSV, không còn biểu mẫu và trang nhận dạng",
    ".ods": "là định dạng OpenDocument (.ods) của LibreOffice",
    ".xlsb": "là định dạng Excel nhị phân (.xlsb)",
    ".xltx": "là tệp mẫu Excel (.xltx)",
    ".numbers": "là định dạng Numbers của Apple",
}
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

if not openpyxl.DEFUSEDXML:  # pragma: no cover - the package depends on defusedxml
    raise ImportError("defusedxml phải được cài đặt để đọc tệp Excel an toàn")


def check_suffix(name: str) -> str | None:
    """A reason to refuse by file name alone, or None for .xlsx/.xlsm."""
    lower = name.lower()
    if lower.endswith(ACCEPTED_SUFFIXES):
        return None
    suffix = "." + lower.rsplit(".", 1)[-1] if "." in lower else ""
    what = SUFFIX_ADVICE.get(suffix, f"không phải tệp Excel .xlsx (đuôi \"{suffix or 'không có'}\")")
    return f"Tệp {what}; {_HOW_TO_SAVE}."


@dataclass
class PackageCheck:
    reason: str | None = None  # why the file is refused; None: it may be parsed
    has_formulas: bool = False  # a worksheet holds formulas (their cached values get checked)


def inspect_package(content: bytes) -> PackageCheck:
    """Check the bytes of a supposed .xlsx before any parser sees them (see module docstring)."""
    found = PackageCheck()
    found.reason = _inspect(content, found)
    return found


def _inspect(content: bytes, found: PackageCheck) -> str | None:
    if len(content) == 0:
        return "Tệp rỗng (0 byte): có thể tệp chưa được lưu hoặc bị hỏng khi chép."
    if len(content) > MAX_FILE_BYTES:
        return (f"Tệp quá lớn ({len(content) // (1024 * 1024)} MB; tối đa {MAX_FILE_BYTES // (1024 * 1024)} MB) "
                "so với một biểu báo cáo.")
    if content.startswith(OLE_MAGIC):
        if _ENCRYPTION_INFO in content:
            return ("Tệp được đặt mật khẩu (mã hóa) nên không đọc được; hãy mở tệp, bỏ mật khẩu "
                    "(Tệp > Thông tin > Bảo vệ sổ làm việc) rồi lưu lại dạng .xlsx.")
        return f"Tệp thực chất là định dạng Excel 97-2003 (.xls) dù mang đuôi .xlsx; {_HOW_TO_SAVE}."
    if not content.startswith(b"PK"):
        head = content[:512].lstrip().lower()
        if head.startswith((b"<html", b"<!doctype html", b"<?xml")):
            return f"Tệp là trang HTML/XML bị đổi đuôi thành .xlsx, không phải sổ làm việc Excel; {_HOW_TO_SAVE}."
        return f"Tệp không phải sổ làm việc Excel .xlsx (có thể là tệp khác bị đổi đuôi); {_HOW_TO_SAVE}."
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return "Tệp .xlsx bị hỏng (không mở được gói nén); hãy xin đơn vị gửi lại tệp."
    with archive:
        return _check_archive(archive, infos, len(content), found)


def _check_archive(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], size: int,
                   found: PackageCheck) -> str | None:
    if len(infos) > MAX_PARTS:
        return f"Tệp có quá nhiều thành phần ({len(infos)}), không phải một biểu báo cáo bình thường."
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        if "content.xml" in names and "mimetype" in names:
            return f"Tệp là định dạng OpenDocument (.ods) bị đổi đuôi; {_HOW_TO_SAVE}."
        return "Tệp là một gói nén nhưng không phải sổ làm việc Excel .xlsx."
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            return "Tệp có thành phần bị mã hóa nên không đọc được."
        if info.file_size > MAX_PART_UNCOMPRESSED:
            return (f"Thành phần \"{info.filename}\" của tệp giải nén ra {info.file_size // (1024 * 1024)} MB: "
                    "bất thường (có thể là tệp độc hại \"bom nén\"); tệp bị từ chối mà không đọc.")
        total += info.file_size
    if total > MAX_TOTAL_UNCOMPRESSED or (total > RATIO_FLOOR and total > MAX_RATIO * size):
        return (f"Tệp {size // 1024} KB nhưng giải nén ra {total // (1024 * 1024)} MB: bất thường "
                "(có thể là tệp độc hại \"bom nén\"); tệp bị từ chối mà không đọc.")
    for info in infos:
        if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        try:
            with archive.open(info) as part:
                if info.filename.startswith("xl/worksheets/"):
                    data = part.read()  # small in a template; size already checked
                    has_dtd = prolog_has_dtd(io.BytesIO(data))
                    found.has_formulas = found.has_formulas or bool(_FORMULA.search(data))
                else:
                    has_dtd = prolog_has_dtd(part)
        except Exception:  # noqa: BLE001 - any damage is a refusal
            return f"Thành phần \"{info.filename}\" của tệp bị hỏng; hãy xin đơn vị gửi lại tệp."
        if has_dtd:
            return (f"Thành phần \"{info.filename}\" chứa khai báo DTD/thực thể XML, điều không bao giờ có "
                    "trong tệp Excel thật (có thể là tệp độc hại); tệp bị từ chối.")
    return None


def prolog_has_dtd(stream: IO[bytes]) -> bool:
    """Walk the XML prolog (declaration, comments, processing instructions) up to the root
    element; True when a ``<!DOCTYPE``/``<!ENTITY`` appears there. Reads only the prolog."""
    buf = b""
    pos = 0

    def need(n: int) -> bool:
        nonlocal buf
        while len(buf) < n:
            chunk = stream.read(PROLOG_BYTES)
            if not chunk:
                return False
            buf += chunk
        return True

    def find(token: bytes, start: int) -> int:
        nonlocal buf
        while True:
            i = buf.find(token, start)
            if i >= 0:
                return i
            chunk = stream.read(PROLOG_BYTES)
            if not chunk:
                return -1
            buf += chunk

    while True:
        if not need(pos + 1):
            return False
        while pos < len(buf) and buf[pos:pos + 1] in (b" ", b"\t", b"\r", b"\n", b"\xef", b"\xbb", b"\xbf"):
            pos += 1
            if not need(pos + 1):
                return False
        need(pos + 9)
        head = buf[pos:pos + 9]
        if head.startswith(b"<?"):
            token = b"?>"
            end = find(token, pos + 2)
        elif head.startswith(b"<!--"):
            token = b"-->"
            end = find(token, pos + 4)
        elif head.startswith(b"<!"):
            return True  # DOCTYPE, ENTITY or any other declaration: never in real OOXML
        else:
            return bool(_DTD.search(head))  # the root element (or garbage): the prolog is over
        if end < 0:
            return False
        pos = end + len(token)


_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
