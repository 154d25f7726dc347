"""The Zalo adapter in this process against the Zalo stand-in: sending, its failures,
attachments, long polling and the webhook."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import AsyncIterator, Callable
from typing import Any, cast

import pytest
from aiohttp import ClientSession
from pydantic import SecretStr, ValidationError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.zalo import ZaloChannel
from bot.cli.run import configured_channels
from bot.config import DatabaseConfig, Settings, ZaloConfig
from bot.core.contract import Attachment, Reply
from bot.core.inbound import InboundSink, Submit
from bot.core.outage import Outage
from models import Inbound
from tests.standins.zalo import DEFAULT_TOKEN, ZaloStandin

CHAT = "e4ea2cd5189df1c3a88c"
SECRET = "s3cret-for-tests"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def zalo_settings(database_url: str, standin: ZaloStandin, **zalo: Any) -> Settings:
    return Settings(
        database=DatabaseConfig(url=database_url),
        zalo=ZaloConfig.model_validate(
            {"token": DEFAULT_TOKEN, "api_base": standin.base_url, **zalo}
        ),
    )


@pytest.fixture
async def standin() -> AsyncIterator[ZaloStandin]:
    async with ZaloStandin() as server:
        yield server


@pytest.fixture
async def channel(database_url: str, standin: ZaloStandin) -> AsyncIterator[ZaloChannel]:
    zalo = ZaloChannel(zalo_settings(database_url, standin))
    yield zalo
    await zalo.close()


# Sending ------------------------------------------------------------------------------


async def test_a_reply_is_one_send_message(channel: ZaloChannel, standin: ZaloStandin) -> None:
    result = await channel.send(CHAT, Reply("Đã ghi: Thu 3.000.000 ₫"), edit_ref=None)
    [sent] = standin.messages_to(CHAT)
    assert (sent.method, sent.text) == ("sendMessage", "Đã ghi: Thu 3.000.000 ₫")
    assert result.ok and result.external_id == sent.message_id


async def test_429_with_a_retry_time_asks_the_sender_to_wait(
    channel: ZaloChannel, standin: ZaloStandin
) -> None:
    standin.fail_next("sendMessage", 429, retry_after=7)
    result = await channel.send(CHAT, Reply("x"), edit_ref=None)
    assert (result.ok, result.retry_after) == (False, 7.0)


async def test_a_used_up_quota_pauses_sends_for_an_hour_and_is_logged_once(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    async with ZaloStandin(monthly_quota=1) as standin:
        zalo = ZaloChannel(zalo_settings(database_url, standin))
        try:
            assert (await zalo.send(CHAT, Reply("một"), edit_ref=None)).ok
            with caplog.at_level(logging.ERROR, logger="bot.channels.zalo.channel"):
                results = [await zalo.send(CHAT, Reply("hai"), edit_ref=None) for _ in range(3)]
        finally:
            await zalo.close()
    assert {(r.ok, r.retry_after, r.permanent) for r in results} == {(False, 3600.0, False)}
    assert len([r for r in caplog.records if "quota is used up" in r.message]) == 1


@pytest.mark.parametrize("errors_as_http_200", [False, True])
async def test_errors_are_read_from_the_body_whatever_the_http_status(
    database_url: str, errors_as_http_200: bool
) -> None:
    async with ZaloStandin(errors_as_http_200=errors_as_http_200) as standin:
        zalo = ZaloChannel(zalo_settings(database_url, standin))
        try:
            standin.fail_next("sendMessage", 500, description="Internal error")
            server_error = await zalo.send(CHAT, Reply("x"), edit_ref=None)
            standin.fail_next("sendMessage", 400, description="Bad request")
            bad_request = await zalo.send(CHAT, Reply("x"), edit_ref=None)
            recovered = await zalo.send(CHAT, Reply("x"), edit_ref=None)
        finally:
            await zalo.close()
    assert (server_error.ok, server_error.permanent) == (False, False)
    assert server_error.error is not None and "Internal error" in server_error.error
    assert (bad_request.ok, bad_request.permanent) == (False, True)
    assert recovered.ok


async def test_a_network_error_is_retried_and_never_shows_the_token(
    channel: ZaloChannel, standin: ZaloStandin
) -> None:
    await standin.stop()
    result = await channel.send(CHAT, Reply("x"), edit_ref=None)
    assert not result.ok and not result.permanent and result.retry_after is None
    assert result.error is not None and DEFAULT_TOKEN not in result.error


async def test_a_text_at_the_limit_and_its_file_note_go_as_two_messages(
    channel: ZaloChannel, standin: ZaloStandin
) -> None:
    text = "a" * 2000
    reply = Reply(text, attachment=Attachment("so.csv", b"x,y\n"))
    assert (await channel.send(CHAT, reply, edit_ref=None)).ok
    first, second = standin.messages_to(CHAT)
    assert first.text == text
    assert second.text == "(Tệp so.csv không xem được trên Zalo.)"


async def test_without_a_public_url_an_attachment_is_described(
    channel: ZaloChannel, standin: ZaloStandin
) -> None:
    chart = Reply("Tháng 11: thu 3.000.000 ₫", attachment=Attachment("thang.png", b"png", "photo"))
    assert (await channel.send(CHAT, chart, edit_ref=None)).ok
    [sent] = standin.messages_to(CHAT)
    assert sent.method == "sendMessage"
    assert sent.text == "Tháng 11: thu 3.000.000 ₫\n(Tệp thang.png không xem được trên Zalo.)"


async def test_with_a_public_url_photos_and_files_are_served_to_zalo(
    database_url: str, standin: ZaloStandin, sessions: async_sessionmaker[AsyncSession]
) -> None:
    port = free_port()
    settings = zalo_settings(
        database_url,
        standin,
        public_base_url=f"http://127.0.0.1:{port}/",
        files_port=port,
    )
    zalo = ZaloChannel(settings)
    stop = asyncio.Event()
    receiving = asyncio.create_task(zalo.receive(sink(zalo, sessions, lambda _i, _a: None), stop))
    try:
        await wait_until(lambda: standin.calls["getUpdates"] > 0)  # receiving has started
        chart = Reply("Biểu đồ tháng 11", attachment=Attachment("thang.png", b"\x89PNG", "photo"))
        export = Reply("Sổ nhật ký", attachment=Attachment("so nhat ky.csv", b"a,b\n"))
        assert (await zalo.send(CHAT, chart, edit_ref=None)).ok
        assert (await zalo.send(CHAT, export, edit_ref=None)).ok
        photo, document = standin.messages_to(CHAT)
        assert (photo.method, photo.caption) == ("sendPhoto", "Biểu đồ tháng 11")
        assert photo.media is not None
        assert photo.media.startswith(f"http://127.0.0.1:{port}/zalo-files/")
        assert document.method == "sendMessage" and document.text is not None
        intro, link = document.text.split("\n")
        assert intro == "Sổ nhật ký" and link.startswith("Tải tệp: http://127.0.0.1")
        async with ClientSession() as http:
            async with http.get(photo.media) as response:
                assert response.status == 200
                assert response.content_type == "image/png"
                assert await response.read() == b"\x89PNG"
            async with http.get(link.removeprefix("Tải tệp: ")) as response:
                assert await response.read() == b"a,b\n"
            async with http.get(photo.media.replace("/zalo-files/", "/zalo-files/x")) as response:
                assert response.status == 404  # a guessed token finds nothing
    finally:
        stop.set()
        receiving.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await receiving
        await zalo.close()


# Receiving ----------------------------------------------------------------------------


def sink(
    channel: ZaloChannel, sessions: async_sessionmaker[AsyncSession], submit: Submit
) -> InboundSink:
    return InboundSink(sessions=sessions, channel=channel, submit=submit, outage=Outage())


async def inbound_count(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count(Inbound.id))) or 0)


async def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.02)


async def test_polling_stores_each_message_once_though_zalo_repeats_it(
    channel: ZaloChannel, standin: ZaloStandin, sessions: async_sessionmaker[AsyncSession]
) -> None:
    submitted: list[tuple[int, str]] = []
    stop = asyncio.Event()
    receiving = asyncio.create_task(
        channel.receive(sink(channel, sessions, lambda i, a: submitted.append((i, a))), stop)
    )
    try:
        standin.push_text(CHAT, "bán heo 3 triệu")
        standin.push_update(
            {
                "event_name": "message.text.received",
                "message": {
                    "from": {"id": "g1", "display_name": "Nhóm"},
                    "chat": {"id": "g1", "chat_type": "GROUP"},
                    "message_id": "group-message",
                    "text": "chi 50k",
                },
            }
        )
        standin.push_image(CHAT, caption="hóa đơn")
        await wait_until(lambda: standin.pending_updates == 0 and standin.deliveries == 6)
        await wait_until(lambda: len(submitted) == 2)
        await asyncio.sleep(0.2)  # a repeat would be submitted by now
    finally:
        stop.set()
        receiving.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await receiving
    assert [address for _, address in submitted] == [CHAT, CHAT]
    assert await inbound_count(sessions) == 2
    assert standin.calls["deleteWebhook"] == 1


async def serve_webhook(
    channel: ZaloChannel, sessions: async_sessionmaker[AsyncSession], submitted: list[int]
) -> tuple[asyncio.Event, asyncio.Task[None]]:
    stop = asyncio.Event()
    task = asyncio.create_task(
        channel.receive(sink(channel, sessions, lambda i, _a: submitted.append(i)), stop)
    )
    return stop, task


async def test_the_webhook_checks_the_secret_and_stores_before_answering(
    database_url: str, standin: ZaloStandin, sessions: async_sessionmaker[AsyncSession]
) -> None:
    port = free_port()
    hook = {"port": port, "secret": SECRET, "public_url": f"http://127.0.0.1:{port}"}
    zalo = ZaloChannel(zalo_settings(database_url, standin, mode="webhook", webhook=hook))
    submitted: list[int] = []
    stop, receiving = await serve_webhook(zalo, sessions, submitted)
    url = f"http://127.0.0.1:{port}{zalo.config.webhook.path}"
    body = {
        "ok": True,
        "result": {
            "event_name": "message.text.received",
            "message": {
                "chat": {"id": CHAT, "chat_type": "PRIVATE"},
                "message_id": "forged",
                "text": "chi 5 triệu",
            },
        },
    }
    try:
        await wait_until(lambda: standin.calls["setWebhook"] == 1)
        standin.push_text(CHAT, "bán heo 3 triệu")
        await wait_until(lambda: standin.deliveries == 2 and len(submitted) == 1)
        async with ClientSession() as http:
            for headers in ({}, {"X-Bot-Api-Secret-Token": "wrong-secret"}):
                async with http.post(url, json=body, headers=headers) as response:
                    assert response.status == 401
            async with http.post(
                url, data=b"{", headers={"X-Bot-Api-Secret-Token": SECRET}
            ) as response:
                assert response.status == 400
    finally:
        stop.set()
        with contextlib.suppress(asyncio.CancelledError):
            await receiving
        await zalo.close()
    assert standin.webhook_errors == []
    assert await inbound_count(sessions) == 1


class FlakySessions:
    """A session factory that fails while ``down``, as a database that is away."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions
        self.down = True
        self.refused = 0

    def __call__(self) -> AsyncSession:
        if self.down:
            self.refused += 1
            raise ConnectionRefusedError("the database is away")
        return self.sessions()


