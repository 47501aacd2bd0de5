"""Commands: backup (a consistent copy, or the list of automatic backups) and restore."""
from __future__ import annotations

import argparse
from pathlib import Path

from dkdesk.cli.main import EXIT_OK, emit_json, fail, open_desk


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("backup", help="sao lưu cơ sở dữ liệu (bản sao nhất quán) hoặc liệt kê các bản sao lưu")
    p.add_argument("-o", "--output", metavar="TỆP", default=None,
                   help="ghi bản sao lưu vào TỆP (mặc định: thư mục backups cạnh cơ sở dữ liệu)")
    p.add_argument("--list", action="store_true", help="liệt kê các bản sao lưu tự động")
    p.add_argument("--json", action="store_true", help="in dạng JSON")
    p.set_defaults(run=run_backup)

    p = sub.add_parser("restore", help="khôi phục cơ sở dữ liệu từ một bản sao lưu (kiểm tra tệp trước; "
                                       "dữ liệu hiện tại được sao lưu trước khi thay)")
    p.add_argument("file", metavar="TỆP", help="tệp sao lưu (.sqlite) của dkdesk")
    p.set_defaults(run=run_restore)


def _db_path(args: argparse.Namespace) -> Path | None:
    from dkdesk.storage.database import sqlite_file

    return sqlite_file(args.db)


def run_backup(args: argparse.Namespace) -> int:
    from dkdesk.safety.backup import backup_infos, backups_dir_for, format_size, make_backup

    if args.list:
        path = _db_path(args)
        if path is None:
            return fail("cơ sở dữ liệu máy chủ (PostgreSQL) không có bản sao lưu tự động của dkdesk; "
                        "hãy dùng pg_dump.")
        infos = backup_infos(backups_dir_for(path))
        if args.json:
            emit_json([{"file": str(b.path), "made_at": b.made_at.isoformat(timespec="seconds"),
                        "size": b.size, "reason": b.reason} for b in infos])
            return EXIT_OK
        if not infos:
            print(f"Chưa có bản sao lưu nào trong {backups_dir_for(path)}.")
        for b in infos:
            print(f"{b.made_at:%d/%m/%Y %H:%M}  {format_size(b.size):>9}  {b.reason_label}  {b.path}")
        return EXIT_OK
    target = Path(args.output).expanduser() if args.output else None
    if target is not None and target.exists():
        return fail(f"tệp {target} đã tồn tại; hãy chọn tên khác (không ghi đè).")
    with open_desk(args) as desk:
        if desk.sqlite_path is None:
            return fail("sao lưu bằng dkdesk chỉ dùng cho SQLite; với PostgreSQL hãy dùng pg_dump.")
        try:
            written = make_backup(desk, "thu-cong", target=target)
        except OSError as exc:
            return fail(f"không ghi được bản sao lưu {target or ''}: {exc.strerror or exc}. "
                        "Cơ sở dữ liệu không thay đổi.")
    if args.json:
        emit_json({"file": str(written), "size": written.stat().st_size if written else 0})
    else:
        print(f"Đã sao lưu vào {written}.")
    return EXIT_OK


def run_restore(args: argparse.Namespace) -> int:
    from dkdesk.safety.integrity import DamagedDatabase
    from dkdesk.safety.restore import check_restore_file, recover_damaged, record_restore, restore

    source = Path(args.file).expanduser()
    info = check_restore_file(source)  # junk, foreign, damaged, newer: exit 1, nothing opened
    try:
        desk = open_desk(args)
    except DamagedDatabase as exc:
        if exc.path is None:
            raise
        damaged = recover_damaged(exc.path, source)
        with open_desk(args) as desk:
            record_restore(desk, source, None)
        print(f"Cơ sở dữ liệu bị hỏng đã được chuyển sang {damaged} và thay bằng {source.name}.")
        return EXIT_OK
    with desk:
        result = restore(desk, source)
    kept = f" Dữ liệu trước khi khôi phục được giữ ở {result.previous_copy}." if result.previous_copy else ""
    print(f"Đã khôi phục từ {source} ({info.n_values} số liệu).{kept}")
    return EXIT_OK
