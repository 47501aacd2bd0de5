"""Load and strictly validate a plan file (TOML) into ``dkdesk.catalogue.model.Plan``.

Every refusal is a ``PlanError`` whose Vietnamese message names the file and the place
in it (table, entry number, code, key), e.g.::

    duong-kinh-2024.toml: [[fields]] thứ 12 (mã "tt_so_buoi"): khóa không hợp lệ "lable"
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any, Callable, NamedTuple, Protocol, TypeVar

from dkdesk.catalogue.model import (
    FieldDef,
    Form,
    Group,
    Indicator,
    Period,
    Plan,
    PlanInfo,
    Section,
    Unit,
)

FORMAT_VERSION = 1
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]*$")
_FIELD_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_PERIOD_CODE = re.compile(r"^(\d{4})-(H1|Y)$")


class _Tables(list):
    """Marker type: an array of tables ([[x]])."""


class PlanError(ValueError):
    """A plan file that cannot be used; the message is Vietnamese and names the place."""


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value.strip())
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    if isinstance(value, dict):
        return {k: _nfc(v) for k, v in value.items()}
    return value


class _Reader:
    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, where: str, msg: str) -> PlanError:
        return PlanError(f"{self.name}: {where}: {msg}")

    def table(self, data: dict[str, Any], where: str, required: dict[str, type | tuple[type, ...]],
              optional: dict[str, type | tuple[type, ...]]) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise self.fail(where, "phải là một bảng (table)")
        for key in data:
            if key not in required and key not in optional:
                raise self.fail(where, f'khóa không hợp lệ "{key}" (các khóa được phép: '
                                       f'{", ".join(sorted([*required, *optional]))})')
        for key, typ in required.items():
            if key not in data:
                raise self.fail(where, f'thiếu khóa bắt buộc "{key}"')
        for key, typ in {**required, **optional}.items():
            if key in data and not _isinstance(data[key], typ):
                raise self.fail(where, f'khóa "{key}" sai kiểu (cần {_type_name(typ)})')
        return data

    def entries(self, root: dict[str, Any], key: str) -> list[dict[str, Any]]:
        items = root.get(key)
        if not isinstance(items, list) or not items:
            raise self.fail(f"[[{key}]]", "thiếu hoặc rỗng")
        return items


def _isinstance(value: Any, typ: type | tuple[type, ...]) -> bool:
    types = typ if isinstance(typ, tuple) else (typ,)
    if isinstance(value, bool) and bool not in types:
        return False
    if _Tables in types:
        return isinstance(value, list) and all(isinstance(v, dict) for v in value)
    if list in types and isinstance(value, list):
        return all(isinstance(v, str) for v in value)
    return isinstance(value, types)


def _type_name(typ: type | tuple[type, ...]) -> str:
    names = {str: "chuỗi", int: "số nguyên", float: "số", bool: "true/false", list: "danh sách chuỗi",
             date: "ngày YYYY-MM-DD", dict: "bảng", _Tables: "mảng bảng [[...]]"}
    types = typ if isinstance(typ, tuple) else (typ,)
    return " hoặc ".join(names.get(t, t.__name__) for t in types)


def load_plan(path: str | Path) -> Plan:
    """Read, validate and build the plan in ``path``. Raises ``PlanError``.

    The executable's own plan comes already parsed (``dkdesk.catalogue.prepared``) when its
    bytes are those it was prepared from."""
    from dkdesk.catalogue.prepared import read_prepared

    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PlanError(f"Không đọc được tệp kế hoạch {path}: {exc.strerror or exc}") from exc
    return read_prepared(path, raw) or parse_plan(raw, name=path.name, source=str(path))


def load_plan_text(text: str, name: str = "kế hoạch", source: str = "") -> Plan:
    """Validate and build a plan from its TOML text (a stored plan, an edited one). Raises
    ``PlanError``."""
    return parse_plan(text.encode("utf-8"), name=name, source=source)


def parse_plan(raw: bytes, name: str = "kế hoạch", source: str = "") -> Plan:
    """Validate and build a plan from the bytes of its TOML file. Raises ``PlanError``.

    Tables are read in dependency order (groups, periods, sections, fields, forms, units,
    indicators); each builder checks one entry against what was read before it."""
    r = _Reader(name)
    data = _read_toml(r, raw)
    info = _plan_info(r, data["plan"])
    groups, _ = _unique(r, "groups", r.entries(data, "groups"), lambda d, where: _group(r, d, where))
    periods, _ = _unique(r, "periods", r.entries(data, "periods"), lambda d, where: _period(r, d, where),
                         _PERIOD_CODE)
    sections, _ = _unique(r, "sections", r.entries(data, "sections"), lambda d, where: _section(r, d, where))
    section_codes = {s.code for s in sections}
    fields, field_pos = _unique(r, "fields", r.entries(data, "fields"),
                                lambda d, where: _field(r, d, where, section_codes), _FIELD_CODE)
    by_code = {f.code: f for f in fields}
    _check_part_of(r, fields, field_pos, by_code)
    forms, form_where = _forms(r, r.entries(data, "forms"), by_code)
    group_codes = {g.code for g in groups}
    units, _ = _unique(r, "units", r.entries(data, "units"),
                       lambda d, where: _unit(r, d, where, group_codes, forms, form_where, by_code))
    if info.consolidator not in {u.code for u in units}:
        raise r.fail("[plan]", f'consolidator "{info.consolidator}" không phải mã đơn vị')
    if info.previous is not None and info.previous == info.code:
        raise r.fail("[plan]", f'previous "{info.previous}" không được trùng mã của chính kế hoạch')
    _check_successors(r, units)
    known = _Known(by_code, group_codes, units, {f.code: f.fields for f in forms.values()})
    indicators, _ = _unique(r, "indicators", r.entries(data, "indicators"),
                            lambda d, where: _indicator(r, d, where, known))
    return Plan(info=info, groups=groups, periods=periods, sections=sections, fields=fields,
                forms=tuple(forms.values()), units=units, indicators=indicators, source=source,
                digest=hashlib.sha256(raw).hexdigest())


def _read_toml(r: _Reader, raw: bytes) -> dict[str, Any]:
    import tomllib  # here, not at the top: a prepared plan needs no parser at all

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise PlanError(f"{r.name}: tệp không phải UTF-8 (byte {exc.start})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise PlanError(f"{r.name}: sai cú pháp TOML: {exc}") from exc
    data = _nfc(data)
    r.table(data, "tệp", {"format": int, "plan": dict, "groups": _Tables, "periods": _Tables,
                           "sections": _Tables, "fields": _Tables, "forms": _Tables, "units": _Tables,
                           "indicators": _Tables}, {})
    if data["format"] != FORMAT_VERSION:
        raise r.fail("format", f"phiên bản định dạng {data['format']} không hỗ trợ (cần {FORMAT_VERSION})")
    return data


def _plan_info(r: _Reader, d: dict[str, Any]) -> PlanInfo:
    p = r.table(d, "[plan]",
                {"code": str, "number": str, "title": str, "year": int, "issuer": str, "district": str,
                 "place": str, "consolidator": str},
                {"superior": str, "signed_on": date, "legal_basis": list, "previous": str})
    if "previous" in p and not _CODE.match(p["previous"]):
        raise r.fail("[plan]", f'previous "{p["previous"]}" không phải một mã kế hoạch hợp lệ')
    return PlanInfo(code=p["code"], number=p["number"], title=p["title"], year=p["year"],
                    issuer=p["issuer"], superior=p.get("superior", ""), district=p["district"],
                    place=p["place"], consolidator=p["consolidator"], signed_on=p.get("signed_on"),
                    legal_basis=tuple(p.get("legal_basis", [])), previous=p.get("previous"))


class _Coded(Protocol):
    @property
    def code(self) -> str: ...


_T = TypeVar("_T", bound=_Coded)


def _where(kind: str, n: int, item: object) -> str:
    code = item.get("code") if isinstance(item, dict) else None
    return f'[[{kind}]] thứ {n}' + (f' (mã "{code}")' if isinstance(code, str) else "")


def _unique(r: _Reader, kind: str, items: list[dict[str, Any]], build: Callable[[dict[str, Any], str], _T],
            pattern: re.Pattern[str] = _CODE) -> tuple[tuple[_T, ...], dict[str, int]]:
    """Build every entry of ``[[kind]]``; refuse a bad or repeated code. Also code -> entry number."""
    out: list[_T] = []
    seen: dict[str, int] = {}
    for n, item in enumerate(items, 1):
        where = _where(kind, n, item)
        obj = build(item, where)
        if not pattern.match(obj.code):
            raise r.fail(where, f'mã "{obj.code}" không hợp lệ')
        if obj.code in seen:
            raise r.fail(where, f'mã "{obj.code}" trùng với [[{kind}]] thứ {seen[obj.code]}')
        seen[obj.code] = n
        out.append(obj)
    return tuple(out), seen


def _group(r: _Reader, d: dict[str, Any], where: str) -> Group:
    d = r.table(d, where, {"code": str, "name": str}, {})
    return Group(d["code"], d["name"])


def _period(r: _Reader, d: dict[str, Any], where: str) -> Period:
    d = r.table(d, where, {"code": str, "name": str, "deadline": date}, {"start": date, "end": date})
    m = _PERIOD_CODE.match(d["code"])
    if not m:
        raise r.fail(where, f'mã kỳ "{d["code"]}" phải có dạng YYYY-H1 hoặc YYYY-Y')
    year, kind = int(m.group(1)), m.group(2)
    start = d.get("start", date(year, 1, 1))
    end = d.get("end", date(year, 6, 30) if kind == "H1" else date(year, 12, 31))
    if end < start:
        raise r.fail(where, "ngày kết thúc trước ngày bắt đầu")
    return Period(d["code"], d["name"], "H1" if kind == "H1" else "Y", year, start, end, d["deadline"])


def _section(r: _Reader, d: dict[str, Any], where: str) -> Section:
    d = r.table(d, where, {"code": str, "title": str}, {})
    return Section(d["code"], d["title"])


def _field(r: _Reader, d: dict[str, Any], where: str, section_codes: set[str]) -> FieldDef:
    d = r.table(d, where, {"code": str, "label": str, "type": str, "section": str},
                {"measure": str, "help": str, "part_of": str, "required": bool, "year_rule": str,
                 "max": int})
    if d["type"] not in ("int", "bool", "text"):
        raise r.fail(where, f'kiểu "{d["type"]}" không hợp lệ (int, bool hoặc text)')
    if d["section"] not in section_codes:
        raise r.fail(where, f'mục "{d["section"]}" không có trong [[sections]]')
    rule = d.get("year_rule", "sum" if d["type"] == "int" else "none")
    if rule not in ("sum", "stock", "none"):
        raise r.fail(where, f'year_rule "{rule}" không hợp lệ (sum, stock hoặc none)')
    if d["type"] != "int" and ("part_of" in d or "max" in d or rule != "none"):
        raise r.fail(where, "part_of, max và year_rule sum/stock chỉ dùng cho trường kiểu int")
    return FieldDef(code=d["code"], label=d["label"], type=d["type"], section=d["section"],
                    measure=d.get("measure", ""), help=d.get("help", ""), part_of=d.get("part_of"),
                    required=d.get("required", False), year_rule=rule, max_value=d.get("max"))


def _check_part_of(r: _Reader, fields: tuple[FieldDef, ...], field_pos: dict[str, int],
                   by_code: dict[str, FieldDef]) -> None:
    for f in fields:
        if f.part_of is not None:
            where = f'[[fields]] thứ {field_pos[f.code]} (mã "{f.code}")'
            tot = by_code.get(f.part_of)
            if tot is None:
                raise r.fail(where, f'part_of chỉ tới trường không có "{f.part_of}"')
            if tot.type != "int" or tot.code == f.code:
                raise r.fail(where, f'part_of "{f.part_of}" phải là một trường kiểu int khác')


def _forms(r: _Reader, raw_forms: list[dict[str, Any]],
           by_code: dict[str, FieldDef]) -> tuple[dict[str, Form], dict[str, str]]:
    """The forms with their includes resolved (code -> Form, plan order) and where each was read."""
    form_src: dict[str, dict[str, Any]] = {}
    form_where: dict[str, str] = {}
    for n, d in enumerate(raw_forms, 1):
        where = _where("forms", n, d)
        d = r.table(d, where, {"code": str}, {"title": str, "include": list, "fields": list})
        if d["code"] in form_src:
            raise r.fail(where, f'mã "{d["code"]}" trùng')
        form_src[d["code"]] = d
        form_where[d["code"]] = where

    def resolve(code: str, chain: tuple[str, ...]) -> list[str]:
        d = form_src[code]
        out: list[str] = []
        for inc in d.get("include", []):
            if inc not in form_src:
                raise r.fail(form_where[code], f'include chỉ tới biểu mẫu không có "{inc}"')
            if inc in chain:
                raise r.fail(form_where[code], f'include vòng lặp: {" → ".join((*chain, inc))}')
            out += resolve(inc, (*chain, inc))
        for fc in d.get("fields", []):
            if fc not in by_code:
                raise r.fail(form_where[code], f'trường "{fc}" không có trong [[fields]]')
            out.append(fc)
        seen: set[str] = set()
        for c in out:
            if c in seen:
                raise r.fail(form_where[code], f'trường "{c}" xuất hiện hai lần')
            seen.add(c)
        return out

    forms = {code: Form(code, d.get("title", ""), tuple(resolve(code, (code,)))) for code, d in form_src.items()}
    return forms, form_where


def _unit(r: _Reader, d: dict[str, Any], where: str, group_codes: set[str], forms: dict[str, Form],
          form_where: dict[str, str], by_code: dict[str, FieldDef]) -> Unit:
    d = r.table(d, where, {"code": str, "name": str, "group": str, "form": str},
                {"short_name": str, "active_from": date, "active_to": date, "successor": str})
    if "active_from" in d and "active_to" in d and d["active_to"] < d["active_from"]:
        raise r.fail(where, "active_to (ngừng hoạt động) trước active_from (bắt đầu hoạt động)")
    if "successor" in d and "active_to" not in d:
        raise r.fail(where, f'successor "{d["successor"]}" cần active_to (ngày ngừng hoạt động)')
    if d["group"] not in group_codes:
        raise r.fail(where, f'nhóm "{d["group"]}" không có trong [[groups]]')
    if d["form"] not in forms:
        raise r.fail(where, f'biểu mẫu "{d["form"]}" không có trong [[forms]]')
    codes = forms[d["form"]].fields
    for fc in codes:  # a unit's form must hold the total of every "of those" field
        part = by_code[fc].part_of
        if part and part not in codes:
            raise r.fail(form_where[d["form"]], f'trường "{fc}" là "trong đó" của "{part}" nhưng '
                                                f'biểu mẫu (của đơn vị {d["code"]}) không có "{part}"')
    return Unit(d["code"], d["name"], d.get("short_name", d["name"]), d["group"], d["form"],
                d.get("active_from"), d.get("active_to"), d.get("successor"))


def _check_successors(r: _Reader, units: tuple[Unit, ...]) -> None:
    """A successor is another unit of the plan, and the links never go round in a circle."""
    by_code = {u.code: u for u in units}
    for n, u in enumerate(units, 1):
        if u.successor is None:
            continue
        where = f'[[units]] thứ {n} (mã "{u.code}")'
        nxt = by_code.get(u.successor)
        if nxt is None:
            raise r.fail(where, f'successor "{u.successor}" không phải mã đơn vị của kế hoạch')
        if nxt.code == u.code:
            raise r.fail(where, "successor không được là chính đơn vị")
        chain = [u.code]
        cur: Unit | None = nxt
        while cur is not None:
            if cur.code in chain:
                raise r.fail(where, f'successor vòng lặp: {" → ".join((*chain, cur.code))}')
            chain.append(cur.code)
            cur = by_code.get(cur.successor) if cur.successor else None


class _Known(NamedTuple):
    """What an indicator's expressions may name."""

    fields: dict[str, FieldDef]
    groups: set[str]
    units: tuple[Unit, ...]
    form_fields: dict[str, tuple[str, ...]]


