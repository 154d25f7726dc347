"""A synthetic area with known profit per activity: tagging, the plan's figures, ``plan
show --json`` and ``report models`` come to the known answer, to the đồng."""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.db import transaction
from bot.plans import catalogue as catalogues
from bot.plans import tags
from bot.plans.evidence import models_report
from bot.plans.plans import progress, set_plan
from bot.services.diary.poverty import line_for
from models import Entry, EntryActivity, Household
from tests.cli.test_cli import sinhke
from tests.plans.synthetic import Truth, build_area

FIRST = date(2025, 11, 1)
MONTHS = 14  # 2025-11 … 2026-12
NOW = datetime(2027, 1, 10, 3, 0, tzinfo=UTC)


async def _area(sessions: async_sessionmaker[AsyncSession]) -> tuple[Truth, Truth]:
    """Area C1 (the one reported) and C2 (another commune), tagged the real way: by
    their words, and by the household's answer where several activities fit."""
    async with transaction(sessions) as session:
        truth = await build_area(session, seed=17, households=60, months=MONTHS, first=FIRST)
        other = await build_area(
            session,
            seed=18,
            households=8,
            months=MONTHS,
            first=FIRST,
            area_code="C2",
            prefix="HK",
        )
    catalogue = catalogues.default()
    async with transaction(sessions) as session:
        for known in (truth, other):
            for hid in known.households.values():
                untold = await tags.tag_entries(session, hid, None, catalogue=catalogue, now=NOW)
                for item in untold:
                    assert item.entry_id in known.asked, item
                    assert known.asked[item.entry_id] in item.choices
                    entry = await session.get(Entry, item.entry_id)
                    assert entry is not None
                    await tags.set_tag(
                        session, entry, known.asked[item.entry_id], source="asked", now=NOW
                    )
    return truth, other


def _quartiles(values: list[float]) -> dict[str, float | int | None]:
    ordered = sorted(values)
    if not ordered:
        return {"n": 0, "q1": None, "median": None, "q3": None}

    def rank(q: float) -> float:
        return ordered[max(0, math.ceil(q * len(ordered)) - 1)]

    return {"n": len(ordered), "q1": rank(0.25), "median": rank(0.5), "q3": rank(0.75)}


def expected_report(truth: Truth, settings: Settings) -> list[dict[str, object]]:
    """What ``report models`` must say, worked out from the truth alone."""
    line = line_for(settings.programme.poverty_lines, date(2026, 12, 1))
    catalogue = catalogues.default()
    rows = []
    for activity in catalogue.activities:
        codes = [code for code, follows in truth.follows.items() if activity.code in follows]
        if not codes:
            continue
        writing = [code for code in codes if truth.covered[code]]
        sums = [truth.money.get((code, activity.code), [0, 0]) for code in writing]
        above = 0
        for code in writing:
            net = sum(v for (c, _), v in truth.net.items() if c == code)
            per_person = net // (truth.members[code] * len(truth.covered[code]))
            above += per_person > (line.urban if truth.urban[code] else line.rural)
        rows.append(
            {
                "code": activity.code,
                "name": activity.vi,
                "households": len(codes),
                "households_with_data": len(writing),
                "household_months": sum(len(truth.covered[code]) for code in writing),
                "money_in": sum(s[0] for s in sums),
                "money_out": sum(s[1] for s in sums),
                "profit": sum(s[0] - s[1] for s in sums),
                "profit_per_month": _quartiles(
                    [
                        (s[0] - s[1]) // len(truth.covered[code])
                        for code, s in zip(writing, sums, strict=True)
                    ]
                ),
                "profit_per_dong_spent": _quartiles(
                    [round((s[0] - s[1]) / s[1], 4) for s in sums if s[1] > 0]
                ),
                "above_line": above,
                "share_above_line": above / len(writing) if writing else None,
                "escaped": 0,
                "escaped_sustainably": 0,
            }
        )
    return rows


