"""The plan's alerts, raised by the daily scan: an activity losing money three months
running, a plan with no activity in the diary, a milestone not answered."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.db import transaction
from bot.i18n import translator
from bot.plans import catalogue, tags
from bot.plans.plans import set_plan
from bot.services.alerts import alerts
from models import Alert, Entry, Household
from tests.dialog import seed_programme

NOW = datetime(2026, 12, 5, 3, 0, tzinfo=UTC)


async def _household(session: AsyncSession, code: str) -> Household:
    household = await session.scalar(select(Household).where(Household.code == code))
    assert household is not None
    return household


def _entry(
    household: Household, kind: str, category: str, amount: int, text: str, day: date
) -> Entry:
    return Entry(
        household_id=household.id,
        kind=kind,
        category=category,
        amount=amount,
        text=text,
        day=day,
        recorded_at=NOW,
    )


async def test_the_plan_rules(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    programme = await seed_programme(sessions, households=3)
    losing, paying, idle = (h.code for h in programme.households)
    async with transaction(sessions) as session:
        for code in (losing, paying, idle):
            household = await _household(session, code)
            await set_plan(
                session,
                household,
                activities=["nuoi_heo", "ga_vit"],
                catalogue=catalogue.default(),
                author="cli",
                now=datetime(2026, 8, 1, tzinfo=UTC),
                milestones=[(date(2026, 11, 10), "mua heo giống")] if code == idle else [],
            )
        for code, sale in ((losing, 100_000), (paying, 900_000)):
            household = await _household(session, code)
            for month in (9, 10, 11):
                session.add(
                    _entry(
                        household,
                        "expense",
                        "production",
                        500_000,
                        "mua cám heo",
                        date(2026, month, 3),
                    )
                )
                session.add(
                    _entry(household, "income", "livestock", sale, "bán heo", date(2026, month, 20))
                )
                # borrowing for the pigs is no income: it never counts
                session.add(
                    _entry(
                        household, "borrow", "loan", 9_000_000, "vay mua heo", date(2026, month, 2)
                    )
                )
            await session.flush()
            await tags.tag_entries(
                session, household.id, None, catalogue=catalogue.default(), now=NOW
            )
    async with transaction(sessions) as session:
        result = await alerts.scan(session, settings, NOW)
    raised = {(alert.rule, alert.household_id) for alert in result.raised}
    async with sessions() as session:
        ids = {code: (await _household(session, code)).id for code in (losing, paying, idle)}
    assert raised == {
        ("activity_losing", ids[losing]),
        ("plan_idle", ids[idle]),
        ("milestone_missed", ids[idle]),
    }
    async with sessions() as session:
        alert = await session.scalar(select(Alert).where(Alert.rule == "activity_losing"))
        assert alert is not None
        assert alerts.describe(translator("vi"), alert) == "Nuôi heo lỗ 3 tháng liền"
    # once is enough: the next day's scan raises nothing new
    async with transaction(sessions) as session:
        again = await alerts.scan(session, settings, NOW.replace(day=6))
    plan_rules = {"activity_losing", "plan_idle", "milestone_missed"}
    assert not [alert for alert in again.raised if alert.rule in plan_rules]
