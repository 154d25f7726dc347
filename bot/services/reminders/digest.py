"""The officer's daily digest: alerts raised and resolved, alerts left open, households
gone silent and requests for help nobody took."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from bot.config import Settings
from bot.core.contract import Reply
from bot.i18n import Translator
from bot.services.alerts import alerts
from bot.services.people import people
from bot.services.reminders.queueing import TickResult, send, unsent
from bot.services.reminders.timing import Timing
from models import Alert, Case, Contact, Household, Officer

LIST_LIMIT = 10  # households or alerts named in one digest section; the rest are counted


@dataclass
class Digest:
    """What an officer hears about in one day's digest."""

    raised: int = 0
    resolved: int = 0
    long_open: list[tuple[Household, Alert]] = field(default_factory=list)
    silent: list[tuple[Household, date]] = field(default_factory=list)
    open_cases: int = 0

    def __bool__(self) -> bool:
        return bool(
            self.raised or self.resolved or self.long_open or self.silent or self.open_cases
        )


async def send_digest(
    session: AsyncSession,
    settings: Settings,
    timing: Timing,
    day: date,
    officer: Officer,
    result: TickResult,
) -> None:
    key = f"digest:{day.isoformat()}"
    contacts = await unsent(session, key, await people.officer_contacts(session, [officer.id]))
    if not contacts:
        return
    clock = settings.alerts.digest_time
    since, until = timing.at(day - timedelta(days=1), clock), timing.at(day, clock)
    found = await digest_of(session, timing, settings, officer, since, until)
    if found:
        await send(
            session,
            result,
            "digest",
            key,
            contacts,
            lambda t: digest_message(t, settings, day, found),
        )


async def digest_of(
    session: AsyncSession,
    timing: Timing,
    settings: Settings,
    officer: Officer,
    since: datetime,
    until: datetime,
) -> Digest:
    """The officer's households' news in (since, until]: alerts raised and resolved, alerts
    that have just been open ``open_alert_days``, households that have just gone
    ``silent_days`` without a word, and requests for help nobody took."""
    households = {
        h.id: h
        for h in await session.scalars(
            select(Household).where((await people.sight_of(session, officer)).clause())
        )
    }
    if not households:
        return Digest()
    ids = list(households)
    mine = Alert.household_id.in_(ids)
    found = Digest(
        raised=await _count(
            session, Alert.id, mine, Alert.raised_at > since, Alert.raised_at <= until
        ),
        resolved=await _count(
            session, Alert.id, mine, Alert.resolved_at > since, Alert.resolved_at <= until
        ),
        open_cases=await _count(
            session, Case.id, Case.household_id.in_(ids), Case.status == "open"
        ),
    )
    aged = timedelta(days=settings.reminders.open_alert_days)
    for alert in await session.scalars(
        select(Alert)
        .where(
            mine,
            Alert.status != "resolved",
            Alert.raised_at > since - aged,
            Alert.raised_at <= until - aged,
        )
        .order_by(Alert.raised_at)
    ):
        found.long_open.append((households[alert.household_id], alert))
    # A household is heard from when one of its chats writes (or first joins).
    silence = timedelta(days=settings.reminders.silent_days)
    heard = await session.execute(
        select(
            Contact.household_id, func.max(func.coalesce(Contact.last_seen_at, Contact.consent_at))
        )
        .where(Contact.household_id.in_(ids), Contact.consent_at.is_not(None))
        .group_by(Contact.household_id)
        .order_by(Contact.household_id)
    )
    for household_id, last in heard:
        if since - silence < last <= until - silence:
            found.silent.append((households[household_id], timing.day_of(last)))
    return found


async def _count(
    session: AsyncSession, column: InstrumentedAttribute[int], *where: ColumnElement[bool]
) -> int:
    return int(await session.scalar(select(func.count(column)).where(*where)) or 0)


def digest_message(t: Translator, settings: Settings, day: date, found: Digest) -> Reply:
    lines = [t._("Tin tóm tắt ngày {date}:").format(date=t.date(day))]
    if found.raised or found.resolved:
        lines.append(
            t._("• Cảnh báo mới: {raised}; đã xử lý xong: {resolved}.").format(
                raised=found.raised, resolved=found.resolved
            )
        )
    if found.long_open:
        lines.append(
            t._("• Cảnh báo mở đã {days} ngày mà chưa xử lý xong:").format(
                days=settings.reminders.open_alert_days
            )
        )
        lines += _named(
            t,
            [f"{h.code} {h.head_name}: {alerts.describe(t, a)}" for h, a in found.long_open],
        )
    if found.silent:
        lines.append(
            t._("• Hộ chưa liên lạc {days} ngày nay:").format(days=settings.reminders.silent_days)
        )
        lines += _named(
            t,
            [
                t._("{code} {name} (lần cuối {date})").format(
                    code=h.code, name=h.head_name, date=t.date(last)
                )
                for h, last in found.silent
            ],
        )
    if found.open_cases:
        lines.append(t._("• Yêu cầu giúp đỡ chưa ai nhận: {count}.").format(count=found.open_cases))
    lines.append(t._("Gõ /canhbao để xem các cảnh báo đang mở."))
    return Reply("\n".join(lines))


def _named(t: Translator, items: list[str]) -> list[str]:
    shown = [f"  – {item}" for item in items[:LIST_LIMIT]]
    if len(items) > LIST_LIMIT:
        shown.append("  " + t._("… và {more} hộ khác.").format(more=len(items) - LIST_LIMIT))
    return shown
