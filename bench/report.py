"""How long the monthly report of a province takes: seed a year of diary, then time it.

    python bench/report.py                                      # a temporary SQLite file
    python bench/report.py --database postgresql+asyncpg://postgres@127.0.0.1/bench

Seeds (once per database: a seeded one is reused) a province of 20 communes and 100
hamlets with 2,000 households × ~750 diary entries over 2026, loans, alerts, cases and
monthly meetings, then times ``monthly_report`` and ``to_xlsx`` for one month of the
province and prints the figures.  The target is under 10 s on SQLite and PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import DatabaseConfig, Settings  # noqa: E402
from bot.db import alembic_config, create_engine, is_sqlite, session_factory  # noqa: E402
from bot.services.diary.labels import EXPENSE_CATEGORIES, INCOME_CATEGORIES  # noqa: E402
from bot.services.rendering.report_book import to_xlsx  # noqa: E402
from bot.services.reports.reports import MonthlyReport, monthly_report  # noqa: E402
from models import (  # noqa: E402
    Alert,
    Area,
    Case,
    Contact,
    Entry,
    Household,
    Loan,
    Meeting,
    MeetingInvite,
)

PROVINCE = "BENCH-P"
COMMUNES, HAMLETS_PER_COMMUNE = 20, 5
YEAR = 2026
CHUNK = 10_000


def _chunks(rows: Sequence[dict[str, Any]]) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


async def _bulk(session: AsyncSession, model: type[Any], rows: Sequence[dict[str, Any]]) -> None:
    for chunk in _chunks(rows):
        await session.execute(insert(model), list(chunk))


def _at(rng: random.Random, day: date) -> datetime:
    return datetime(day.year, day.month, day.day, rng.randrange(24), tzinfo=UTC)


async def _seed_areas(session: AsyncSession) -> list[tuple[int, int]]:
    """The province, its communes and hamlets; return (commune id, hamlet id) pairs."""
    province = Area(code=PROVINCE, name="Tỉnh Bench", kind="province")
    session.add(province)
    await session.flush()
    hamlets = []
    for c in range(1, COMMUNES + 1):
        commune = Area(code=f"BENCH-C{c:02d}", name=f"Xã {c}", kind="commune", parent=province)
        session.add(commune)
        await session.flush()
        for h in range(1, HAMLETS_PER_COMMUNE + 1):
            hamlet = Area(code=f"{commune.code}-{h}", name=f"Ấp {h}", kind="hamlet", parent=commune)
            session.add(hamlet)
            await session.flush()
            hamlets.append((commune.id, hamlet.id))
    return hamlets


async def _seed_households(
    session: AsyncSession, rng: random.Random, hamlets: list[tuple[int, int]], count: int
) -> list[tuple[int, int]]:
    """Households spread over the hamlets; return (household id, commune id) pairs."""
    rows = [
        {
            "code": f"HO{i:05d}",
            "head_name": f"Chủ hộ {i}",
            "members": rng.randint(1, 8),
            "area_id": hamlets[i % len(hamlets)][1],
            "status": rng.choice(("poor", "poor", "near_poor")),
            "urban": rng.random() < 0.1,
            "created_at": datetime(YEAR, 1, 1, tzinfo=UTC),
        }
        for i in range(1, count + 1)
    ]
    await _bulk(session, Household, rows)
    commune_of = dict((hamlet, commune) for commune, hamlet in hamlets)
    result = await session.execute(
        select(Household.id, Household.area_id).where(Household.code.like("HO%"))
    )
    return [(household_id, commune_of[area_id]) for household_id, area_id in result]


def _entries(rng: random.Random, household_id: int, count: int) -> Iterator[dict[str, Any]]:
    start = date(YEAR, 1, 1)
    for _ in range(count):
        day = start + timedelta(days=rng.randrange(365))
        roll = rng.random()
        if roll < 0.3:
            kind, category = "income", rng.choice(INCOME_CATEGORIES)
        elif roll < 0.98:
            kind, category = "expense", rng.choice(EXPENSE_CATEGORIES)
        else:
            kind, category = rng.choice(("borrow", "repay")), "loan"
        yield {
            "household_id": household_id,
            "kind": kind,
            "amount": rng.randint(1, 2_000) * 1_000,
            "category": category,
            "day": day,
            "text": "",
            "recorded_at": _at(rng, day),
            "deleted_at": _at(rng, day) if rng.random() < 0.01 else None,
        }


async def _seed_diary(
    session: AsyncSession, rng: random.Random, households: list[tuple[int, int]], per: int
) -> int:
    total = 0
    for start in range(0, len(households), 100):
        rows = [
            row
            for household_id, _ in households[start : start + 100]
            for row in _entries(rng, household_id, rng.randint(per * 4 // 5, per * 6 // 5))
        ]
        await _bulk(session, Entry, rows)
        total += len(rows)
    return total


async def _seed_work(
    session: AsyncSession, rng: random.Random, households: list[tuple[int, int]]
) -> None:
    """Contacts, loans, alerts, cases and a held meeting a month in every commune."""
    ids = [household_id for household_id, _ in households]
    contacts, loans, alerts, cases = [], [], [], []
    for household_id in ids:
        if rng.random() < 0.7:
            contacts.append(
                {
                    "channel": "telegram",
                    "address": str(household_id),
                    "household_id": household_id,
                    "consent_version": "2026-01",
                    "consent_at": datetime(YEAR, 1, 15, tzinfo=UTC),
                }
            )
        if rng.random() < 0.3:
            loans.append(
                {
                    "household_id": household_id,
                    "lender": "Ngân hàng Chính sách xã hội",
                    "amount": rng.randint(10, 100) * 1_000_000,
                    "purpose_categories": "production",
                    "disbursed_on": date(YEAR, 1, 1) + timedelta(days=rng.randrange(365)),
                    "closed": rng.random() < 0.2,
                }
            )
    for number in range(3_000):
        raised = _at(rng, date(YEAR, 1, 1) + timedelta(days=rng.randrange(365)))
        resolved = raised + timedelta(hours=rng.randint(1, 200)) if rng.random() < 0.8 else None
        alerts.append(
            {
                "rule": "inactive",
                "cause_key": f"bench:{number}",
                "household_id": rng.choice(ids),
                "status": "resolved" if resolved else "open",
                "details": {},
                "raised_at": raised,
                "resolved_at": resolved,
            }
        )
    for _ in range(1_000):
        opened = _at(rng, date(YEAR, 1, 1) + timedelta(days=rng.randrange(365)))
        cases.append(
            {
                "household_id": rng.choice(ids),
                "topic": "help",
                "text": "cần giúp",
                "status": "answered",
                "opened_at": opened,
                "answered_at": opened + timedelta(hours=rng.randint(1, 72)),
            }
        )
    for model, rows in ((Contact, contacts), (Loan, loans), (Alert, alerts), (Case, cases)):
        await _bulk(session, model, rows)
    await _seed_meetings(session, rng, households)


async def _seed_meetings(
    session: AsyncSession, rng: random.Random, households: list[tuple[int, int]]
) -> None:
    communes = sorted({commune for _, commune in households})
    meetings = [
        {
            "area_id": commune,
            "starts_at": datetime(YEAR, month, 10, 2, tzinfo=UTC),
            "place": "Nhà văn hoá",
            "agenda": "",
            "held": True,
        }
        for commune in communes
        for month in range(1, 13)
    ]
    await _bulk(session, Meeting, meetings)
    rows = await session.execute(select(Meeting.id, Meeting.area_id))
    invites = [
        {"meeting_id": meeting_id, "household_id": household_id, "attended": rng.random() < 0.6}
        for meeting_id, area_id in rows
        for household_id, commune in households
        if commune == area_id
    ]
    await _bulk(session, MeetingInvite, invites)


async def seed(
    sessions: async_sessionmaker[AsyncSession], households: int, entries: int
) -> tuple[bool, int, int]:
    """Seed unless seeded: (seeded now, households, entries live and deleted)."""
    async with sessions() as session, session.begin():
        seeded = await session.scalar(select(Area.id).where(Area.code == PROVINCE)) is None
        if seeded:
            rng = random.Random(5)
            hamlets = await _seed_areas(session)
            created = await _seed_households(session, rng, hamlets, households)
            await _seed_diary(session, rng, created, entries)
            await _seed_work(session, rng, created)
    async with sessions() as session:
        return (
            seeded,
            int(await session.scalar(select(func.count(Household.id))) or 0),
            int(await session.scalar(select(func.count(Entry.id))) or 0),
        )


async def time_report(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, month: date, repeat: int
) -> tuple[list[float], list[float], MonthlyReport, bytes]:
    """Seconds of ``monthly_report`` and of ``to_xlsx`` per run, the last report and file."""
    builds, writes = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        async with sessions() as session:
            report = await monthly_report(
                session, area_code=PROVINCE, month=month, settings=settings
            )
        built = time.perf_counter()
        data = to_xlsx(report)
        builds.append(built - started)
        writes.append(time.perf_counter() - built)
    return builds, writes, report, data


def _print_times(name: str, times: list[float]) -> None:
    print(
        f"{name}: first {times[0]:.2f} s, median {statistics.median(times):.2f} s, "
        f"over {len(times)} runs"
    )


async def main(args: argparse.Namespace) -> None:
    settings = Settings(database=DatabaseConfig(url=args.database))
    engine = create_engine(args.database)
    sessions = session_factory(engine)
    try:
        started = time.perf_counter()
        seeded, households, entries = await seed(sessions, args.households, args.entries)
        if not is_sqlite(args.database):
            async with engine.begin() as connection:
                await connection.execute(text("ANALYZE"))  # what autovacuum does in service
        seconds = time.perf_counter() - started
        how = f"{seconds:.1f} s" if seeded else "reused the seeded database"
        print(f"seed: {how} ({households:,} households, {entries:,} entries)")
        month = date.fromisoformat(f"{args.month}-01")
        builds, writes, report, data = await time_report(sessions, settings, month, args.repeat)
        if args.out:
            Path(args.out).write_bytes(data)
        print(
            f"report {args.month} of {PROVINCE}: {len(report.households):,} household rows, "
            f"{len(report.areas)} areas, {report.summary.writing:,} writing, {len(data):,} bytes"
        )
        _print_times("monthly_report", builds)
        _print_times("to_xlsx", writes)
        _print_times("total", [b + w for b, w in zip(builds, writes, strict=True)])
    finally:
        await engine.dispose()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="Database URL (default: a temporary SQLite file)")
    parser.add_argument("--households", type=int, default=2_000)
    parser.add_argument("--entries", type=int, default=750, help="Diary entries per household")
    parser.add_argument("--month", default=f"{YEAR}-11", help="YYYY-MM")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", help="Also write the workbook here")
    args = parser.parse_args()
    if args.database is None:
        args.database = f"sqlite+aiosqlite:///{tempfile.mkdtemp(prefix='sinhke-bench-')}/bench.db"
    return args


if __name__ == "__main__":
    arguments = parse_args()
    command.upgrade(alembic_config(arguments.database), "head")
    asyncio.run(main(arguments))