async def test_every_entry_gets_its_true_activity(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    truth, other = await _area(sessions)
    async with sessions() as session:
        found = dict(
            (entry_id, activity)
            for entry_id, activity in await session.execute(
                select(EntryActivity.entry_id, EntryActivity.activity)
            )
        )
    assert found == truth.tags | other.tags
    assert truth.asked  # some lines were asked about


async def test_money_by_activity_is_the_truth(sessions: async_sessionmaker[AsyncSession]) -> None:
    truth, _ = await _area(sessions)
    async with sessions() as session:
        money = await tags.money_by_activity(session, list(truth.households.values()))
    for code, hid in truth.households.items():
        for activity in truth.follows[code]:
            expected = truth.money.get((code, activity), [0, 0])
            got = money.get(hid, {}).get(activity, tags.Money())
            assert (got.money_in, got.money_out) == tuple(expected), (code, activity)


async def test_report_models_is_the_truth(
    sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    truth, _ = await _area(sessions)
    async with sessions() as session:
        report = await models_report(
            session,
            area_code="C1",
            start=FIRST,
            end=date(2026, 12, 1),
            catalogue=catalogues.default(),
            lines=settings.programme.poverty_lines,
            today=date(2027, 1, 10),
        )
    data = report.as_json()
    assert data["months"] == MONTHS
    assert data["activities"] == expected_report(truth, settings)
    # the households of the other commune are not in it
    assert sum(a["households"] for a in data["activities"]) == sum(
        len(f) for f in truth.follows.values()
    )


def expected_plan(truth: Truth, code: str, settings: Settings, today: date) -> dict[str, object]:
    # the three whole months before today's month
    index = today.year * 12 + today.month - 1
    months = [f"{(index - back) // 12}-{(index - back) % 12 + 1:02d}" for back in (3, 2, 1)]
    net = sum(truth.net.get((code, month), 0) for month in months)
    line = line_for(settings.programme.poverty_lines, date(2027, 6, 1))
    return {
        "activities": [
            {
                "code": activity,
                "money_in": truth.money.get((code, activity), [0, 0])[0],
                "money_out": truth.money.get((code, activity), [0, 0])[1],
                "profit": truth.money.get((code, activity), [0, 0])[0]
                - truth.money.get((code, activity), [0, 0])[1],
            }
            for activity in truth.follows[code]
        ],
        "per_person": net // (truth.members[code] * 3),
        "poverty_line": line.urban if truth.urban[code] else line.rural,
    }


async def test_the_plan_view_is_the_truth(
    sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    truth, _ = await _area(sessions)
    today = date(2027, 1, 10)
    catalogue = catalogues.default()
    for code in list(truth.households)[:12]:
        async with transaction(sessions) as session:
            household = await session.scalar(select(Household).where(Household.code == code))
            assert household is not None
            await set_plan(
                session,
                household,
                activities=truth.follows[code],
                catalogue=catalogue,
                author="cli",
                now=NOW,
                target_month=date(2027, 6, 1),
                milestones=[(date(2026, 11, 30), "mua 2 con bò giống")],
            )
            view = await progress(
                session,
                household,
                catalogue=catalogue,
                lines=settings.programme.poverty_lines,
                today=today,
            )
        assert view is not None
        data = view.as_json()
        expected = expected_plan(truth, code, settings, today)
        assert [
            {k: a[k] for k in ("code", "money_in", "money_out", "profit")}
            for a in data["activities"]
        ] == expected["activities"]
        assert data["per_person"] == expected["per_person"]
        assert data["poverty_line"] == expected["poverty_line"]
        assert data["months_behind"] == 1  # the milestone of 30/11 is not done
        assert data["on_track"] is False


@pytest.fixture
def config(tmp_path: Path, database_url: str, sessions: object) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[database]\nurl = "{database_url}"\n', encoding="utf-8")
    return path


async def test_the_commands_print_the_truth(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, config: Path, tmp_path: Path
) -> None:
    truth, _ = await _area(sessions)
    code = next(c for c, follows in truth.follows.items() if len(follows) > 1)
    names = [catalogues.default().get(a).vi for a in truth.follows[code]]
    args = ["plan", "set", code.lower()]
    for name in names:
        args += ["--activity", name]
    args += ["--target-date", "2027-06", "--milestone", "2027-03-15 mua 2 con bò giống"]
    result = sinhke(*args, config=config)
    assert result.returncode == 0, result.stderr
    result = sinhke("plan", "show", code, "--json", "--as-of", "2027-01-10", config=config)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    expected = expected_plan(truth, code, settings, date(2027, 1, 10))
    assert [
        {k: a[k] for k in ("code", "money_in", "money_out", "profit")} for a in shown["activities"]
    ] == expected["activities"]
    assert shown["per_person"] == expected["per_person"]
    assert shown["milestones"] == [
        {"due_on": "2027-03-15", "text": "mua 2 con bò giống", "state": "pending", "done_on": None}
    ]
    assert (shown["months_behind"], shown["target_month"]) == (0, "2027-06")

    out = tmp_path / "models.xlsx"
    result = sinhke(
        "report",
        "models",
        "--area",
        "C1",
        "--from",
        "2025-11",
        "--to",
        "2026-12",
        "--out",
        str(out),
        "--json",
        config=config,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["activities"] == expected_report(truth, settings)
    from openpyxl import load_workbook

    sheet = load_workbook(out).active
    assert sheet is not None
    assert sheet._charts  # the chart of median profit per month
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    by_code = {row[0]: row for row in rows if row[0]}
    for item in expected_report(truth, settings):
        row = by_code[item["code"]]
        assert row[7] == item["profit"]
        assert row[9] == item["profit_per_month"]["median"]  # type: ignore[index]


def test_bad_input_is_one_line(config: Path) -> None:
    result = sinhke("plan", "set", "NOPE", "--activity", "nuôi khủng long", config=config)
    assert result.returncode == 2
    assert "no such activity" in result.stderr
    result = sinhke("report", "models", "--area", "C1", config=config)
    assert result.returncode == 2 and "--out" in result.stderr
