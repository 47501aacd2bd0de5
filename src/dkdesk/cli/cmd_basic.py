"""Commands: gui, plan, set, values, overview."""
from __future__ import annotations

import argparse
import sys

from dkdesk.cli.main import EXIT_OK, EXIT_REFUSED, EXIT_USAGE, emit_json, fail, open_desk, plan_choice


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("gui", help="mở giao diện (mặc định khi không có lệnh)")
    p.add_argument("--smoke", action="store_true",
                   help="dựng và hiện cửa sổ chính trên cơ sở dữ liệu, chờ ổn định rồi thoát (kiểm tra)")
    p.set_defaults(run=run_gui)

    p = sub.add_parser("plan", help="kế hoạch đang dùng: đơn vị, kỳ, trường, chỉ tiêu; xuất/nhập tệp kế hoạch")
    p.add_argument("--json", action="store_true", help="in dạng JSON")
    p.add_argument("--export", metavar="TỆP.toml", default=None,
                   help="ghi kế hoạch (chọn bằng --plan, mặc định kế hoạch mới nhất) ra tệp TOML")
    p.add_argument("--import", dest="import_file", metavar="TỆP.toml", default=None,
                   help="thêm một kế hoạch từ tệp TOML vào cơ sở dữ liệu (kiểm tra chặt như tệp kế hoạch)")
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
    p.add_argument("--compare", action="store_true",
                   help="so sánh với cùng kỳ của kế hoạch năm trước (mỗi chỉ tiêu thêm mục \"previous\")")
    p.set_defaults(run=run_overview)


def run_gui(args: argparse.Namespace) -> int:
    import inspect

    from dkdesk.gui.app import run_app

    path, code = plan_choice(args)
    if code is None:
        return run_app(db=args.db, plan_path=path, smoke=args.smoke)
    if "plan" not in inspect.signature(run_app).parameters:
        return fail("giao diện chưa mở được theo mã kế hoạch; hãy chọn kế hoạch trong giao diện.", EXIT_USAGE)
    return run_app(db=args.db, plan=code, smoke=args.smoke)


def plan_json(plan) -> dict:  # noqa: ANN001
    info = plan.info
    return {
        "plan": {"code": info.code, "number": info.number, "title": info.title, "year": info.year,
                 "issuer": info.issuer, "district": info.district, "consolidator": info.consolidator,
                 "legal_basis": list(info.legal_basis), **({"previous": info.previous} if info.previous else {})},
        "periods": [{"code": p.code, "name": p.name, "deadline": p.deadline.isoformat()} for p in plan.periods],
        "units": [{"code": u.code, "name": u.name, "group": plan.group(u.group).name,
                   **({"active_from": u.active_from.isoformat()} if u.active_from else {}),
                   **({"active_to": u.active_to.isoformat()} if u.active_to else {}),
                   **({"successor": u.successor} if u.successor else {}),
                   "fields": [{"code": f.code, "label": f.label, "type": f.type, "measure": f.measure,
                               "section": plan.section(f.section).title,
                               **({"part_of": f.part_of} if f.part_of else {})}
                              for f in plan.form_fields(u.code)]}
                  for u in plan.units],
        "indicators": [{"code": i.code, "name": i.name, "target": i.target, "responsible": i.responsible,
                        **({"target_kind": i.target_kind} if i.target_kind != "percent" else {})}
                       for i in plan.indicators],
    }


def _has_database(args: argparse.Namespace) -> bool:
    from pathlib import Path

    from dkdesk import paths

    chosen = str(paths.chosen_db(args.db))
    return "://" in chosen or Path(chosen).exists()


def run_plan(args: argparse.Namespace) -> int:
    from pathlib import Path

    from dkdesk import paths
    from dkdesk.catalogue.loader import load_plan

    path, code = plan_choice(args)
    if args.import_file:
        from dkdesk.cli.cmd_plans import import_plan

        return import_plan(args, args.import_file)
    if path is None and (code is not None or _has_database(args)):
        with open_desk(args) as desk:  # the chosen plan (default the newest) of the database
            plan = desk.plan
            text = desk.plan_source() if args.export else ""
    else:  # no database yet, or a plan file: answer straight from the file
        plan = load_plan(path or paths.default_plan_path())
        text = Path(plan.source).read_text(encoding="utf-8") if args.export else ""
    if args.export:
        target = Path(args.export)
        try:
            target.write_text(text, encoding="utf-8", newline="\n")
        except OSError as exc:
            return fail(f"không ghi được {target}: {exc.strerror or exc}")
        print(f"Đã ghi kế hoạch {plan.info.code} ra {target}.")
        return EXIT_OK
    if args.json:
        emit_json(plan_json(plan))
        return EXIT_OK
    print(f"{plan.info.title} ({plan.info.year})")
    for p in plan.periods:
        print(f"  kỳ {p.code}: {p.name}, hạn nộp {p.deadline:%d/%m/%Y}")
    for u in plan.units:
        closed = f" - ngừng hoạt động từ {u.active_to:%d/%m/%Y} (+1 ngày)" if u.active_to else ""
        print(f"  {u.code:12} {u.name} - {len(plan.form_fields(u.code))} trường{closed}")
    for i in plan.indicators:
        print(f"  {i.code} (≥ {i.target:g}{'' if i.target_kind == 'count' else '%'}): {i.name}")
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
        yoy = None
        if args.compare:
            from dkdesk.indicators.compare import year_over_year

            yoy = year_over_year(desk, args.period)
    if args.json:
        data = ov.as_json()
        if args.compare:
            items = [r.as_json() for r in ov.indicators]
            for item in items:
                item["previous"] = yoy.previous_json(str(item["code"])) if yoy else None
            data["indicators"] = items
        emit_json(data)
        return EXIT_OK
    for r in ov.indicators:
        frac = ("" if r.numerator is None or r.denominator is None
                else f"{format_decimal(r.numerator, 0)}/{format_decimal(r.denominator, 0)}")
        missing = f" - thiếu: {', '.join(r.missing_units)}" if r.missing_units else ""
        closed = f" - ngừng/chưa hoạt động: {', '.join(r.closed_units)}" if r.closed_units else ""
        print(f"{r.code} {r.value_display or '-':>9} (chỉ tiêu {r.target_display}) {frac:>12} "
              f"{r.status_label}{missing}{closed}")
        if args.compare:
            prev = yoy.result(r.code) if yoy else None
            if prev is None:
                print("      cùng kỳ năm trước: không có kế hoạch năm trước để so sánh")
            else:
                note = f" ({yoy.note(r.code)})" if yoy and yoy.note(r.code) else ""
                print(f"      cùng kỳ năm trước ({yoy.previous_period_name if yoy else ''}): "
                      f"{prev.value_display or '-'} {prev.status_label}{note}")
    return EXIT_OK


__all__ = ["register", "sys"]
