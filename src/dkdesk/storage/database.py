"""Opening a database: URL resolution, engine set-up (SQLite pragmas), Alembic migrations.

``open_engine(db)`` accepts a file path (SQLite) or any SQLAlchemy URL (``://``). On SQLite,
foreign keys are on, the journal is WAL, synchronous FULL (a power cut loses no committed
figure) and every transaction starts with ``BEGIN IMMEDIATE`` so that writers queue instead of
failing half-way. ``migrate(engine)`` brings the schema to the newest revision; before it
upgrades an existing SQLite database it takes a consistent backup copy.

A SQLite file where nothing can be written (``read_only_location``: a write-protected USB stick,
a read-only folder or file) is opened read-only (``read_only_uri``: ``mode=ro``, or
``immutable=1`` for a WAL database closed cleanly, whose -shm cannot be created there);
``read_only_reason(engine)`` then says why, and the Desk refuses every write with it.

Importing this module does not load SQLAlchemy (the GUI's first screen needs ``sqlite_path`` and
the revision helpers before it): each function that needs it imports it.
"""
from __future__ import annotations

import logging
import os
import re
import weakref
from datetime import datetime
from pathlib import Path, PurePath
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
APPLICATION_ID = "dkdesk"


class DatabaseError(RuntimeError):
    """The database cannot be opened or upgraded; the message is Vietnamese."""


