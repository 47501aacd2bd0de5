"""Make the report files of a period, safely: each is written to a temporary file beside its
destination and renamed into place, so a failure never leaves a half-written file.

``make_reports(desk, period, xlsx, docx=None)`` is what the CLI and the GUI call.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

from dkdesk.core.desk import Desk, Refused
from dkdesk.reports.data import ReportData, gather

Report = Callable[[int, int, str], None]  # progress: done, total, text


@dataclass(frozen=True)
class ReportFiles:
    period: str
    xlsx: Path | None
    docx: Path | None


def default_name(period: str, kind: str) -> str:
    """"bao-cao-tong-hop_2024-H1.xlsx" / "bao-cao-thuc-hien_2024-H1.docx"."""
    return f"bao-cao-tong-hop_{period}.xlsx" if kind == "xlsx" else f"bao-cao-thuc-hien_{period}.docx"


def check_target(path: Path, suffix: str) -> Path:
    """Refuse (in Vietnamese) a destination that cannot be written; nothing is created."""
    path = Path(path)
    if path.suffix.lower() != suffix:
        raise Refused(f'Tệp "{path}" phải có đuôi {suffix}.')
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise Refused(f'Không ghi được "{path}": thư mục "{folder}" không tồn tại.')
    if path.is_dir():
        raise Refused(f'Không ghi được "{path}": đó là một thư mục.')
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise Refused(f'Không ghi được "{path}": không có quyền ghi (hoặc tệp đang mở trong chương trình khác).')
    return path


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Write through a temporary file in the same folder, then rename over ``path``."""
    fd, tmp_name = tempfile.mkstemp(prefix=".dkdesk-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        if exc.filename and Path(exc.filename) not in (tmp, path):  # a file of the program, not the target
            raise Refused(f'Không tạo được "{path}": chương trình thiếu hoặc không đọc được tệp {exc.filename} '
                          f"({exc.strerror or exc}). Tệp cũ (nếu có) vẫn giữ nguyên.") from exc
        if isinstance(exc, PermissionError):
            raise Refused(f'Không ghi được "{path}": tệp đang mở trong một chương trình khác (Excel, Word...) '
                          "hoặc không có quyền ghi. Đóng tệp đó rồi lập lại; tệp cũ vẫn giữ nguyên.") from exc
        raise Refused(f'Không ghi được "{path}": {exc.strerror or exc}. Tệp cũ (nếu có) vẫn giữ nguyên.') from exc
    finally:
        if tmp.exists():
            tmp.unlink()


def make_reports(desk: Desk, period: str, xlsx: Path | None, docx: Path | None = None, *,
                 made_on: date | None = None, progress: Report | None = None) -> ReportFiles:
    """Write the consolidated workbook and/or the draft narrative report of ``period``."""
    from dkdesk.reports.narrative import write_narrative
    from dkdesk.reports.workbook import write_workbook

    desk.period_id(period)  # Refused on an unknown period, before anything is written
    targets = [(p, s) for p, s in ((xlsx, ".xlsx"), (docx, ".docx")) if p is not None]
    if not targets:
        raise Refused("Chưa chọn tệp để ghi báo cáo.")
    for p, s in targets:
        check_target(p, s)
    steps = len(targets) + 1
    tick = progress or (lambda done, total, text: None)
    tick(0, steps, "Đang đọc số liệu...")
    data: ReportData = gather(desk, period, made_on)
    done = 1
    if xlsx is not None:
        tick(done, steps, "Đang ghi bảng tổng hợp (.xlsx)...")
        write_atomically(Path(xlsx), lambda tmp: write_workbook(data, tmp))
        done += 1
    if docx is not None:
        tick(done, steps, "Đang ghi dự thảo báo cáo (.docx)...")
        write_atomically(Path(docx), lambda tmp: write_narrative(data, tmp))
        done += 1
    tick(done, steps, "Xong.")
    return ReportFiles(period, Path(xlsx) if xlsx else None, Path(docx) if docx else None)
