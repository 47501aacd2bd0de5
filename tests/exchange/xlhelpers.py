"""Helpers for the Excel exchange tests: fill (openpyxl), forge workbooks, dump the database."""
from __future__ import annotations

import sqlite3
import struct
import zipfile
import zlib
from pathlib import Path

import openpyxl

from dkdesk.core.xlsx_text import unescape_ooxml

ENTRY = "Biểu nhập liệu"


def valid_values(plan, unit: str) -> dict[str, object]:
    """A complete valid set of raw cell values for a unit (parts half of their totals)."""
    out: dict[str, object] = {}
    for f in plan.form_fields(unit):
        if f.type == "int":
            out[f.code] = 40 if f.part_of is None else 20
        elif f.type == "bool":
            out[f.code] = "Có"
        else:
            out[f.code] = f"Nội dung {f.code} của {unit}"
    return out


def row_of(ws, code: str) -> int:
    for row in ws.iter_rows(min_row=1, max_col=2):
        if isinstance(row[1].value, str) and unescape_ooxml(row[1].value) == code:  # as dkdesk reads it
            return row[1].row
    raise KeyError(code)


def fill_with_openpyxl(src: Path, dst: Path, raw: dict[str, object]) -> Path:
    wb = openpyxl.load_workbook(src)
    ws = wb[ENTRY]
    for code, value in raw.items():
        ws.cell(row_of(ws, code), 5, value)
    wb.save(dst)
    return dst


def db_dump(path: Path) -> dict[str, list]:
    """Every table's rows (imports without its rejected rows, which are history, not data)."""
    con = sqlite3.connect(path)
    try:
        tables = [r[0] for r in con.execute("select name from sqlite_master where type='table' order by name")]
        out = {}
        for t in tables:
            q = f"select * from {t}" + (" where result != 'rejected'" if t == "imports" else "")
            out[t] = sorted(map(repr, con.execute(q).fetchall()))
        return out
    finally:
        con.close()


def zip_raw(entries: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip built by hand from (name, raw deflate data, crc32, uncompressed size)."""
    local, central, offset = bytearray(), bytearray(), 0
    for name, data, crc, usize in entries:
        n = name.encode()
        header = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), usize, len(n), 0) + n
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(data), usize,
                               len(n), 0, 0, 0, 0, 0, offset) + n
        local += header + data
        offset += len(header) + len(data)
    eocd = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), offset, 0)
    return bytes(local + central + eocd)


def deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def zip_bomb(template: Path, inflated: int = 1 << 30) -> bytes:
    """A real .xlsx package whose first sheet inflates to ``inflated`` bytes of zeros (about 1 MB)."""
    chunk = 1 << 20
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = c.compress(b"\0" * chunk) + c.flush(zlib.Z_FULL_FLUSH)  # identical for every chunk
    tail = c.flush()
    data = piece * (inflated // chunk) + tail
    crc = 0
    zeros = b"\0" * chunk
    for _ in range(inflated // chunk):
        crc = zlib.crc32(zeros, crc)
    entries = []
    with zipfile.ZipFile(template) as z:
        for info in z.infolist():
            if info.filename == "xl/worksheets/sheet2.xml":
                entries.append((info.filename, data, crc, inflated))
            else:
                raw = z.read(info)
                entries.append((info.filename, deflate(raw), zlib.crc32(raw), len(raw)))
    return zip_raw(entries)


def replace_part(src: Path, dst: Path, name: str, content: bytes) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, content if info.filename == name else zin.read(info))
    return dst
