"""A household's part in linkage groups, for its own export and its deletion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.groups.members import post_key_prefix
from models import REDACTED, GroupMember, GroupPost, LinkGroup, Outbox


@dataclass(frozen=True, slots=True)
class OwnPost:
    group: str
    kind: str
    text: str
    at: datetime
    hidden: bool


@dataclass(frozen=True, slots=True)
class OwnMembership:
    group: str
    state: str
    show_name: bool
    show_figures: bool
    muted: bool
    invited_at: datetime


async def household_part(
    session: AsyncSession, household_id: int
) -> tuple[list[OwnMembership], list[OwnPost]]:
    """The household's memberships and what it sent to its groups, oldest first."""
    memberships = [
        OwnMembership(name, m.state, m.show_name, m.show_figures, m.muted, m.invited_at)
        for m, name in (
            await session.execute(
                select(GroupMember, LinkGroup.name)
                .join(LinkGroup, LinkGroup.id == GroupMember.group_id)
                .where(GroupMember.household_id == household_id)
                .order_by(GroupMember.id)
            )
        ).tuples()
    ]
    posts = [
        OwnPost(name, p.kind, p.text, p.created_at, p.hidden_at is not None)
        for p, name in (
            await session.execute(
                select(GroupPost, LinkGroup.name)
                .join(LinkGroup, LinkGroup.id == GroupPost.group_id)
                .where(GroupPost.household_id == household_id)
                .order_by(GroupPost.id)
            )
        ).tuples()
    ]
    return memberships, posts


async def unlink_posts(session: AsyncSession, household_id: int) -> None:
    """Before the household's posts are deleted (models/household_data.py): their messages
    not yet sent are dropped, those sent are redacted, and answers to them stay without
    the link."""
    posts = list(
        await session.execute(
            select(GroupPost.id, GroupPost.group_id).where(GroupPost.household_id == household_id)
        )
    )
    if not posts:
        return
    keys = or_(*(Outbox.key.startswith(post_key_prefix(g, p)) for p, g in posts))
    await session.execute(delete(Outbox).where(keys, Outbox.status == "pending"))
    await session.execute(
        update(Outbox)
        .where(keys, Outbox.status != "sending")
        .values(body=REDACTED, attachment=None)
    )
    ids = [p for p, _ in posts]
    await session.execute(
        update(GroupPost).where(GroupPost.reply_to_id.in_(ids)).values(reply_to_id=None)
    )
