"""Monthly dialogue meetings (issue 6, item 4): an officer calls one, the area's joined
households are invited at once and answer or send questions ahead, the officer gets the
answers and questions before the meeting and records attendance and issues after it.

A meeting covers its area and every area below it.  Times are stored in UTC and shown in
the programme's time zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.contract import Button, Reply
from bot.i18n import Translator
from bot.services.messaging.notify import notify
from bot.services.people import people
from models import (
    Area,
    Contact,
    GroupMember,
    Household,
    LinkGroup,
    Meeting,
    MeetingInvite,
    Officer,
    Outbox,
)

QUESTION_LIMIT = 2000  # characters kept of one household's questions to one meeting


def _has_chat() -> ColumnElement[bool]:
    """A household with a chat account that agreed and did not block the bot."""
    return exists().where(
        Contact.household_id == Household.id,
        Contact.consent_at.is_not(None),
        Contact.blocked.is_(False),
    )


async def invitees(
    session: AsyncSession, area_id: int, group_id: int | None = None
) -> list[Household]:
    """The joined households of the area and of the areas below it; of a linkage
    group's meeting, the group's joined members."""
    query = select(Household).where(_has_chat()).order_by(Household.code)
    if group_id is not None:
        members = select(GroupMember.household_id).where(
            GroupMember.group_id == group_id, GroupMember.state == "member"
        )
        return list(await session.scalars(query.where(Household.id.in_(members))))
    areas = await people.descendant_area_ids(session, area_id)
    return list(await session.scalars(query.where(Household.area_id.in_(areas))))


def _invited_contacts(meeting: Meeting) -> Select[tuple[Contact]]:
    """The reachable chats of the meeting's invited households."""
    return (
        select(Contact)
        .join(MeetingInvite, MeetingInvite.household_id == Contact.household_id)
        .where(
            MeetingInvite.meeting_id == meeting.id,
            Contact.consent_at.is_not(None),
            Contact.blocked.is_(False),
        )
        .order_by(Contact.id)
    )


@dataclass(frozen=True, slots=True)
class Called:
    meeting: Meeting
    invited: int  # households


async def call(
    session: AsyncSession,
    *,
    area: Area,
    officer: Officer | None,
    starts_at: datetime,
    place: str,
    agenda: str,
    now: datetime,
    zone: ZoneInfo,
    deliver_at: datetime | None = None,
    group: LinkGroup | None = None,
) -> Called:
    """Create the meeting and queue an invitation to each joined household at once (to
    the members of ``group`` for a linkage group's meeting).

    ``deliver_at`` holds the invitations back (quiet hours) without delaying the meeting.
    """
    meeting = Meeting(
        area_id=area.id,
        officer_id=officer.id if officer else None,
        group_id=group.id if group else None,
        starts_at=starts_at,
        place=place.strip(),
        agenda=agenda.strip(),
        created_at=now,
    )
    session.add(meeting)
    await session.flush()
    households = await invitees(session, area.id, meeting.group_id)
    session.add_all(MeetingInvite(meeting_id=meeting.id, household_id=h.id) for h in households)
    await session.flush()
    contacts = list(await session.scalars(_invited_contacts(meeting)))
    group_name = group.name if group else None
    await notify(
        session,
        contacts,
        lambda t: invitation(t, meeting, zone, group_name),
        key=invite_key(meeting),
    )
    if deliver_at is not None and deliver_at > now:
        invited = _invited_contacts(meeting).with_only_columns(Contact.id).order_by(None)
        await session.execute(
            update(Outbox)
            .where(
                Outbox.contact_id.in_(invited),
                Outbox.key.startswith(f"{invite_key(meeting)}:"),
            )
            .values(not_before=deliver_at)
        )
    return Called(meeting, len(households))


def invite_key(meeting: Meeting) -> str:
    return f"meeting:{meeting.id}:invite"


def when(t: Translator, meeting: Meeting, zone: ZoneInfo) -> str:
    return t.datetime(meeting.starts_at.astimezone(zone))


