"""The report's due day: each officer gets last month's report of their area as a workbook."""

from __future__ import annotations

from datetime import time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.core.contract import Attachment, Reply
from bot.i18n import Translator
from bot.services import meetings
from bot.services.diary import ledger
from bot.services.people import people
from bot.services.reminders.queueing import TickResult, send, unsent
from bot.services.reminders.timing import Timing
from bot.services.reports.reports import monthly_report
from models import Area, Meeting

ISSUES_SHOWN = 300  # characters of a meeting's issues in the report-due message


async def send_report_due(
    session: AsyncSession,
    settings: Settings,
    timing: Timing,
    month: ledger.Period,
    area_id: int,
    officer_ids: list[int],
    result: TickResult,
) -> None:
    key = f"report-due:{month.start:%Y-%m}"
    contacts = await unsent(session, key, await people.officer_contacts(session, officer_ids))
    if not contacts:
        return
    area = await session.get(Area, area_id)
    assert area is not None
    report = await monthly_report(
        session, area_code=area.code, month=month.start, settings=settings
    )
    held = await meetings.held_between(
        session,
        await people.descendant_area_ids(session, area_id),
        timing.at(month.start, time()),
        timing.at(month.end + timedelta(days=1), time()),
    )
    books: dict[str, bytes] = {}

    from bot.services.rendering.report_book import to_xlsx  # openpyxl: loaded when a report is made

    def make(t: Translator) -> Reply:
        if t.locale not in books:
            books[t.locale] = to_xlsx(report, locale=t.locale)
        return report_due_message(t, area, month, held, books[t.locale], timing.zone)

    await send(session, result, "report", key, contacts, make)


def report_due_message(
    t: Translator,
    area: Area,
    month: ledger.Period,
    held: list[tuple[Meeting, meetings.Outcome]],
    workbook: bytes,
    zone: ZoneInfo,
) -> Reply:
    label = f"{month.start.month:02d}/{month.start.year}"
    lines = [
        t._(
            "📊 Hôm nay là hạn nộp báo cáo tháng {month}. Bot đã lập sẵn báo cáo của {area} "
            "(tệp đính kèm), anh/chị xem lại rồi nộp nhé."
        ).format(month=label, area=area.name)
    ]
    for meeting, outcome in held:
        lines.append(
            t._("Họp đối thoại ngày {date}: {attended}/{invited} hộ đến.").format(
                date=t.date(meeting.starts_at.astimezone(zone).date()),
                attended=outcome.attended,
                invited=outcome.invited,
            )
        )
        if meeting.issues_raised:
            issues = meeting.issues_raised
            # Telegram shows at most 1024 characters beside a file.
            issues = issues if len(issues) <= ISSUES_SHOWN else issues[: ISSUES_SHOWN - 1] + "…"
            lines.append(t._("Vấn đề bà con nêu: {issues}").format(issues=issues))
    return Reply(
        "\n".join(lines),
        attachment=Attachment(f"bao-cao-{area.code}-{month.start:%Y-%m}.xlsx", workbook),
    )
