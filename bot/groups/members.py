"""Groups and their members.  Every step a household takes is its own choice: it is
invited and joins or not, says whether its first name is shown, may mute or leave.

```mermaid
stateDiagram-v2
    [*] --> invited: the officer adds the household (CLI or chat)
    invited --> member: "Tham gia"
    invited --> refused: "Không tham gia"
    member --> left: "Rời nhóm"
    member --> removed: the officer removes it
    refused --> invited: invited again
    left --> invited: invited again
    removed --> invited: invited again
```
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import partial

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.contract import Button, Reply
from bot.i18n import Translator
from bot.plans import catalogue as catalogues
from bot.plans.catalogue import Catalogue
from bot.services.messaging.notify import notify
from bot.services.people import people
from models import (
    PRIORITY_NOTICE,
    Area,
    Contact,
    GroupMember,
    Household,
    LinkGroup,
    Meeting,
    Officer,
    Outbox,
)

# The keys of every message sent to a group's members start with this (see sharing).
SEND_KEY = "group:"


class GroupError(ValueError):
    """A group cannot be made or changed as asked; the message says why."""


def post_key_prefix(group_id: int, post_id: int | None = None) -> str:
    """The outbox keys of a group's posts (of one post, given its id)."""
    return f"{SEND_KEY}post:{group_id}:" + ("" if post_id is None else f"{post_id}:")


def activity_name(code: str | None, locale: str) -> str | None:
    """The name of a group's activity in the catalogue (``None`` when it has none)."""
    catalogue = catalogues.default()
    return catalogue.get(code).name(locale) if code is not None and code in catalogue else None


def first_name(head_name: str) -> str:
    """The name a Vietnamese household head is called by: the last word."""
    words = head_name.split()
    return words[-1] if words else head_name


async def create(
    session: AsyncSession,
    *,
    area: Area,
    name: str,
    activity: str | None,
    catalogue: Catalogue,
    leader: Household | None,
    meeting_day: int | None,
    author: str,
    now: datetime,
) -> LinkGroup:
    """Make a group; its leader is invited like any member."""
    if not name.strip():
        raise GroupError("the group needs a name")
    if activity is not None and activity not in catalogue:
        raise GroupError(f"no activity with code {activity!r}")
    if meeting_day is not None and not 1 <= meeting_day <= 28:
        raise GroupError("the meeting day is a day of the month, 1 to 28")
    if leader is not None and leader.area_id not in await people.descendant_area_ids(
        session, area.id
    ):
        raise GroupError(f"household {leader.code} is not in area {area.code}")
    group = LinkGroup(
        area_id=area.id,
        name=name.strip(),
        activity=activity,
        leader_household_id=leader.id if leader else None,
        meeting_day=meeting_day,
        author=author,
        created_at=now,
    )
    session.add(group)
    await session.flush()
    if leader is not None:
        await invite(session, group, [leader], now=now)
    return group


async def invite(
    session: AsyncSession, group: LinkGroup, households: list[Household], *, now: datetime
) -> list[GroupMember]:
    """Invite the households (again, if they refused or left); each is asked to join.
    Members and households still deciding are left as they are."""
    current = {
        member.household_id: member
        for member in await session.scalars(
            select(GroupMember).where(GroupMember.group_id == group.id)
        )
    }
    invited = []
    for household in households:
        member = current.get(household.id)
        if member is not None and member.state in ("member", "invited"):
            continue
        if member is None:
            member = GroupMember(group_id=group.id, household_id=household.id)
            session.add(member)
        member.state, member.invited_at, member.answered_at = "invited", now, None
        member.show_name = member.show_figures = member.muted = False
        invited.append(member)
    await session.flush()
    for member in invited:
        contacts = await people.household_contacts(session, member.household_id)
        await notify(
            session,
            contacts,
            partial(invitation, group=group, member=member),
            key=f"{SEND_KEY}{group.id}:invite:{member.id}:{int(now.timestamp())}",
            priority=PRIORITY_NOTICE,
        )
    return invited


def invitation(t: Translator, *, group: LinkGroup, member: GroupMember) -> Reply:
    return Reply(
        t._(
            "Cán bộ xã mời hộ mình vào nhóm liên kết «{name}»: các hộ cùng làm ăn chia sẻ "
            "kinh nghiệm, hỏi đáp với nhau qua bot. Không ai thấy số điện thoại của "
            "anh/chị. Anh/chị có muốn tham gia không?"
        ).format(name=group.name),
        (
            (
                Button(t._("Tham gia"), f"grp:join:{member.id}", means="yes"),
                Button(t._("Không tham gia"), f"grp:refuse:{member.id}", means="no"),
            ),
        ),
    )


async def remove(session: AsyncSession, group: LinkGroup, households: list[Household]) -> int:
    """Take the households out of the group; nothing more is sent to them."""
    removed = 0
    for member in await session.scalars(
        select(GroupMember).where(
            GroupMember.group_id == group.id,
            GroupMember.household_id.in_([h.id for h in households]),
            GroupMember.state.in_(("member", "invited")),
        )
    ):
        member.state = "removed"
        await stop_sends(session, member)
        removed += 1
    return removed


async def stop_sends(session: AsyncSession, member: GroupMember) -> None:
    """Drop the group's messages still waiting to go to the member's chats (it left or
    muted the group): nothing of the group reaches it afterwards."""
    contact_ids = select(Contact.id).where(Contact.household_id == member.household_id)
    await session.execute(
        delete(Outbox).where(
            Outbox.contact_id.in_(contact_ids),
            Outbox.key.startswith(post_key_prefix(member.group_id)),
            Outbox.status == "pending",
        )
    )