def invitation(
    t: Translator, meeting: Meeting, zone: ZoneInfo, group_name: str | None = None
) -> Reply:
    heading = (
        t._("📅 Thư mời họp nhóm «{name}»").format(name=group_name)
        if group_name
        else t._("📅 Thư mời họp đối thoại hằng tháng")
    )
    lines = [
        heading,
        t._("Thời gian: {when}").format(when=when(t, meeting, zone)),
        t._("Địa điểm: {place}").format(place=meeting.place),
    ]
    if meeting.agenda:
        lines.append(t._("Nội dung: {agenda}").format(agenda=meeting.agenda))
    lines.append(
        t._(
            "Anh/chị có đến được không? Muốn hỏi gì trước, nhắn «hỏi: …» "
            "(ví dụ: hỏi: vay vốn nuôi bò thế nào?)."
        )
    )
    return Reply(
        "\n".join(lines),
        (
            (
                Button(t._("Sẽ đến"), f"meet:yes:{meeting.id}", means="yes"),
                Button(t._("Không đến được"), f"meet:no:{meeting.id}", means="no"),
            ),
        ),
    )


async def _upcoming_invite(
    session: AsyncSession, household_id: int, now: datetime, *more: ColumnElement[bool]
) -> tuple[MeetingInvite, Meeting] | None:
    """The household's invitation to its next meeting not yet started (among ``more``)."""
    found = await session.execute(
        select(MeetingInvite, Meeting)
        .join(Meeting, Meeting.id == MeetingInvite.meeting_id)
        .where(
            MeetingInvite.household_id == household_id,
            Meeting.starts_at > now,
            Meeting.held.is_(None),
            *more,
        )
        .order_by(Meeting.starts_at)
        .limit(1)
    )
    return found.tuples().first()


async def answer(
    session: AsyncSession, *, meeting_id: int, household_id: int, coming: bool, now: datetime
) -> Meeting | None:
    """Record a household's answer; ``None`` when it was not invited or the meeting is past."""
    found = await _upcoming_invite(
        session, household_id, now, MeetingInvite.meeting_id == meeting_id
    )
    if found is None:
        return None
    invite, meeting = found
    invite.answer, invite.answered_at = ("yes" if coming else "no"), now
    return meeting


async def ask(
    session: AsyncSession, *, household_id: int, question: str, now: datetime
) -> Meeting | None:
    """Keep a question for the household's next meeting; ``None`` when none is coming."""
    found = await _upcoming_invite(session, household_id, now)
    if found is None:
        return None
    invite, meeting = found
    questions = f"{invite.question}\n{question}" if invite.question else question
    invite.question = questions[:QUESTION_LIMIT]
    return meeting


@dataclass(frozen=True, slots=True)
class Question:
    code: str
    name: str
    text: str


@dataclass
class Summary:
    """The answers and questions of one meeting so far."""

    invited: int = 0
    coming: list[Household] = field(default_factory=list)
    not_coming: int = 0
    questions: list[Question] = field(default_factory=list)

    @property
    def unanswered(self) -> int:
        return self.invited - len(self.coming) - self.not_coming


async def summary(session: AsyncSession, meeting: Meeting) -> Summary:
    rows = await session.execute(
        select(MeetingInvite, Household)
        .join(Household, Household.id == MeetingInvite.household_id)
        .where(MeetingInvite.meeting_id == meeting.id)
        .order_by(Household.code)
    )
    result = Summary()
    for invite, household in rows:
        result.invited += 1
        if invite.answer == "yes":
            result.coming.append(household)
        elif invite.answer == "no":
            result.not_coming += 1
        if invite.question:
            result.questions.append(Question(household.code, household.head_name, invite.question))
    return result


def summary_text(t: Translator, found: Summary) -> str:
    lines = [
        t._(
            "Đã mời {invited} hộ: {coming} hộ sẽ đến, {not_coming} hộ không đến được, "
            "{unanswered} hộ chưa trả lời."
        ).format(
            invited=found.invited,
            coming=len(found.coming),
            not_coming=found.not_coming,
            unanswered=found.unanswered,
        )
    ]
    if found.questions:
        lines.append(t._("Câu hỏi bà con gửi trước:"))
        lines += [f"• {q.name} ({q.code}): {q.text}" for q in found.questions]
    else:
        lines.append(t._("Chưa có câu hỏi nào gửi trước."))
    return "\n".join(lines)