def resolve_url(db: str | Path) -> str:
    """A path becomes ``sqlite:///<absolute path>``; a URL is returned as is."""
    s = str(db)
    if "://" in s:
        return s
    # a URL's database part is percent-decoded and ends at "?": keep "%" and "?" of folder names
    return "sqlite:///" + str(Path(s).expanduser().resolve()).replace("%", "%25").replace("?", "%3F")


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (as SQLAlchemy's ``make_url`` reads it), None for any other
    database or an in-memory one."""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.split("+", 1)[0] != "sqlite":
        return None
    database = unquote(rest.split("?", 1)[0])
    database = database[1:] if database.startswith("/") else ""  # sqlite://<no host>/<database>
    if not database or database == ":memory:":
        return None
    if database.startswith("file:"):  # URI form, e.g. ``sqlite:///file:/x.sqlite?mode=ro&uri=true``
        return Path(database[5:])
    return Path(database)


def sqlite_file(db: str | Path | None) -> Path | None:
    """The SQLite file that opening ``db`` (``--db``, else ``DKDESK_DB``, else the default)
    means, or None for a server database."""
    from dkdesk import paths

    return sqlite_path(resolve_url(paths.chosen_db(db)))


def sqlite_uri(path: PurePath, query: str) -> str:
    """A ``file:`` URI for ``sqlite3.connect(..., uri=True)`` that SQLite accepts for any absolute
    path: percent-encoded (spaces, ``#``, ``?``, Vietnamese letters), and a Windows network path
    ``\\\\server\\share\\x.sqlite`` as ``file:////server/share/x.sqlite`` (SQLite refuses a host
    name in the authority, which ``Path.as_uri`` would put there)."""
    posix = path.as_posix()
    if not posix.startswith("/"):
        posix = "/" + posix  # C:/... -> /C:/...
    return "file://" + quote(posix, safe="/:") + "?" + query


_READ_ONLY: "weakref.WeakKeyDictionary[Engine, str]" = weakref.WeakKeyDictionary()


def read_only_location(path: Path) -> str | None:
    """Why the SQLite file ``path`` can only be read here (a read-only drive, folder or file),
    as a Vietnamese phrase; None when it can be written. Writes nothing."""
    folder = path.parent
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return (f"ổ đĩa chứa {folder} chỉ cho đọc (USB hoặc thẻ nhớ đang khóa ghi, "
                    "hoặc ổ được gắn ở chế độ chỉ đọc)")
    except (AttributeError, OSError):  # Windows has no statvfs: the checks below remain
        pass
    if not os.access(folder, os.W_OK) or (os.name == "nt" and not _can_create_in(folder)):
        return f"thư mục {folder} chỉ cho đọc (không có quyền ghi)"
    if path.exists() and not os.access(path, os.W_OK):
        return f"tệp {path.name} chỉ cho đọc"
    return None


def _can_create_in(folder: Path) -> bool:  # pragma: no cover - Windows: os.access ignores a write-protected drive
    import tempfile

    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


def read_only_uri(path: Path) -> str:
    """A URI that reads ``path`` where nothing can be written next to it. ``mode=ro`` sees the
    -wal of a WAL database but needs its -shm; without them (a database closed cleanly) SQLite
    cannot create a -shm on a read-only medium, and ``immutable=1`` reads the main file, which
    then holds everything committed. A -wal without its -shm cannot be read safely: refused."""
    import sqlite3

    ro = sqlite_uri(path.resolve(), "mode=ro")
    try:
        con = sqlite3.connect(ro, uri=True)
        try:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return ro
        finally:
            con.close()
    except sqlite3.Error:
        pass
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise DatabaseError(f"Cơ sở dữ liệu {path} còn những thay đổi chưa gộp vào tệp chính (tệp {wal.name}) "
                            "nhưng nằm ở nơi chỉ cho đọc, nên không đọc được an toàn. Hãy mở nó một lần ở nơi "
                            "ghi được (chép cả thư mục dữ liệu sang ổ của máy, hoặc mở khóa ghi của USB).")
    return sqlite_uri(path.resolve(), "immutable=1")


def read_only_reason(engine: Engine) -> str | None:
    """Set when ``open_engine`` opened a SQLite file read-only because of where it lies."""
    return _READ_ONLY.get(engine)


def read_only_message(where: str) -> str:
    return (f"Ổ đĩa/thư mục chỉ cho đọc: {where}. Chương trình chỉ xem được số liệu, không lưu, "
            "không nhập, không khôi phục được. Muốn ghi, hãy mở khóa ghi của USB/thẻ nhớ hoặc chép "
            "thư mục dữ liệu sang một ổ ghi được.")


def open_engine(db: str | Path) -> Engine:
    from sqlalchemy import create_engine

    url = resolve_url(db)
    path = sqlite_path(url)
    if path is not None:
        if not path.parent.exists():
            raise DatabaseError(f"Thư mục chứa cơ sở dữ liệu không tồn tại: {path.parent}")
        where = read_only_location(path) if "mode=ro" not in url else None
        if where is not None and (not path.exists() or path.stat().st_size == 0):
            raise DatabaseError(f"Chưa có cơ sở dữ liệu {path} và không tạo được: {where}.")
        precheck_sqlite(path)
        if where is None:
            engine = create_engine(url, connect_args={"timeout": 15, "isolation_level": None})
        else:
            import sqlite3

            uri = read_only_uri(path)
            engine = create_engine(url, creator=lambda: sqlite3.connect(
                uri, uri=True, timeout=15, isolation_level=None, check_same_thread=False))
            _READ_ONLY[engine] = read_only_message(where)
        _configure_sqlite(engine)
    else:
        try:
            engine = create_engine(url, pool_pre_ping=True)
        except Exception as exc:  # bad URL, missing driver
            raise DatabaseError(f"Không mở được cơ sở dữ liệu {url}: {exc}") from exc
    return engine


def precheck_sqlite(path: Path) -> None:
    """Refuse, without writing a byte, a file that is not a dkdesk (or an empty) SQLite database."""
    import sqlite3

    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        uri = read_only_uri(path) if read_only_location(path) else sqlite_uri(path.resolve(), "mode=ro")
        con = sqlite3.connect(uri, uri=True)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"Tệp {path} không phải cơ sở dữ liệu dkdesk (không đọc được: {exc}).") from exc
    if tables and "alembic_version" not in tables:
        raise DatabaseError(f"Tệp {path} không phải cơ sở dữ liệu dkdesk (có bảng lạ, không có phiên bản lược đồ).")


def _configure_sqlite(engine: Engine) -> None:
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # noqa: ANN001
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=15000")
        try:
            cur.execute("PRAGMA journal_mode=WAL")
        except Exception:  # read-only medium: keep the default journal
            log.warning("WAL could not be enabled")
        cur.execute("PRAGMA synchronous=FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # noqa: ANN001
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")


_REV = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(?:\"([^\"]*)\"|'([^']*)'|None)", re.M)


def known_revisions(versions_dir: Path | None = None) -> dict[str, str | None]:
    """revision -> down_revision, read from the migration files without importing Alembic
    (keeps every command's start fast; Alembic is imported only when an upgrade is due)."""
    out: dict[str, str | None] = {}
    for path in sorted((versions_dir or MIGRATIONS_DIR / "versions").glob("*.py")):
        found = {m.group(1): (m.group(2) or m.group(3)) for m in _REV.finditer(path.read_text(encoding="utf-8"))}
        if "revision" in found:
            out[found["revision"]] = found.get("down_revision")
    return out


def head_revision(versions_dir: Path | None = None) -> str:
    """The single head named by the migration files; several heads are refused."""
    revs = known_revisions(versions_dir)
    parents = {d for d in revs.values() if d}
    heads = [r for r in revs if r not in parents]
    if len(heads) != 1:
        raise DatabaseError(f"Các tệp nâng cấp lược đồ không nhất quán (đầu: {heads}).")
    return heads[0]


def current_revision(engine: Engine) -> str | None:
    from sqlalchemy import inspect, text

    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine, backup_dir: Path | None = None) -> bool:
    """Upgrade the schema to head. Returns True when something was applied."""
    try:
        current = current_revision(engine)
        head = head_revision()
    except Exception as exc:
        raise DatabaseError(f"Không đọc được cơ sở dữ liệu: {exc}") from exc
    if current == head:
        return False
    if read_only_reason(engine):
        raise DatabaseError(f"Cơ sở dữ liệu {sqlite_path(str(engine.url))} cần nâng cấp lược đồ nhưng nằm ở nơi "
                            f"chỉ cho đọc. {read_only_reason(engine)}")
    if current is None and _has_foreign_tables(engine):
        raise DatabaseError("Tệp này không phải cơ sở dữ liệu dkdesk (có bảng lạ, không có phiên bản lược đồ).")
    if current is not None:
        _check_known(current)
        _backup_before_migration(engine, backup_dir, current)
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except Exception as exc:
        raise DatabaseError(f"Nâng cấp cơ sở dữ liệu thất bại, không có gì thay đổi: {exc}") from exc
    return True


def _has_foreign_tables(engine: Engine) -> bool:
    from sqlalchemy import inspect

    with engine.connect() as conn:
        return bool(inspect(conn).get_table_names())


def _check_known(current: str) -> None:
    if current not in known_revisions():
        raise DatabaseError(
            f"Cơ sở dữ liệu được tạo bởi phiên bản dkdesk mới hơn (lược đồ {current}). "
            "Hãy dùng phiên bản dkdesk mới nhất."
        )


def _backup_before_migration(engine: Engine, backup_dir: Path | None, current: str) -> None:
    path = sqlite_path(str(engine.url))
    if path is None or not path.exists():
        return
    target_dir = backup_dir or path.parent / "backups"
    target_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    # the same naming as dkdesk.safety.backup so that the backup dialog lists and rotates it
    target = target_dir / f"dkdesk-{stamp}-truoc-nang-cap-{current}.sqlite"
    sqlite_backup(path, target)
    log.info("backup before migration: %s", target)


def sqlite_backup(source: Path, target: Path) -> None:
    """A consistent copy through SQLite's online backup API (never a file copy)."""
    import sqlite3

    src = sqlite3.connect(str(source))
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
