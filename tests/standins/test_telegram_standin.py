"""The Telegram stand-in driven by the real client: aiogram 3's Bot, session and Dispatcher."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from aiogram import Bot, Dispatcher, F
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import (
    BotCommand,
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
)
from aiohttp import ClientSession, web

from tests.standins.telegram import DEFAULT_TOKEN, TelegramStandin

CHAT = 1001


def make_bot(tg: TelegramStandin, token: str = DEFAULT_TOKEN) -> Bot:
    return Bot(token, session=AiohttpSession(api=TelegramAPIServer.from_base(tg.base_url)))


@pytest.fixture
async def tg() -> AsyncIterator[TelegramStandin]:
    async with TelegramStandin() as standin:
        yield standin


@pytest.fixture
async def bot(tg: TelegramStandin) -> AsyncIterator[Bot]:
    bot = make_bot(tg)
    yield bot
    await bot.session.close()


def echo_dispatcher() -> Dispatcher:
    dp = Dispatcher()

    @dp.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(f"Bạn nói: {message.text}")

    @dp.callback_query()
    async def pressed(query: CallbackQuery) -> None:
        await query.answer("Đã nhận")
        if isinstance(query.message, Message):
            await query.message.edit_text(f"Bạn chọn: {query.data}")

    return dp


@asynccontextmanager
async def polling(dp: Dispatcher, bot: Bot) -> AsyncIterator[None]:
    task = asyncio.create_task(dp.start_polling(bot, handle_signals=False, close_bot_session=False))
    try:
        yield
    finally:
        await dp.stop_polling()
        await task


@asynccontextmanager
async def webhook_receiver(
    statuses: list[int],
) -> AsyncIterator[tuple[str, list[tuple[dict[str, str], dict[str, object]]]]]:
    """A local webhook answering ``statuses`` in turn, then 200; yields (url, requests)."""
    received: list[tuple[dict[str, str], dict[str, object]]] = []

    async def hook(request: web.Request) -> web.Response:
        received.append((dict(request.headers), await request.json()))
        return web.Response(status=statuses.pop(0) if statuses else 200)

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/hook", received
    finally:
        await runner.cleanup()


async def eventually(condition: object, timeout: float = 5.0) -> None:
    assert callable(condition)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


async def test_echo_bot_answers_texts_and_a_button(tg: TelegramStandin, bot: Bot) -> None:
    async with polling(echo_dispatcher(), bot):
        tg.push_text(CHAT, "xin chào")
        tg.push_text(CHAT, "/start")
        replies = await tg.wait_for_count(CHAT, 2)
        # aiogram handles the updates of one batch concurrently: either order may come.
        assert {r.text for r in replies} == {"Bạn nói: xin chào", "Bạn nói: /start"}

        button = InlineKeyboardButton(text="Có", callback_data="yes")
        keyboard = InlineKeyboardMarkup(inline_keyboard=[[button]])
        question = await bot.send_message(CHAT, "Đồng ý?", reply_markup=keyboard)
        assert question.reply_markup is not None
        assert question.reply_markup.model_dump() == keyboard.model_dump()
        assert question.from_user is not None and question.from_user.is_bot
        tg.push_callback(CHAT, "yes", message_id=question.message_id)
        edit = await tg.wait_for(lambda r: r.method == "editMessageText")
        answer = await tg.wait_for(lambda r: r.method == "answerCallbackQuery")

    assert tg.messages_to(CHAT)[2].reply_markup == {
        "inline_keyboard": [[{"text": "Có", "callback_data": "yes"}]]
    }
    assert (edit.text, edit.message_id) == ("Bạn chọn: yes", question.message_id)
    assert (answer.text, answer.chat_id) == ("Đã nhận", CHAT)
    assert tg.pending_updates == 0


async def test_photo_and_document_uploads_arrive_with_their_bytes(
    tg: TelegramStandin, bot: Bot
) -> None:
    photo = await bot.send_photo(
        CHAT, BufferedInputFile(b"\x89PNG fake", "chart.png"), caption="Thu chi tháng 11"
    )
    document = await bot.send_document(CHAT, BufferedInputFile(b"PK xlsx", "report.xlsx"))
    by_url = await bot.send_photo(CHAT, "https://example.org/a.jpg")  # by reference: not fetched

    assert photo.photo is not None and photo.caption == "Thu chi tháng 11"
    assert document.document is not None and document.document.file_name == "report.xlsx"
    sent_photo, sent_document, sent_by_url = tg.messages_to(CHAT)
    assert (sent_photo.file_bytes, sent_photo.filename) == (b"\x89PNG fake", "chart.png")
    assert sent_photo.caption == "Thu chi tháng 11"
    assert (sent_document.file_bytes, sent_document.filename) == (b"PK xlsx", "report.xlsx")
    assert (sent_by_url.media, sent_by_url.file_bytes) == ("https://example.org/a.jpg", None)
    assert by_url.photo is not None


async def test_429_with_retry_after_surfaces_as_telegram_retry_after(
    tg: TelegramStandin, bot: Bot
) -> None:
    tg.fail_next("sendMessage", 429, retry_after=7)
    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(CHAT, "một")
    assert caught.value.retry_after == 7
    await bot.send_message(CHAT, "một")  # the fault was for one call only

    assert [r.text for r in tg.messages_to(CHAT)] == ["một"]
    assert tg.failed[0].status == 429
    assert tg.failed[0].description == "Too Many Requests: retry after 7"


async def test_blocked_user_and_other_faults(tg: TelegramStandin, bot: Bot) -> None:
    tg.block_chat(CHAT)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(CHAT, "nhắc")
    with pytest.raises(TelegramForbiddenError):
        await bot.send_chat_action(CHAT, "typing")
    tg.unblock_chat(CHAT)

    tg.fail_next("sendMessage", 403)
    tg.fail_next("sendMessage", 500, times=2)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(CHAT, "nhắc")
    for _ in range(2):
        with pytest.raises(TelegramServerError):
            await bot.send_message(CHAT, "nhắc")
    await bot.send_message(CHAT, "nhắc")

    assert len(tg.messages_to(CHAT)) == 1
    assert [r.status for r in tg.failed] == [403, 403, 403, 500, 500]


async def test_wrong_token_and_unknown_method(tg: TelegramStandin) -> None:
    stranger = make_bot(tg, token="999:not-this-bot")
    with pytest.raises(TelegramUnauthorizedError):
        await stranger.get_me()
    await stranger.session.close()

    async with (
        ClientSession() as http,
        http.post(f"{tg.base_url}/bot{DEFAULT_TOKEN}/sendDice", data={"chat_id": CHAT}) as resp,
    ):
        assert resp.status == 404
        assert await resp.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
    assert tg.failed[-1].method == "sendDice"


async def test_offset_confirms_and_forgets_updates(tg: TelegramStandin, bot: Bot) -> None:
    first = tg.push_text(CHAT, "một")
    second = tg.push_text(CHAT, "hai")

    assert [u.update_id for u in await bot.get_updates()] == [first, second]
    # Unconfirmed updates come again …
    assert [u.update_id for u in await bot.get_updates()] == [first, second]
    # … until an offset above them confirms them; then they never come back.
    assert [u.update_id for u in await bot.get_updates(offset=second)] == [second]
    assert [u.update_id for u in await bot.get_updates()] == [second]
    assert await bot.get_updates(offset=second + 1) == []
    assert tg.pending_updates == 0

    ids = [tg.push_text(CHAT, str(n)) for n in range(3)]
    assert [u.update_id for u in await bot.get_updates(limit=2)] == ids[:2]
    assert [u.update_id for u in await bot.get_updates(offset=-1)] == ids[2:]
    assert tg.delivered_offsets == [None, None, second, None, second + 1, None, -1]
    assert tg.get_updates_calls == 7


async def test_dispatcher_never_sees_a_confirmed_update_again(
    tg: TelegramStandin, bot: Bot
) -> None:
    dp = echo_dispatcher()
    async with polling(dp, bot):
        tg.push_text(CHAT, "một")
        await tg.wait_for_count(CHAT, 1)
    tg.push_text(CHAT, "hai")
    async with polling(dp, bot):
        await tg.wait_for_count(CHAT, 2)
        await asyncio.sleep(0.2)  # room for a wrongly redelivered "một" to be answered

    assert [r.text for r in tg.messages_to(CHAT)] == ["Bạn nói: một", "Bạn nói: hai"]


async def test_long_poll_returns_as_soon_as_an_update_arrives(
    tg: TelegramStandin, bot: Bot
) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert await bot.get_updates(timeout=1) == []
    assert loop.time() - started >= 0.9

    poll = asyncio.create_task(bot.get_updates(timeout=20))
    await asyncio.sleep(0.2)
    pushed = loop.time()
    update_id = tg.push_text(CHAT, "đây")
    assert [u.update_id for u in await poll] == [update_id]
    assert loop.time() - pushed < 1.0


async def test_a_newer_poll_overtakes_an_older_one(tg: TelegramStandin, bot: Bot) -> None:
    older = asyncio.create_task(bot.get_updates(timeout=20))
    await asyncio.sleep(0.2)
    newer = asyncio.create_task(bot.get_updates(timeout=20))
    with pytest.raises(TelegramConflictError, match="terminated by other getUpdates"):
        await older
    update_id = tg.push_text(CHAT, "chỉ một bot")
    assert [u.update_id for u in await newer] == [update_id]


async def test_webhook_gets_updates_with_the_secret_and_retries(
    tg: TelegramStandin, bot: Bot
) -> None:
    async with webhook_receiver([500, 502]) as (url, received):
        assert await bot.set_webhook(url, secret_token="bi-mat_123")
        with pytest.raises(TelegramConflictError, match="webhook is active"):
            await bot.get_updates()
        update_id = tg.push_text(CHAT, "qua webhook")
        await eventually(lambda: len(received) == 3)
        info = await bot.get_webhook_info()

    assert all(h["X-Telegram-Bot-Api-Secret-Token"] == "bi-mat_123" for h, _ in received)
    assert [body["update_id"] for _, body in received] == [update_id] * 3
    assert (info.url, info.pending_update_count) == (url, 0)
    assert tg.webhook_errors == []
    await bot.delete_webhook()
    assert await bot.get_updates() == []


async def test_webhook_gives_up_after_its_attempts() -> None:
    async with (
        TelegramStandin(webhook_attempts=2, webhook_retry_delay=0.01) as tg,
        webhook_receiver([500] * 10) as (url, received),
    ):
        bot = make_bot(tg)
        await bot.set_webhook(url)
        tg.push_text(CHAT, "không tới")
        await eventually(lambda: tg.pending_updates == 0)
        info = await bot.get_webhook_info()
        await bot.session.close()

    assert len(received) == 2
    assert "X-Telegram-Bot-Api-Secret-Token" not in received[0][0]
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"


async def test_rate_enforcement_per_chat_and_overall() -> None:
    async with TelegramStandin(enforce_rate=True, rate_global=5, rate_per_chat=1.0, burst=3) as tg:
        bot = make_bot(tg)
        for _ in range(3):  # the burst a chat may get at once
            await bot.send_message(1, "x")
        with pytest.raises(TelegramRetryAfter) as caught:
            await bot.send_message(1, "x")
        assert caught.value.retry_after == 1
        await bot.send_message(2, "x")
        await bot.send_message(3, "x")
        with pytest.raises(TelegramRetryAfter):  # sixth send within one second, to a fresh chat
            await bot.send_message(4, "x")
        await asyncio.sleep(1.05)  # the window slid on and chat 1 earned a token
        await bot.send_message(1, "x")
        await bot.session.close()

    assert tg.rejected_429 == 2
    assert len(tg.sent) == 6


async def test_slow_answer_times_out_after_the_message_went_out(
    tg: TelegramStandin, bot: Bot
) -> None:
    tg.slow(2.0)
    with pytest.raises(TelegramNetworkError):
        await bot.send_message(CHAT, "chậm", request_timeout=1)
    assert [r.text for r in tg.messages_to(CHAT)] == ["chậm"]
    tg.slow(0)
    await bot.send_message(CHAT, "nhanh")


async def test_a_hung_call_is_late_or_dropped_when_its_client_gives_up(
    tg: TelegramStandin, bot: Bot
) -> None:
    tg.hang_next("sendMessage", 0.5)
    started = asyncio.get_running_loop().time()
    await bot.send_message(CHAT, "muộn")
    assert asyncio.get_running_loop().time() - started >= 0.5
    tg.hang_next("sendMessage", 2.0)
    with pytest.raises(TelegramNetworkError):
        await bot.send_message(CHAT, "bỏ dở", request_timeout=1)
    await asyncio.sleep(1.5)  # the held call ends with nobody waiting for it
    assert tg.abandoned["sendMessage"] == 1
    await bot.send_message(CHAT, "gửi lại")
    assert [r.text for r in tg.messages_to(CHAT)] == ["muộn", "gửi lại"]


async def test_an_outage_and_the_api_coming_back_on_the_same_port(
    tg: TelegramStandin, bot: Bot
) -> None:
    base_url = tg.base_url
    update_id = tg.push_text(CHAT, "trước khi mất mạng")
    await tg.stop()
    with pytest.raises(TelegramNetworkError):
        await bot.get_me()
    assert await tg.start() == base_url
    assert [u.update_id for u in await bot.get_updates()] == [update_id]


async def test_validation_edits_and_deletes(tg: TelegramStandin, bot: Bot) -> None:
    message = await bot.send_message(CHAT, "<b>Thu</b> 3.000.000 ₫", parse_mode="HTML")
    assert message.text == "Thu 3.000.000 ₫"
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text(
            "<b>Thu</b> 3.000.000 ₫", chat_id=CHAT, message_id=message.message_id, parse_mode="HTML"
        )
    edited = await bot.edit_message_text(
        "Chi 50.000 ₫", chat_id=CHAT, message_id=message.message_id
    )
    assert isinstance(edited, Message) and edited.text == "Chi 50.000 ₫"
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("?", chat_id=CHAT, message_id=999)

    for text, error in [
        ("<b>đậm", "Can't find end tag"),
        ("dòng 1<br>dòng 2", 'Unsupported start tag "br"'),
        ("<i>a</b>", "Unmatched end tag"),
    ]:
        with pytest.raises(TelegramBadRequest, match=error):
            await bot.send_message(CHAT, text, parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(CHAT, "a" * 4097)
    await bot.send_message(CHAT, "ă" * 4096)
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        button = InlineKeyboardButton(text="x", callback_data="x" * 65)
        markup = InlineKeyboardMarkup(inline_keyboard=[[button]])
        await bot.send_message(CHAT, "nút", reply_markup=markup)

    reply_keyboard = ReplyKeyboardMarkup(keyboard=[[KeyboardButton(text="Thu")]])
    with_keyboard = await bot.send_message(CHAT, "chọn", reply_markup=reply_keyboard)
    assert with_keyboard.reply_markup is None  # a Message only echoes inline keyboards
    assert tg.sent[-1].reply_markup == {"keyboard": [[{"text": "Thu"}]]}

    assert await bot.delete_message(CHAT, message.message_id)
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(CHAT, message.message_id)


async def test_callback_query_is_answered_once(tg: TelegramStandin, bot: Bot) -> None:
    button = InlineKeyboardButton(text="Có", callback_data="yes")
    question = await bot.send_message(
        CHAT, "?", reply_markup=InlineKeyboardMarkup(inline_keyboard=[[button]])
    )
    tg.push_callback(CHAT, "yes", message_id=question.message_id)
    (update,) = await bot.get_updates()
    assert update.callback_query is not None and update.callback_query.data == "yes"
    assert await bot.answer_callback_query(update.callback_query.id)
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(update.callback_query.id)
    with pytest.raises(KeyError):
        tg.push_callback(CHAT, "yes", message_id=999)


async def test_update_factories_parse_as_aiogram_updates(tg: TelegramStandin, bot: Bot) -> None:
    tg.push_sticker(CHAT)
    tg.push_photo(CHAT, caption="hóa đơn")
    tg.push_voice(CHAT)
    tg.push_location(CHAT, 21.03, 105.85)
    tg.push_edited_text(CHAT, 1, "sửa: chi 20.000")
    tg.push_group_text(-500, "chào nhóm", user_id=7)
    tg.push_channel_post(-1001234, "tin kênh")
    tg.push_update({"my_chat_member": None})  # anything at all, as Telegram might add kinds

    sticker, photo, voice, location, edited, group, post, other = await bot.get_updates()
    assert sticker.message is not None and sticker.message.sticker is not None
    assert photo.message is not None and photo.message.caption == "hóa đơn"
    assert photo.message.photo is not None
    assert voice.message is not None and voice.message.voice is not None
    assert location.message is not None and location.message.location is not None
    assert location.message.location.latitude == 21.03
    assert edited.edited_message is not None and edited.edited_message.message_id == 1
    assert edited.edited_message.text == "sửa: chi 20.000"
    assert group.message is not None and group.message.chat.type == "group"
    assert group.message.from_user is not None and group.message.from_user.id == 7
    assert post.channel_post is not None and post.channel_post.chat.type == "channel"
    assert other.update_id == post.update_id + 1
    # Message ids count per chat, the user's and the bot's together.
    assert [u.message.message_id for u in (sticker, photo, voice) if u.message] == [1, 2, 3]


async def test_commands_and_chat_actions_are_recorded(tg: TelegramStandin, bot: Bot) -> None:
    assert await bot.set_my_commands([BotCommand(command="start", description="Bắt đầu")])
    assert await bot.send_chat_action(CHAT, "typing")
    me = await bot.get_me()

    commands, action = tg.sent
    assert commands.params["commands"] == [{"command": "start", "description": "Bắt đầu"}]
    assert (action.method, action.chat_id, action.text) == ("sendChatAction", CHAT, "typing")
    assert me.id == 123456 and me.is_bot
    assert tg.messages_to(CHAT) == []  # neither is a message the user reads


async def test_http_control_endpoints(tg: TelegramStandin, bot: Bot) -> None:
    async with ClientSession(base_url=tg.base_url) as http:
        async with http.post("/_control/push", json={"chat_id": CHAT, "text": "từ xa"}) as resp:
            update_id = (await resp.json())["update_id"]
        (update,) = await bot.get_updates()
        assert update.update_id == update_id and update.message is not None
        assert update.message.text == "từ xa"

        await bot.send_message(CHAT, "một")
        async with http.get("/_control/sent", params={"since": "0"}) as resp:
            page = await resp.json()
        assert page["next"] == 1 and page["sent"][0]["text"] == "một"
        async with http.get("/_control/sent", params={"since": "1"}) as resp:
            assert (await resp.json())["sent"] == []

        fault = {"method": "sendMessage", "status": 500}
        async with http.post("/_control/fail_next", json=fault) as resp:
            assert resp.status == 200
        with pytest.raises(TelegramServerError):
            await bot.send_message(CHAT, "hai")
        async with http.post("/_control/block", json={"chat_id": CHAT}) as resp:
            assert resp.status == 200
        with pytest.raises(TelegramForbiddenError):
            await bot.send_message(CHAT, "ba")
        async with http.post("/_control/push", json={"chat_id": CHAT}) as resp:
            assert resp.status == 400  # neither text, callback_data nor update

        async with http.get("/_control/stats") as resp:
            stats = await resp.json()
    assert stats["sent"] == 1 and stats["failed"] == 2
    assert stats["get_updates_calls"] == 1 and stats["pending_updates"] == 1


async def test_ten_thousand_sends_are_not_slowed_by_the_standin(tg: TelegramStandin) -> None:
    """No per-request scan of past records: 10,000 sends take about 2 s here, client included."""
    url = f"{tg.base_url}/bot{DEFAULT_TOKEN}/sendMessage"

    async def worker(http: ClientSession, chats: range) -> None:
        for chat_id in chats:
            async with http.post(url, data={"chat_id": chat_id, "text": "tin"}) as resp:
                assert resp.status == 200

    loop = asyncio.get_running_loop()
    started = loop.time()
    async with ClientSession() as http:
        await asyncio.gather(*(worker(http, range(n, 10_000, 20)) for n in range(20)))
    elapsed = loop.time() - started

    assert len(tg.sent) == 10_000
    assert elapsed < 30, f"10,000 sends took {elapsed:.1f} s"