async def officer_contacts(session: AsyncSession, meeting: Meeting) -> list[Contact]:
    """The chats of the officer who called the meeting and of the area's officers."""
    officer_ids = await session.scalars(
        select(Officer.id).where(
            or_(
                and_(Officer.area_id == meeting.area_id, Officer.role == "officer"),
                Officer.id == meeting.officer_id,
            )
        )
    )
    return await people.officer_contacts(session, list(officer_ids))


async def coming_contacts(session: AsyncSession, meeting: Meeting) -> list[Contact]:
    """The chats of invited households that did not say they cannot come."""
    return list(
        await session.scalars(
            _invited_contacts(meeting).where(
                or_(MeetingInvite.answer.is_(None), MeetingInvite.answer != "no")
            )
        )
    )


async def may_manage(session: AsyncSession, officer: Officer, meeting: Meeting) -> bool:
    """An officer manages the meetings they called and those of their area and below."""
    if meeting.officer_id == officer.id:
        return True
    return meeting.area_id in await people.descendant_area_ids(session, officer.area_id)


async def awaiting_results(session: AsyncSession, officer: Officer, now: datetime) -> list[Meeting]:
    """Meetings the officer manages that have started and have no results yet, latest first."""
    areas = await people.descendant_area_ids(session, officer.area_id)
    return list(
        await session.scalars(
            select(Meeting)
            .where(
                or_(Meeting.area_id.in_(areas), Meeting.officer_id == officer.id),
                Meeting.starts_at <= now,
                Meeting.held.is_(None),
            )
            .order_by(Meeting.starts_at.desc())
            .limit(5)
        )
    )


async def attendees(
    session: AsyncSession, meeting: Meeting, codes: Sequence[str]
) -> tuple[list[Household], list[str]]:
    """The households of the meeting's area with these codes, and the codes not found."""
    return await people.households_by_codes(session, meeting.area_id, codes)


@dataclass(frozen=True, slots=True)
class Outcome:
    invited: int
    attended: int


async def record(
    session: AsyncSession, meeting: Meeting, attended: Sequence[int], issues: str | None
) -> Outcome:
    """Mark the meeting held with who came (walk-ins count as invited) and the issues."""
    invites = {
        invite.household_id: invite
        for invite in await session.scalars(
            select(MeetingInvite).where(MeetingInvite.meeting_id == meeting.id)
        )
    }
    for household_id in attended:
        if household_id not in invites:
            invites[household_id] = MeetingInvite(meeting_id=meeting.id, household_id=household_id)
            session.add(invites[household_id])
    came = set(attended)
    for household_id, invite in invites.items():
        invite.attended = household_id in came
    meeting.held = True
    meeting.issues_raised = issues.strip() if issues and issues.strip() else None
    return Outcome(invited=len(invites), attended=len(came))


async def held_between(
    session: AsyncSession, area_ids: Sequence[int], start: datetime, end: datetime
) -> list[tuple[Meeting, Outcome]]:
    """The dialogue meetings held in the areas in [start, end), with their attendance
    (a linkage group's meetings are the group's: see :func:`held_by_group`)."""
    meetings = list(
        await session.scalars(
            select(Meeting)
            .where(
                Meeting.area_id.in_(area_ids),
                Meeting.group_id.is_(None),
                Meeting.held.is_(True),
                Meeting.starts_at >= start,
                Meeting.starts_at < end,
            )
            .order_by(Meeting.starts_at)
        )
    )
    return await _with_outcomes(session, meetings)


async def held_by_group(
    session: AsyncSession, group_id: int, limit: int = 6
) -> list[tuple[Meeting, Outcome]]:
    """A linkage group's last meetings held, oldest first, with their attendance."""
    meetings = list(
        await session.scalars(
            select(Meeting)
            .where(Meeting.group_id == group_id, Meeting.held.is_(True))
            .order_by(Meeting.starts_at.desc())
            .limit(limit)
        )
    )
    return await _with_outcomes(session, meetings[::-1])


async def _with_outcomes(
    session: AsyncSession, meetings: list[Meeting]
) -> list[tuple[Meeting, Outcome]]:
    outcomes = []
    for meeting in meetings:
        invites = list(
            await session.scalars(
                select(MeetingInvite.attended).where(MeetingInvite.meeting_id == meeting.id)
            )
        )
        outcomes.append((meeting, Outcome(len(invites), sum(1 for a in invites if a))))
    return outcomes
