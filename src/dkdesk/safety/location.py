"""Is the database on a network drive? SQLite over SMB/NFS is fragile: warn the person.

``network_location(path)`` returns a short Vietnamese description of the network location
(UNC path, mapped network drive via ``GetDriveTypeW``, or an nfs/cifs/smb mount from
``/proc/mounts``) or None for a local disk. ``network_warning(path)`` is the status-bar text.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path, PureWindowsPath

NETWORK_FS = {"nfs", "nfs4", "cifs", "smb3", "smbfs", "smb", "afs", "9p", "sshfs", "fuse.sshfs", "davfs", "ncpfs"}
DRIVE_REMOTE = 4


def _is_unc(text: str) -> bool:
    return text.startswith("\\\\") or text.startswith("//")


def network_location(path: Path | str, mounts_file: str = "/proc/mounts") -> str | None:
    text = str(path)
    if _is_unc(text) and not text.startswith("\\\\?\\") and not text.startswith("\\\\.\\"):
        server = PureWindowsPath(text).drive
        return f"thư mục dùng chung {server}"
    if os.name == "nt":  # pragma: no cover - Windows only
        return _windows_drive(text)
    return _posix_mount(text, mounts_file)


def _windows_drive(text: str) -> str | None:  # pragma: no cover - Windows only
    if sys.platform != "win32":  # the test the type checker understands (callers check os.name)
        return None
    import ctypes

    drive = PureWindowsPath(os.path.abspath(text)).drive
    if not drive:
        return None
    if drive.startswith("\\\\"):
        return f"thư mục dùng chung {drive}"
    kind = ctypes.windll.kernel32.GetDriveTypeW(drive + "\\")
    return f"ổ mạng {drive}" if kind == DRIVE_REMOTE else None


def _posix_mount(text: str, mounts_file: str) -> str | None:
    try:
        with open(mounts_file, encoding="utf-8", errors="replace") as f:
            mounts = [line.split() for line in f]
    except OSError:
        return None
    target = os.path.realpath(text)
    best: tuple[int, str, str] | None = None
    for parts in mounts:
        if len(parts) < 3:
            continue
        source, point, fstype = parts[0], parts[1].replace("\\040", " "), parts[2]
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) > best[0]):
            best = (len(point), source, fstype)
    if best is None or best[2].lower() not in NETWORK_FS:
        return None
    return f"ổ mạng {best[1]} ({best[2]})"


def network_warning(path: Path | str | None) -> str | None:
    """The status-bar warning for a database on a network drive, or None."""
    if path is None:
        return None
    where = network_location(path)
    if where is None:
        return None
    return (f"Cảnh báo: cơ sở dữ liệu nằm trên {where}. Mạng chập chờn có thể làm hỏng dữ liệu; "
            "nên đặt trên ổ đĩa của máy này, hoặc dùng PostgreSQL cho nhiều máy.")
