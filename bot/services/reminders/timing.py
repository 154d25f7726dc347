"""When a reminder is due: local times, quiet hours and the grace of late sends (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.config import Settings


@dataclass(frozen=True, slots=True)
class Timing:
    """Local times, quiet hours and the grace of late sends.  Moments are aware (UTC)."""

    zone: ZoneInfo
    quiet_start: time
    quiet_end: time
    grace: timedelta

    @classmethod
    def of(cls, settings: Settings) -> Timing:
        return cls(
            zone=ZoneInfo(settings.programme.timezone),
            quiet_start=settings.reminders.quiet_start,
            quiet_end=settings.reminders.quiet_end,
            grace=timedelta(hours=settings.scheduler.misfire_grace_hours),
        )

    def at(self, day: date, moment: time) -> datetime:
        """The moment of ``day`` at the local time ``moment``, in UTC."""
        return datetime.combine(day, moment, self.zone).astimezone(UTC)

    def day_of(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    @property
    def has_quiet(self) -> bool:
        return self.quiet_start != self.quiet_end

    def quiet(self, moment: datetime) -> bool:
        local = moment.astimezone(self.zone).time()
        start, end = self.quiet_start, self.quiet_end
        if start < end:
            return start <= local < end
        return self.has_quiet and (local >= start or local < end)

    def next_at(self, moment: datetime, clock: time) -> datetime:
        """The first moment at or after ``moment`` whose local time is ``clock``."""
        today = self.day_of(moment)
        candidate = self.at(today, clock)
        return candidate if candidate >= moment else self.at(today + timedelta(days=1), clock)

    def waking(self, moment: datetime) -> datetime:
        """``moment``, or the end of the quiet hours it falls in."""
        return self.next_at(moment, self.quiet_end) if self.quiet(moment) else moment

    def window(self, due: datetime) -> tuple[datetime, datetime]:
        """When a reminder due at ``due`` may be sent: from the first waking moment, for
        ``grace`` of waking time (a quiet night in between does not use it up)."""
        start = self.waking(due)
        end, left = start, self.grace
        while self.has_quiet:
            pause = self.next_at(end, self.quiet_start)
            if end + left <= pause:
                break
            left -= pause - end
            end = self.next_at(pause, self.quiet_end)
        return start, end + left

    def is_due(self, due: datetime, now: datetime) -> bool:
        start, end = self.window(due)
        return start <= now < end

    def due_days(self, now: datetime, clock: time) -> list[date]:
        """The local days whose ``clock`` time is due at ``now`` (oldest first).  Three
        days back cover the longest window: a day of grace plus two quiet nights."""
        today = self.day_of(now)
        days = (today - timedelta(days=back) for back in range(3, -1, -1))
        return [day for day in days if self.is_due(self.at(day, clock), now)]


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
