"""Commands: gui, plan, set, values, overview."""
from __future__ import annotations

import argparse
import sys

from dkdesk.cli.main import EXIT_OK, EXIT_REFUSED, emit_json, fail, open_desk


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("gui", help="mở giao diện (mặc định khi không có lệnh)")
    p.add_argument("--smoke", action="store_true",
                   help="dựng và hiện cửa sổ chính trên cơ sở dữ liệu, chờ ổn định rồi thoát (kiểm tra)")
    p.set_defaults(run=run_gui)

    p = sub.add_parser("plan", help="kế hoạch đang dùng: đơn vị, kỳ, trường, chỉ tiêu")
    p.add_argument("--json", action="store_true", help="in dạng JSON")
    p.set_defaults(run=run_plan)

    p = sub.add_parser("set", help="lưu số liệu của một đơn vị (kiểm tra như biểu mẫu; tất cả hoặc không)")
    p.add_argument("--unit", required=True, metavar="MÃ_ĐƠN_VỊ")
    p.add_argument("--period", required=True, metavar="MÃ_KỲ")
    p.add_argument("assignments", nargs="+", metavar="MÃ=GIÁ_TRỊ",
                   help="ví dụ tt_so_hinh_thuc=3 kh_da_ban_hanh=true (để trống sau dấu = để xóa)")
    p.set_defaults(run=run_set)

    p = sub.add_parser("values", help="số liệu đã lưu của một đơn vị trong một kỳ")
    p.add_argument("--unit", required=True, metavar="MÃ_ĐƠN_VỊ")
    p.add_argument("--period", required=True, metavar="MÃ_KỲ")
    p.add_argument("--json", action="store_true", help="in dạng JSON")
    p.set_defaults(run=run_values)

    p = sub.add_parser("overview", help="kết quả các chỉ tiêu của một kỳ")
    p.add_argument("--period", required=True, metavar="MÃ_KỲ")
    p.add_argument("--json", action="store_true", help="in dạng JSON")
    p.set_defaults(run=run_overview)


def run_gui(args: argparse.Namespace) -> int:
    from dkdesk.gui.app import run_app

    return run_app(db=args.db, plan_path=args.plan, smoke=args.smoke)


def plan_json(plan) -> dict:  # noqa: ANN001
    info = plan.info
    return {
        "plan": {"code": info.code, "number": info.number, "title": info.title, "year": info.year,
                 "issuer": info.issuer, "district": info.district, "consolidator": info.consolidator,
                 "legal_basis": list(info.legal_basis)},
        "periods": [{"code": p.code, "name": p.name, "deadline": p.deadline.isoformat()} for p in plan.periods],
        "units": [{"code": u.code, "name": u.name, "group": plan.group(u.group).name,
                   "fields": [{"code": f.code, "label": f.label, "type": f.type, "measure": f.measure,
                               "section": plan.section(f.section).title,
                               **({"part_of": f.part_of} if f.part_of else {})}
                              for f in plan.form_fields(u.code)]}
                  for u in plan.units],
        "indicators": [{"code": i.code, "name": i.name, "target": i.target, "responsible": i.responsible}
                       for i in plan.indicators],
    }


def run_plan(args: argparse.Namespace) -> int:
    from dkdesk import paths
    from dkdesk.catalogue.loader import load_plan

    # the plan needs no database: answer straight from the plan file
    plan = load_plan(args.plan or paths.default_plan_path())
    if args.json:
        emit_json(plan_json(plan))
        return EXIT_OK
    print(f"{plan.info.title} ({plan.info.year})")
    for p in plan.periods:
        print(f"  kỳ {p.code}: {p.name}, hạn nộp {p.deadline:%d/%m/%Y}")
    for u in plan.units:
        print(f"  {u.code:12} {u.name} - {len(plan.form_fields(u.code))} trường")
    for i in plan.indicators:
        print(f"  {i.code} (≥ {i.target:g}%): {i.name}")
    return EXIT_OK


def run_set(args: argparse.Namespace) -> int:
    raw: dict[str, object] = {}
    for item in args.assignments:
        code, sep, value = item.partition("=")
        if not sep or not code.strip():
            return fail(f'"{item}" không đúng dạng MÃ=GIÁ_TRỊ.', 2)
        code = code.strip()
        if code in raw:
            return fail(f'trường "{code}" được ghi hai lần.', EXIT_REFUSED)
        raw[code] = value
    from dkdesk.core.plausibility import warnings_for

    with open_desk(args) as desk:
        result = desk.set_values(args.unit, args.period, raw)
        warned = warnings_for(desk, args.unit, args.period, raw)  # a warning, never a refusal
    print(f"Đã lưu: {result.new} mới, {result.changed} thay đổi, {result.cleared} xóa, "
          f"{result.unchanged} không đổi.")
    for w in warned:
        print(f"Cảnh báo (đã lưu, sửa lại nếu gõ nhầm): {w.message}", file=sys.stderr)
    return EXIT_OK


def run_values(args: argparse.Namespace) -> int:
    from dkdesk.core.desk import STATUS_LABELS
    from dkdesk.core.numbers import format_bool, format_int

    with open_desk(args) as desk:
        uv = desk.get_values(args.unit, args.period)
        fields = desk.plan.form_fields(args.unit)
    if args.json:
        emit_json({"unit": uv.unit, "period": uv.period, "status": uv.status, "values": uv.values})
        return EXIT_OK
    print(f"{args.unit} - {args.period} - {STATUS_LABELS[uv.status]}")
    for f in fields:
        v = uv.values.get(f.code)
        shown = format_int(v) if f.type == "int" else format_bool(v) if f.type == "bool" else (v or "")
        print(f"  {f.code:28} {shown} {f.measure if v is not None and f.type == 'int' else ''}".rstrip())
    return EXIT_OK


def run_overview(args: argparse.Namespace) -> int:
    from dkdesk.core.numbers import format_decimal
    from dkdesk.indicators.overview import compute_overview

    with open_desk(args) as desk:
        ov = compute_overview(desk, args.period)
    if args.json:
        emit_json(ov.as_json())
        return EXIT_OK
    for r in ov.indicators:
        frac = ("" if r.numerator is None or r.denominator is None
                else f"{format_decimal(r.numerator, 0)}/{format_decimal(r.denominator, 0)}")
        missing = f" - thiếu: {', '.join(r.missing_units)}" if r.missing_units else ""
        print(f"{r.code} {r.value_display or '-':>9} (chỉ tiêu ≥ {r.target:g}%) {frac:>12} "
              f"{r.status_label}{missing}")
    return EXIT_OK


__all__ = ["register", "sys"]
