"""Reading what people type and writing numbers the Vietnamese way.

``parse_int("1.234") == 1234``; ``format_int(1234) == "1.234"``;
``parse_bool("có") is True``; ``format_percent(Fraction(59996, 1000)) == "59,99%"`` (truncated,
never rounded up, so that no figure below its target reads as reaching it).
"""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from fractions import Fraction

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
_GROUPED_DOT = re.compile(r"^\d{1,3}(\.\d{3})+$")
_GROUPED_SPACE = re.compile(r"^\d{1,3}( \d{3})+$")
_PLAIN = re.compile(r"^\d+$")
_DECIMAL_ZERO = re.compile(r"^(\d+)[.,]0+$")

TRUE_WORDS = {"có", "co", "x", "yes", "true", "1", "đúng", "rồi", "đã"}
FALSE_WORDS = {"không", "khong", "ko", "no", "false", "0", "chưa", "sai"}


class ParseError(ValueError):
    """The text cannot be read as the field's type; ``str(exc)`` is a Vietnamese reason."""


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean_text(text: str) -> str:
    """NFC, spaces of every kind collapsed to one, trimmed."""
    return _SPACES.sub(" ", nfc(text)).strip()


def parse_int(raw: object) -> int | None:
    """A whole number >= 0 from a cell or a typed string; None for empty. Raises ParseError."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ParseError("cần một số nguyên, không phải Có/Không")
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float | Decimal):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise ParseError("không phải là số")
        if raw != int(raw):
            raise ParseError(f"phải là số nguyên (không có phần lẻ), đang là {_show(raw)}")
        value = int(raw)
    elif isinstance(raw, str):
        text = clean_text(raw)
        if text == "":
            return None
        if text.startswith("-") and _digits_like(text[1:]):
            raise ParseError("không được là số âm")
        if _PLAIN.match(text):
            value = int(text)
        elif _GROUPED_DOT.match(text):
            value = int(text.replace(".", ""))
        elif _GROUPED_SPACE.match(text):
            value = int(text.replace(" ", ""))
        elif m := _DECIMAL_ZERO.match(text):
            value = int(m.group(1))
        elif re.match(r"^\d+[.,]\d+$", text):
            raise ParseError(f"phải là số nguyên (không có phần lẻ), đang là \"{text}\"")
        else:
            raise ParseError(f"không phải là số: \"{text[:40]}\"")
    else:
        raise ParseError(f"không đọc được giá trị kiểu {type(raw).__name__}")
    if value < 0:
        raise ParseError("không được là số âm")
    return value


def _digits_like(text: str) -> bool:
    return bool(re.match(r"^[\d.\s]+$", text))


def _show(raw: object) -> str:
    return str(raw).replace(".", ",")


def parse_bool(raw: object) -> bool | None:
    """Có/Không as people type it (có, CÓ, x, không, ...); None for empty."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float) and raw in (0, 1):
        return bool(raw)
    text = clean_text(str(raw)).lower()
    if text == "":
        return None
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ParseError(f"cần Có hoặc Không, đang là \"{text[:40]}\"")


def parse_text(raw: object) -> str | None:
    if raw is None:
        return None
    text = nfc(str(raw)).strip()
    return text or None


def format_int(value: int | None) -> str:
    if value is None:
        return ""
    return f"{value:,}".replace(",", ".")


def format_bool(value: bool | None) -> str:
    return "" if value is None else ("Có" if value else "Không")


def truncate2(value: Fraction) -> Fraction:
    """Truncate towards zero to 2 decimals (59.996 -> 59.99)."""
    scaled = value * 100
    whole = scaled.numerator // scaled.denominator if scaled >= 0 else -((-scaled.numerator) // scaled.denominator)
    return Fraction(whole, 100)


def format_decimal(value: Fraction | int | float, decimals: int = 2) -> str:
    """Vietnamese decimal: grouping dots and a decimal comma, truncated (1234.5 -> "1.234,50")."""
    frac = Fraction(value)
    scale = 10**decimals
    scaled = frac * scale
    units = scaled.numerator // scaled.denominator if scaled >= 0 else -((-scaled.numerator) // scaled.denominator)
    sign = "-" if units < 0 else ""
    units = abs(units)
    whole, rest = divmod(units, scale)
    text = format_int(whole)
    if decimals:
        text += "," + str(rest).rjust(decimals, "0")
    return sign + text


def format_percent(value: Fraction | None, decimals: int = 2) -> str:
    if value is None:
        return ""
    return format_decimal(value, decimals) + "%"


def plain_number(x: Fraction | None) -> int | float | None:
    """An exact result as a number a spreadsheet or JSON can hold: an int when whole."""
    if x is None:
        return None
    return int(x) if x.denominator == 1 else float(x)