def _indicator(r: _Reader, d: dict[str, Any], where: str, known: _Known) -> Indicator:
    d = r.table(d, where, {"code": str, "name": str, "target": (int, float), "numerator": str,
                           "responsible": str}, {"section": str, "denominator": str, "target_kind": str})
    kind = d.get("target_kind", "percent")
    if kind not in ("percent", "count"):
        raise r.fail(where, f'target_kind "{kind}" không hợp lệ (percent hoặc count)')
    if kind == "percent":
        if "denominator" not in d:
            raise r.fail(where, 'thiếu khóa bắt buộc "denominator" (chỉ tiêu phần trăm cần mẫu số)')
        if not 0 <= d["target"] <= 1000:
            raise r.fail(where, "target phải là phần trăm từ 0 đến 1000")
    elif d["target"] < 0:
        raise r.fail(where, "target (số lượng) không được âm")
    for key in ("numerator", "denominator"):
        if key not in d:
            continue
        problem = _expression_problem(r, where, key, d[key], known)
        if problem:
            raise r.fail(where, f'{key}: {problem} (trong "{d[key]}")')
    return Indicator(d["code"], d["name"], float(d["target"]), d["numerator"], d.get("denominator", ""),
                     d["responsible"], d.get("section", ""), kind)


def _expression_problem(r: _Reader, where: str, key: str, source: str, known: _Known) -> str | None:
    """Refuse an expression that does not parse or names what the plan lacks; else its problem
    with the plan's forms (``expr_checks``), if any."""
    from dkdesk.catalogue import expr  # here: a prepared plan never parses an expression
    from dkdesk.catalogue.expr_checks import expression_problem

    try:
        node = expr.parse(source)
    except expr.ExprError as exc:
        raise r.fail(where, f'{key} không đọc được ở ký tự {exc.pos + 1}: {exc.message} '
                            f'(trong "{source}")') from exc
    for fc in sorted(expr.fields_read(node)):
        if fc not in known.fields:
            raise r.fail(where, f'{key} dùng trường không có "{fc}"')
    unit_codes = {u.code for u in known.units}
    for scope, _ in expr.scopes(node):
        codes = known.groups if scope.kind == "group" else unit_codes
        for c in scope.codes:
            if c not in codes:
                what = "nhóm" if scope.kind == "group" else "đơn vị"
                raise r.fail(where, f'{key} dùng {what} không có "{c}"')
    return expression_problem(node, known.fields, known.units, known.form_fields)
