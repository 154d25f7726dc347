"""Reminders (issue 6): due times, quiet hours, and ticks that never send twice."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import RemindersConfig, Settings
from bot.core.contract import Reply
from bot.db import transaction
from bot.scheduler import build_scheduler
from bot.services import meetings
from bot.services.alerts.alerts import raise_alert
from bot.services.messaging.notify import notify as real_notify
from bot.services.people.registry import area_by_code
from bot.services.reminders import ticks
from bot.services.reminders.queueing import TickResult
from bot.services.reminders.timing import Timing, iso_week
from models import Contact, Entry, Household, Loan, Meeting, Officer, Outbox
from tests.cli.test_cli import sinhke
from tests.dialog import Programme, seed_programme

VN = ZoneInfo("Asia/Ho_Chi_Minh")
WEDNESDAY = date(2026, 11, 25)  # not the weekly day (Sunday)
SUNDAY = date(2026, 11, 29)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """A moment given in Vietnam's local time, in UTC."""
    return datetime.combine(day, time(hour, minute), VN).astimezone(UTC)


def timing(quiet: tuple[int, int] = (21, 6), grace_hours: int = 6) -> Timing:
    return Timing(VN, time(quiet[0]), time(quiet[1]), timedelta(hours=grace_hours))


# --- due times (pure) -------------------------------------------------------------------


def test_window_runs_into_the_morning_when_quiet_hours_interrupt() -> None:
    # 19:00 + 6 waking hours: 19:00–21:00, then 06:00–10:00 the next day.
    start, end = timing().window(local(WEDNESDAY, 19))
    assert start == local(WEDNESDAY, 19)
    assert end == local(WEDNESDAY + timedelta(days=1), 10)


def test_a_time_in_quiet_hours_moves_to_their_end_across_month_and_year_ends() -> None:
    for day in (date(2027, 1, 31), date(2026, 12, 31), date(2028, 2, 29)):
        start, end = timing().window(local(day, 22, 30))
        assert start == local(day + timedelta(days=1), 6)
        assert end == local(day + timedelta(days=1), 12)
    # Early morning in quiet hours moves to the same morning.
    assert timing().window(local(WEDNESDAY, 5))[0] == local(WEDNESDAY, 6)
    # The end of quiet hours is already waking time; their start is not.
    assert timing().window(local(WEDNESDAY, 6))[0] == local(WEDNESDAY, 6)
    assert timing().window(local(WEDNESDAY, 21))[0] == local(WEDNESDAY + timedelta(days=1), 6)


def test_quiet_hours_within_one_day_and_none_at_all() -> None:
    lunch = timing(quiet=(12, 13), grace_hours=2)
    assert lunch.window(local(WEDNESDAY, 11, 30)) == (
        local(WEDNESDAY, 11, 30),
        local(WEDNESDAY, 14, 30),
    )
    assert lunch.quiet(local(WEDNESDAY, 12, 15)) and not lunch.quiet(local(WEDNESDAY, 13))
    always = timing(quiet=(0, 0))
    assert not always.quiet(local(WEDNESDAY, 3))
    assert always.window(local(WEDNESDAY, 23, 30))[1] == local(WEDNESDAY + timedelta(days=1), 5, 30)


def test_due_days_across_midnight() -> None:
    awake = timing(quiet=(0, 0))
    late = time(23, 30)
    assert awake.due_days(local(WEDNESDAY, 23, 29), late) == []
    assert awake.due_days(local(WEDNESDAY, 23, 30), late) == [WEDNESDAY]
    # A tick missed at 23:30 is made up after midnight, still for that day.
    assert awake.due_days(local(date(2026, 12, 1), 0, 10), late) == [date(2026, 11, 30)]
    assert awake.due_days(local(date(2026, 12, 1), 5, 31), late) == []
    # With quiet hours the 23:30 reminder waits for 06:00 of the next day.
    assert timing().due_days(local(date(2027, 2, 1), 0, 10), late) == []
    assert timing().due_days(local(date(2027, 2, 1), 6, 0), late) == [date(2027, 1, 31)]


