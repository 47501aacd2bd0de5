"""The one validation used by the form, ``dkdesk set`` and the Excel import.

``parse_value`` turns raw input into the field's type; ``check_rules`` checks a whole form's
values (parts <= totals, ceilings, required fields on submission). Errors are ``FieldError``
with a Vietnamese message that names the field.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from dkdesk.catalogue.model import FieldDef, Plan
from dkdesk.core.numbers import ParseError, format_int, parse_bool, parse_int, parse_text

Value = int | bool | str
MAX_INT = 10**12  # a ceiling no real count reaches; keeps BigInteger and Excel exact
MAX_TEXT = 4000


@dataclass(frozen=True)
class FieldError:
    field: str  # field code ("" when the error is not about one field)
    message: str  # Vietnamese, names the field by its label
    cell: str = ""  # "'Biểu nhập liệu'!E12" when it came from a spreadsheet

    def __str__(self) -> str:
        where = f"{self.cell}: " if self.cell else ""
        return f"{where}{self.message}"


class ValidationFailed(ValueError):
    """Raised when nothing may be written; ``errors`` says why, field by field."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def field_name(f: FieldDef) -> str:
    return f'"{f.label}" ({f.code})'


def parse_value(f: FieldDef, raw: object) -> Value | None:
    """Raw input (str from a form or CLI, a cell value, a JSON value) -> typed value or None."""
    try:
        if f.type == "int":
            value = parse_int(raw)
            ceiling = f.max_value if f.max_value is not None else MAX_INT
            if value is not None and value > ceiling:
                raise ParseError(f"quá lớn ({format_int(value)}), tối đa {format_int(ceiling)}")
            return value
        if f.type == "bool":
            return parse_bool(raw)
        text = parse_text(raw)
        if text is not None and len(text) > MAX_TEXT:
            raise ParseError(f"quá dài ({len(text)} ký tự, tối đa {MAX_TEXT})")
        return text
    except ParseError as exc:
        raise FieldErrorException(FieldError(f.code, f"{field_name(f)}: {exc}")) from exc


class FieldErrorException(ValueError):
    def __init__(self, error: FieldError) -> None:
        super().__init__(error.message)
        self.error = error


def check_rules(plan: Plan, unit_code: str, values: Mapping[str, Value | None],
                submitting: bool = False) -> list[FieldError]:
    """Cross-field rules over a unit's complete set of values (after the change)."""
    errors: list[FieldError] = []
    for f in plan.form_fields(unit_code):
        v = values.get(f.code)
        if f.part_of and isinstance(v, int):
            total = values.get(f.part_of)
            if isinstance(total, int) and v > total:
                tf = plan.field(f.part_of)
                errors.append(FieldError(
                    f.code,
                    f"{field_name(f)} = {format_int(v)} lớn hơn tổng {field_name(tf)} = {format_int(total)}; "
                    "số \"trong đó\" không được vượt quá tổng."))
        if submitting and f.required and v is None:
            errors.append(FieldError(f.code, f"{field_name(f)}: bắt buộc nhập trước khi nộp báo cáo."))
    return errors
