"""One writer per SQLite database: an exclusive OS lock on ``<database>.lock``.

The lock is taken with ``flock`` (POSIX; on NFS/CIFS the kernel forwards it to the server) or
``msvcrt.locking`` (Windows; byte-range locks are honoured by SMB shares, so two PCs opening
the same file on a shared folder see each other). The OS drops the lock when the process
dies, so a crash never leaves a stale lock. Who holds it (user, machine, pid, since when) is
written as JSON at the start of the lock file (the Windows byte lock sits far beyond it, so
the text stays readable) so that the second instance can name them; opening a database
therefore writes nothing into the database itself.

"A second dkdesk" means another program: the Desks of one process share the lock
(``SharedLock``, reference-counted), since SQLite already serialises their transactions.
"""
from __future__ import annotations

import getpass
import json
import os
import socket
import sys
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

LOCK_OFFSET = 1 << 20  # the locked byte on Windows, beyond the holder text


@dataclass(frozen=True)
class Holder:
    user: str
    host: str
    pid: int
    since: str  # ISO time

    @classmethod
    def me(cls) -> "Holder":
        try:
            user = getpass.getuser()
        except Exception:
            user = os.environ.get("USERNAME", "")
        return cls(user, socket.gethostname(), os.getpid(), datetime.now().isoformat(timespec="seconds"))

    def to_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | None) -> "Holder | None":
        try:
            d = json.loads(text or "")
            return cls(str(d["user"]), str(d["host"]), int(d["pid"]), str(d["since"]))
        except (ValueError, KeyError, TypeError):
            return None

    def describe(self) -> str:
        try:
            since = datetime.fromisoformat(self.since).strftime("%H:%M ngày %d/%m/%Y")
        except ValueError:
            since = self.since
        who = f"người dùng {self.user}" if self.user else "một người dùng"
        return f"{who} trên máy {self.host} (tiến trình {self.pid}, từ {since})"


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


class DbLock:
    """An exclusive, non-blocking lock; ``acquire()`` says whether this process is the writer."""

    def __init__(self, db_path: Path) -> None:
        self.path = lock_path(db_path)
        self._fd: int | None = None
        self.writer = False  # the result of the last acquire(): this process may write

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> bool:
        """True when this process now holds the lock (or the lock file cannot even be created:
        a read-only folder, where nobody can write anyway)."""
        if self._fd is not None:
            return True
        try:
            fd = os.open(str(self.path), os.O_RDWR | os.O_CREAT, 0o666)
        except OSError:
            self.writer = True  # no lock possible here; SQLite itself will refuse any write
            return True
        try:
            _lock(fd)
        except OSError:
            os.close(fd)
            self.writer = False
            return False
        self._fd = fd
        self.writer = True
        self.write_holder(Holder.me())
        return True

    def write_holder(self, holder: Holder) -> None:
        """Note who holds the lock (only while this process holds it; best effort)."""
        if self._fd is None:
            return
        try:
            data = holder.to_json().encode("utf-8")
            os.lseek(self._fd, 0, os.SEEK_SET)
            os.write(self._fd, data)
            os.ftruncate(self._fd, len(data))
        except OSError:
            pass

    def holder(self) -> Holder | None:
        """Who holds the lock, as written in the lock file (None when unknown)."""
        try:
            with open(self.path, "rb") as f:
                return Holder.from_json(f.read(4096).decode("utf-8", "replace"))
        except OSError:
            return None

    def release(self) -> None:
        fd, self._fd = self._fd, None
        self.writer = False
        if fd is None:
            return
        try:
            _unlock(fd)
        except OSError:
            pass
        os.close(fd)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows (the test mypy understands)
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


_registry: dict[str, list] = {}  # lock file -> [DbLock, number of Desks of this process using it]
_registry_guard = threading.Lock()


class SharedLock:
    """This process's share of the writer lock of one database (what ``Desk`` holds)."""

    def __init__(self, db_path: Path) -> None:
        self.key = os.path.normcase(os.path.abspath(lock_path(db_path)))
        self._released = False
        with _registry_guard:
            entry = _registry.get(self.key)
            if entry is not None:
                entry[1] += 1
                self.lock: DbLock = entry[0]
                self.writer = True
                return
            self.lock = DbLock(db_path)
            self.lock.acquire()
            self.writer = self.lock.writer
            if self.lock.held:
                _registry[self.key] = [self.lock, 1]

    def holder(self) -> Holder | None:
        return self.lock.holder()

    def write_holder(self, holder: Holder) -> None:
        self.lock.write_holder(holder)

    def release(self) -> None:
        with _registry_guard:
            if self._released:
                return
            self._released = True
            entry = _registry.get(self.key)
            if entry is not None and entry[0] is self.lock:
                entry[1] -= 1
                if entry[1] == 0:
                    del _registry[self.key]
                    self.lock.release()
