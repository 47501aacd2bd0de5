"""Set-up for the frozen executable (PyInstaller), called first by ``installer/entry.py``.

The Windows ``dkdesk.exe`` is a windowed (GUI-subsystem) program, so that double-clicking it
never flashes a black console window. Windows then gives it no console: ``sys.stdout`` and
``sys.stderr`` are ``None``. Decision: when it is started with a command-line command
(``plan``, ``set``, ``values``, ``--help``, ``gui --smoke``, ...), it attaches to the console of
the program that started it (``AttachConsole(ATTACH_PARENT_PROCESS)``) and writes to
``CONOUT$`` in UTF-8; output redirected to a file or pipe is kept as it is. Started without a
command (the GUI), it never attaches, so closing a console cannot kill the window. If there is
no console to attach to, output is discarded instead of crashing.

Imports nothing heavy: it runs before anything else in the executable.
"""
from __future__ import annotations

import io
import os
import sys
from typing import Sequence

ATTACH_PARENT_PROCESS = -1
CP_UTF8 = 65001
_OPTIONS_WITH_VALUE = {"--db", "--plan"}


def command_of(argv: Sequence[str]) -> str | None:
    """The command word of a dkdesk command line (``None`` when there is none: the GUI)."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in _OPTIONS_WITH_VALUE:
            skip = True
            continue
        if arg.startswith("--") and "=" in arg and arg.split("=", 1)[0] in _OPTIONS_WITH_VALUE:
            continue
        if arg in ("-h", "--help", "--version"):
            return arg
        if arg.startswith("-"):
            continue
        return arg
    return None


def wants_console(argv: Sequence[str]) -> bool:
    """True when the command line asks for text output (anything but opening the GUI)."""
    command = command_of(argv)
    if command is None:
        return False
    if command == "gui":
        return "--smoke" in argv or "-h" in argv or "--help" in argv
    return True


def _usable(stream: object) -> bool:
    if stream is None:
        return False
    try:
        stream.fileno()  # type: ignore[attr-defined]
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return False
    return True


def _attach_parent_console() -> bool:  # pragma: no cover - Windows only
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    if not kernel32.AttachConsole(ATTACH_PARENT_PROCESS):
        return False
    kernel32.SetConsoleOutputCP(CP_UTF8)
    return True


def _console_stream() -> io.TextIOWrapper:  # pragma: no cover - Windows only
    return open("CONOUT$", "w", encoding="utf-8", errors="replace", buffering=1)  # noqa: SIM115


def prepare_streams(argv: Sequence[str] | None = None) -> None:
    """Give ``sys.stdout``/``sys.stderr`` somewhere to write (see the module docstring)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    out_ok, err_ok = _usable(sys.stdout), _usable(sys.stderr)
    if out_ok and err_ok:
        return
    if os.name == "nt" and wants_console(argv) and _attach_parent_console():  # pragma: no cover
        if not out_ok:
            sys.stdout = _console_stream()
        if not err_ok:
            sys.stderr = _console_stream()
        return
    if not _usable(sys.stdout):
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    if not _usable(sys.stderr):
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115


def start_profile_if_asked() -> None:
    """``DKDESK_PROFILE=<file>``: profile the whole run (cProfile) into that file (developers)."""
    target = os.environ.get("DKDESK_PROFILE")
    if not target:
        return
    import atexit
    import cProfile

    profile = cProfile.Profile()
    atexit.register(lambda: (profile.disable(), profile.dump_stats(target)))
    profile.enable()


def prepare() -> None:
    """Everything the frozen executable needs before ``dkdesk.cli.main.main`` runs."""
    prepare_streams()
    start_profile_if_asked()
