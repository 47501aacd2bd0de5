"""Commands: template (one unit, or --all into a folder), import (SPEC §5)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dkdesk.cli.main import EXIT_OK, EXIT_REFUSED, EXIT_USAGE, emit_json, fail, open_desk


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("template", help="xuất biểu mẫu Excel của một đơn vị (hoặc mọi đơn vị) cho một kỳ")
    p.add_argument("--unit", metavar="MÃ_ĐƠN_VỊ", help="mã đơn vị (bỏ qua khi dùng --all)")
    p.add_argument("--all", action="store_true", help="xuất biểu mẫu của mọi đơn vị vào thư mục -o")
    p.add_argument("--period", required=True, metavar="MÃ_KỲ")
    p.add_argument("-o", "--output", required=True, metavar="TỆP_HOẶC_THƯ_MỤC")
    p.add_argument("--filled", action="store_true", help="ghi kèm số liệu đã lưu (báo cáo của đơn vị để gửi đi)")
    p.set_defaults(run=run_template)

    p = sub.add_parser("import", help="nhập các tệp Excel đã điền (thư mục: mọi tệp .xlsx bên trong)")
    p.add_argument("paths", nargs="+", metavar="ĐƯỜNG_DẪN")
    p.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra và so sánh, không lưu gì")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.set_defaults(run=run_import, refusal_json=refused_run_json)


def run_template(args: argparse.Namespace) -> int:
    from dkdesk.exchange.template import write_all_templates, write_template, write_unit_report

    with open_desk(args) as desk:
        desk.period_id(args.period)  # Refused with the list of periods when unknown
        if args.all:
            if args.unit or args.filled:
                return fail("--all không dùng cùng --unit hoặc --filled.", EXIT_USAGE)
            folder = Path(args.output)
            if folder.exists() and not folder.is_dir():
                return fail(f"{folder} không phải là thư mục.", EXIT_USAGE)
            written = write_all_templates(desk.plan, args.period, folder)
            print(f"Đã xuất {len(written)} biểu mẫu kỳ {args.period} vào {folder}.")
            return EXIT_OK
        if not args.unit:
            return fail("cần --unit MÃ_ĐƠN_VỊ hoặc --all.", EXIT_USAGE)
        desk.unit_id(args.unit)
        if args.filled:  # the unit's own report to send: the same function as the GUI's "Gửi báo cáo"
            path = write_unit_report(desk, args.unit, args.period, args.output)
        else:
            path = write_template(desk.plan, args.unit, args.period, args.output)
    print(f"Đã xuất {'báo cáo đã điền' if args.filled else 'biểu mẫu'} của {args.unit} kỳ {args.period}: {path}")
    return EXIT_OK


JSON_STATUS = {"new": "imported", "changed": "imported", "unchanged": "unchanged", "duplicate": "duplicate",
               "rejected": "rejected", "locked": "rejected", "needs_identification": "rejected",
               "conflict": "conflict"}


def _file_json(path: Path, sha: str | None, unit: str | None, period: str | None, status: str,
               counts: tuple[int, int, int], errors: list, warnings: list) -> dict:
    """One file of ``import --json`` (SPEC §5), plus ``warnings`` (same shape as ``errors``): what
    the person should know about a file that was still applied (a template of another form version)."""
    return {"path": str(path), "sha256": sha, "unit": unit, "period": period, "status": status,
            "new": counts[0], "changed": counts[1], "unchanged": counts[2],
            "errors": [{"cell": e.cell, "field": e.field, "message": e.message} for e in errors],
            "warnings": [{"cell": w.cell, "field": w.field, "message": w.message} for w in warnings]}


def refused_run_json(args: argparse.Namespace, message: str) -> dict:
    """``import --json`` when the whole run is refused (database locked by another writer or
    read-only, disk full, not a dkdesk database): SPEC §5's shape, every file rejected with
    the reason, and the reason once more as ``error``."""
    from dkdesk.core.validation import FieldError
    from dkdesk.exchange import importer

    try:
        files = importer.expand_paths(args.paths)
    except OSError:
        files = [Path(p) for p in args.paths]
    why = [FieldError("", message)]
    return {"files": [_file_json(f, None, None, None, "rejected", (0, 0, 0), why, []) for f in files],
            "error": message}


def run_import(args: argparse.Namespace) -> int:
    from dkdesk.exchange import importer

    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        return fail(f"không tìm thấy: {', '.join(missing)}.", EXIT_USAGE)
    files = importer.expand_paths(args.paths)
    if not files:
        from dkdesk.core.records import Refused

        raise Refused("không có tệp .xlsx nào để nhập.")  # --json still prints {"files": [], ...}
    with open_desk(args) as desk:
        previews = importer.preview(desk, files)
        for p in previews:
            if p.status == importer.NEEDS_ID:
                p.read.errors.clear()
                p.read.reject("Tệp không còn trang nhận dạng \"_dkdesk\" nên không biết thuộc đơn vị và kỳ nào; "
                              "hãy nhập tệp này qua giao diện (chọn đơn vị, kỳ) hoặc dùng biểu mẫu gốc.")
        if args.dry_run:
            rows = []
            for p in previews:
                status = JSON_STATUS[p.status]
                if status == "imported":
                    status = "would_import"
                rows.append(_file_json(p.path, p.read.sha256, p.unit, p.period, status,
                                       (p.count("new"), p.count("changed"), p.count("unchanged")), p.errors,
                                       p.warnings))
        else:
            report = importer.apply(desk, previews)
            rows = [_file_json(o.path, o.sha256, o.unit, o.period,
                               "rejected" if o.status == "skipped" else o.status,
                               (o.new, o.changed, o.unchanged), o.errors, o.warnings) for o in report.outcomes]
    rejected = [r for r in rows if r["status"] in ("rejected", "conflict")]
    for r in rows:
        for w in r["warnings"]:
            where = f" {w['cell']}:" if w["cell"] else ""
            sys.stderr.write(f"dkdesk: {r['path']}:{where} cảnh báo: {w['message']}\n")
    for r in rejected:
        for e in r["errors"] or [{"cell": "", "message": "bị từ chối"}]:
            where = f" {e['cell']}:" if e["cell"] else ""
            sys.stderr.write(f"dkdesk: {r['path']}:{where} {e['message']}\n")
    if args.json:
        emit_json({"files": rows})
    else:
        labels = {"imported": "đã nhập", "would_import": "sẽ nhập", "unchanged": "không đổi",
                  "duplicate": "trùng (đã nhập trước đây)", "rejected": "bị từ chối",
                  "conflict": "xung đột (hai tệp cho cùng một báo cáo)"}
        for r in rows:
            who = f" {r['unit']} {r['period']}" if r["unit"] else ""
            print(f"{Path(r['path']).name}:{who} {labels[r['status']]} - {r['new']} mới, {r['changed']} thay đổi, "
                  f"{r['unchanged']} không đổi")
        if rejected:
            print(f"{len(rejected)} tệp bị từ chối: không có gì từ các tệp đó được lưu.")
    return EXIT_REFUSED if rejected else EXIT_OK
