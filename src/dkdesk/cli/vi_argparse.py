"""argparse speaking Vietnamese: its fixed strings translated, usage errors exit 2."""
from __future__ import annotations

import argparse

_VI = {
    "usage: ": "Cách dùng: ",
    "positional arguments": "đối số",
    "options": "tùy chọn",
    "optional arguments": "tùy chọn",
    "show this help message and exit": "in hướng dẫn này rồi thoát",
    "the following arguments are required: %s": "thiếu đối số bắt buộc: %s",
    "unrecognized arguments: %s": "đối số không nhận ra: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "lựa chọn không hợp lệ: %(value)r (chọn một trong: %(choices)s)",
    "argument %(argument_name)s: %(message)s": "đối số %(argument_name)s: %(message)s",
    "expected one argument": "cần một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "invalid %(type)s value: %(value)r": "giá trị %(type)s không hợp lệ: %(value)r",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi cách dùng: %(message)s\n",
    "one of the arguments %s is required": "cần một trong các đối số %s",
    "not allowed with argument %s": "không dùng cùng đối số %s",
    "ambiguous option: %(option)s could match %(matches)s": "tùy chọn mơ hồ: %(option)s có thể là %(matches)s",
}


def _translate(text: str) -> str:
    return _VI.get(text, text)


def install() -> None:
    # argparse's stub does not declare the gettext names its module imports; replacing them is
    # how its own messages ("usage:", "error:") are translated
    argparse._ = _translate  # type: ignore[attr-defined]
    argparse.ngettext = lambda s, p, n: _translate(s if n == 1 else p)  # type: ignore[attr-defined]


class Formatter(argparse.HelpFormatter):
    """Help layout; the "usage: " prefix is translated through ``install()``."""


def add_help(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                        help="in hướng dẫn này rồi thoát")


class SubParser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        kwargs.setdefault("formatter_class", Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        add_help(self)
