"""linkage groups: groups, their members (with consent), what they share; group meetings

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 21:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "link_group",
        sa.Column("id", _ID, nullable=False),
        sa.Column("area_id", _ID, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("activity", sa.String(length=32), nullable=True),
        sa.Column("leader_household_id", _ID, nullable=True),
        sa.Column("meeting_day", sa.Integer(), nullable=True),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["area_id"], ["area.id"], name=op.f("fk_link_group_area_id_area")),
        sa.ForeignKeyConstraint(
            ["leader_household_id"],
            ["household.id"],
            name=op.f("fk_link_group_leader_household_id_household"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_group")),
    )
    with op.batch_alter_table("link_group", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_link_group_area_id"), ["area_id"], unique=False)

    op.create_table(
        "group_member",
        sa.Column("id", _ID, nullable=False),
        sa.Column("group_id", _ID, nullable=False),
        sa.Column("household_id", _ID, nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("show_name", sa.Boolean(), nullable=False),
        sa.Column("show_figures", sa.Boolean(), nullable=False),
        sa.Column("muted", sa.Boolean(), nullable=False),
        sa.Column("invited_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"], ["link_group.id"], name=op.f("fk_group_member_group_id_link_group")
        ),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_group_member_household_id_household")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_member")),
        sa.UniqueConstraint(
            "group_id", "household_id", name=op.f("uq_group_member_group_id_household_id")
        ),
    )
    with op.batch_alter_table("group_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_member_group_id"), ["group_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_group_member_household_id"), ["household_id"], unique=False
        )

    op.create_table(
        "group_post",
        sa.Column("id", _ID, nullable=False),
        sa.Column("group_id", _ID, nullable=False),
        sa.Column("household_id", _ID, nullable=True),
        sa.Column("officer_id", _ID, nullable=True),
        sa.Column("reply_to_id", _ID, nullable=True),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hidden_by", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"], ["link_group.id"], name=op.f("fk_group_post_group_id_link_group")
        ),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_group_post_household_id_household")
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["officer.id"], name=op.f("fk_group_post_officer_id_officer")
        ),
        sa.ForeignKeyConstraint(
            ["reply_to_id"], ["group_post.id"], name=op.f("fk_group_post_reply_to_id_group_post")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_post")),
    )
    with op.batch_alter_table("group_post", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_post_group_id"), ["group_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_group_post_household_id"), ["household_id"], unique=False
        )

    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("group_id", _ID, nullable=True))
        batch_op.create_index(batch_op.f("ix_meeting_group_id"), ["group_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_meeting_group_id_link_group"), "link_group", ["group_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_meeting_group_id_link_group"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_meeting_group_id"))
        batch_op.drop_column("group_id")
    with op.batch_alter_table("group_post", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_post_household_id"))
        batch_op.drop_index(batch_op.f("ix_group_post_group_id"))
    op.drop_table("group_post")
    with op.batch_alter_table("group_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_member_household_id"))
        batch_op.drop_index(batch_op.f("ix_group_member_group_id"))
    op.drop_table("group_member")
    with op.batch_alter_table("link_group", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_link_group_area_id"))
    op.drop_table("link_group")
