"""Commands: plans (the plans stored), archive (everything of one plan, for the office taking over).

``plan --import`` (in cmd_basic) stores a plan file through ``import_plan`` here."""
from __future__ import annotations

import argparse
from pathlib import Path

from dkdesk.cli.main import EXIT_OK, emit_json, fail, open_desk


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("plans", help="các kế hoạch trong cơ sở dữ liệu (kế hoạch mới nhất là mặc định)")
    p.add_argument("--json", action="store_true", help="in dạng JSON")
    p.set_defaults(run=run_plans)

    p = sub.add_parser("archive", help="lưu trữ một kế hoạch: bản sao cơ sở dữ liệu, mọi báo cáo và tệp gốc, "
                                       "kèm tệp DOC-TOI.txt liệt kê")
    p.add_argument("--plan", dest="plan", metavar="MÃ_KẾ_HOẠCH", default=argparse.SUPPRESS,
                   help="kế hoạch cần lưu trữ (mặc định: kế hoạch mới nhất)")
    p.add_argument("-o", "--output", required=True, metavar="THƯ_MỤC", help="thư mục mới (hoặc trống) để ghi")
    p.set_defaults(run=run_archive)


def run_plans(args: argparse.Namespace) -> int:
    with open_desk(args) as desk:
        plans = desk.plans()
        current = desk.plan.info.code
    if args.json:
        emit_json({"current": current,
                   "plans": [{"code": p.code, "title": p.title, "year": p.year, "previous": p.previous,
                              "has_values": p.has_values} for p in plans]})
        return EXIT_OK
    for p in plans:
        mark = "*" if p.code == current else " "
        follows = f", tiếp theo {p.previous}" if p.previous else ""
        values = "có số liệu" if p.has_values else "chưa có số liệu"
        print(f"{mark} {p.code:24} năm {p.year}{follows} - {values}")
    print("(* kế hoạch đang dùng; chọn kế hoạch khác bằng --plan MÃ)")
    return EXIT_OK


def import_plan(args: argparse.Namespace, file: str) -> int:
    path = Path(file)
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        return fail(f"không đọc được {path}: {exc.strerror or exc}")
    except UnicodeDecodeError as exc:
        return fail(f"{path.name}: tệp không phải UTF-8 (byte {exc.start})")
    with open_desk(args) as desk:
        before = {p.code: desk.plan_source(p.code) for p in desk.plans() if p.code != desk.file_plan_code}
        code = desk.add_plan(text, name=path.name)
        after = desk.plan_source(code)
    if code not in before:
        print(f"Đã thêm kế hoạch {code} từ {path}.")
    elif before[code] == after:
        print(f"Kế hoạch {code} đã có đúng nội dung này; không có gì thay đổi.")
    else:
        print(f"Đã thay nội dung kế hoạch {code} (chưa có số liệu nào theo kế hoạch này) bằng {path}.")
    return EXIT_OK


def run_archive(args: argparse.Namespace) -> int:
    from dkdesk.reports.archive import make_archive

    with open_desk(args) as desk:
        result = make_archive(desk, Path(args.output))
    print(f"Đã lưu trữ kế hoạch vào {result.folder} ({len(result.files)} tệp, xem {result.files[0][0].name}).")
    return EXIT_OK
