"""How one figure is stored: a row of ``field_values`` keeps it in the column of its field's type.

The one encoder and the one decoder of a stored value. Every reader decodes through
``decode``; every writer encodes
through ``columns``. ``field_type`` is the plan's type of the field: "int", "bool" or "text".
A value stored under another type (the plan changed a field's type) reads as absent.
"""
from __future__ import annotations

StoredValue = int | bool | str  # the same as dkdesk.core.validation.Value (storage sits below core)


def decode(field_type: str, int_value: int | None, bool_value: bool | int | None,
           text_value: str | None) -> StoredValue | None:
    """The value of a ``field_values`` row (None when its field's column is empty).

    ``bool_value`` may be SQLite's raw 0/1 (plain ``sqlite3`` reads) or a bool (SQLAlchemy)."""
    if field_type == "int":
        return int_value
    if field_type == "bool":
        return None if bool_value is None else bool(bool_value)
    return text_value


def columns(field_type: str, value: StoredValue) -> dict[str, StoredValue | None]:
    """The three value columns of a row holding ``value`` for a field of ``field_type``."""
    return {"int_value": value if field_type == "int" else None,
            "bool_value": value if field_type == "bool" else None,
            "text_value": value if field_type == "text" else None}
