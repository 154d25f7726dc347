"""APScheduler wiring (issue 6): the ticks that call the reminder services.

Each tick opens its own transaction, asks :mod:`bot.services.reminders` what is due at
``clock()`` and queues it in the outbox with idempotency keys, so the scheduler itself
keeps no state: a restart (even in the middle of a tick, which then rolls back), a missed
tick or a second process never sends a reminder twice.  What a restart missed is made up
at once: every job also runs when the scheduler starts, and each one only acts on what is
due at that moment.  Only one process of a deployment should run it (``[scheduler]
enabled``); a second one would be harmless but wasteful.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.core.context import Clock
from bot.db import transaction
from bot.plans import milestones
from bot.services.messaging import retention
from bot.services.reminders import ticks
from bot.services.reminders.queueing import TickResult

log = logging.getLogger(__name__)

Tick = Callable[[AsyncSession, Settings, datetime], Awaitable[TickResult]]


def build_scheduler(
    *, sessions: async_sessionmaker[AsyncSession], settings: Settings, clock: Clock
) -> AsyncIOScheduler:
    """A scheduler (not started) with the minute, daily and monthly ticks, and the daily
    clean-up of old messages."""
    # APScheduler logs every run at INFO, a line a minute; its warnings (runs missed or
    # skipped) still show, and each tick logs what it queued.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    zone = ZoneInfo(settings.programme.timezone)
    config = settings.reminders
    scheduler = AsyncIOScheduler(
        timezone=zone,
        job_defaults={
            "coalesce": True,  # runs missed while the loop was busy become one
            "max_instances": 1,
            "misfire_grace_time": settings.scheduler.misfire_grace_hours * 3600,
        },
    )
    digest = settings.alerts.digest_time
    at_digest_time = CronTrigger(hour=digest.hour, minute=digest.minute, timezone=zone)
    jobs: tuple[tuple[str, Tick, CronTrigger], ...] = (
        ("reminders", ticks.tick, CronTrigger(minute="*", timezone=zone)),
        ("alerts and digest", ticks.daily, at_digest_time),
        ("milestone questions", milestones.ask_due, at_digest_time),
        (
            "monthly report",
            ticks.monthly,
            CronTrigger(
                day=config.report_due_day,
                hour=config.officer_time.hour,
                minute=config.officer_time.minute,
                timezone=zone,
            ),
        ),
    )
    started = datetime.now(zone)
    for name, job, trigger in jobs:
        scheduler.add_job(
            run_tick,
            trigger,
            args=(name, job, sessions, settings, clock),
            id=name,
            name=name,
            next_run_time=started,  # make up at once for what a restart missed
        )
    at = settings.retention.run_at
    scheduler.add_job(
        run_retention,
        CronTrigger(hour=at.hour, minute=at.minute, timezone=zone),
        args=(sessions, settings, clock),
        id="retention",
        name="retention",
    )
    return scheduler


async def run_retention(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, clock: Clock
) -> retention.Cleaned:
    """Redact and delete old messages (bot.services.messaging.retention), in one transaction."""
    async with transaction(sessions) as session:
        cleaned = await retention.clean(session, settings.retention, clock())
    log.info("retention: %s", cleaned.describe())
    return cleaned


async def run_tick(
    name: str,
    job: Tick,
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    clock: Clock,
) -> TickResult:
    """One tick in its own transaction: all of it is queued, or (on error) none of it."""
    now = clock()
    async with transaction(sessions) as session:
        result = await job(session, settings, now)
    if result.total or result.scan is not None:
        log.info("%s at %s: %s", name, now.isoformat(timespec="seconds"), result.describe())
    return result
