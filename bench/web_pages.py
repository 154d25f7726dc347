"""How long each page of the officers' web page takes for a province of 2,000 households.

    python bench/web_pages.py                                      # a temporary SQLite file
    python bench/web_pages.py --database postgresql+asyncpg://postgres@127.0.0.1/bench

Seeds the database as bench/report.py does (reused when already seeded: 2,000 households
× ~750 diary entries over 2026, loans, alerts, cases, meetings), signs an admin of the
province in, then asks for each page a few times over HTTP on this machine and prints the
first time (the overview and the tables add up the month's diary then: kept for
``[web] figures_seconds``), then the median and worst of the others.  The target is under
1 s a page; the report is a file to download, built as /baocao builds it.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from aiohttp import ClientSession
from alembic import command
from sqlalchemy import select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import PROVINCE, seed  # noqa: E402
from bot.config import DatabaseConfig, Settings  # noqa: E402
from bot.db import alembic_config, create_engine, is_sqlite, session_factory, transaction  # noqa: E402
from bot.ops.server import start_app  # noqa: E402
from bot.web import auth  # noqa: E402
from bot.web.app import COOKIE, web_app  # noqa: E402
from models import Area, Household, Officer  # noqa: E402

NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)  # the seeded year's November, a whole month


async def _sign_in(sessions: object) -> str:
    """An admin of the province (made once) and a session cookie for them."""
    async with transaction(sessions) as session:  # type: ignore[arg-type]
        admin = await session.scalar(select(Officer).where(Officer.code == "BENCH-ADMIN"))
        if admin is None:
            province = await session.scalar(select(Area.id).where(Area.code == PROVINCE))
            assert province is not None
            admin = Officer(
                code="BENCH-ADMIN", name="Quản trị Bench", area_id=province, role="admin"
            )
            session.add(admin)
            await session.flush()
        token = await auth.issue_link(session, admin, NOW, minutes=10)
        opened = await auth.redeem(session, token, NOW, hours=1, default_locale="vi")
        assert opened is not None
        return opened.cookie


async def main(args: argparse.Namespace) -> None:
    settings = Settings(database=DatabaseConfig(url=args.database))
    engine = create_engine(args.database)
    sessions = session_factory(engine)
    try:
        started = time.perf_counter()
        seeded, households, entries = await seed(sessions, args.households, args.entries)
        if not is_sqlite(args.database):
            async with engine.begin() as connection:
                await connection.execute(text("ANALYZE"))
        how = f"{time.perf_counter() - started:.1f} s" if seeded else "reused the seeded database"
        print(f"seed: {how} ({households:,} households, {entries:,} entries)")
        cookie = await _sign_in(sessions)
        async with sessions() as session:
            code = await session.scalar(select(Household.code).order_by(Household.id).limit(1))
        runner, port = await start_app(
            web_app(settings=settings, sessions=sessions, clock=lambda: NOW), "127.0.0.1", 0
        )
        pages = [
            "/",
            "/due",
            "/households",
            "/households?line=below&sort=-per_person",
            f"/households/{code}",
            "/cases",
            "/notices",
            "/meetings",
            "/report.xlsx?month=2026-11",
        ]
        try:
            async with ClientSession(
                f"http://127.0.0.1:{port}", headers={"Cookie": f"{COOKIE}={cookie}"}
            ) as http:
                print(f"{'page':45} {'first':>8} {'median':>8} {'worst':>8} {'bytes':>10}")
                for page in pages:
                    times, size = [], 0
                    for _ in range(args.repeat):
                        began = time.perf_counter()
                        async with http.get(page, allow_redirects=False) as response:
                            body = await response.read()
                            assert response.status == 200, (page, response.status)
                        times.append(time.perf_counter() - began)
                        size = len(body)
                    print(
                        f"{page:45} {times[0]:7.3f}s {statistics.median(times[1:]):7.3f}s "
                        f"{max(times[1:]):7.3f}s {size:>10,}"
                    )
        finally:
            await runner.cleanup()
    finally:
        await engine.dispose()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="Database URL (default: a temporary SQLite file)")
    parser.add_argument("--households", type=int, default=2_000)
    parser.add_argument("--entries", type=int, default=750, help="Diary entries per household")
    parser.add_argument("--repeat", type=int, default=4, help="Times each page (at least 2)")
    args = parser.parse_args()
    if args.repeat < 2:
        parser.error("--repeat: at least 2 (the first time is printed apart)")
    if args.database is None:
        import tempfile

        args.database = f"sqlite+aiosqlite:///{tempfile.mkdtemp(prefix='sinhke-bench-')}/bench.db"
    return args


if __name__ == "__main__":
    arguments = parse_args()
    command.upgrade(alembic_config(arguments.database), "head")
    asyncio.run(main(arguments))
