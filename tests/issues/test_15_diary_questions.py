"""Issue 15: a sum over the ceiling and a price per unit are asked back in the chat, and
the answer records the right sum (never the unit price, never a sum nobody confirmed)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from models import Entry
from tests.dialog import (
    joined_dialog,
)


async def entries(sessions: async_sessionmaker[AsyncSession]) -> list[tuple[str, int, str]]:
    async with sessions() as session:
        rows = await session.execute(
            select(Entry.kind, Entry.amount, Entry.category)
            .where(Entry.deleted_at.is_(None))
            .order_by(Entry.id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


async def test_a_large_sum_is_recorded_only_once_confirmed(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    dialog = await joined_dialog(settings, sessions)
    [question] = await dialog.say("bán heo 3 tỷ")
    assert "3.000.000.000" in question.text and "đúng không" in question.text
    assert [b.payload for b in question.flat_buttons()] == ["large:yes", "large:no"]
    assert await entries(sessions) == []
    no = await dialog.press("large:no")
    assert "chưa ghi" in no[0].text and await entries(sessions) == []

    await dialog.say("bán heo 3 tỷ")
    await dialog.press("large:yes")
    assert await entries(sessions) == [("income", 3_000_000_000, "livestock")]


async def test_a_large_sum_corrected_by_typing_the_right_one(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    dialog = await joined_dialog(settings, sessions)
    await dialog.say("ban heo 3 ty")
    await dialog.say("3 triệu")
    assert await entries(sessions) == [("income", 3_000_000, "livestock")]


async def test_a_unit_price_asks_for_the_total(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    dialog = await joined_dialog(settings, sessions)
    asked = await dialog.text("bán khóm 8 ngàn một ký")
    assert "8.000" in asked and "Tổng cộng" in asked
    assert await entries(sessions) == []
    recorded = await dialog.text("50 ký")
    assert "400.000" in recorded
    await dialog.say("mua 2 bao phân mỗi bao 400k")
    assert await entries(sessions) == [
        ("income", 400_000, "crop"),
        ("expense", 800_000, "production"),
    ]