async def test_the_webhook_answers_500_when_it_cannot_store_so_zalo_retries(
    database_url: str, standin: ZaloStandin, sessions: async_sessionmaker[AsyncSession]
) -> None:
    port = free_port()
    hook = {"port": port, "secret": SECRET, "public_url": f"http://127.0.0.1:{port}"}
    zalo = ZaloChannel(zalo_settings(database_url, standin, mode="webhook", webhook=hook))
    flaky = FlakySessions(sessions)
    submitted: list[int] = []
    stop, receiving = await serve_webhook(zalo, cast(Any, flaky), submitted)
    try:
        await wait_until(lambda: standin.calls["setWebhook"] == 1)
        standin.push_text(CHAT, "bán heo 3 triệu")
        await wait_until(lambda: flaky.refused >= 2)  # answered 500, and posted again
        flaky.down = False
        await wait_until(lambda: len(submitted) == 1)
    finally:
        stop.set()
        with contextlib.suppress(asyncio.CancelledError):
            await receiving
        await zalo.close()
    assert await inbound_count(sessions) == 1


# Configuration ------------------------------------------------------------------------


def test_sinhke_run_starts_the_zalo_channel_when_it_has_a_token() -> None:
    assert configured_channels(Settings()) == []
    channels = configured_channels(Settings(zalo=ZaloConfig(token=SecretStr(DEFAULT_TOKEN))))
    assert [channel.name for channel in channels] == ["zalo"]


@pytest.mark.parametrize("secret", ["", "short"])
def test_webhook_mode_needs_a_secret_zalo_accepts(secret: str) -> None:
    with pytest.raises(ValidationError, match="8 to 256 characters"):
        ZaloConfig.model_validate({"mode": "webhook", "webhook": {"secret": secret}})
