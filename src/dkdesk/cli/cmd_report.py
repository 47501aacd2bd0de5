"""Command: report (SPEC §5) — the consolidated workbook and the draft narrative report."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dkdesk.cli.main import EXIT_OK, open_desk


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="bảng tổng hợp (.xlsx) và dự thảo báo cáo (.docx) của một kỳ")
    p.add_argument("--period", required=True, metavar="MÃ_KỲ", help="ví dụ 2024-H1 hoặc 2024-Y")
    p.add_argument("-o", "--output", required=True, metavar="TỆP.xlsx", help="tệp bảng tổng hợp cần ghi")
    p.add_argument("--docx", default=None, metavar="TỆP.docx", help="ghi thêm dự thảo báo cáo bằng lời")
    p.set_defaults(run=run_report)


def run_report(args: argparse.Namespace) -> int:
    from dkdesk.reports.output import make_reports

    with open_desk(args) as desk:
        files = make_reports(desk, args.period, Path(args.output), Path(args.docx) if args.docx else None)
    for path in (files.xlsx, files.docx):
        if path is not None:
            sys.stdout.write(f"Đã ghi {path}\n")
    return EXIT_OK
