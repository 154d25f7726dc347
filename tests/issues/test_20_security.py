"""Issue 20, the security review: each finding with the test that failed before its fix."""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import logging
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import ConfigError, Settings, TelegramConfig, load_settings
from bot.core.contract import Reply
from bot.core.inbound import InboundSink
from bot.core.outage import Outage
from bot.db import transaction
from bot.services.people.registry import add_area
from models import Alert, Broadcast, Case, Contact, Entry, Household, Inbound, Loan, Outbox
from models.base import Base, Clipped
from tests.dialog import (
    Dialog,
    FixedClock,
    MemoryChannel,
    joined_household,
    make_app,
    seed_joined_households,
    seed_programme,
)
from tests.standins.telegram import DEFAULT_TOKEN, TelegramStandin


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


# High: Telegram's webhook mode must not start without a secret ---------------------------


@pytest.mark.parametrize("secret", ["", "has space", "x" * 257, "ký-tự"])
def test_telegram_webhook_refuses_to_start_without_a_valid_secret(
    tmp_path: Path, secret: str
) -> None:
    path = write(
        tmp_path,
        f'[telegram]\nmode = "webhook"\n[telegram.webhook]\nsecret = "{secret}"\n',
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert "telegram" in message and "secret" in message
    assert "\n" not in message


@pytest.mark.parametrize("secret", ["a", "webhook-secret_123", "Z" * 256])
def test_telegram_webhook_starts_with_a_secret(tmp_path: Path, secret: str) -> None:
    path = write(
        tmp_path,
        f'[telegram]\nmode = "webhook"\n[telegram.webhook]\nsecret = "{secret}"\n',
    )
    assert load_settings(path).telegram.webhook.secret.get_secret_value() == secret


def test_telegram_polling_needs_no_secret(tmp_path: Path) -> None:
    assert load_settings(write(tmp_path, "[telegram]\n")).telegram.mode == "polling"


def test_sinhke_run_in_webhook_mode_without_a_secret_exits_2(tmp_path: Path) -> None:
    path = write(tmp_path, '[telegram]\ntoken = "1:x"\nmode = "webhook"\n')
    done = subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(path), "run"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "secret" in done.stderr
    assert "Traceback" not in done.stderr


# High (PostgreSQL): a value longer than its column is cut to it, never refused -----------

LONG_WORD = "heo" + "o" * 80  # one "word" longer than a keyword column


async def test_a_long_word_and_a_long_loan_purpose_are_kept_cut_to_their_columns(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    programme = await seed_programme(sessions)
    channel = MemoryChannel()
    dialog = Dialog(make_app(settings, sessions, channel), channel, "300")
    await joined_household(dialog, programme.households[0].invite)
    assert "Đã ghi" in await dialog.text(f"bán {LONG_WORD} 3 triệu")
    purpose = " ".join(["nuôi bò lai sinh sản và heo nái"] * 10)  # one long sentence
    await dialog.say(f"vay ngân hàng chính sách 30 triệu {purpose}")
    await dialog.press("due:12")
    assert "Đã ghi" in await dialog.text("mua phân 500k")  # the chat still answers
    async with sessions() as session:
        keywords = list(await session.scalars(select(Entry.keyword)))
        loans = list(await session.scalars(select(Loan)))
    assert all(k is None or len(k) <= 64 for k in keywords)
    assert len(keywords) >= 2 and loans
    assert all(len(loan.purpose or "") <= 200 and len(loan.lender) <= 200 for loan in loans)


def test_every_bounded_text_column_of_free_text_is_clipped() -> None:
    """Free text (names, places, keywords, purposes) is cut to its column on the way in."""
    clipped = {
        f"{table.name}.{column.name}"
        for table in Base.metadata.tables.values()
        for column in table.columns
        if isinstance(column.type, Clipped)
    }
    assert {
        "entry.keyword",
        "category_override.keyword",
        "loan.lender",
        "loan.purpose",
        "household.head_name",
        "household.hamlet",
        "officer.name",
        "area.name",
        "contact.display_name",
        "meeting.place",
        "broadcast.attachment_name",
    } <= clipped


# Medium: an update the Telegram library cannot read is skipped, not a stop for all -------


async def test_an_unreadable_telegram_update_is_skipped_and_never_logged(
    sessions: async_sessionmaker[AsyncSession], caplog: pytest.LogCaptureFixture
) -> None:
    from bot.channels.telegram.channel import TelegramChannel

    caplog.set_level(logging.DEBUG)
    async with TelegramStandin() as telegram:
        channel = TelegramChannel(
            TelegramConfig.model_validate(
                {"token": DEFAULT_TOKEN, "api_base": telegram.base_url, "poll_timeout": 1}
            )
        )
        # A poll without the fields aiogram requires (a self-hosted server may omit them),
        # from someone whose name and phone number must not reach the log.
        telegram.push_message(
            7001,
            {"poll": {"id": "p1"}, "contact": {"phone_number": "0912345678"}},
            first_name="Thị Bí Mật",
        )
        telegram.push_text(7002, "bán heo 3 triệu")
        submitted: list[tuple[int, str]] = []
        stop = asyncio.Event()

        def submit(inbound_id: int, address: str) -> None:
            submitted.append((inbound_id, address))
            stop.set()

        try:
            sink = InboundSink(sessions=sessions, channel=channel, submit=submit, outage=Outage())
            await asyncio.wait_for(channel.poll(sink, stop), timeout=20)
        finally:
            await channel.close()
        assert [address for _, address in submitted] == ["7002"]
    logged = caplog.text
    assert "update 1 skipped" in logged
    assert "0912345678" not in logged and "Bí Mật" not in logged and "bán heo" not in logged


# Medium: /thongbao → "Cả địa bàn" sends to the officer's whole area ----------------------


async def test_a_notice_to_the_whole_area_is_sent_to_the_area_only(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    programme = await seed_programme(sessions, households=0)
    async with transaction(sessions) as session:
        await add_area(session, code="C2", name="Xã Hai", kind="commune", parent="P1")
    await seed_joined_households(sessions, 2, first_address=100)
    await seed_joined_households(sessions, 1, first_address=200, status="near_poor")
    await seed_joined_households(sessions, 3, area="C2", first_address=300)
    channel = MemoryChannel()
    officer = Dialog(make_app(settings, sessions, channel), channel, "1")
    await officer.say(f"/start {programme.officer.invite}")
    await officer.press("consent:yes")
    await officer.say("/thongbao")
    await officer.say("Chủ nhật tiêm phòng cho heo, gà tại trạm thú y.")
    [preview] = await officer.press("bc:to:area")
    assert "Sẽ gửi tới 3 tài khoản" in preview.text
    [queued] = await officer.press("bc:send")
    assert "Đang gửi thông báo" in queued.text
    async with sessions() as session:
        broadcast = await session.scalar(select(Broadcast))
        assert broadcast is not None and broadcast.target == "area:C1"
        rows = await session.scalars(
            select(Outbox.address).where(Outbox.broadcast_id == broadcast.id)
        )
        assert sorted(rows) == ["100", "101", "200"]


# Medium (PostgreSQL): two chats agreeing on one invite at once: only one is linked --------


async def test_two_chats_agreeing_on_one_invite_at_once_link_only_one(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    programme = await seed_programme(sessions, households=8)
    channel = MemoryChannel()
    app = make_app(settings, sessions, channel)
    for number, household in enumerate(programme.households):
        first = Dialog(app, channel, f"{number}01")
        second = Dialog(app, channel, f"{number}02")
        for dialog in (first, second):
            assert "đồng ý" in await dialog.text(f"/start {household.invite}")
        await asyncio.gather(first.press("consent:yes"), second.press("consent:yes"))
    async with sessions() as session:
        linked = list(
            await session.scalars(
                select(Contact.household_id).where(Contact.household_id.is_not(None))
            )
        )
    assert sorted(linked) == sorted(set(linked)) and len(linked) == 8


# Medium: /xoadulieu removes the most sensitive texts too ---------------------------------

URGENT = "cứu với, chồng em bị tai nạn nằm viện cần 20 triệu"
HELP = "em muốn hỏi về luật đất đai nhà hàng xóm lấn ranh"
ANSWER = "chị mang sổ đỏ lên xã thứ hai gặp anh Tâm"


def wipe_payload(question: Reply) -> str:
    return next(b.payload for b in question.flat_buttons() if b.payload.startswith("wipe:yes"))


async def test_deleting_removes_urgent_texts_help_requests_notices_and_reports(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    programme = await seed_programme(sessions, households=2)
    channel = MemoryChannel()
    app = make_app(settings, sessions, channel)
    officer = Dialog(app, channel, "1")
    await officer.say(f"/start {programme.officer.invite}")
    await officer.press("consent:yes")
    home, other = Dialog(app, channel, "300"), Dialog(app, channel, "400")
    await joined_household(home, programme.households[0].invite)
    await joined_household(other, programme.households[1].invite)
    await home.say("bán heo 3 triệu")
    await other.say("bán gà 400k")
    await home.say(URGENT)
    await home.say("/giupdo")
    await home.say(HELP)
    opened = [r for r in channel.sent if r[0] == "1" and HELP in r[1].text]
    answer = next(
        b.payload for b in opened[-1][1].flat_buttons() if b.payload.startswith("case:answer:")
    )
    await officer.press(answer)
    await officer.say(ANSWER)
    [report] = [r for r in await officer.say("/baocao") if r.attachment is not None]
    code = programme.households[0].code

    [question] = await home.say("/xoadulieu")
    await home.press(wipe_payload(question))

    async with sessions() as session:
        household_id = await session.scalar(select(Household.id).where(Household.code == code))
        assert (
            await session.scalar(
                select(func.count(Alert.id)).where(Alert.household_id == household_id)
            )
            == 0
        )
        assert (
            await session.scalar(
                select(func.count(Case.id)).where(Case.household_id == household_id)
            )
            == 0
        )
        to_officer = list(await session.scalars(select(Outbox).where(Outbox.address == "1")))
        kept = [str(row.body) for row in to_officer]
        assert not [b for b in kept if "tai nạn" in b or "lấn ranh" in b or "sổ đỏ" in b]
        assert all(row.attachment is None for row in to_officer if row.status == "sent")
        other_entries = await session.scalar(select(func.count(Entry.id)))
        written = " ".join(str(p) for p in await session.scalars(select(Inbound.payload)))
    assert "tai nạn" not in written and "lấn ranh" not in written and "sổ đỏ" not in written
    assert other_entries == 1  # the other household's diary stays
    shown = await officer.text(f"/ho {code}") + await officer.text("/canhbao")
    assert "tai nạn" not in shown and "lấn ranh" not in shown
    assert report.attachment is not None


async def test_an_old_wipe_button_has_expired(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    programme = await seed_programme(sessions)
    channel = MemoryChannel()
    clock = FixedClock(datetime(2026, 11, 29, 3, 0, tzinfo=UTC))
    home = Dialog(make_app(settings, sessions, channel, clock), channel, "300")
    await joined_household(home, programme.households[0].invite)
    await home.say("bán heo 3 triệu")
    [question] = await home.say("/xoadulieu")
    clock.advance(days=3)
    [expired] = await home.press(wipe_payload(question))
    assert "/xoadulieu" in expired.text and "Đã xóa" not in expired.text
    [old] = await home.press("wipe:yes")  # a button from before confirmations had a time
    assert "/xoadulieu" in old.text
    async with sessions() as session:
        assert await session.scalar(select(func.count(Entry.id))) == 1
    [fresh] = await home.say("/xoadulieu")
    clock.advance(minutes=5)
    assert "Đã xóa" in "\n".join(r.text for r in await home.press(wipe_payload(fresh)))


# Medium: bounded work per message and per chat ------------------------------------------

CRAFTED = [
    "cần tư vấn ",
    "cần ",
    "xin luật ",
    "cần tư vấn nước ",
    "muốn nhờ tư vấn đi ",
    "cần\ntư vấn ",
]


@pytest.mark.parametrize("unit", CRAFTED)
def test_a_crafted_message_is_read_for_help_in_linear_time(unit: str) -> None:
    from bot.language.help import help_topic

    text = (unit * (4096 // len(unit) + 1))[:4096]
    started = time.perf_counter()
    help_topic(text)
    assert time.perf_counter() - started < 0.05


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("em cần luật sư giúp vụ đất", "legal_aid"),
        ("tôi muốn được trợ giúp pháp lý", "legal_aid"),
        ("con tôi muốn xin tư vấn đi Hàn Quốc làm việc", "overseas_work"),
        ("cần\ntư vấn đi nhật", None),  # the ask and the topic on different lines
        ("tôi cần vay vốn", "loan"),
        ("nhà tôi cần được giúp đỡ", "help"),
        ("luật sư nói cần tiền", None),  # the topic before the ask
        ("bán heo 3 triệu", None),
    ],
)
def test_requests_for_help_are_read_as_before(text: str, topic: str | None) -> None:
    from bot.language.help import help_topic

    assert help_topic(text) == topic


async def test_a_chat_sending_150_thang_does_not_draw_150_charts(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import handlers.summary

    drawn: list[int] = []
    draw = handlers.summary.bar_chart

    def counted(*args: Any, **kwargs: Any) -> bytes:
        drawn.append(1)
        return draw(*args, **kwargs)

    monkeypatch.setattr(handlers.summary, "bar_chart", counted)
    programme = await seed_programme(sessions)
    channel = MemoryChannel()
    dialog = Dialog(make_app(settings, sessions, channel), channel, "77")
    await joined_household(dialog, programme.households[0].invite)
    await dialog.say("bán heo 3 triệu")
    for _ in range(150):
        await dialog.say("/thang")
    assert len(drawn) < 40  # past 30 messages in ten seconds, no more work for views
    for n in range(1, 11):  # while the chat floods, its diary lines are still recorded
        await dialog.say(f"bán trứng {n}k")
    async with sessions() as session:
        assert await session.scalar(select(func.count(Entry.id))) == 11


# Medium: names, hamlets and diary lines never become live formulas ----------------------

FORMULAS = ['=HYPERLINK("http://x.example/","Bấm vào")', "=1+1", "+84 912", "-2+3", "@SUM(A1)"]


async def _household_with_formulas(sessions: async_sessionmaker[AsyncSession]) -> str:
    from bot.services.people.registry import add_household

    await seed_programme(sessions, households=0)
    now = datetime.now(UTC)
    async with transaction(sessions) as session:
        created = await add_household(
            session,
            name=FORMULAS[0],
            members=3,
            area="C1",
            hamlet=FORMULAS[1],
            now=now,
            ttl_days=30,
        )
        household_id = await session.scalar(
            select(Household.id).where(Household.code == created.code)
        )
        assert household_id is not None
        for text in FORMULAS:
            session.add(
                Entry(
                    household_id=household_id,
                    kind="income",
                    amount=1000,
                    category="other",
                    day=now.date(),
                    text=text,
                )
            )
    return created.code


def _cells(data: bytes) -> list[Any]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


async def test_diary_exports_keep_formula_like_text_as_text(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    from bot.services.reports import export

    code = await _household_with_formulas(sessions)
    async with sessions() as session:
        book = await export.to_xlsx(session, export.ExportFilter(household=code))
        table = await export.to_csv(session, export.ExportFilter(household=code))
    cells = _cells(book)
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert set(FORMULAS) <= {cell.value for cell in cells}
    fields = {field for row in csv.reader(io.StringIO(table)) for field in row}
    assert {"'" + text for text in FORMULAS} <= fields
    assert not [f for f in fields if f.startswith(("=", "+", "-", "@"))]


def test_no_formulas_keeps_every_formula_like_cell_as_its_text() -> None:
    from openpyxl import Workbook

    from bot.services.rendering.xlsx_safe import no_formulas

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(FORMULAS)
    sheet.cell(row=2, column=1, value="=1+1")
    no_formulas(book)
    buffer = io.BytesIO()
    book.save(buffer)
    cells = _cells(buffer.getvalue())
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert [cell.value for cell in cells][:6] == [*FORMULAS, "=1+1"]


async def test_the_monthly_report_has_no_live_formulas(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    from bot.services.rendering.report_book import to_xlsx
    from bot.services.reports.reports import monthly_report

    await _household_with_formulas(sessions)
    async with sessions() as session:
        report = await monthly_report(
            session, area_code="C1", month=datetime.now(UTC).date(), settings=settings
        )
    cells = _cells(to_xlsx(report))
    assert {FORMULAS[0], FORMULAS[1]} <= {cell.value for cell in cells}
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]


# Low: deeply nested JSON on the Zalo webhook is a bad request, not a server error ---------


async def test_deeply_nested_json_on_the_zalo_webhook_answers_400(
    database_url: str, sessions: async_sessionmaker[AsyncSession], caplog: pytest.LogCaptureFixture
) -> None:
    from aiohttp import ClientSession

    from bot.channels.zalo import ZaloChannel
    from tests.channels.test_zalo_channel import (
        SECRET,
        free_port,
        serve_webhook,
        wait_until,
        zalo_settings,
    )
    from tests.standins.zalo import ZaloStandin

    port = free_port()
    hook = {"port": port, "secret": SECRET, "public_url": f"http://127.0.0.1:{port}"}
    async with ZaloStandin() as standin:
        zalo = ZaloChannel(zalo_settings(database_url, standin, mode="webhook", webhook=hook))
        stop, receiving = await serve_webhook(zalo, sessions, [])
        try:
            await wait_until(lambda: standin.calls["setWebhook"] == 1)
            url = f"http://127.0.0.1:{port}{zalo.config.webhook.path}"
            nested = b'{"result": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
            async with (
                ClientSession() as http,
                http.post(url, data=nested, headers={"X-Bot-Api-Secret-Token": SECRET}) as response,
            ):
                assert response.status == 400
        finally:
            stop.set()
            with contextlib.suppress(asyncio.CancelledError):
                await receiving
            await zalo.close()
    assert "Traceback" not in caplog.text and "RecursionError" not in caplog.text
