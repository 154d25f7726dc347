"""``sinhke group`` as an operator runs it: making a group, inviting and removing
households (each invited household is asked in chat), listing, one-line errors."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import GroupMember, Outbox
from tests.cli.test_cli import config, sinhke
from tests.dialog import seed_joined_households, seed_programme

__all__ = ["config"]  # the fixture, shared with the other CLI tests


async def test_group_add_members_list(
    config: Path, sessions: async_sessionmaker[AsyncSession]
) -> None:
    programme = await seed_programme(sessions, households=2)
    [chat] = await seed_joined_households(sessions, 1)
    first, second = (h.code for h in programme.households)
    made = await asyncio.to_thread(
        sinhke,
        "group", "add", "--area", "C1", "--name", "Nhóm nuôi bò", "--activity", "nuôi bò",
        "--leader", first, "--meeting-day", "20", "--json",
        config=config,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout) == {
        "group": 1, "name": "Nhóm nuôi bò", "area": "C1", "activity": "nuoi_bo"
    }  # fmt: skip
    added = await asyncio.to_thread(
        sinhke, "group", "members", "1", "--add", second, "--add", f"T{chat}", "--json",
        config=config,
    )  # fmt: skip
    assert json.loads(added.stdout) == {"group": 1, "invited": 2, "removed": 0}
    removed = await asyncio.to_thread(
        sinhke, "group", "members", "1", "--remove", second, config=config
    )
    assert removed.stdout.strip() == "group 1: 0 invited, 1 removed"
    listed = await asyncio.to_thread(sinhke, "group", "list", "--json", config=config)
    [row] = json.loads(listed.stdout)["groups"]
    assert row["members"] == {"invited": 2, "removed": 1} and row["meeting_day"] == 20
    async with sessions() as session:
        states = set((await session.execute(select(GroupMember.state))).scalars())
        # only the joined household has a chat: its invitation waits in the outbox
        keys = list(await session.scalars(select(Outbox.key)))
    assert states == {"invited", "removed"}
    assert len(keys) == 1 and keys[0].startswith("group:1:invite:")

    wrong = await asyncio.to_thread(
        sinhke, "group", "add", "--area", "C1", "--name", "X", "--activity", "khủng long",
        config=config,
    )  # fmt: skip
    assert wrong.returncode == 2 and wrong.stderr.startswith("sinhke: --activity 'khủng long'")
    stranger = await asyncio.to_thread(
        sinhke, "group", "members", "1", "--add", "HO99999", config=config
    )
    assert stranger.returncode == 2
    assert stranger.stderr.strip() == "sinhke: not households of the group's area: HO99999"
    day = await asyncio.to_thread(
        sinhke, "group", "add", "--area", "C1", "--name", "X", "--meeting-day", "31",
        config=config,
    )  # fmt: skip
    assert day.returncode == 2 and "1 to 28" in day.stderr