async def membership(
    session: AsyncSession, member_id: int, household_id: int
) -> GroupMember | None:
    """The household's own membership row with this id."""
    member = await session.get(GroupMember, member_id)
    return member if member is not None and member.household_id == household_id else None


async def member_of(session: AsyncSession, group_id: int, household_id: int) -> GroupMember | None:
    """The household's membership of the group, when it is a member."""
    member: GroupMember | None = await session.scalar(
        select(GroupMember).where(
            GroupMember.group_id == group_id,
            GroupMember.household_id == household_id,
            GroupMember.state == "member",
        )
    )
    return member


async def answer(member: GroupMember, *, agree: bool, now: datetime) -> bool:
    """Join or refuse; ``False`` when the invitation was already answered."""
    if member.state != "invited":
        return False
    member.state, member.answered_at = ("member" if agree else "refused"), now
    return True


async def groups_of(
    session: AsyncSession, household_id: int, *, state: str = "member"
) -> list[tuple[LinkGroup, GroupMember]]:
    """The groups the household is a member of (or in another state), by name."""
    rows = await session.execute(
        select(LinkGroup, GroupMember)
        .join(GroupMember, GroupMember.group_id == LinkGroup.id)
        .where(GroupMember.household_id == household_id, GroupMember.state == state)
        .order_by(LinkGroup.name, LinkGroup.id)
    )
    return [(group, member) for group, member in rows.tuples()]


@dataclass(frozen=True, slots=True)
class Shown:
    """What the other members see of the members: names of those who agreed."""

    names: list[tuple[str, str | None]]  # first name, hamlet
    unnamed: int


async def shown_members(session: AsyncSession, group_id: int) -> Shown:
    rows = await session.execute(
        select(Household.head_name, Household.hamlet, GroupMember.show_name)
        .join(GroupMember, GroupMember.household_id == Household.id)
        .where(GroupMember.group_id == group_id, GroupMember.state == "member")
        .order_by(Household.code)
    )
    names, unnamed = [], 0
    for head_name, hamlet, show in rows:
        if show:
            names.append((first_name(head_name), hamlet))
        else:
            unnamed += 1
    return Shown(names, unnamed)


async def member_contacts(
    session: AsyncSession, group_id: int, *, leaving_out: int | None = None
) -> list[Contact]:
    """The reachable chats of the members who did not mute the group (but ``leaving_out``,
    a household id: the sender)."""
    query = (
        select(Contact)
        .join(GroupMember, GroupMember.household_id == Contact.household_id)
        .where(
            GroupMember.group_id == group_id,
            GroupMember.state == "member",
            GroupMember.muted.is_(False),
            Contact.consent_at.is_not(None),
            Contact.blocked.is_(False),
        )
        .order_by(Contact.id)
    )
    if leaving_out is not None:
        query = query.where(GroupMember.household_id != leaving_out)
    return list(await session.scalars(query))


async def state_counts(session: AsyncSession, group_id: int) -> dict[str, int]:
    """How many households of the group are in each state (``MEMBER_STATES``)."""
    rows = await session.execute(
        select(GroupMember.state, func.count(GroupMember.id))
        .where(GroupMember.group_id == group_id)
        .group_by(GroupMember.state)
    )
    return {state: int(count) for state, count in rows.tuples()}


async def member_households(session: AsyncSession, group_id: int) -> list[Household]:
    return list(
        await session.scalars(
            select(Household)
            .join(GroupMember, GroupMember.household_id == Household.id)
            .where(GroupMember.group_id == group_id, GroupMember.state == "member")
            .order_by(Household.code)
        )
    )


async def next_meeting(
    session: AsyncSession, group: LinkGroup, *, now: datetime, today: date
) -> Meeting | date | None:
    """The group's next called meeting, else the next regular meeting day."""
    called: Meeting | None = await session.scalar(
        select(Meeting)
        .where(Meeting.group_id == group.id, Meeting.starts_at > now, Meeting.held.is_(None))
        .order_by(Meeting.starts_at)
        .limit(1)
    )
    if called is not None or group.meeting_day is None:
        return called
    day = group.meeting_day  # 1–28: every month has it
    if today.day <= day:
        return today.replace(day=day)
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return date(year, month, day)


async def officer_groups(session: AsyncSession, officer: Officer) -> list[LinkGroup]:
    """The groups of the officer's area and the areas below it."""
    areas = await people.descendant_area_ids(session, officer.area_id)
    return list(
        await session.scalars(
            select(LinkGroup).where(LinkGroup.area_id.in_(areas)).order_by(LinkGroup.id)
        )
    )


async def officer_group(session: AsyncSession, officer: Officer, group_id: int) -> LinkGroup | None:
    group = await session.get(LinkGroup, group_id)
    if group is None:
        return None
    areas = await people.descendant_area_ids(session, officer.area_id)
    return group if group.area_id in areas else None


async def area_officer_contacts(session: AsyncSession, group: LinkGroup) -> list[Contact]:
    """The chats of the officers of the group's area."""
    officer_ids = await session.scalars(select(Officer.id).where(Officer.area_id == group.area_id))
    return await people.officer_contacts(session, list(officer_ids))
