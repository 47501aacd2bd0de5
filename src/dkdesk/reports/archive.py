"""The archive of a plan for the office that takes over: one folder with everything of it.

``make_archive(desk, folder)`` writes, for the desk's working plan:

- ``co-so-du-lieu/``: a consistent copy of the whole database (SQLite; a server database is
  not ours to copy: the README says so);
- ``ke-hoach/<mã>.toml``: the plan file as stored;
- ``bao-cao/``: the consolidated workbook (.xlsx) and the draft report (.docx) of every period;
- ``tep-goc/<kỳ>/``: every original file imported for the plan's periods, byte for byte;
- ``DOC-TOI.txt``: a Vietnamese README listing every file with its size and what it is.

The folder must be new or empty: nothing is ever overwritten.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from dkdesk.core.records import Refused

if TYPE_CHECKING:
    from dkdesk.core.desk import Desk

README = "DOC-TOI.txt"
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class ArchiveResult:
    folder: Path
    files: list[tuple[Path, str]]  # path (inside folder) -> what it is


def _safe(name: str) -> str:
    """An ASCII file name part (Vietnamese letters without marks, no separators)."""
    plain = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[^A-Za-z0-9._-]+", "-", plain).strip("-.") or "tep"


def _size(n: int) -> str:
    return f"{n:,} byte".replace(",", ".")


def make_archive(desk: Desk, folder: Path, progress: Progress | None = None) -> ArchiveResult:
    from dkdesk.reports.output import make_reports
    from dkdesk.safety.backup import make_backup

    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise Refused(f'Thư mục lưu trữ "{folder}" đã có nội dung; hãy chọn một thư mục mới hoặc trống '
                      "(không ghi đè).")
    plan = desk.plan
    tick = progress or (lambda done, total, text: None)
    steps = len(plan.periods) + 3
    try:
        for sub in ("co-so-du-lieu", "ke-hoach", "bao-cao", "tep-goc"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise Refused(f'Không tạo được thư mục lưu trữ "{folder}": {exc.strerror or exc}.') from exc
    files: list[tuple[Path, str]] = []
    tick(0, steps, "Đang sao chép cơ sở dữ liệu...")
    db_copy = make_backup(desk, "luu-tru", folder / "co-so-du-lieu" / f"dkdesk-{_safe(plan.info.code)}.sqlite")
    if db_copy is not None:
        files.append((db_copy, "bản sao nhất quán của toàn bộ cơ sở dữ liệu (mở bằng dkdesk --db TỆP)"))
    plan_file = folder / "ke-hoach" / f"{_safe(plan.info.code)}.toml"
    _write(plan_file, desk.plan_source().encode("utf-8"))
    files.append((plan_file, f"tệp kế hoạch {plan.info.code} (đơn vị, kỳ báo cáo, trường, chỉ tiêu)"))
    for n, period in enumerate(plan.periods, 1):
        tick(n, steps, f"Đang ghi báo cáo {period.name}...")
        xlsx = folder / "bao-cao" / f"bao-cao-tong-hop_{period.code}.xlsx"
        docx = folder / "bao-cao" / f"bao-cao-thuc-hien_{period.code}.docx"
        make_reports(desk, period.code, xlsx, docx)
        name = period.name[:1].lower() + period.name[1:]  # "năm 2025" inside a sentence
        files.append((xlsx, f"bảng tổng hợp {name}"))
        files.append((docx, f"dự thảo báo cáo {name}"))
    tick(steps - 2, steps, "Đang chép các tệp gốc đã nhập...")
    for period in plan.periods:
        for rec in desk.imports(period.code, newest_first=False):
            if not rec.has_content:
                continue
            name, content = desk.original_file(rec.id)
            target = folder / "tep-goc" / period.code / f"{rec.id:05d}_{_safe(name)}"
            _write(target, content)
            unit = plan.unit(rec.unit).short_name if rec.unit and plan.has_unit(rec.unit) else (rec.unit or "")
            files.append((target, f'tệp "{name}" của {unit} nhận lúc {rec.at:%d/%m/%Y %H:%M}'))
    tick(steps - 1, steps, "Đang ghi tệp hướng dẫn...")
    _write(folder / README, _readme(desk, folder, files, db_copy is None).encode("utf-8"))
    tick(steps, steps, "Xong.")
    return ArchiveResult(folder, [(folder / README, "tệp này"), *files])


def _write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise Refused(f'Không ghi được "{path}": {exc.strerror or exc}.') from exc


def _readme(desk: Desk, folder: Path, files: list[tuple[Path, str]], server: bool) -> str:
    plan = desk.plan
    lines = [
        f"LƯU TRỮ KẾ HOẠCH {plan.info.code}",
        "",
        plan.info.title,
        f"Năm {plan.info.year} - {plan.info.issuer}",
        f"Lập bằng dkdesk ngày {datetime.now():%d/%m/%Y %H:%M} bởi {desk.who}.",
        "",
        "Thư mục này gồm toàn bộ số liệu, báo cáo và tệp gốc của kế hoạch, để bàn giao cho đơn vị kế tục:",
        "  co-so-du-lieu/  bản sao cơ sở dữ liệu (mở bằng dkdesk: dkdesk --db <tệp> --plan "
        f"{plan.info.code})",
        "  ke-hoach/       tệp kế hoạch (TOML)",
        "  bao-cao/        bảng tổng hợp (.xlsx) và dự thảo báo cáo (.docx) của từng kỳ",
        "  tep-goc/        các tệp Excel gốc các đơn vị đã gửi, theo kỳ (đúng từng byte đã nhận)",
        "",
    ]
    if server:
        lines += ["Cơ sở dữ liệu nằm trên máy chủ (PostgreSQL): không có bản sao trong thư mục này; "
                  "hãy sao lưu bằng công cụ của máy chủ (pg_dump).", ""]
    units_closed = [u for u in plan.units if u.active_to or u.active_from]
    if units_closed:
        lines.append("Đơn vị thay đổi trong năm:")
        for u in units_closed:
            when = []
            if u.active_from:
                when.append(f"hoạt động từ {u.active_from:%d/%m/%Y}")
            if u.active_to:
                when.append(f"hoạt động đến hết {u.active_to:%d/%m/%Y}")
            if u.successor and plan.has_unit(u.successor):
                when.append(f"kế tục: {plan.unit(u.successor).name}")
            lines.append(f"  {u.code}: {u.name} - {', '.join(when)}")
        lines.append("")
    lines.append(f"Danh sách tệp ({len(files)}):")
    for path, what in files:
        rel = path.relative_to(folder).as_posix()
        lines.append(f"  {rel}  ({_size(path.stat().st_size)}): {what}")
    return "\r\n".join(lines) + "\r\n"
