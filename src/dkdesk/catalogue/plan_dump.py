"""``dump_plan``: a ``Plan`` back to the TOML text of a plan file (the loader's format 1).

The text loads again into an equal plan (``load_plan_text(dump_plan(p))`` equals ``p`` but
for ``source`` and ``digest``): forms are written with their fields resolved (no ``include``),
every default written out. Used to store an edited plan, export it, and check an edit with
the same strict loader as a file.
"""
from __future__ import annotations

import json
from datetime import date

from dkdesk.catalogue.loader import FORMAT_VERSION
from dkdesk.catalogue.model import Plan


def _s(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's; DEL must be escaped too)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007F")


def _v(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        items = [_v(v) for v in value]
        one_line = "[" + ", ".join(items) + "]"
        if len(one_line) <= 90:
            return one_line
        return "[\n" + "".join(f"  {i},\n" for i in items) + "]"
    assert isinstance(value, str), value
    return _s(value)


def _table(header: str, pairs: list[tuple[str, object]]) -> str:
    lines = [header]
    lines += [f"{k} = {_v(v)}" for k, v in pairs if v is not None]
    return "\n".join(lines) + "\n"


def dump_plan(plan: Plan) -> str:
    """The plan as the text of a plan file (UTF-8, Vietnamese comments)."""
    i = plan.info
    title = " ".join(i.title.split())
    out = [f"# {title}\n# Tệp kế hoạch của dkdesk (định dạng {FORMAT_VERSION}), mã \"{i.code}\", năm {i.year}.\n",
           f"format = {FORMAT_VERSION}\n"]
    out.append(_table("[plan]", [
        ("code", i.code), ("number", i.number), ("title", i.title), ("year", i.year), ("issuer", i.issuer),
        ("superior", i.superior), ("district", i.district), ("place", i.place),
        ("consolidator", i.consolidator), ("signed_on", i.signed_on), ("legal_basis", list(i.legal_basis)),
        ("previous", i.previous)]))
    out.append("# Nhóm đơn vị\n")
    out += [_table("[[groups]]", [("code", g.code), ("name", g.name)]) for g in plan.groups]
    out.append("# Kỳ báo cáo\n")
    out += [_table("[[periods]]", [("code", p.code), ("name", p.name), ("start", p.start), ("end", p.end),
                                   ("deadline", p.deadline)]) for p in plan.periods]
    out.append("# Các mục của biểu báo cáo\n")
    out += [_table("[[sections]]", [("code", s.code), ("title", s.title)]) for s in plan.sections]
    out.append("# Trường (chỉ tiêu báo cáo)\n")
    for f in plan.fields:
        out.append(_table("[[fields]]", [
            ("code", f.code), ("label", f.label), ("type", f.type), ("section", f.section),
            ("measure", f.measure or None), ("help", f.help or None), ("part_of", f.part_of),
            ("required", f.required), ("year_rule", f.year_rule), ("max", f.max_value)]))
    out.append("# Biểu mẫu (các trường theo thứ tự trình bày)\n")
    out += [_table("[[forms]]", [("code", f.code), ("title", f.title), ("fields", list(f.fields))])
            for f in plan.forms]
    out.append("# Đơn vị báo cáo (active_from/active_to: ngày bắt đầu/ngừng hoạt động; successor: đơn vị kế tục)\n")
    for u in plan.units:
        out.append(_table("[[units]]", [
            ("code", u.code), ("name", u.name), ("short_name", u.short_name), ("group", u.group),
            ("form", u.form), ("active_from", u.active_from), ("active_to", u.active_to),
            ("successor", u.successor)]))
    out.append("# Chỉ tiêu (target_kind: percent = phần trăm, count = số lượng)\n")
    for ind in plan.indicators:
        out.append(_table("[[indicators]]", [
            ("code", ind.code), ("name", ind.name), ("target", ind.target), ("target_kind", ind.target_kind),
            ("numerator", ind.numerator), ("denominator", ind.denominator or None),
            ("responsible", ind.responsible), ("section", ind.section or None)]))
    return "\n".join(out)
