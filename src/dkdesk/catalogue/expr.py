"""A small, safe expression language for indicator definitions (never ``eval``).

Grammar::

    expr    := term (("+" | "-") term)*
    term    := factor (("*" | "/") factor)*
    factor  := NUMBER | call | "(" expr ")"
    call    := "sum" "(" FIELD "," SCOPE ")"          sum of a field over units
             | "count" "(" SCOPE ["," cond] ")"       units (meeting cond) in scope
    cond    := cmp (("and" | "or") cmp)*
    cmp     := FIELD OP literal                        OP: >= > <= < = !=
    literal := NUMBER | true | false
    SCOPE   := a quoted string: "all", "group:<group code>", "unit:<code>[,<code>...]"

Examples: ``sum(nld_cskd_duoc_tt, "group:phuong")``,
``count("group:phuong", tt_so_hinh_thuc >= 1)``, ``sum(hs_tong, "unit:GDDT")``.
``parse`` raises ``ExprError`` with the character position at fault.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Union


class ExprError(ValueError):
    def __init__(self, message: str, pos: int) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos


@dataclass(frozen=True)
class Num:
    value: Fraction


@dataclass(frozen=True)
class BinOp:
    op: str
    left: "Node"
    right: "Node"


@dataclass(frozen=True)
class Scope:
    kind: str  # "all" | "group" | "unit"
    codes: tuple[str, ...]


@dataclass(frozen=True)
class Cmp:
    field: str
    op: str
    value: Fraction | bool


@dataclass(frozen=True)
class Cond:
    op: str  # "and" | "or" | "leaf"
    parts: tuple[Union["Cond", Cmp], ...]


@dataclass(frozen=True)
class Sum:
    field: str
    scope: Scope


@dataclass(frozen=True)
class Count:
    scope: Scope
    cond: Cond | None


Node = Union[Num, BinOp, Sum, Count]

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<str>\"[^\"]*\")"
    r"|(?P<op>>=|<=|!=|==|[-+*/(),<>=]))"
)


def _tokens(src: str) -> list[tuple[str, str, int]]:
    out: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(src):
        while pos < len(src) and src[pos].isspace():
            pos += 1
        if pos == len(src):
            break
        m = _TOKEN.match(src, pos)
        if not m:
            if src[pos] == '"':
                raise ExprError("chuỗi thiếu dấu ngoặc kép đóng", pos)
            raise ExprError(f"ký tự không hợp lệ {src[pos]!r}", pos)
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind), m.start(kind)))
        pos = m.end()
    out.append(("end", "", len(src)))
    return out


class _Parser:
    def __init__(self, src: str) -> None:
        self.src = src
        self.toks = _tokens(src)
        self.i = 0

    def peek(self) -> tuple[str, str, int]:
        return self.toks[self.i]

    def take(self, kind: str | None = None, text: str | None = None) -> tuple[str, str, int]:
        tok = self.toks[self.i]
        if (kind and tok[0] != kind) or (text and tok[1] != text):
            want = f'"{text}"' if text else {"name": "tên trường", "str": "chuỗi trong ngoặc kép",
                                              "num": "số"}.get(kind or "", kind)
            got = tok[1] or "hết biểu thức"
            raise ExprError(f"cần {want!s}, gặp {got!r}", tok[2])
        self.i += 1
        return tok

    def expr(self) -> Node:
        node = self.term()
        while self.peek()[1] in ("+", "-") and self.peek()[0] == "op":
            op = self.take()[1]
            node = BinOp(op, node, self.term())
        return node

    def term(self) -> Node:
        node = self.factor()
        while self.peek()[1] in ("*", "/") and self.peek()[0] == "op":
            op = self.take()[1]
            node = BinOp(op, node, self.factor())
        return node

    def factor(self) -> Node:
        kind, text, pos = self.peek()
        if kind == "num":
            self.take()
            return Num(Fraction(text))
        if kind == "op" and text == "(":
            self.take()
            node = self.expr()
            self.take("op", ")")
            return node
        if kind == "name" and text == "sum":
            self.take()
            self.take("op", "(")
            fld = self.take("name")[1]
            self.take("op", ",")
            scope = self.scope()
            self.take("op", ")")
            return Sum(fld, scope)
        if kind == "name" and text == "count":
            self.take()
            self.take("op", "(")
            scope = self.scope()
            cond = None
            if self.peek()[1] == ",":
                self.take()
                cond = self.cond()
            self.take("op", ")")
            return Count(scope, cond)
        if kind == "name":
            raise ExprError(f"hàm không biết {text!r} (chỉ có sum, count)", pos)
        raise ExprError(f"cần số, sum(...) hoặc count(...), gặp {text or 'hết biểu thức'!r}", pos)

    def scope(self) -> Scope:
        _, text, pos = self.take("str")
        body = text[1:-1].strip()
        if body == "all":
            return Scope("all", ())
        kind, _, rest = body.partition(":")
        codes = tuple(c.strip() for c in rest.split(",") if c.strip())
        if kind not in ("group", "unit") or not codes:
            raise ExprError(f'phạm vi {text} không hợp lệ (dùng "all", "group:<mã>", "unit:<mã>")', pos)
        return Scope(kind, codes)

    def cond(self) -> Cond:
        parts: list[Cond | Cmp] = [self.cmp()]
        op = "leaf"
        while self.peek()[0] == "name" and self.peek()[1] in ("and", "or"):
            _, this, at = self.take()
            if op not in ("leaf", this):
                raise ExprError("không trộn and với or; dùng một loại", at)
            op = this
            parts.append(self.cmp())
        return Cond(op, tuple(parts))

    def cmp(self) -> Cmp:
        fld = self.take("name")[1]
        _, op, pos = self.take("op")
        if op not in (">=", ">", "<=", "<", "=", "==", "!="):
            raise ExprError(f"cần phép so sánh, gặp {op!r}", pos)
        kind, text, vpos = self.take()
        value: Fraction | bool
        if kind == "num":
            value = Fraction(text)
        elif kind == "name" and text in ("true", "false"):
            value = text == "true"
        else:
            raise ExprError(f"cần số hoặc true/false, gặp {text!r}", vpos)
        return Cmp(fld, "=" if op == "==" else op, value)


def parse(src: str) -> Node:
    p = _Parser(src)
    node = p.expr()
    kind, text, pos = p.peek()
    if kind != "end":
        raise ExprError(f"thừa {text!r} ở cuối biểu thức", pos)
    return node


def fields_read(node: Node | Cond | Cmp) -> set[str]:
    """Every field code an expression reads."""
    if isinstance(node, Sum):
        return {node.field}
    if isinstance(node, Count):
        return fields_read(node.cond) if node.cond else set()
    if isinstance(node, Cond):
        return set().union(*(fields_read(p) for p in node.parts))
    if isinstance(node, Cmp):
        return {node.field}
    if isinstance(node, BinOp):
        return fields_read(node.left) | fields_read(node.right)
    return set()


def scopes(node: Node) -> list[tuple[Scope, set[str]]]:
    """Each aggregate call's scope with the fields it reads."""
    if isinstance(node, Sum):
        return [(node.scope, {node.field})]
    if isinstance(node, Count):
        return [(node.scope, fields_read(node.cond) if node.cond else set())]
    if isinstance(node, BinOp):
        return scopes(node.left) + scopes(node.right)
    return []
