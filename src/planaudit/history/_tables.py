"""The history's tables as SQLAlchemy Core, for queries. The schema itself is made by the
migrations in ``migrations/versions``; a test keeps the two equal.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect

__all__ = ["VERSION_TABLE", "UtcDateTime", "audits", "metadata"]

#: Alembic's bookkeeping table, named so it cannot clash with another tool's in a shared database.
VERSION_TABLE = "planaudit_alembic_version"

metadata = MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "pk": "pk_%(table_name)s",
})


class UtcDateTime(TypeDecorator[datetime]):
    """A moment in UTC, given and returned timezone-aware; SQLite, which has no time zones,
    stores it as naive UTC text, which sorts in time order."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("a history time must be timezone-aware")
        value = value.astimezone(timezone.utc)
        return value if dialect.name == "postgresql" else value.replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


audits = Table(
    "planaudit_audits",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("created", UtcDateTime(), nullable=False),
    Column("municipality", Text),
    # lower case, without "kommune", spaces collapsed: what a search for the municipality matches
    Column("municipality_key", Text),
    Column("title", Text),
    Column("period_start", Integer),
    Column("period_end", Integer),
    Column("document_name", Text, nullable=False),
    Column("document_sha256", String(64), nullable=False),
    Column("document_format", Text, nullable=False),
    Column("pages", Integer),
    Column("profile", Text, nullable=False),
    Column("score", Integer, nullable=False),
    Column("passed", Boolean),
    Column("planaudit_version", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("report", Text, nullable=False),
    Column("document", LargeBinary),
    Index(None, "created"),
    Index(None, "municipality_key", "created"),
    Index(None, "document_sha256"),
)
