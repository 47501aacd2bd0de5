"""Several plans in one database: each plan's own TOML text and the plan it follows; units with
the days they exist and their successor.

Only columns are added (nullable): every figure stays where it is. The plan rows of an older
database get their text on the next open (the plan file is mirrored as before).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("plans", sa.Column("source", sa.Text(), nullable=True))
    op.add_column("plans", sa.Column("previous_code", sa.String(64), nullable=True))
    op.add_column("units", sa.Column("active_from", sa.Date(), nullable=True))
    op.add_column("units", sa.Column("active_to", sa.Date(), nullable=True))
    op.add_column("units", sa.Column("successor_code", sa.String(32), nullable=True))


def downgrade() -> None:
    raise RuntimeError("dkdesk never downgrades a database")
