"""Sharing in a group: a member's tip, question, photo or answer reaches the other
members through the bot, marked with the sender's first name (when it agreed to be
named), with buttons to answer it (a thread) and to mute the group.

Every send goes through :func:`bot.services.messaging.notify.notify`, keyed
``group:post:<group>:<post>:<contact>``, at the priority of broadcasts: replies to people
writing to the bot go first and the sender paces the rest.  A hidden post's messages not
yet sent are dropped; so are a member's when it leaves or mutes the group.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.contract import Button, Reply
from bot.groups.members import first_name, member_contacts, post_key_prefix
from bot.i18n import Translator
from bot.services.messaging.notify import notify
from models import PRIORITY_BULK as BULK
from models import GroupMember, GroupPost, Household, LinkGroup, Outbox

TEXT_LIMIT = 2000  # characters kept of one post
QUOTE = 60  # characters of the answered post quoted in an answer


def kind_of(text: str, *, photo: bool) -> str:
    if photo:
        return "photo"
    return "question" if text.rstrip().endswith("?") else "tip"


async def sender_name(session: AsyncSession, post: GroupPost) -> str | None:
    """The sender's first name when it agreed to be named; ``None`` otherwise (and for
    the officer, who is named by role)."""
    if post.household_id is None:
        return None
    found = await session.execute(
        select(Household.head_name, GroupMember.show_name)
        .join(GroupMember, GroupMember.household_id == Household.id)
        .where(GroupMember.group_id == post.group_id, Household.id == post.household_id)
    )
    row = found.first()
    return first_name(row[0]) if row is not None and row[1] else None


def _who(t: Translator, post: GroupPost, name: str | None) -> str:
    if post.household_id is None:
        return t._("Cán bộ xã")
    return name or t._("Một thành viên")


def post_reply(
    t: Translator,
    *,
    group: LinkGroup,
    post: GroupPost,
    name: str | None,
    answered: GroupPost | None,
    answered_name: str | None,
    leader: bool,
) -> Reply:
    who = _who(t, post, name)
    if answered is not None:
        heading = t._("↪ Nhóm «{group}» – {who} trả lời {asker}: «{quote}»").format(
            group=group.name,
            who=who,
            asker=_who(t, answered, answered_name),
            quote=answered.text[:QUOTE],
        )
    elif post.kind == "question":
        heading = t._("❓ Nhóm «{group}» – {who} hỏi:").format(group=group.name, who=who)
    elif post.kind == "photo":
        heading = t._("📷 Nhóm «{group}» – {who} gửi ảnh (lời kèm ảnh):").format(
            group=group.name, who=who
        )
    else:
        heading = t._("💬 Nhóm «{group}» – {who} chia sẻ:").format(group=group.name, who=who)
    buttons = [
        Button(t._("Trả lời"), f"grp:re:{post.id}"),
        Button(t._("Tắt tin nhóm"), f"grp:mute:{group.id}"),
    ]
    if leader:  # the leader keeps the group clean
        buttons.append(Button(t._("Ẩn tin này"), f"grp:hide:{post.id}"))
    return Reply(f"{heading}\n{post.text}", (tuple(buttons),))


async def share(
    session: AsyncSession,
    *,
    group: LinkGroup,
    text: str,
    kind: str,
    now: datetime,
    household_id: int | None = None,
    officer_id: int | None = None,
    reply_to: GroupPost | None = None,
) -> tuple[GroupPost, int]:
    """Record the post and queue it to every other member's chats; returns it and the
    number of chats it goes to."""
    post = GroupPost(
        group_id=group.id,
        household_id=household_id,
        officer_id=officer_id,
        reply_to_id=reply_to.id if reply_to else None,
        kind="answer" if reply_to is not None else kind,
        text=text.strip()[:TEXT_LIMIT],
        created_at=now,
    )
    session.add(post)
    await session.flush()
    name = await sender_name(session, post)
    answered_name = await sender_name(session, reply_to) if reply_to else None
    contacts = await member_contacts(session, group.id, leaving_out=household_id)
    make = partial(
        post_reply,
        group=group,
        post=post,
        name=name,
        answered=reply_to,
        answered_name=answered_name,
    )
    leaders = [c for c in contacts if c.household_id == group.leader_household_id]
    others = [c for c in contacts if c.household_id != group.leader_household_id]
    key = post_key_prefix(group.id, post.id).rstrip(":")
    await notify(session, others, partial(make, leader=False), key=key, priority=BULK)
    await notify(session, leaders, partial(make, leader=True), key=key, priority=BULK)
    return post, len(contacts)


async def post_of_group(
    session: AsyncSession, post_id: int, group_ids: list[int]
) -> GroupPost | None:
    post = await session.get(GroupPost, post_id)
    return post if post is not None and post.group_id in group_ids else None


async def hide(session: AsyncSession, post: GroupPost, *, by: str, now: datetime) -> bool:
    """Hide a post: its messages not yet sent are dropped.  ``False`` when already hidden."""
    if post.hidden_at is not None:
        return False
    post.hidden_at, post.hidden_by = now, by
    await session.execute(
        delete(Outbox).where(
            Outbox.key.startswith(post_key_prefix(post.group_id, post.id)),
            Outbox.status == "pending",
        )
    )
    return True


async def recent_posts(session: AsyncSession, group_id: int, limit: int = 5) -> list[GroupPost]:
    return list(
        await session.scalars(
            select(GroupPost)
            .where(GroupPost.group_id == group_id, GroupPost.hidden_at.is_(None))
            .order_by(GroupPost.id.desc())
            .limit(limit)
        )
    )
