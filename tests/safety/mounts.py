"""Real read-only and real small file systems for the storage tests (Linux, root, mount allowed).

``read_only_view(folder, at)`` bind-mounts ``folder`` read-only at ``at`` (what a write-protected
USB stick looks like to a program: every write fails with EROFS, whoever runs it, root included);
``small_disk(at, size)`` mounts a tmpfs of ``size`` (e.g. "2m") for disk-full tests. Both are
context managers that unmount lazily afterwards, and skip the test with the reason when this
machine does not allow mounting (not root, a container without CAP_SYS_ADMIN, Windows).
"""
from __future__ import annotations

import os
import subprocess
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest


def _run(*cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True)


def _skip_unless_root() -> None:
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("cần quyền root trên Linux để gắn (mount) ổ chỉ đọc / ổ nhỏ thật")


def _umount(at: Path) -> None:
    _run("umount", "-l", str(at))


@contextmanager
def read_only_view(folder: Path, at: Path) -> Iterator[Path]:
    _skip_unless_root()
    at.mkdir(parents=True, exist_ok=True)
    done = _run("mount", "--bind", str(folder), str(at))
    if done.returncode != 0:
        pytest.skip(f"không gắn được thư mục (mount --bind): {done.stderr.strip()}")
    try:
        again = _run("mount", "-o", "remount,ro,bind", str(at))
        if again.returncode != 0:
            pytest.skip(f"không gắn lại được ở chế độ chỉ đọc: {again.stderr.strip()}")
        probe = at / ".thu-ghi"
        try:
            probe.write_text("x")
        except OSError:
            pass
        else:
            probe.unlink()
            pytest.skip("ổ gắn chỉ đọc vẫn ghi được trên máy này")
        yield at
    finally:
        _umount(at)


@contextmanager
def small_disk(at: Path, size: str) -> Iterator[Path]:
    _skip_unless_root()
    at.mkdir(parents=True, exist_ok=True)
    done = _run("mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(at))
    if done.returncode != 0:
        pytest.skip(f"không gắn được ổ tmpfs nhỏ: {done.stderr.strip()}")
    try:
        yield at
    finally:
        _umount(at)


def fill_up(folder: Path) -> Path:
    """Take every free byte of the disk holding ``folder``; returns the filler file."""
    filler = folder / "day-o.bin"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        for chunk in (1 << 16, 512, 1):
            try:
                while os.write(fd, b"\0" * chunk):
                    pass
            except OSError:
                continue
    finally:
        os.close(fd)
    return filler
