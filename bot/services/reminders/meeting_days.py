"""Reminding officers and the households coming of a dialogue meeting."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.core.contract import Reply
from bot.i18n import Translator
from bot.services import meetings
from bot.services.reminders.queueing import TickResult, queue
from bot.services.reminders.timing import Timing
from models import Meeting


async def meeting_reminders(
    session: AsyncSession, settings: Settings, timing: Timing, now: datetime, result: TickResult
) -> None:
    """Officers: some days before a meeting and on its morning, with the answers so far;
    the households still coming: on the morning."""
    config = settings.reminders
    upcoming = await session.scalars(
        select(Meeting).where(
            Meeting.held.is_(None),
            Meeting.starts_at > now,
            Meeting.starts_at <= now + timedelta(days=config.meeting_days_before + 2),
        )
    )
    for meeting in upcoming:
        day = timing.day_of(meeting.starts_at)
        before = timing.at(day - timedelta(days=config.meeting_days_before), config.officer_time)
        # Early meetings get their morning reminder an hour ahead at the latest.
        morning = min(timing.at(day, config.officer_time), meeting.starts_at - timedelta(hours=1))
        for which, due in ((f"{config.meeting_days_before}days", before), ("morning", morning)):
            # A reminder due before the meeting was called would repeat the invitation.
            if due < meeting.created_at or not timing.is_due(due, now):
                continue
            key = f"meeting:{meeting.id}:{which}"
            found = await meetings.summary(session, meeting)
            await queue(
                session,
                result,
                "meeting",
                key,
                await meetings.officer_contacts(session, meeting),
                partial(
                    meeting_reminder,
                    meeting=meeting,
                    zone=timing.zone,
                    found=found,
                    soon=which != "morning",
                ),
            )
            if which == "morning":
                await queue(
                    session,
                    result,
                    "meeting",
                    key,
                    await meetings.coming_contacts(session, meeting),
                    partial(meeting_morning, meeting=meeting, zone=timing.zone),
                )


def meeting_reminder(
    t: Translator, meeting: Meeting, zone: ZoneInfo, found: meetings.Summary, *, soon: bool
) -> Reply:
    local = meeting.starts_at.astimezone(zone)
    if soon:
        heading = t._("📅 Sắp đến buổi họp đối thoại với bà con: {when}, tại {place}.").format(
            when=t.datetime(local), place=meeting.place
        )
    else:
        heading = t._("📅 Hôm nay họp đối thoại với bà con lúc {time}, tại {place}.").format(
            time=local.strftime("%H:%M"), place=meeting.place
        )
    return Reply(f"{heading}\n{meetings.summary_text(t, found)}")


def meeting_morning(t: Translator, meeting: Meeting, zone: ZoneInfo) -> Reply:
    return Reply(
        t._(
            "📅 Nhắc anh/chị: hôm nay lúc {time} họp đối thoại ở {place}. "
            "Muốn hỏi gì trước, nhắn «hỏi: …» nhé."
        ).format(time=meeting.starts_at.astimezone(zone).strftime("%H:%M"), place=meeting.place)
    )
