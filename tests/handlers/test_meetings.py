"""Meetings in chat (issue 6, item 4): /hop, the invitation's buttons, "hỏi: …", /ketquahop."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.core.contract import Reply
from bot.db import transaction
from bot.language.ahead import parse_when
from bot.services.people.registry import add_area, add_officer
from models import Audit, Meeting, MeetingInvite
from tests.dialog import (
    Dialog,
    FixedClock,
    MemoryChannel,
    joined_household,
    make_app,
    seed_programme,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 29, 10, 0, tzinfo=VN)


def test_parse_when() -> None:
    assert parse_when("05/12 14:00", NOW) == datetime(2026, 12, 5, 14, 0, tzinfo=VN)
    assert parse_when("14h30 5/12", NOW) == datetime(2026, 12, 5, 14, 30, tzinfo=VN)
    assert parse_when("lúc 2 giờ chiều, ngày 5.12", NOW) == datetime(2026, 12, 5, 14, tzinfo=VN)
    assert parse_when("5/12/2027 8:00", NOW) == datetime(2027, 12, 5, 8, tzinfo=VN)
    # Without a year: the next such day (January typed in November is next year's).
    assert parse_when("10/01 8:00", NOW) == datetime(2027, 1, 10, 8, tzinfo=VN)
    # Earlier today stays today, so the officer hears it has passed.
    assert parse_when("29/11 08:00", NOW) == datetime(2026, 11, 29, 8, tzinfo=VN)
    for wrong in ("ngày mai", "05/12", "31/02 14:00", "05/12 25:00", ""):
        assert parse_when(wrong, NOW) is None, wrong


class Village:
    """An officer and two households on one in-memory channel, with a settable clock."""

    def __init__(self, settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.channel = MemoryChannel()
        self.clock = FixedClock(NOW.astimezone(UTC))
        self.app = make_app(settings, sessions, self.channel, self.clock)
        self.officer = Dialog(self.app, self.channel, "900")
        self.first = Dialog(self.app, self.channel, "101")
        self.second = Dialog(self.app, self.channel, "102")

    async def join(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        programme = await seed_programme(sessions, households=2)
        await joined_household(self.officer, programme.officer.invite)
        await joined_household(self.first, programme.households[0].invite)
        await joined_household(self.second, programme.households[1].invite)

    def sent_to(self, address: str, since: int = 0) -> list[Reply]:
        return [reply for to, reply in self.channel.sent[since:] if to == address]


async def call_meeting(village: Village) -> int:
    officer = village.officer
    assert "lúc nào" in await officer.text("/hop")
    assert "chưa đọc được" in await officer.text("tuần sau")
    assert "đã qua" in await officer.text("29/11 08:00")
    assert "ở đâu" in await officer.text("05/12 14:00")
    assert "Nội dung" in await officer.text("Nhà văn hóa ấp 3")
    [preview] = await officer.say("Vay vốn nuôi bò")
    assert "Xã Thử" in preview.text and "14:00 05/12/2026" in preview.text
    assert "2 hộ" in preview.text
    assert [b.payload for b in preview.flat_buttons()] == ["meet:send", "meet:cancel"]
    since = len(village.channel.sent)
    assert "gửi thư mời tới 2 hộ" in await _press_text(officer, "meet:send")
    [invitation] = village.sent_to("101", since)
    assert "Vay vốn nuôi bò" in invitation.text
    meeting_id = int(invitation.flat_buttons()[0].payload.rsplit(":", 1)[1])
    assert [b.payload for b in invitation.flat_buttons()] == [
        f"meet:yes:{meeting_id}",
        f"meet:no:{meeting_id}",
    ]
    assert len(village.sent_to("102", since)) == 1
    return meeting_id


async def _press_text(dialog: Dialog, payload: str) -> str:
    return "\n".join(reply.text for reply in await dialog.press(payload))


async def test_officer_calls_a_meeting_and_households_answer_and_ask(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    village = Village(settings, sessions)
    await village.join(sessions)
    meeting_id = await call_meeting(village)

    assert "Hẹn gặp lúc 14:00 05/12/2026" in await _press_text(
        village.first, f"meet:yes:{meeting_id}"
    )
    assert "không đến được" in await _press_text(village.second, f"meet:no:{meeting_id}")
    assert "muốn hỏi gì" in await village.first.text("Hỏi:")
    assert "Đã ghi câu hỏi" in await village.first.text("hỏi: vay bao nhiêu được?")
    assert "Đã ghi câu hỏi" in await village.first.text("Hoi : lãi suất?")
    # Someone else's meeting, or a meeting that does not exist.
    assert "không còn nữa" in await _press_text(village.first, "meet:yes:999")
    async with sessions() as session:
        invites = {
            i.household_id: i
            for i in await session.scalars(
                select(MeetingInvite).where(MeetingInvite.meeting_id == meeting_id)
            )
        }
        meeting = await session.get(Meeting, meeting_id)
        actions = list(await session.scalars(select(Audit.action)))
    assert [i.answer for i in invites.values()] == ["yes", "no"]
    assert [i.question for i in invites.values()] == ["vay bao nhiêu được?\nlãi suất?", None]
    assert meeting is not None and meeting.place == "Nhà văn hóa ấp 3"
    assert meeting.agenda == "Vay vốn nuôi bò"
    assert meeting.starts_at == datetime(2026, 12, 5, 14, tzinfo=VN)
    assert "meeting.call" in actions

    # After the meeting: who came, and the issues raised.
    assert "Chưa có buổi họp nào" in await village.officer.text("/ketquahop")
    village.clock.now = datetime(2026, 12, 5, 17, tzinfo=VN).astimezone(UTC)
    assert "Hiện chưa có buổi họp nào sắp tới" in await village.first.text("hỏi: còn họp không?")
    [ask] = await village.officer.say("/ketquahop")
    assert "Hộ đã báo sẽ đến: HO00001" in ask.text
    assert [b.payload for b in ask.flat_buttons()] == ["meet:asplanned"]
    assert "Không có hộ mã HO00099" in await village.officer.text("HO00001, HO00099")
    assert "Đã ghi 2 hộ đến" in await village.officer.text("ho00001 HO00002")
    done = await village.officer.text("Bà con cần nước tưới")
    assert "2/2 hộ đến" in done and "báo cáo tháng" in done
    async with sessions() as session:
        meeting = await session.get(Meeting, meeting_id)
        attended = list(
            await session.scalars(
                select(MeetingInvite.attended).where(MeetingInvite.meeting_id == meeting_id)
            )
        )
    assert meeting is not None and meeting.held is True
    assert meeting.issues_raised == "Bà con cần nước tưới"
    assert attended == [True, True]
    assert "Chưa có buổi họp nào" in await village.officer.text("/ketquahop")


async def test_results_as_announced_and_no_issues(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    village = Village(settings, sessions)
    await village.join(sessions)
    meeting_id = await call_meeting(village)
    await village.first.press(f"meet:yes:{meeting_id}")
    village.clock.now = datetime(2026, 12, 6, 8, tzinfo=VN).astimezone(UTC)
    await village.officer.say("/ketquahop")
    assert "Đã ghi 1 hộ đến" in await _press_text(village.officer, "meet:asplanned")
    assert "1/2 hộ đến" in await village.officer.text("không có")
    async with sessions() as session:
        meeting = await session.get(Meeting, meeting_id)
    assert meeting is not None and meeting.held is True and meeting.issues_raised is None


async def test_households_cannot_call_meetings_and_officers_only_their_own(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    village = Village(settings, sessions)
    await village.join(sessions)
    assert "chỉ dành cho cán bộ" in await village.first.text("/hop")
    assert "chỉ dành cho cán bộ" in await village.first.text("/ketquahop")
    meeting_id = await call_meeting(village)
    async with transaction(sessions) as session:
        await add_area(session, code="C2", name="Xã Khác", kind="commune", parent="P1")
        stranger = await add_officer(
            session, name="Cán bộ B", area="C2", role="officer", now=NOW, ttl_days=30
        )
    other = Dialog(village.app, village.channel, "950")
    await joined_household(other, stranger.invite)
    assert "không thuộc địa bàn" in await _press_text(other, f"meet:result:{meeting_id}")
    async with sessions() as session:
        refused = list(
            await session.scalars(select(Audit.action).where(Audit.action == "meeting.refused"))
        )
    assert refused == ["meeting.refused"]


async def test_cancel_sends_nothing(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    village = Village(settings, sessions)
    await village.join(sessions)
    await village.officer.say("/hop")
    await village.officer.say("05/12 14:00")
    await village.officer.say("Nhà văn hóa")
    await village.officer.say("không có")
    since = len(village.channel.sent)
    assert "chưa gửi thư mời nào" in await _press_text(village.officer, "meet:cancel")
    assert "đã được tạo hoặc đã hủy" in await _press_text(village.officer, "meet:send")
    assert village.sent_to("101", since) == []
    async with sessions() as session:
        assert await session.scalar(select(Meeting)) is None
