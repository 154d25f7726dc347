"""Issue 19, end to end: a group made with `sinhke group add` and `sinhke group members`
reaches its households on Telegram through the running `sinhke run`; both join, and a
tip shared with /chiase by one reaches the other, marked with the sharer's first name."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import transaction
from models import Household
from tests.cli.test_cli import sinhke
from tests.dialog import seed_programme
from tests.e2e.botprocess import BotProcess, write_config
from tests.e2e.test_meetings_telegram import join, payloads, press, to_chat
from tests.standins.telegram import DEFAULT_TOKEN, TelegramStandin

FIRST, SECOND = 8201, 8202


async def test_a_share_reaches_another_member(
    tmp_path: Path,
    database_url: str,
    telegram: TelegramStandin,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    config = write_config(
        tmp_path / "config.toml",
        database_url=database_url,
        api_base=telegram.base_url,
        token=DEFAULT_TOKEN,
    )
    bot = BotProcess(config)
    programme = await seed_programme(sessions, households=2)
    first, second = programme.households
    async with transaction(sessions) as session:
        await session.execute(
            update(Household).where(Household.id == first.id).values(head_name="Nguyễn Văn Ba")
        )
    await bot.start()
    try:
        await join(telegram, FIRST, first.invite)
        await join(telegram, SECOND, second.invite)
        since = len(telegram.sent)
        made = await asyncio.to_thread(
            sinhke, "group", "add", "--area", "C1", "--name", "Nhóm nuôi bò",
            "--leader", first.code, config=config,
        )  # fmt: skip
        assert made.returncode == 0, made.stderr
        added = await asyncio.to_thread(
            sinhke, "group", "members", "1", "--add", second.code, config=config
        )
        assert added.returncode == 0, added.stderr
        for chat, name_choice in ((FIRST, "yes"), (SECOND, "no")):
            invitation = await telegram.wait_for(to_chat(chat, "Nhóm nuôi bò"), since=since)
            [join_payload, _] = payloads(invitation)
            asked = await press(telegram, chat, invitation, join_payload, "thấy tên")
            member = join_payload.rsplit(":", 1)[1]
            await press(telegram, chat, asked, f"grp:name:{name_choice}:{member}", "Dạ")

        since = len(telegram.sent)
        telegram.push_text(FIRST, "/chiase Cho bò ăn cỏ voi ủ chua")
        await telegram.wait_for(to_chat(FIRST, "Đã gửi tới nhóm"), since=since)
        shared = await telegram.wait_for(to_chat(SECOND, "Cho bò ăn cỏ voi"), since=since)
        assert (shared.text or "").startswith("💬 Nhóm «Nhóm nuôi bò» – Ba chia sẻ:")
        assert payloads(shared)[0].startswith("grp:re:")
        assert await bot.stop() == 0, bot.output()
    finally:
        if bot.process is not None and bot.process.returncode is None:
            await bot.kill()
