"""How long ``sinhke report models`` takes: 2,000 households × 2 years, then time it.

    python bench/models_report.py                                   # a temporary SQLite file
    python bench/models_report.py --database postgresql+asyncpg://postgres@127.0.0.1/bench

Seeds (once per database: a seeded one is reused) a commune of households following one
to three livelihood activities, with a diary of about 30 lines a month each over 24
months (the synthetic area of tests/plans, its tags written as the tests check them),
then times ``models_report`` and its workbook and prints the figures.  The target
(issue 17) is under 10 s.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from alembic import command
from sqlalchemy import func, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import Settings  # noqa: E402
from bot.db import alembic_config, create_engine, is_sqlite, session_factory, transaction  # noqa: E402
from bot.plans import catalogue  # noqa: E402
from bot.plans.evidence import models_report  # noqa: E402
from bot.plans.workbook import models_xlsx  # noqa: E402
from models import Area, Entry  # noqa: E402
from tests.plans.synthetic import build_area, write_tags  # noqa: E402

AREA = "BENCH"
FIRST = date(2025, 1, 1)


async def main(args: argparse.Namespace) -> None:
    settings = Settings(database={"url": args.database})
    engine = create_engine(args.database)
    sessions = session_factory(engine)
    try:
        async with sessions() as session:
            seeded = await session.scalar(select(Area.id).where(Area.code == AREA)) is not None
        started = time.perf_counter()
        if not seeded:
            async with transaction(sessions) as session:
                truth = await build_area(
                    session,
                    seed=2027,
                    households=args.households,
                    months=args.months,
                    first=FIRST,
                    area_code=AREA,
                    noise=args.noise,
                )
                await write_tags(session, truth)
            if not is_sqlite(args.database):
                async with engine.begin() as connection:
                    await connection.execute(text("ANALYZE"))
        async with sessions() as session:
            entries = await session.scalar(select(func.count(Entry.id)))
        how = "reused the seeded database" if seeded else f"{time.perf_counter() - started:.1f} s"
        print(f"seed: {how} ({args.households:,} households, {entries:,} entries)")
        last = date(FIRST.year + (args.months - 1) // 12, (args.months - 1) % 12 + 1, 1)
        builds, writes = [], []
        for _ in range(args.repeat):
            started = time.perf_counter()
            async with sessions() as session:
                report = await models_report(
                    session,
                    area_code=AREA,
                    start=FIRST,
                    end=last,
                    catalogue=catalogue.default(),
                    lines=settings.programme.poverty_lines,
                    today=last,
                )
            builds.append(time.perf_counter() - started)
            started = time.perf_counter()
            data = models_xlsx(report)
            writes.append(time.perf_counter() - started)
        if args.out:
            Path(args.out).write_bytes(data)
        print(
            f"report models {FIRST:%Y-%m}..{last:%Y-%m}: {len(report.activities)} activities, "
            f"{sum(a.household_months for a in report.activities):,} activity-household-months"
        )
        for name, times in (
            ("models_report", builds),
            ("models_xlsx", writes),
            ("total", [b + w for b, w in zip(builds, writes, strict=True)]),
        ):
            print(
                f"{name}: first {times[0]:.2f} s, median {statistics.median(times):.2f} s, "
                f"over {len(times)} runs"
            )
    finally:
        await engine.dispose()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="Database URL (default: a temporary SQLite file)")
    parser.add_argument("--households", type=int, default=2_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--noise", type=int, default=25, help="Lines of no activity a month")
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
