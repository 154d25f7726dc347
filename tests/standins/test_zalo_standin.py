"""The Zalo stand-in driven by a plain aiohttp client, as the Zalo channel talks to it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import ClientSession, web

from tests.standins.zalo import DEFAULT_TOKEN, ZaloStandin

CHAT = "e4ea2cd5189df1c3a88c"


@pytest.fixture
async def zalo() -> AsyncIterator[ZaloStandin]:
    async with ZaloStandin() as standin:
        yield standin


@pytest.fixture
async def http(zalo: ZaloStandin) -> AsyncIterator[ClientSession]:
    async with ClientSession() as session:
        yield session


async def call(
    http: ClientSession, zalo: ZaloStandin, method: str, token: str = DEFAULT_TOKEN, **body: Any
) -> tuple[int, dict[str, Any]]:
    async with http.post(f"{zalo.base_url}/bot{token}/{method}", json=body) as resp:
        return resp.status, await resp.json()


async def test_each_update_comes_twice_then_an_idle_poll_answers_408(
    zalo: ZaloStandin, http: ClientSession
) -> None:
    message_id = zalo.push_text(CHAT, "chi 50 nghìn tiền phân bón", display_name="Chị Lan")

    first = await call(http, zalo, "getUpdates", timeout="1")
    second = await call(http, zalo, "getUpdates", timeout="1")
    loop = asyncio.get_running_loop()
    started = loop.time()
    idle = await call(http, zalo, "getUpdates", timeout="1")

    assert first == second
    status, body = first
    assert status == 200 and body["ok"] is True
    update = body["result"]  # one update, not a list
    assert update["event_name"] == "message.text.received"
    message = update["message"]
    assert message["text"] == "chi 50 nghìn tiền phân bón"
    assert message["message_id"] == message_id
    assert message["chat"] == {"id": CHAT, "chat_type": "PRIVATE"}
    assert message["from"] == {"id": CHAT, "display_name": "Chị Lan", "is_bot": False}
    assert message["date"] > 1_700_000_000_000  # milliseconds
    assert idle == (408, {"ok": False, "error_code": 408, "description": "Request Timeout"})
    assert loop.time() - started >= 0.9
    assert (zalo.get_updates_calls, zalo.deliveries, zalo.pending_updates) == (3, 2, 0)


async def test_a_waiting_poll_answers_as_soon_as_a_message_comes(
    zalo: ZaloStandin, http: ClientSession
) -> None:
    poll = asyncio.create_task(call(http, zalo, "getUpdates", timeout="20"))
    await asyncio.sleep(0.2)
    loop = asyncio.get_running_loop()
    pushed = loop.time()
    zalo.push_sticker(CHAT)
    status, body = await poll
    assert status == 200 and body["result"]["event_name"] == "message.sticker.received"
    assert loop.time() - pushed < 1.0


async def test_other_update_kinds(zalo: ZaloStandin, http: ClientSession) -> None:
    zalo.redeliver = 1
    zalo.push_image(CHAT, caption="hóa đơn")
    zalo.push_unsupported(CHAT)
    zalo.push_update({"event_name": "message.voice.received", "message": {"voice_url": "x"}})

    image = (await call(http, zalo, "getUpdates", timeout="1"))[1]["result"]
    unsupported = (await call(http, zalo, "getUpdates", timeout="1"))[1]["result"]
    voice = (await call(http, zalo, "getUpdates", timeout="1"))[1]["result"]

    assert image["event_name"] == "message.image.received"
    assert image["message"]["caption"] == "hóa đơn"
    async with http.get(image["message"]["photo"]) as resp:  # served locally
        assert resp.status == 200 and resp.content_type == "image/jpeg"
    assert unsupported["event_name"] == "message.unsupported.received"
    assert voice["event_name"] == "message.voice.received"


async def test_send_message_takes_1_to_2000_characters(
    zalo: ZaloStandin, http: ClientSession
) -> None:
    status, body = await call(http, zalo, "sendMessage", chat_id=CHAT, text="ư" * 2000)
    assert status == 200 and set(body["result"]) == {"message_id", "date"}

    for text in ["ư" * 2001, ""]:
        status, body = await call(http, zalo, "sendMessage", chat_id=CHAT, text=text)
        assert (status, body["error_code"]) == (400, 400)
        assert "1 to 2000 characters" in body["description"]
    status, body = await call(http, zalo, "sendMessage", text="thiếu chat_id")
    assert status == 400 and body["description"] == "Bad request: The chat_id must not be empty"

    sent = await zalo.wait_for_count(CHAT, 1)
    assert sent[0].text == "ư" * 2000
    assert [r.status for r in zalo.failed] == [400, 400, 400]


async def test_photo_sticker_and_chat_action(zalo: ZaloStandin, http: ClientSession) -> None:
    photo = "https://example.org/bieu-do.png"
    assert (await call(http, zalo, "sendPhoto", chat_id=CHAT, photo=photo, caption="Tháng 11"))[0]
    status, body = await call(http, zalo, "sendSticker", chat_id=CHAT, sticker="abc")
    assert status == 200
    status, body = await call(http, zalo, "sendChatAction", chat_id=CHAT, action="typing")
    assert (status, body) == (200, {"ok": True})
    status, _ = await call(http, zalo, "sendChatAction", chat_id=CHAT, action="dancing")
    assert status == 400

    sent_photo, sticker = zalo.messages_to(CHAT)
    assert (sent_photo.media, sent_photo.caption) == (photo, "Tháng 11")
    assert (sticker.method, sticker.media) == ("sendSticker", "abc")
    assert zalo.sent[-1].method == "sendChatAction"
    assert zalo.quota_used == 2  # a chat action is not a message


async def test_webhook_posts_each_update_twice_with_the_secret_header(
    zalo: ZaloStandin, http: ClientSession
) -> None:
    received: list[tuple[str | None, dict[str, Any]]] = []
    statuses = [500]

    async def hook(request: web.Request) -> web.Response:
        received.append((request.headers.get("X-Bot-Api-Secret-Token"), await request.json()))
        return web.Response(status=statuses.pop() if statuses else 200)

    app = web.Application()
    app.router.add_post("/zalo", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/zalo"
    try:
        status, body = await call(http, zalo, "setWebhook", url=url, secret_token="short")
        assert status == 400  # the docs ask for 8 to 256 characters
        status, body = await call(http, zalo, "setWebhook", url=url, secret_token="bi-mat-123")
        assert status == 200 and body["result"]["url"] == url
        assert (await call(http, zalo, "getUpdates", timeout="1"))[0] == 409

        message_id = zalo.push_text(CHAT, "qua webhook")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 5
        while len(received) < 3:  # one failed POST, retried, then the second delivery
            assert loop.time() < deadline
            await asyncio.sleep(0.01)
        info = await call(http, zalo, "getWebhookInfo")
        deleted = await call(http, zalo, "deleteWebhook")
    finally:
        await runner.cleanup()

    assert {secret for secret, _ in received} == {"bi-mat-123"}
    for _, body in received:
        assert body["ok"] is True
        assert body["result"]["event_name"] == "message.text.received"
        assert body["result"]["message"]["message_id"] == message_id
    assert info[1]["result"]["url"] == url
    assert deleted[1]["result"]["url"] == ""
    assert zalo.deliveries == 2


async def test_quota_used_up_answers_429(http: ClientSession) -> None:
    async with ZaloStandin(monthly_quota=2) as zalo:
        for n in range(2):
            assert (await call(http, zalo, "sendMessage", chat_id=CHAT, text=str(n)))[0] == 200
        status, body = await call(http, zalo, "sendMessage", chat_id=CHAT, text="quá")
        assert (status, body["error_code"]) == (429, 429)
        assert zalo.quota_left == 0 and len(zalo.messages_to(CHAT)) == 2
        zalo.monthly_quota = None  # a new month, or a paid plan
        assert (await call(http, zalo, "sendMessage", chat_id=CHAT, text="lại"))[0] == 200


async def test_errors_in_the_body_only_and_other_failures(http: ClientSession) -> None:
    async with ZaloStandin(errors_as_http_200=True) as zalo:
        status, body = await call(http, zalo, "sendMessage", chat_id=CHAT, text="")
        assert status == 200 and body["ok"] is False and body["error_code"] == 400

    async with ZaloStandin() as zalo:
        assert (await call(http, zalo, "getMe", token="1:wrong"))[0] == 401
        status, body = await call(http, zalo, "getMe")
        assert (
            body["result"]["account_type"] == "BASIC"
            and body["result"]["id"] == "1459232241454765289"
        )
        assert (await call(http, zalo, "editMessageText", chat_id=CHAT))[0] == 404
        zalo.fail_next("sendMessage", 500, description="Internal error")
        status, body = await call(http, zalo, "sendMessage", chat_id=CHAT, text="một")
        assert (status, body["description"]) == (500, "Internal error")
        assert (await call(http, zalo, "sendMessage", chat_id=CHAT, text="một"))[0] == 200
        assert [r.method for r in zalo.failed] == ["editMessageText", "sendMessage"]

        async with http.post(
            f"{zalo.base_url}/_control/push", json={"chat_id": CHAT, "text": "từ xa"}
        ) as resp:
            message_id = (await resp.json())["message_id"]
        _, body = await call(http, zalo, "getUpdates", timeout="1")
        assert body["result"]["message"]["message_id"] == message_id
        async with http.get(f"{zalo.base_url}/_control/stats") as resp:
            stats = await resp.json()
        assert stats["quota_used"] == 1 and stats["pending_updates"] == 1
