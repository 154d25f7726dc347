"""Issue 5 end to end: officers and an admin on Telegram, alerts from the scan and from
urgent words, escalation, refusals, and the monthly report opened with openpyxl."""

from __future__ import annotations

import asyncio
import io
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import transaction
from bot.services.people.registry import add_area, add_household, add_officer
from models import Entry, Household, Loan
from tests.cli.test_cli import ROOT
from tests.e2e.botprocess import BotProcess
from tests.e2e.test_telegram_diary import join, say
from tests.standins.telegram import TelegramStandin

OFFICER, ADMIN, OTHER_OFFICER = 100, 200, 300
H1, H2, H3, H4 = 1, 2, 3, 4


def alerts_to(telegram: TelegramStandin, chat: int, heading: str = "Cảnh báo –") -> list[str]:
    return [r.text or "" for r in telegram.messages_to(chat) if heading in (r.text or "")]


async def scan(config: Path, now: datetime) -> str:
    result = await asyncio.to_thread(
        subprocess.run,
        [
            sys.executable,
            "-m",
            "bot",
            "--config",
            str(config),
            "alerts",
            "scan",
            "--now",
            now.isoformat(),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


async def test_officers_alerts_escalation_and_report(
    bot: BotProcess, telegram: TelegramStandin, sessions: async_sessionmaker[AsyncSession]
) -> None:
    now = datetime.now(UTC)
    today = now.astimezone().date()
    async with transaction(sessions) as session:
        await add_area(session, code="P1", name="Tỉnh", kind="province")
        await add_area(session, code="C1", name="Xã Một", kind="commune", parent="P1")
        await add_area(session, code="C2", name="Xã Hai", kind="commune", parent="P1")
        officer = await add_officer(
            session, name="Cán bộ Một", area="C1", role="officer", now=now, ttl_days=9
        )
        admin = await add_officer(
            session, name="Quản trị", area="P1", role="admin", now=now, ttl_days=9
        )
        other = await add_officer(
            session, name="Cán bộ Hai", area="C2", role="officer", now=now, ttl_days=9
        )
        homes = [
            await add_household(session, name=f"Hộ {n}", members=4, area=area, now=now, ttl_days=9)
            for n, area in ((1, "C1"), (2, "C1"), (3, "C1"), (4, "C2"))
        ]
    await bot.start()
    for chat, invite in (
        (OFFICER, officer.invite),
        (ADMIN, admin.invite),
        (OTHER_OFFICER, other.invite),
    ):
        telegram.push_text(chat, f"/start {invite}")
        consent = await telegram.wait_for(
            lambda r, c=chat: r.chat_id == c and "đồng ý" in (r.text or ""), timeout=30
        )
        assert consent.message_id is not None
        telegram.push_callback(chat, "consent:yes", message_id=int(consent.message_id))
        await telegram.wait_for(lambda r, c=chat: r.chat_id == c and "cán bộ" in (r.text or ""))
    for chat, home in zip((H1, H2, H3, H4), homes, strict=True):
        await join(telegram, chat, home.invite)

    # The diary, backdated where a rule needs history.
    await say(telegram, H1, "bán heo 3 triệu", "Đã ghi")
    first_of_month = today.replace(day=1)
    last_month = (first_of_month - timedelta(days=1)).replace(day=1)
    month_before = (last_month - timedelta(days=1)).replace(day=1)
    async with transaction(sessions) as session:
        ids = dict((await session.execute(select(Household.code, Household.id))).all())
        h1, h2, h3 = ids[homes[0].code], ids[homes[1].code], ids[homes[2].code]
        await session.execute(
            update(Entry).where(Entry.household_id == h1).values(day=today - timedelta(days=10))
        )
        for month in (last_month, month_before):  # two months of spending above income
            session.add_all(
                [
                    Entry(
                        household_id=h2, kind="income", amount=1_000_000, category="crop", day=month
                    ),
                    Entry(
                        household_id=h2,
                        kind="expense",
                        amount=2_000_000,
                        category="food",
                        day=month,
                    ),
                ]
            )
        loan = Loan(
            household_id=h3,
            lender="Ngân hàng Chính sách xã hội",
            purpose="nuôi bò",
            purpose_categories="production",
        )
        session.add(loan)
        await session.flush()
        session.add(
            Entry(
                household_id=h3,
                kind="borrow",
                amount=10_000_000,
                category="loan",
                day=today - timedelta(days=20),
                loan_id=loan.id,
            )
        )
        session.add(
            Entry(
                household_id=h3,
                kind="expense",
                amount=5_000_000,
                category="household",
                day=today - timedelta(days=5),
                text="sửa nhà",
            )
        )

    # An urgent word alerts at once, before any scan.
    telegram.push_text(H3, "nhà tôi bị lừa mất tiền rồi")
    await telegram.wait_for(
        lambda r: r.chat_id == OFFICER and "bị lừa" in (r.text or ""), timeout=20
    )

    # Two scans: each cause alerts once.
    await scan(bot.config, now)
    await scan(bot.config, now + timedelta(minutes=5))
    await asyncio.sleep(3)
    texts = alerts_to(telegram, OFFICER)

    def raised(code: str, rule: str) -> int:
        return sum(code in t and rule in t for t in texts)

    assert raised(homes[0].code, "Không ghi sổ") == 1, texts
    assert raised(homes[1].code, "Chi nhiều hơn thu") == 1, texts
    assert raised(homes[2].code, "sai mục đích") == 1, texts
    assert raised(homes[2].code, "Tin nhắn khẩn") == 1, texts
    assert not alerts_to(telegram, OTHER_OFFICER)

    # The officer acknowledges the inactivity alert; the rest go up to the admin later.
    inactive = next(
        r
        for r in telegram.messages_to(OFFICER)
        if "Không ghi sổ" in (r.text or "") and homes[0].code in (r.text or "")
    )
    ack = next(
        b["callback_data"]
        for row in inactive.reply_markup["inline_keyboard"]
        for b in row
        if b["callback_data"].startswith("alert:ack:")
    )
    since = len(telegram.sent)
    assert inactive.message_id is not None
    telegram.push_callback(OFFICER, ack, message_id=int(inactive.message_id))
    await telegram.wait_for(
        lambda r: r.chat_id == OFFICER and "đã biết" in (r.text or ""), since=since
    )
    await scan(bot.config, now + timedelta(hours=49))
    open_alerts = len(texts) - 1  # all but the one acknowledged
    escalated = await telegram.wait_for_count(ADMIN, 1 + open_alerts, timeout=20)
    escalations = [r.text or "" for r in escalated if "chưa ai nhận" in (r.text or "")]
    assert len(escalations) == open_alerts
    assert not any(homes[0].code in t and "Không ghi sổ" in t for t in escalations)

    # Refusals.
    refused = await say(telegram, H1, "/canhbao", "chỉ dành cho cán bộ")
    assert refused.chat_id == H1
    await say(telegram, OTHER_OFFICER, f"/ho {homes[0].code}", "Không có hộ mã")
    seen = await say(telegram, OFFICER, f"/ho {homes[1].code}", "Hộ 2")
    assert seen.chat_id == OFFICER

    # The monthly report of last month opens in openpyxl with the right totals.
    since = len(telegram.sent)
    telegram.push_text(OFFICER, f"/baocao {last_month.month}/{last_month.year}")
    report = await telegram.wait_for(
        lambda r: r.chat_id == OFFICER and r.method == "sendDocument", since=since, timeout=30
    )
    assert report.file_bytes is not None
    book = load_workbook(io.BytesIO(report.file_bytes))
    rows = list(book.worksheets[1].iter_rows(values_only=True))
    header = rows[0]
    income = header.index("Thu (đồng)")
    by_code = {row[0]: row for row in rows[1:]}
    assert set(by_code) == {homes[0].code, homes[1].code, homes[2].code}  # C1 only
    assert by_code[homes[1].code][income] == 1_000_000
    assert await bot.stop() == 0