def test_iso_week_at_the_year_end() -> None:
    assert iso_week(date(2026, 12, 31)) == "2026-W53"
    assert iso_week(date(2027, 1, 1)) == "2026-W53"
    assert iso_week(SUNDAY) == "2026-W48"


# --- ticks on the database --------------------------------------------------------------


async def join(
    sessions: async_sessionmaker[AsyncSession],
    *,
    household_id: int | None = None,
    officer_id: int | None = None,
    address: str,
    **extra: Any,
) -> int:
    async with transaction(sessions) as session:
        contact = Contact(
            channel="telegram",
            address=address,
            household_id=household_id,
            officer_id=officer_id,
            consent_at=local(WEDNESDAY - timedelta(days=3), 9),
            last_seen_at=local(WEDNESDAY - timedelta(days=1), 9),
            **extra,
        )
        session.add(contact)
        await session.flush()
        return contact.id


async def village(
    sessions: async_sessionmaker[AsyncSession], households: int = 2, **contact: Any
) -> Programme:
    programme = await seed_programme(sessions, households=households)
    for n, household in enumerate(programme.households):
        await join(sessions, household_id=household.id, address=str(100 + n), **contact)
    return programme


async def run(
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    now: datetime,
    job: Callable[[AsyncSession, Settings, datetime], Awaitable[TickResult]] = ticks.tick,
) -> TickResult:
    async with transaction(sessions) as session:
        return await job(session, settings, now)


async def queued(sessions: async_sessionmaker[AsyncSession], prefix: str = "") -> list[Outbox]:
    async with sessions() as session:
        rows = await session.scalars(select(Outbox).order_by(Outbox.id))
        return [row for row in rows if row.key.startswith(prefix)]


def text(row: Outbox) -> str:
    return Reply.from_json(row.body).text


async def write(
    sessions: async_sessionmaker[AsyncSession], household_id: int, day: date, recorded: datetime
) -> None:
    async with transaction(sessions) as session:
        session.add(
            Entry(
                household_id=household_id,
                kind="income",
                amount=50_000,
                category="livestock",
                day=day,
                text="bán trứng 50k",
                recorded_at=recorded,
            )
        )


