"""Leaving poverty and staying out: the status history, escapes counted by activity and
area in ``report models``, and the annual review sheet, to the đồng."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.db import transaction
from bot.plans import catalogue, status
from bot.plans.evidence import models_report
from bot.plans.review import annual_review
from bot.services.diary.poverty import line_for
from models import Household
from tests.cli.test_cli import sinhke
from tests.plans.synthetic import build_area

NOW = datetime(2027, 4, 1, tzinfo=UTC)


async def _change(session: AsyncSession, code: str, new: str, on: date) -> None:
    household = await session.scalar(select(Household).where(Household.code == code))
    assert household is not None
    await status.change_status(session, household, new, on=on, author="officer:1", now=NOW)


async def test_escapes_by_activity_and_area(
    sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    async with transaction(sessions) as session:
        truth = await build_area(session, seed=7, households=20, months=12, first=date(2026, 1, 1))
        lasting, relapsed, recent = list(truth.households)[:3]
        await _change(session, lasting, "escaped", date(2026, 3, 1))
        await _change(session, relapsed, "near_poor", date(2026, 2, 1))
        await _change(session, relapsed, "escaped", date(2026, 4, 1))
        await _change(session, relapsed, "near_poor", date(2026, 10, 1))
        await _change(session, recent, "escaped", date(2026, 11, 15))
        with pytest.raises(status.StatusError):  # before the last change
            await _change(session, recent, "poor", date(2026, 11, 1))
        with pytest.raises(status.StatusError):  # no such status
            await _change(session, recent, "rich", date(2026, 12, 1))
        report = await models_report(
            session,
            area_code="C1",
            start=date(2026, 1, 1),
            end=date(2026, 12, 1),
            catalogue=catalogue.default(),
            lines=settings.programme.poverty_lines,
            today=date(2027, 4, 1),
        )
    escaped = {lasting, relapsed, recent}
    for item in report.activities:
        followers = {code for code, follows in truth.follows.items() if item.code in follows}
        assert item.escaped == len(followers & escaped), item.code
        assert item.escaped_sustainably == len(followers & {lasting}), item.code
    [area] = report.areas
    assert (area.code, area.households, area.escaped, area.escaped_sustainably) == ("C1", 20, 3, 1)


async def test_the_review_sheet(
    sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    async with transaction(sessions) as session:
        truth = await build_area(session, seed=9, households=15, months=14, first=date(2025, 11, 1))
        review = await annual_review(
            session, area_code="C1", year=2026, lines=settings.programme.poverty_lines
        )
    line = line_for(settings.programme.poverty_lines, date(2026, 12, 1))
    assert [row.code for row in review.rows] == sorted(truth.households)
    for row in review.rows:
        months = [m for m in truth.covered[row.code] if m.startswith("2026")]
        net = sum(
            v for (code, m), v in truth.net.items() if code == row.code and m.startswith("2026")
        )
        assert row.months == len(months)
        expected = net // (truth.members[row.code] * len(months)) if months else None
        assert row.per_person == expected
        assert row.line == (line.urban if truth.urban[row.code] else line.rural)


@pytest.fixture
def config(tmp_path: Path, database_url: str, sessions: object) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[database]\nurl = "{database_url}"\n', encoding="utf-8")
    return path


async def test_the_commands(
    sessions: async_sessionmaker[AsyncSession], config: Path, tmp_path: Path
) -> None:
    async with transaction(sessions) as session:
        truth = await build_area(session, seed=3, households=4, months=3, first=date(2026, 9, 1))
    code = next(iter(truth.households))
    result = sinhke(
        "plan", "status", code, "escaped", "--on", "2026-10-01", "--by", "board", config=config
    )
    assert result.returncode == 0, result.stderr
    result = sinhke("plan", "status", code, "escaped", config=config)
    assert result.returncode == 2 and "already escaped" in result.stderr
    result = sinhke("plan", "history", code, "--json", config=config)
    shown = json.loads(result.stdout)
    assert shown["changes"] == [
        {"from": "poor", "to": "escaped", "on": "2026-10-01", "by": "board"}
    ]
    assert shown["escaped_on"] == "2026-10-01"
    out = tmp_path / "review.xlsx"
    result = sinhke(
        "report", "review", "--area", "C1", "--year", "2026", "--out", str(out), config=config
    )
    assert result.returncode == 0, result.stderr
    from openpyxl import load_workbook

    sheet = load_workbook(out).active
    assert sheet is not None
    assert [row[0] for row in sheet.iter_rows(min_row=5, values_only=True)] == sorted(
        truth.households
    )
