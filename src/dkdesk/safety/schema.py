"""Is a SQLite file's schema exactly what this version's migrations make? (checked before a restore)

The expected schema is never written down twice: ``expected_schema(revision)`` runs this
version's Alembic migrations up to ``revision`` into an in-memory SQLite database and reads
it back (tables, columns with their type affinity, indexes, the audit log's append-only
triggers); ``read_schema(conn)`` reads a file the same way; ``schema_problems(actual,
expected)`` lists, in Vietnamese, what is missing, extra or of another type.
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field

from dkdesk.storage import database


@dataclass(frozen=True)
class Schema:
    tables: dict[str, dict[str, str]]  # table -> column -> type affinity
    indexes: set[tuple[str, tuple[str, ...], bool]] = field(default_factory=set)  # table, columns, unique
    triggers: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (table, normalised SQL)


def affinity(declared: str) -> str:
    """SQLite's type affinity of a declared column type (the rules of §3.1 of its datatype page)."""
    t = (declared or "").upper()
    if "INT" in t:
        return "INTEGER"
    if any(word in t for word in ("CHAR", "CLOB", "TEXT")):
        return "TEXT"
    if not t or "BLOB" in t:
        return "BLOB"
    if any(word in t for word in ("REAL", "FLOA", "DOUB")):
        return "REAL"
    return "NUMERIC"


def _normalise_sql(sql: str | None) -> str:
    return re.sub(r"\s+", " ", sql or "").strip().lower()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_schema(conn: sqlite3.Connection) -> Schema:
    """The schema of an open SQLite database (SQLite's own tables left out)."""
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master "
                        "WHERE name NOT LIKE 'sqlite_%' OR type = 'index'").fetchall()
    tables: dict[str, dict[str, str]] = {}
    triggers: dict[str, tuple[str, str]] = {}
    for kind, name, table, sql in rows:
        if kind == "table" and not name.startswith("sqlite_"):
            cols = conn.execute(f"PRAGMA table_info({_quote(name)})").fetchall()
            tables[name] = {c[1]: affinity(c[2]) for c in cols}
        elif kind == "trigger":
            triggers[name] = (table, _normalise_sql(sql))
    indexes: set[tuple[str, tuple[str, ...], bool]] = set()
    for table in tables:
        for idx in conn.execute(f"PRAGMA index_list({_quote(table)})").fetchall():
            names = tuple(c[2] for c in conn.execute(f"PRAGMA index_info({_quote(idx[1])})").fetchall())
            indexes.add((table, names, bool(idx[2])))
    return Schema(tables, indexes, triggers)


_cache: dict[tuple[str, str], Schema] = {}


def expected_schema(revision: str) -> Schema:
    """The schema this version's migrations create up to ``revision`` (cached per revision)."""
    key = (str(database.MIGRATIONS_DIR), revision)
    if key not in _cache:
        from alembic import command
        from alembic.config import Config
        from sqlalchemy import create_engine

        engine = create_engine("sqlite://")
        cfg = Config()
        cfg.set_main_option("script_location", str(database.MIGRATIONS_DIR))
        try:
            with engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
                _cache[key] = read_schema(conn.connection.dbapi_connection)  # type: ignore[arg-type]
        finally:
            engine.dispose()
    return _cache[key]


def schema_problems(actual: Schema, expected: Schema) -> list[str]:
    """What differs, one Vietnamese phrase each ("thiếu bảng x", "bảng y thiếu cột z"...)."""
    out: list[str] = []
    for table, columns in expected.tables.items():
        have = actual.tables.get(table)
        if have is None:
            out.append(f"thiếu bảng {table}")
            continue
        missing = [c for c in columns if c not in have]
        if missing:
            out.append(f"bảng {table} thiếu cột {', '.join(missing)}")
        for col, kind in columns.items():
            if col in have and have[col] != kind:
                out.append(f"cột {table}.{col} có kiểu {have[col]} thay vì {kind}")
        extra = [c for c in have if c not in columns]
        if extra:
            out.append(f"bảng {table} có cột lạ {', '.join(extra)}")
    extra_tables = sorted(set(actual.tables) - set(expected.tables))
    if extra_tables:
        out.append(f"có bảng lạ {', '.join(extra_tables)}")
    for name, (table, sql) in expected.triggers.items():
        have_trigger = actual.triggers.get(name)
        if have_trigger is None:
            out.append(f"thiếu trigger {name} (giữ nhật ký {table} chỉ được ghi thêm)")
        elif have_trigger != (table, sql):
            out.append(f"trigger {name} đã bị sửa")
    for name in sorted(set(actual.triggers) - set(expected.triggers)):
        out.append(f"có trigger lạ {name}")
    for table, cols, unique in sorted(expected.indexes - actual.indexes):
        if table in actual.tables:
            kind = "ràng buộc duy nhất" if unique else "chỉ mục"
            out.append(f"bảng {table} thiếu {kind} trên ({', '.join(cols)})")
    for table, cols, unique in sorted(actual.indexes - expected.indexes):
        if table in expected.tables and unique:
            out.append(f"bảng {table} có ràng buộc duy nhất lạ trên ({', '.join(cols)})")
    return out
