"""A platform's monthly message quota: what was used this month, and warning the admins
before it runs out (once a month, whichever channel each admin uses)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.contract import Reply
from bot.i18n import Translator
from bot.services.messaging.notify import notify
from models import Contact, Officer, Outbox

WARN_SHARE = 0.8


def month_bounds(now: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The start of this month and of the next, in ``zone``, as aware datetimes."""
    local = now.astimezone(zone)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if start.month == 12:
        return start, start.replace(year=start.year + 1, month=1)
    return start, start.replace(month=start.month + 1)


async def sent_this_month(
    session: AsyncSession, channel: str, now: datetime, zone: ZoneInfo
) -> int:
    """Messages the outbox sent on ``channel`` since the month began in ``zone``."""
    start, following = month_bounds(now, zone)
    count = await session.scalar(
        select(func.count(Outbox.id)).where(
            Outbox.channel == channel,
            Outbox.status == "sent",
            Outbox.sent_at >= start,
            Outbox.sent_at < following,
        )
    )
    return int(count or 0)


async def warn_admins(
    session: AsyncSession,
    *,
    channel: str,
    used: int,
    quota: int,
    now: datetime,
    zone: ZoneInfo,
) -> int:
    """Queue a warning to each consenting admin contact, once per month (the outbox key
    says which month); the number of warnings newly queued."""
    month = now.astimezone(zone)
    contacts = (
        await session.scalars(
            select(Contact)
            .join(Officer, Contact.officer_id == Officer.id)
            .where(
                Officer.role == "admin",
                Contact.consent_at.is_not(None),
                Contact.blocked.is_(False),
            )
            .order_by(Contact.id)
        )
    ).all()

    def warning(t: Translator) -> Reply:
        return Reply(
            t._(
                "Bot đã gửi {used}/{quota} tin nhắn {channel} của tháng {month}. Hết hạn mức "
                "thì bot không gửi được tin trên {channel} cho tới đầu tháng sau."
            ).format(
                used=t.number(used),
                quota=t.number(quota),
                channel=channel.capitalize(),
                month=f"{month:%m/%Y}",
            )
        )

    return await notify(session, list(contacts), warning, key=f"{channel}-quota:{month:%Y-%m}")


async def check_quota(
    session: AsyncSession,
    *,
    channel: str,
    quota: int,
    now: datetime,
    zone: ZoneInfo,
) -> int:
    """Warn the admins when ``channel`` has used ``WARN_SHARE`` of its monthly quota;
    the number of warnings newly queued."""
    if quota <= 0:
        return 0
    used = await sent_this_month(session, channel, now, zone)
    if used < WARN_SHARE * quota:
        return 0
    return await warn_admins(
        session,
        channel=channel,
        used=used,
        quota=quota,
        now=now,
        zone=zone,
    )
