"""Monthly dialogue meetings (issue 6, item 4): invitations, answers, questions, results."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.contract import Reply
from bot.db import transaction
from bot.i18n import translator
from bot.services import meetings
from bot.services.people.registry import add_area, add_household, add_officer, area_by_code
from models import Contact, Meeting, MeetingInvite, Officer, Outbox
from tests.dialog import Programme, seed_programme

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # 09:00 in Vietnam
STARTS = datetime(2026, 12, 2, 7, 0, tzinfo=UTC)  # 14:00 in Vietnam


async def setting(sessions: async_sessionmaker[AsyncSession]) -> Programme:
    """A commune with a hamlet below it and a second commune; chats joined or not."""
    programme = await seed_programme(sessions, households=3)
    async with transaction(sessions) as session:
        await add_area(session, code="H1", name="Ấp Một", kind="hamlet", parent="C1")
        await add_area(session, code="C2", name="Xã Khác", kind="commune", parent="P1")
        hamlet = await add_household(
            session, name="Hộ ấp", members=3, area="H1", now=NOW, ttl_days=30
        )
        elsewhere = await add_household(
            session, name="Hộ xã khác", members=3, area="C2", now=NOW, ttl_days=30
        )
        first, second, third = programme.households
        for n, (household_id, consent, blocked) in enumerate(
            (
                (first.id, NOW, False),
                (first.id, NOW, False),  # a second chat of the same household
                (second.id, NOW, True),  # blocked the bot
                (third.id, None, False),  # never agreed
                (hamlet.id, NOW, False),
                (elsewhere.id, NOW, False),
            )
        ):
            session.add(
                Contact(
                    channel="telegram",
                    address=str(100 + n),
                    household_id=household_id,
                    consent_at=consent,
                    blocked=blocked,
                    locale="en" if n == 1 else "vi",
                )
            )
    return programme


async def call(
    sessions: async_sessionmaker[AsyncSession],
    *,
    starts_at: datetime = STARTS,
    now: datetime = NOW,
    deliver_at: datetime | None = None,
) -> meetings.Called:
    async with transaction(sessions) as session:
        return await meetings.call(
            session,
            area=await area_by_code(session, "C1"),
            officer=await session.scalar(select(Officer)),
            starts_at=starts_at,
            place="Nhà văn hóa ấp 3",
            agenda="Vay vốn nuôi bò",
            now=now,
            zone=VN,
            deliver_at=deliver_at,
        )


async def test_invitations_go_to_the_joined_households_of_the_area_and_below(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    programme = await setting(sessions)
    called = await call(sessions)
    assert called.invited == 2  # the first household and the hamlet's
    async with sessions() as session:
        invited = set(
            await session.scalars(
                select(MeetingInvite.household_id).where(
                    MeetingInvite.meeting_id == called.meeting.id
                )
            )
        )
        rows = list(await session.scalars(select(Outbox).order_by(Outbox.id)))
    assert programme.households[0].id in invited and len(invited) == 2
    assert [row.address for row in rows] == ["100", "101", "104"]
    assert all(row.key.startswith(f"meeting:{called.meeting.id}:invite:") for row in rows)
    assert all(row.not_before is None for row in rows)
    vi, en = (Reply.from_json(row.body) for row in rows[:2])
    assert "Thư mời họp đối thoại" in vi.text and "14:00 02/12/2026" in vi.text
    assert "Nhà văn hóa ấp 3" in vi.text and "Vay vốn nuôi bò" in vi.text
    meeting_id = called.meeting.id
    assert [(b.label, b.payload) for b in vi.flat_buttons()] == [
        ("Sẽ đến", f"meet:yes:{meeting_id}"),
        ("Không đến được", f"meet:no:{meeting_id}"),
    ]
    assert [b.label for b in en.flat_buttons()] == ["I'll come", "I can't come"]


async def test_invitations_called_in_quiet_hours_wait_for_the_morning(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await setting(sessions)
    night = datetime(2026, 11, 25, 16, 0, tzinfo=UTC)  # 23:00 in Vietnam
    morning = datetime(2026, 11, 25, 23, 0, tzinfo=UTC)  # 06:00 the next day
    await call(sessions, now=night, deliver_at=morning)
    async with sessions() as session:
        held = list(await session.scalars(select(Outbox.not_before)))
    assert held == [morning] * 3


async def test_answers_can_change_until_the_meeting_starts(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    programme = await setting(sessions)
    meeting_id = (await call(sessions)).meeting.id
    first, second, _ = programme.households
    async with transaction(sessions) as session:
        answer = meetings.answer
        assert await answer(
            session, meeting_id=meeting_id, household_id=first.id, coming=False, now=NOW
        )
        assert await answer(
            session, meeting_id=meeting_id, household_id=first.id, coming=True, now=NOW
        )
        # Not invited (blocked the bot), or too late.
        assert not await answer(
            session, meeting_id=meeting_id, household_id=second.id, coming=True, now=NOW
        )
        assert not await answer(
            session, meeting_id=meeting_id, household_id=first.id, coming=False, now=STARTS
        )
        meeting = await session.get(Meeting, meeting_id)
        assert meeting is not None
        found = await meetings.summary(session, meeting)
    assert [h.code for h in found.coming] == [first.code]
    assert (found.invited, found.not_coming, found.unanswered) == (2, 0, 1)


async def test_questions_go_to_the_next_meeting_and_add_up(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    programme = await setting(sessions)
    household = programme.households[0].id
    later = (await call(sessions, starts_at=STARTS + timedelta(days=30))).meeting.id
    sooner = (await call(sessions)).meeting.id
    async with transaction(sessions) as session:
        for asked in ("Vay bao nhiêu?", "Lãi suất thế nào?"):
            found = await meetings.ask(session, household_id=household, question=asked, now=NOW)
            assert found is not None and found.id == sooner
        meeting = await session.get(Meeting, sooner)
        assert meeting is not None
        summary = await meetings.summary(session, meeting)
        # After the first meeting has started, a question goes to the next one.
        after = await meetings.ask(session, household_id=household, question="Còn gì?", now=STARTS)
        assert after is not None and after.id == later
        assert (
            await meetings.ask(
                session, household_id=household, question="?", now=STARTS + timedelta(days=31)
            )
            is None
        )
    [question] = summary.questions
    assert question.text == "Vay bao nhiêu?\nLãi suất thế nào?"
    text = meetings.summary_text(translator("vi"), summary)
    assert "Câu hỏi bà con gửi trước:" in text and "Hộ 1 (HO00001): Vay bao nhiêu?" in text


async def test_results_count_walk_ins_and_reach_the_month(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    programme = await setting(sessions)
    meeting_id = (await call(sessions)).meeting.id
    first, _, third = programme.households
    async with transaction(sessions) as session:
        meeting = await session.get(Meeting, meeting_id)
        assert meeting is not None
        households, unknown = await meetings.attendees(
            session, meeting, [first.code.lower(), f" {third.code} ", "HO00005", "XX1"]
        )
        # The household of another commune is not of this meeting.
        assert [h.code for h in households] == [first.code, third.code]
        assert unknown == ["HO00005", "XX1"]
        outcome = await meetings.record(
            session, meeting, [h.id for h in households], "  Thiếu nước tưới  "
        )
        assert (outcome.invited, outcome.attended) == (3, 2)  # a walk-in counts as invited
        month = await meetings.held_between(
            session,
            [meeting.area_id],
            datetime.combine(date(2026, 12, 1), time(), VN),
            datetime.combine(date(2027, 1, 1), time(), VN),
        )
    [(held, counted)] = month
    assert held.held is True and held.issues_raised == "Thiếu nước tưới"
    assert counted == outcome


async def test_who_manages_a_meeting(sessions: async_sessionmaker[AsyncSession]) -> None:
    programme = await setting(sessions)
    meeting_id = (await call(sessions)).meeting.id
    async with transaction(sessions) as session:
        other = await add_officer(
            session, name="Cán bộ B", area="C2", role="officer", now=NOW, ttl_days=30
        )
        admin = await add_officer(
            session, name="Quản trị", area="P1", role="admin", now=NOW, ttl_days=30
        )
        meeting = await session.get(Meeting, meeting_id)
        assert meeting is not None
        allowed = {}
        for created in (programme.officer, other, admin):
            officer = await session.get(Officer, created.id)
            assert officer is not None
            allowed[created.name] = await meetings.may_manage(session, officer, meeting)
            waiting = await meetings.awaiting_results(session, officer, STARTS)
            assert [m.id for m in waiting] == ([meeting_id] if allowed[created.name] else [])
    assert allowed == {"Cán bộ A": True, "Cán bộ B": False, "Quản trị": True}