async def test_daily_reminder_at_seven_once_even_after_a_restart(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await village(sessions)
    assert (await run(sessions, settings, local(WEDNESDAY, 18, 59))).total == 0
    first = await run(sessions, settings, local(WEDNESDAY, 19))
    assert first.queued == {"daily": 2}
    # A restart, or the next minute's tick: nothing more.
    assert (await run(sessions, settings, local(WEDNESDAY, 19))).total == 0
    assert (await run(sessions, settings, local(WEDNESDAY, 20, 30))).total == 0
    rows = await queued(sessions, "remind:daily:2026-11-25:")
    assert len(rows) == 2
    assert "Hôm nay nhà mình chưa ghi sổ" in text(rows[0])
    assert Reply.from_json(rows[0].body).flat_buttons()[0].payload == "set:reminder"


async def test_no_reminder_to_a_household_that_wrote_or_turned_them_off(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    programme = await village(sessions, households=3)
    wrote_today, wrote_for_today = programme.households[0].id, programme.households[1].id
    await write(sessions, wrote_today, WEDNESDAY - timedelta(days=1), local(WEDNESDAY, 8))
    await write(sessions, wrote_for_today, WEDNESDAY, local(WEDNESDAY, 18))
    off = await join(
        sessions, household_id=programme.households[2].id, address="999", reminders_on=False
    )
    await run(sessions, settings, local(WEDNESDAY, 19))
    async with sessions() as session:
        households = {
            contact.id: contact.household_id for contact in await session.scalars(select(Contact))
        }
    sent_to = [households[row.contact_id] for row in await queued(sessions) if row.contact_id]
    assert sent_to == [programme.households[2].id]  # its other chat, which left them on
    assert off not in [row.contact_id for row in await queued(sessions)]


async def test_reminder_time_in_quiet_hours_goes_in_the_morning_for_the_day_before(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await village(sessions, households=1, reminder_time=time(22, 30))
    last_of_january = date(2027, 1, 29)  # a Friday
    assert (await run(sessions, settings, local(last_of_january, 22, 30))).total == 0
    assert (
        await run(sessions, settings, local(last_of_january + timedelta(days=1), 5, 59))
    ).total == 0
    morning = await run(sessions, settings, local(last_of_january + timedelta(days=1), 6))
    assert morning.queued == {"daily": 1}
    [row] = await queued(sessions)
    assert row.key.startswith("remind:daily:2027-01-29:")
    assert "Ngày 29/01/2027 nhà mình chưa ghi sổ" in text(row)
    assert "ngày 29/1 bán trứng" in text(row)


async def test_a_missed_tick_is_made_up_within_the_grace_and_not_after(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await village(sessions, households=1)
    # Down from 18:00 to 10:00 the next day: the 19:00 reminder's waking grace has run out.
    assert (await run(sessions, settings, local(WEDNESDAY + timedelta(days=1), 10))).total == 0
    # Down until 09:59 instead: it still goes, late rather than never.
    assert (await run(sessions, settings, local(WEDNESDAY + timedelta(days=1), 9, 59))).total == 1


async def test_restart_in_the_middle_of_a_tick_queues_each_message_once(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    programme = await village(sessions)
    await add_loan(sessions, programme.households[0].id, due=WEDNESDAY + timedelta(days=3))
    calls = 0

    async def dies_on_the_second_send(*args: Any, **kwargs: Any) -> int:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("killed in the middle of a tick")
        return await real_notify(*args, **kwargs)

    monkeypatch.setattr("bot.services.reminders.queueing.notify", dies_on_the_second_send)
    with pytest.raises(RuntimeError):
        await run(sessions, settings, local(WEDNESDAY, 19))
    assert await queued(sessions) == []  # the transaction rolled back whole
    monkeypatch.setattr("bot.services.reminders.queueing.notify", real_notify)
    assert (await run(sessions, settings, local(WEDNESDAY, 19, 1))).queued == {
        "daily": 2,
        "loan": 1,
    }
    assert (await run(sessions, settings, local(WEDNESDAY, 19, 2))).total == 0
    keys = [row.key for row in await queued(sessions)]
    assert len(keys) == len(set(keys)) == 3


async def test_two_processes_at_once_send_each_reminder_once(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await village(sessions, households=3)
    outcomes = await asyncio.gather(
        *(run(sessions, settings, local(WEDNESDAY, 19)) for _ in range(2)),
        return_exceptions=True,
    )
    for outcome in outcomes:
        # SQLite refuses the second writer outright; it queues again on its next tick.
        if isinstance(outcome, BaseException):
            assert isinstance(outcome, OperationalError), outcome
    await run(sessions, settings, local(WEDNESDAY, 19, 1))
    keys = [row.key for row in await queued(sessions)]
    assert len(keys) == len(set(keys)) == 3


async def test_weekly_note_with_the_weeks_money_instead_of_the_daily_reminder(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    programme = await village(sessions, households=2)
    rich = programme.households[0].id
    await write(sessions, rich, SUNDAY - timedelta(days=2), local(SUNDAY - timedelta(days=2), 9))
    async with transaction(sessions) as session:
        session.add(
            Entry(
                household_id=rich,
                kind="expense",
                amount=80_000,
                category="food",
                day=SUNDAY - timedelta(days=6),
                recorded_at=local(SUNDAY - timedelta(days=6), 9),
            )
        )
    result = await run(sessions, settings, local(SUNDAY, 19))
    assert result.queued == {"weekly": 2}
    first, second = await queued(sessions, "remind:weekly:2026-W48:")
    assert "23/11/2026 – 29/11/2026" in text(first)
    assert "50.000" in text(first) and "80.000" in text(first)
    assert "Thiếu 30.000\xa0₫: chi nhiều hơn thu" in text(first)
    assert "Hôm nay nhà mình chưa ghi sổ" in text(first)
    assert "chưa ghi khoản nào" in text(second)
    assert await queued(sessions, "remind:daily:") == []
    assert (await run(sessions, settings, local(SUNDAY, 19, 5))).total == 0


async def add_loan(
    sessions: async_sessionmaker[AsyncSession], household_id: int, *, due: date
) -> None:
    async with transaction(sessions) as session:
        loan = Loan(household_id=household_id, lender="Ngân hàng Chính sách xã hội", due_on=due)
        session.add(loan)
        await session.flush()
        session.add(
            Entry(
                household_id=household_id,
                kind="borrow",
                amount=20_000_000,
                category="loan",
                day=date(2026, 1, 10),
                loan_id=loan.id,
            )
        )


async def test_loan_reminders_three_days_and_one_day_before_even_with_reminders_off(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    programme = await village(sessions, households=1, reminders_on=False)
    due = date(2026, 12, 1)  # over a month end
    await add_loan(sessions, programme.households[0].id, due=due)
    for days_before, expected in ((4, 0), (3, 1), (2, 0), (1, 1), (0, 0)):
        result = await run(sessions, settings, local(due - timedelta(days=days_before), 19))
        assert result.queued["loan"] == expected, days_before
    three, one = await queued(sessions, "remind:loan:")
    assert three.key.startswith("remind:loan:1:2026-12-01:3:")
    assert "Còn 3 ngày nữa, ngày 01/12/2026" in text(three)
    assert "Ngày mai (01/12/2026)" in text(one)
    assert "20.000.000" in text(one)


async def call_meeting(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, starts_at: datetime
) -> int:
    async with transaction(sessions) as session:
        officer = await session.scalar(select(Officer))
        called = await meetings.call(
            session,
            area=await area_by_code(session, "C1"),
            officer=officer,
            starts_at=starts_at,
            place="Nhà văn hóa ấp 3",
            agenda="Vay vốn nuôi bò",
            now=local(WEDNESDAY, 9),
            zone=VN,
        )
        return called.meeting.id


async def test_officer_meeting_reminders_three_days_before_and_on_the_morning(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    programme = await village(sessions, households=2, reminders_on=False)
    officer_chat = await join(sessions, officer_id=programme.officer.id, address="900")
    meeting_day = date(2026, 12, 2)
    meeting_id = await call_meeting(sessions, settings, local(meeting_day, 14))
    first, second = programme.households
    async with transaction(sessions) as session:
        await meetings.answer(
            session,
            meeting_id=meeting_id,
            household_id=first.id,
            coming=True,
            now=local(WEDNESDAY, 10),
        )
        await meetings.answer(
            session,
            meeting_id=meeting_id,
            household_id=second.id,
            coming=False,
            now=local(WEDNESDAY, 10),
        )
        await meetings.ask(
            session, household_id=first.id, question="Vay bao nhiêu?", now=local(WEDNESDAY, 10)
        )
    assert len(await queued(sessions, f"meeting:{meeting_id}:invite:")) == 2

    assert (await run(sessions, settings, local(meeting_day - timedelta(days=3), 6, 59))).total == 0
    before = await run(sessions, settings, local(meeting_day - timedelta(days=3), 7))
    assert before.queued == {"meeting": 1}
    [soon] = await queued(sessions, f"meeting:{meeting_id}:3days:")
    assert soon.contact_id == officer_chat
    assert "Sắp đến buổi họp" in text(soon) and "14:00 02/12/2026" in text(soon)
    assert "1 hộ sẽ đến, 1 hộ không đến được, 0 hộ chưa trả lời" in text(soon)
    assert "Hộ 1 (HO00001): Vay bao nhiêu?" in text(soon)

    morning = await run(sessions, settings, local(meeting_day, 7))
    # The officer, and the household coming (not the one that cannot).
    assert morning.queued == {"meeting": 2}
    rows = await queued(sessions, f"meeting:{meeting_id}:morning:")
    assert [row.contact_id for row in rows] == [officer_chat, 1]
    assert "Hôm nay họp đối thoại với bà con lúc 14:00" in text(rows[0])
    assert "hôm nay lúc 14:00 họp đối thoại" in text(rows[1])
    assert (await run(sessions, settings, local(meeting_day, 8))).total == 0
    # Nothing after the meeting has started.
    assert (await run(sessions, settings, local(meeting_day, 14, 1))).total == 0


async def test_daily_tick_scans_alerts_and_sends_the_officer_a_digest(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    programme = await village(sessions, households=1)
    await join(sessions, officer_id=programme.officer.id, address="900")
    today = WEDNESDAY
    async with transaction(sessions) as session:
        household = await session.get(Household, programme.households[0].id)
        assert household is not None
        await raise_alert(
            session, household, "urgent", "1", local(today - timedelta(days=3), 7), text="cứu"
        )
        silent = await session.scalar(select(Contact).where(Contact.household_id == household.id))
        assert silent is not None
        silent.last_seen_at = local(today - timedelta(days=30), 7)
    # Outside the digest time nothing happens, not even the scan.
    assert (await run(sessions, settings, local(today, 7, 29), ticks.daily)).scan is None
    result = await run(sessions, settings, local(today, 7, 30), ticks.daily)
    assert result.scan is not None and result.queued == {"digest": 1}
    [digest] = await queued(sessions, "digest:2026-11-25:")
    body = text(digest)
    assert "Cảnh báo mở đã 3 ngày" in body and "HO00001 Hộ 1: Tin nhắn khẩn" in body
    assert "Hộ chưa liên lạc 30 ngày nay" in body and "lần cuối 26/10/2026" in body
    again = await run(sessions, settings, local(today, 8), ticks.daily)
    assert again.queued == {}


async def test_report_due_day_sends_each_officer_last_months_workbook(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    programme = await village(sessions, households=1)
    officer_chat = await join(sessions, officer_id=programme.officer.id, address="900")
    meeting_id = await call_meeting(sessions, settings, local(date(2026, 11, 28), 14))
    async with transaction(sessions) as session:
        meeting = await session.get(Meeting, meeting_id)
        assert meeting is not None
        await meetings.record(session, meeting, [programme.households[0].id], "Thiếu nước tưới")
    due_day = date(2026, 12, 5)
    assert (
        await run(sessions, settings, local(due_day - timedelta(days=1), 7), ticks.monthly)
    ).total == 0
    result = await run(sessions, settings, local(due_day, 7), ticks.monthly)
    assert result.queued == {"report": 1}
    [row] = await queued(sessions, "report-due:2026-11:")
    assert row.contact_id == officer_chat
    assert "hạn nộp báo cáo tháng 11/2026" in text(row)
    assert "Họp đối thoại ngày 28/11/2026: 1/1 hộ đến." in text(row)
    assert "Thiếu nước tưới" in text(row)
    assert row.body["attachment"]["filename"] == "bao-cao-C1-2026-11.xlsx"
    assert row.attachment is not None
    load_workbook(io.BytesIO(row.attachment))  # a real workbook
    assert (await run(sessions, settings, local(due_day, 8), ticks.monthly)).total == 0


async def test_reminders_run_command_queues_once(
    tmp_path: Path,
    database_url: str,
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await village(sessions)
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "{database_url}"\n', encoding="utf-8")
    now = local(WEDNESDAY, 19).isoformat()
    first = await asyncio.to_thread(sinhke, "reminders", "run", "--now", now, config=config)
    assert first.returncode == 0, first.stderr
    assert "reminders: 2 queued (daily 2)" in first.stdout
    second = await asyncio.to_thread(sinhke, "reminders", "run", "--now", now, config=config)
    assert "reminders: 0 queued" in second.stdout
    assert len(await queued(sessions, "remind:daily:")) == 2


async def test_scheduler_makes_up_at_start_what_is_due(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await village(sessions)
    scheduler = build_scheduler(
        sessions=sessions, settings=settings, clock=lambda: local(WEDNESDAY, 20)
    )
    assert {job.id for job in scheduler.get_jobs()} == {
        "reminders",
        "alerts and digest",
        "milestone questions",
        "monthly report",
        "retention",
    }
    scheduler.start()
    try:
        for _ in range(100):
            if len(await queued(sessions)) == 2:
                break
            await asyncio.sleep(0.05)
    finally:
        scheduler.shutdown(wait=False)
    assert len(await queued(sessions, "remind:daily:2026-11-25:")) == 2


def test_config_defaults() -> None:
    config = RemindersConfig()
    assert config.default_time == time(19) and config.officer_time == time(7)
    assert Settings().scheduler.misfire_grace_hours == 6
