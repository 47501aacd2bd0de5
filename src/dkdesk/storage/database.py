"""Opening a database: URL resolution, engine set-up (SQLite pragmas), Alembic migrations.

``open_engine(db)`` accepts a file path (SQLite) or any SQLAlchemy URL (``://``). On SQLite,
foreign keys are on, the journal is WAL, synchronous FULL (a power cut loses no committed
figure) and every transaction starts with ``BEGIN IMMEDIATE`` so that writers queue instead of
failing half-way. ``migrate(engine)`` brings the schema to the newest revision; before it
upgrades an existing SQLite database it takes a consistent backup copy.
"""
from __future__ import annotations

import logging
import re
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url

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
    return "sqlite:///" + str(Path(s).expanduser().resolve())


def sqlite_path(url: str) -> Path | None:
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def open_engine(db: str | Path) -> Engine:
    url = resolve_url(db)
    path = sqlite_path(url)
    if path is not None:
        if not path.parent.exists():
            raise DatabaseError(f"Thư mục chứa cơ sở dữ liệu không tồn tại: {path.parent}")
        engine = create_engine(url, connect_args={"timeout": 15, "isolation_level": None})
        _configure_sqlite(engine)
    else:
        try:
            engine = create_engine(url, pool_pre_ping=True)
        except Exception as exc:  # bad URL, missing driver
            raise DatabaseError(f"Không mở được cơ sở dữ liệu {url}: {exc}") from exc
    return engine


def _configure_sqlite(engine: Engine) -> None:
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


_REVISION_RE = re.compile(r"^revision\s*(?::[^=]*)?=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN_RE = re.compile(r"^down_revision\s*(?::[^=]*)?=\s*(.+)$", re.M)


def scanned_head_revision(versions_dir: Path | None = None) -> str | None:
    """The head revision read cheaply from the migration files' text (no Alembic import).

    Returns None when the files do not name exactly one head (then Alembic decides)."""
    versions_dir = versions_dir or MIGRATIONS_DIR / "versions"
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in versions_dir.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        rev = _REVISION_RE.search(text)
        if rev is None:
            continue
        revisions.add(rev.group(1))
        down = _DOWN_RE.search(text)
        if down is not None:
            parents.update(re.findall(r"['\"]([^'\"]+)['\"]", down.group(1)))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS_DIR))
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine, backup_dir: Path | None = None) -> bool:
    """Upgrade the schema to head. Returns True when something was applied.

    When the database is already at the head named by the migration files, Alembic is not
    even imported (a quicker start)."""
    try:
        current = current_revision(engine)
        if current is not None and current == scanned_head_revision():
            return False
        head = head_revision()
    except Exception as exc:
        raise DatabaseError(f"Không đọc được cơ sở dữ liệu: {exc}") from exc
    if current == head:
        return False
    from alembic import command
    from alembic.config import Config

    if current is None and _has_foreign_tables(engine):
        raise DatabaseError("Tệp này không phải cơ sở dữ liệu dkdesk (có bảng lạ, không có phiên bản lược đồ).")
    if current is not None:
        _check_known(current)
        _backup_before_migration(engine, backup_dir, current)
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
    with engine.connect() as conn:
        return bool(inspect(conn).get_table_names())


def _check_known(current: str) -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS_DIR))
    try:
        script.get_revision(current)
    except Exception as exc:
        raise DatabaseError(
            f"Cơ sở dữ liệu được tạo bởi phiên bản dkdesk mới hơn (lược đồ {current}). "
            "Hãy dùng phiên bản dkdesk mới nhất."
        ) from exc


def _backup_before_migration(engine: Engine, backup_dir: Path | None, current: str) -> None:
    path = sqlite_path(str(engine.url))
    if path is None or not path.exists():
        return
    target_dir = backup_dir or path.parent / "backups"
    target_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = target_dir / f"{path.stem}-truoc-nang-cap-{current}-{stamp}.sqlite"
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
