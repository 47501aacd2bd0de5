"""Alembic environment: always run programmatically by dkdesk.storage.database.migrate.

dkdesk passes the open connection in ``config.attributes["connection"]`` so that the
migration runs inside the same engine (pragmas, WAL) and works inside the frozen executable.
"""
from __future__ import annotations

from alembic import context

from dkdesk.storage.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - alembic CLI use during development
    from sqlalchemy import create_engine

    connection = create_engine(config.get_main_option("sqlalchemy.url")).connect()

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
