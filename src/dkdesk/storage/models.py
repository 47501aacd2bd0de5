"""SQLAlchemy 2.0 typed models: the database schema of dkdesk.

The plan catalogue (plans, units, periods, fields) is mirrored from the plan file on open
so that values can reference it with foreign keys; rows are never deleted (a unit or field
that leaves the plan is marked inactive, its figures stay).

Change this file only together with a new Alembic migration in ``storage/migrations``.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Meta(Base):
    """Key/value facts about the database itself (application id, created_at...)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class PlanRow(Base):
    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(Text)
    year: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(DateTime)
    source: Mapped[str | None] = mapped_column(Text, nullable=True)  # the plan file's TOML text (0002)
    previous_code: Mapped[str | None] = mapped_column(String(64), nullable=True)  # the plan it follows


class UnitRow(Base):
    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(Text)
    group_code: Mapped[str] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    active_from: Mapped[date | None] = mapped_column(Date, nullable=True)  # (0002) as in the plan
    active_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    successor_code: Mapped[str | None] = mapped_column(String(32), nullable=True)


class PeriodRow(Base):
    __tablename__ = "periods"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(Text)
    deadline: Mapped[date] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class FieldRow(Base):
    __tablename__ = "fields"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    code: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ImportRow(Base):
    """One imported file: its identity, outcome and the original bytes (for tracing)."""

    __tablename__ = "imports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_name: Mapped[str] = mapped_column(Text)
    path: Mapped[str] = mapped_column(Text, default="")
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), nullable=True)
    period_id: Mapped[int | None] = mapped_column(ForeignKey("periods.id"), nullable=True)
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    who: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[str] = mapped_column(String(16))  # imported | unchanged | rejected
    n_new: Mapped[int] = mapped_column(Integer, default=0)
    n_changed: Mapped[int] = mapped_column(Integer, default=0)
    n_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    template_version: Mapped[str] = mapped_column(String(16), default="")
    message: Mapped[str] = mapped_column(Text, default="")
    content: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


class ValueRow(Base):
    """The current value of one field for one unit in one period."""

    __tablename__ = "field_values"
    __table_args__ = (UniqueConstraint("unit_id", "period_id", "field_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"), index=True)
    field_id: Mapped[int] = mapped_column(ForeignKey("fields.id"))
    int_value: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    bool_value: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    text_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(16))  # manual | import | carry
    import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"), nullable=True)


class ReportRow(Base):
    """The status of one unit's report for one period."""

    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("unit_id", "period_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"))
    status: Mapped[str] = mapped_column(String(16))  # empty | draft | submitted | approved
    received_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    locked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    locked_by: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class AuditRow(Base):
    """Append-only log of every change (the database refuses UPDATE and DELETE on it)."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    who: Mapped[str] = mapped_column(Text, default="")
    action: Mapped[str] = mapped_column(String(16))  # value | status | lock | unlock | import | restore
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), nullable=True)
    period_id: Mapped[int | None] = mapped_column(ForeignKey("periods.id"), nullable=True)
    field_id: Mapped[int | None] = mapped_column(ForeignKey("fields.id"), nullable=True)
    old_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    new_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    source: Mapped[str] = mapped_column(String(16), default="manual")
    import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
