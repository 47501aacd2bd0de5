"""Set-up for the frozen executable (PyInstaller), called first by ``installer/entry.py``.

The Windows ``dkdesk.exe`` is a windowed (GUI-subsystem) program, so that double-clicking it
never flashes a black console window. Windows then gives it no console: ``sys.stdout`` and
``sys.stderr`` are ``None``. Decision: when it is started with a command-line command
(``plan``, ``set``, ``values``, ``--help``, ``gui --smoke``, ...), it attaches to the console of
the program that started it (``AttachConsole(ATTACH_PARENT_PROCESS)``, or the console of the
one-file launcher's parent, since the program proper runs as the launcher's child) and writes
to ``CONOUT$`` in UTF-8; output redirected to a file or pipe is kept as it is. Started without a
command (the GUI), it never attaches, so closing a console cannot kill the window. If there is
no console to attach to, output is discarded instead of crashing.

Imports nothing heavy: it runs before anything else in the executable.
"""
from __future__ import annotations

import io
import os
import sys
from typing import Callable, Sequence

ATTACH_PARENT_PROCESS = -1
ERROR_ACCESS_DENIED = 5  # AttachConsole's answer when the process already has a console
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
    fileno = getattr(stream, "fileno", None)
    if fileno is None:
        return False
    try:
        fileno()
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return False
    return True


def attach_calling_console(attach: Callable[[int], bool], grandparent: Callable[[], int | None]) -> bool:
    """Attach to the console of whoever started us; True when attached.

    The one-file executable runs as a child of its own launcher process, which (being a
    windowed program too) has no console: then the console is the launcher's parent's."""
    if attach(ATTACH_PARENT_PROCESS):
        return True
    pid = grandparent()
    return pid is not None and pid != 0 and attach(pid)


def attached(succeeded: bool, last_error: int) -> bool:
    """Whether an ``AttachConsole`` call leaves us with a console: it succeeded, or it failed only
    because we already have one (Wine attaches a windowed child to its parent's console)."""
    return succeeded or last_error == ERROR_ACCESS_DENIED


def _grandparent_pid() -> int | None:  # pragma: no cover - Windows only
    """The parent of our parent process, from a Toolhelp process snapshot."""
    if sys.platform != "win32":  # the test the type checker understands
        return None
    import ctypes
    from ctypes import wintypes

    class ProcessEntry(ctypes.Structure):
        _fields_ = [("dwSize", wintypes.DWORD), ("cntUsage", wintypes.DWORD),
                    ("th32ProcessID", wintypes.DWORD), ("th32DefaultHeapID", ctypes.c_size_t),
                    ("th32ModuleID", wintypes.DWORD), ("cntThreads", wintypes.DWORD),
                    ("th32ParentProcessID", wintypes.DWORD), ("pcPriClassBase", ctypes.c_long),
                    ("dwFlags", wintypes.DWORD), ("szExeFile", ctypes.c_wchar * 260)]

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.CreateToolhelp32Snapshot.restype = wintypes.HANDLE
    snapshot = kernel32.CreateToolhelp32Snapshot(0x2, 0)  # TH32CS_SNAPPROCESS
    if not snapshot or snapshot == wintypes.HANDLE(-1).value:
        return None
    parents: dict[int, int] = {}
    try:
        entry = ProcessEntry()
        entry.dwSize = ctypes.sizeof(ProcessEntry)
        more = kernel32.Process32FirstW(snapshot, ctypes.byref(entry))
        while more:
            parents[entry.th32ProcessID] = entry.th32ParentProcessID
            more = kernel32.Process32NextW(snapshot, ctypes.byref(entry))
    finally:
        kernel32.CloseHandle(snapshot)
    return parents.get(os.getppid())


def _attach_parent_console() -> bool:  # pragma: no cover - Windows only
    if sys.platform != "win32":  # the test the type checker understands
        return False
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)

    def attach(pid: int) -> bool:
        return attached(bool(kernel32.AttachConsole(pid)), ctypes.get_last_error())

    if not attach_calling_console(attach, _grandparent_pid):
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

    def stop() -> None:
        profile.disable()
        profile.dump_stats(target)

    atexit.register(stop)
    profile.enable()


def prepare() -> None:
    """Everything the frozen executable needs before ``dkdesk.cli.main.main`` runs."""
    prepare_streams()
    start_profile_if_asked()
