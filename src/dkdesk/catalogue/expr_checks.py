"""Meaning checks of an indicator expression against the plan (the loader's second pass).

``expr.parse`` only knows the grammar. An expression that parses can still be one the engine
would evaluate to something silently wrong: ``sum()`` over a text or yes/no field, a
comparison of a text field, a field that no unit in the call's scope has on its form (the
sum is always 0), a division by a constant zero (the indicator would always read "Không
phát sinh"). ``expression_problem`` returns the first such problem as a Vietnamese phrase
(without the file/entry prefix, which the loader adds), or None when the expression is sound.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Mapping

from dkdesk.catalogue.model import FieldDef, Unit
from dkdesk.catalogue import expr

TYPE_NAMES = {"int": "số (int)", "bool": "có/không (bool)", "text": "chữ (text)"}


def scope_text(scope: expr.Scope) -> str:
    """The scope as written in the plan: "all", "group:phuong", "unit:CA,YT"."""
    return "all" if scope.kind == "all" else f'{scope.kind}:{",".join(scope.codes)}'


def _scope_units(scope: expr.Scope, units: tuple[Unit, ...]) -> list[Unit]:
    if scope.kind == "all":
        return list(units)
    if scope.kind == "group":
        return [u for u in units if u.group in scope.codes]
    return [u for u in units if u.code in scope.codes]


def _constant(node: expr.Node) -> Fraction | None:
    """The value of a sub-expression that reads no field; None when it reads one
    (or divides by a constant zero itself, which the walk reports separately)."""
    if isinstance(node, expr.Num):
        return node.value
    if isinstance(node, expr.BinOp):
        a, b = _constant(node.left), _constant(node.right)
        if a is None or b is None:
            return None
        if node.op == "/":
            return None if b == 0 else a / b
        return a + b if node.op == "+" else a - b if node.op == "-" else a * b
    return None


def _comparisons(cond: expr.Cond | expr.Cmp | None) -> list[expr.Cmp]:
    if cond is None:
        return []
    if isinstance(cond, expr.Cmp):
        return [cond]
    return [c for part in cond.parts for c in _comparisons(part)]


def _cmp_problem(cmp: expr.Cmp, field: FieldDef) -> str | None:
    value = "true" if cmp.value is True else "false" if cmp.value is False else f"{cmp.value}"
    written = f"{cmp.field} {cmp.op} {value}"
    kind = TYPE_NAMES[field.type]
    if field.type == "text":
        return f'so sánh "{written}" dùng trường "{field.code}" kiểu {kind}: chỉ so sánh được trường số hoặc có/không'
    if field.type == "bool":
        if not isinstance(cmp.value, bool):
            return (f'so sánh "{written}": trường "{field.code}" kiểu {kind} chỉ so với true hoặc false '
                    f'(ví dụ {field.code} = true)')
        if cmp.op not in ("=", "!="):
            return f'so sánh "{written}": trường "{field.code}" kiểu {kind} chỉ dùng = hoặc !='
        return None
    if isinstance(cmp.value, bool):
        return f'so sánh "{written}": trường "{field.code}" kiểu {kind} phải so với một số, không phải true/false'
    return None


def _calls(node: expr.Node) -> list[expr.Sum | expr.Count]:
    if isinstance(node, (expr.Sum, expr.Count)):
        return [node]
    if isinstance(node, expr.BinOp):
        return _calls(node.left) + _calls(node.right)
    return []


def _divisions(node: expr.Node) -> list[expr.BinOp]:
    if not isinstance(node, expr.BinOp):
        return []
    own = [node] if node.op == "/" else []
    return _divisions(node.left) + _divisions(node.right) + own


def expression_problem(node: expr.Node, fields: Mapping[str, FieldDef], units: tuple[Unit, ...],
                       forms: Mapping[str, tuple[str, ...]]) -> str | None:
    """The first meaning problem of a parsed expression whose field, group and unit codes are
    all known (the loader checks those first); ``forms`` maps a form code to its field codes."""
    for call in _calls(node):
        scope = scope_text(call.scope)
        members = _scope_units(call.scope, units)
        if not members:
            return f'phạm vi "{scope}" không có đơn vị nào'
        if isinstance(call, expr.Sum):
            field = fields[call.field]
            if field.type != "int":
                hint = (f'; để đếm đơn vị trả lời "có" dùng count("{scope}", {field.code} = true)'
                        if field.type == "bool" else "")
                return (f'sum() chỉ cộng được trường kiểu {TYPE_NAMES["int"]}, trường "{field.code}" '
                        f'có kiểu {TYPE_NAMES[field.type]}{hint}')
            read = [field.code]
        else:
            comparisons = _comparisons(call.cond)
            for cmp in comparisons:
                problem = _cmp_problem(cmp, fields[cmp.field])
                if problem:
                    return problem
            read = [c.field for c in comparisons]
        for code in dict.fromkeys(read):
            if not any(code in forms[u.form] for u in members):
                return (f'trường "{code}" không có trong biểu mẫu của đơn vị nào thuộc phạm vi "{scope}" '
                        f'(kết quả sẽ luôn bằng 0)')
    for div in _divisions(node):
        if _constant(div.right) == 0:
            return "chia cho hằng số 0"
    return None
