"""broadcast attachments and finish time

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 08:24:49.655182
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("broadcast", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attachment", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("attachment_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("attachment_kind", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("broadcast", schema=None) as batch_op:
        batch_op.drop_column("finished_at")
        batch_op.drop_column("attachment_kind")
        batch_op.drop_column("attachment_name")
        batch_op.drop_column("attachment")
