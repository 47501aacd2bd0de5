"""``dkdesk`` command line (SPEC §5): a thin face over the core. Imports no Qt.

Exit codes: 0 success, 1 refused (bad data, rejected file, locked period; nothing changed),
2 wrong usage. Messages are Vietnamese; no traceback ever reaches the person (it goes to
the log file in the data folder).
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from typing import Any, Callable, Sequence

from dkdesk import __version__
from dkdesk.cli import vi_argparse
from dkdesk.logs import log_exception  # re-exported: older callers import it from here

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2

# Each module has ``register(subparsers)`` adding its commands with ``set_defaults(run=...)``.
COMMAND_MODULES = [
    "dkdesk.cli.cmd_basic",
    "dkdesk.cli.cmd_exchange",
    "dkdesk.cli.cmd_report",
    "dkdesk.cli.cmd_backup",
    "dkdesk.cli.cmd_plans",
]


def build_parser() -> argparse.ArgumentParser:
    vi_argparse.install()
    parser = argparse.ArgumentParser(
        prog="dkdesk",
        description="dkdesk - thu thập, kiểm tra và tổng hợp số liệu Kế hoạch phòng, chống mại dâm "
                    "của quận Dương Kinh. Không có lệnh: mở giao diện.",
        epilog="Mã thoát: 0 thành công, 1 bị từ chối (không có gì thay đổi), 2 sai cách dùng.",
        add_help=False,
        formatter_class=vi_argparse.Formatter,
    )
    vi_argparse.add_help(parser)
    parser.add_argument("--version", action="version", version=f"dkdesk {__version__}",
                        help="in phiên bản rồi thoát")
    parser.add_argument("--db", metavar="ĐƯỜNG_DẪN_HOẶC_URL", default=None,
                        help="cơ sở dữ liệu: đường dẫn tệp SQLite hoặc URL SQLAlchemy "
                             "(mặc định: biến DKDESK_DB, thư mục dkdesk-data cạnh chương trình, "
                             "hoặc thư mục dữ liệu người dùng)")
    parser.add_argument("--plan", metavar="MÃ_KẾ_HOẠCH", default=None,
                        help="kế hoạch làm việc: mã một kế hoạch trong cơ sở dữ liệu (xem lệnh plans; "
                             "mặc định: kế hoạch mới nhất), hoặc đường dẫn một tệp kế hoạch .toml")
    sub = parser.add_subparsers(dest="command", title="các lệnh", metavar="LỆNH",
                                parser_class=vi_argparse.SubParser)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(sub)
    return parser


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def fail(message: str, code: int = EXIT_REFUSED) -> int:
    sys.stderr.write(f"dkdesk: {message}\n")
    return code


def _utf8_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(encoding="utf-8", errors="replace")
            except Exception:  # pragma: no cover - detached console
                pass


def main(argv: Sequence[str] | None = None) -> int:
    _utf8_streams()
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = parser.parse_args(argv)
        if args.command is None:  # `dkdesk` alone (or `dkdesk --db X`) opens the GUI
            args = parser.parse_args([*argv, "gui"])
    except SystemExit as exc:
        return int(exc.code or 0)
    run: Callable[[argparse.Namespace], int] = args.run
    return guarded(run, args)


def guarded(run: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run a command; every known refusal becomes a Vietnamese message and exit 1."""
    from dkdesk.catalogue.loader import PlanError
    from dkdesk.core.records import Refused
    from dkdesk.core.validation import ValidationFailed
    from dkdesk.storage.database import DatabaseError

    try:
        return run(args)
    except ValidationFailed as exc:
        for e in exc.errors:
            sys.stderr.write(f"dkdesk: {e}\n")
        sys.stderr.write("dkdesk: không có gì được lưu.\n")
        return EXIT_REFUSED
    except (Refused, PlanError, DatabaseError) as exc:
        return refused(args, str(exc))
    except KeyboardInterrupt:
        return refused(args, "đã dừng theo yêu cầu; không có gì thay đổi.")
    except Exception as exc:  # never a traceback in front of a person
        path = log_exception(exc)
        return refused(args, f"lỗi không mong đợi ({type(exc).__name__}: {exc}). Chi tiết ghi ở {path}. "
                             "Dữ liệu đã lưu không bị thay đổi.")


def refused(args: argparse.Namespace, message: str) -> int:
    """The whole command was refused: the message on stderr, exit 1, and with ``--json`` still a
    JSON object on stdout (the command's ``refusal_json(args, message)``, else ``{"error": ...}``)."""
    if getattr(args, "json", False):
        build = getattr(args, "refusal_json", None)
        try:
            emit_json(build(args, message) if build else {"error": message})
        except Exception:  # the refusal itself must still reach the person
            emit_json({"error": message})
    return fail(message)


def plan_choice(args: argparse.Namespace) -> tuple[str | None, str | None]:
    """``--plan``: (plan file path, None) for an existing file or a value that reads as a path
    (ends in .toml, has a folder), else (None, plan code); (None, None) without ``--plan``."""
    value = getattr(args, "plan", None)
    if not value:
        return None, None
    if os.path.isfile(value) or value.lower().endswith(".toml") or os.sep in value or "/" in value:
        return value, None
    return None, value


def open_desk(args: argparse.Namespace):  # noqa: ANN201 - returns dkdesk.core.desk.Desk
    from dkdesk.core.desk import Desk

    who = os.environ.get("DKDESK_USER", "")
    if not who:
        from dkdesk.core.settings import load_settings

        who = load_settings().user_name
    path, code = plan_choice(args)
    return Desk.open(args.db, plan_path=path, who=who, plan=code)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
