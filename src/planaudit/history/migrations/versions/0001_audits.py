"""The audit history: one row per audited document.

Revision ID: 0001
Revises:
Create Date: 2026-05-20
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "planaudit_audits",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("municipality", sa.Text(), nullable=True),
        sa.Column("municipality_key", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("period_start", sa.Integer(), nullable=True),
        sa.Column("period_end", sa.Integer(), nullable=True),
        sa.Column("document_name", sa.Text(), nullable=False),
        sa.Column("document_sha256", sa.String(64), nullable=False),
        sa.Column("document_format", sa.Text(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=True),
        sa.Column("profile", sa.Text(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.Column("planaudit_version", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("report", sa.Text(), nullable=False),
        sa.Column("document", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_planaudit_audits"),
    )
    op.create_index("ix_planaudit_audits_created", "planaudit_audits", ["created"])
    op.create_index("ix_planaudit_audits_municipality_key_created", "planaudit_audits",
                    ["municipality_key", "created"])
    op.create_index("ix_planaudit_audits_document_sha256", "planaudit_audits", ["document_sha256"])


def downgrade() -> None:
    op.drop_table("planaudit_audits")
