"""`sinhke area list`, `officer list`, `household list [--area] [--json]`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import transaction
from bot.services.people.registry import add_area, add_household, add_officer
from models import Contact, Household
from tests.cli.test_cli import config, sinhke

__all__ = ["config"]  # the fixture: a config on the emptied test database

NOW = datetime(2026, 11, 29, tzinfo=UTC)


async def seed(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with transaction(sessions) as session:
        await add_area(session, code="P1", name="Tỉnh", kind="province")
        await add_area(session, code="C1", name="Xã Một", kind="commune", parent="P1")
        await add_area(session, code="C2", name="Xã Hai", kind="commune", parent="P1")
        await add_area(session, code="H1", name="Ấp Một", kind="hamlet", parent="C1")
        await add_officer(
            session, name="Cán bộ Lan", area="C1", role="officer", now=NOW, ttl_days=9
        )
        await add_officer(session, name="Quản trị", area="P1", role="admin", now=NOW, ttl_days=9)
        for name, area in (("Hộ Ba", "C1"), ("Hộ Tư", "H1"), ("Hộ Năm", "C2")):
            await add_household(session, name=name, members=4, area=area, now=NOW, ttl_days=9)
        first = await session.scalar(select(Household.id).where(Household.head_name == "Hộ Ba"))
        session.add(Contact(channel="telegram", address="1", household_id=first, consent_at=NOW))


def table(text: str) -> list[list[str]]:
    return [line.split() for line in text.splitlines()]


async def test_lists_as_tables_and_json(
    config: Path, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await seed(sessions)
    areas = sinhke("area", "list", config=config)
    assert areas.returncode == 0, areas.stderr
    assert table(areas.stdout)[0] == ["code", "name", "kind", "parent", "households"]
    assert ["C1", "Xã", "Một", "commune", "P1", "1"] in table(areas.stdout)
    officers = sinhke("officer", "list", "--json", config=config)
    assert [json.loads(line) for line in officers.stdout.splitlines()] == [
        {"code": "CB0001", "name": "Cán bộ Lan", "role": "officer", "area": "C1", "chats": 0},
        {"code": "CB0002", "name": "Quản trị", "role": "admin", "area": "P1", "chats": 0},
    ]
    # An area's households include those of the areas below it.
    commune = sinhke("household", "list", "--area", "C1", "--json", config=config)
    rows = [json.loads(line) for line in commune.stdout.splitlines()]
    assert [(row["name"], row["area"], row["chats"]) for row in rows] == [
        ("Hộ Ba", "C1", 1),
        ("Hộ Tư", "H1", 0),
    ]
    assert rows[0]["officer"] == "CB0001" and rows[0]["members"] == 4
    everyone = sinhke("household", "list", config=config)
    assert len(table(everyone.stdout)) == 4  # the header and three households
    unknown = sinhke("household", "list", "--area", "XX", config=config)
    assert unknown.returncode == 2 and "no area with code 'XX'" in unknown.stderr


def test_an_empty_database_lists_nothing(config: Path) -> None:
    result = sinhke("household", "list", config=config)
    assert result.returncode == 0 and result.stdout.strip() == "(none)"
