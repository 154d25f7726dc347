"""The Telegram adapter: updates in (polling, webhook) handed to the core's sink, replies
out (one outbox row each)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from aiogram import Bot, methods
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.methods.base import Response
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
)
from aiogram.types import Update as TgUpdate
from aiohttp import web
from pydantic import ValidationError

from bot.channels.receiver import serve_until
from bot.channels.telegram.convert import callback_id, convert
from bot.channels.telegram.menu import set_officer_menu, set_profile
from bot.config import TelegramConfig
from bot.core.capabilities import TELEGRAM
from bot.core.contract import Reply, SendResult, Sink, Update

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query"]
# Officers who joined since the last look get their menu within this many seconds.
OFFICER_MENUS_EVERY = 300.0


class _RawGetUpdates(methods.GetUpdates):
    """getUpdates answered as plain objects: each is read on its own (see :func:`_readable`),
    so one that aiogram cannot read does not fail the whole batch."""

    __returning__ = list[dict[str, Any]]


# aiogram builds the pydantic model Response[<result type>] for every call, and pydantic
# caches such generic models only weakly: unpinned, each reply rebuilt its model class
# (about a fifth of the bot's time under load).  Holding them keeps the cache warm.
_PINNED_RESPONSE_MODELS = [
    Response[method.__returning__]  # type: ignore[name-defined]
    for method in (
        _RawGetUpdates,
        methods.SendMessage,
        methods.SendPhoto,
        methods.SendDocument,
        methods.EditMessageText,
        methods.AnswerCallbackQuery,
        methods.GetUpdates,
        methods.GetMe,
        methods.DeleteWebhook,
        methods.SetWebhook,
    )
]


def _readable(bot: Bot, raw: list[dict[str, Any]]) -> list[TgUpdate]:
    """The updates aiogram can read; any other is skipped with a line naming its id and
    the first field at fault (never its content: names, phone numbers, diary text)."""
    updates: list[TgUpdate] = []
    for item in raw:
        try:
            updates.append(TgUpdate.model_validate(item, context={"bot": bot}))
        except ValidationError as exc:
            first = ".".join(str(part) for part in exc.errors()[0]["loc"])
            log.warning(
                "telegram: update %s skipped: it cannot be read (%d problems, first at %s)",
                item.get("update_id"),
                exc.error_count(),
                first,
            )
    return updates


def _reason(exc: Exception) -> str:
    # A decoding error's text carries the whole batch it could not read.
    return exc.message if isinstance(exc, TelegramAPIError) else type(exc).__name__


def _neutral(updates: list[TgUpdate]) -> list[Update]:
    return [neutral for neutral in map(convert, updates) if neutral is not None]


def _keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=b.label, callback_data=b.payload) for b in row]
            for row in reply.buttons
        ]
    )


class TelegramChannel:
    name = "telegram"
    capabilities = TELEGRAM
    monthly_quota = 0  # Telegram limits the pace of sends, not their number

    def __init__(self, config: TelegramConfig) -> None:
        self.config = config
        self.rate_global = config.rate_global
        self.rate_per_chat = config.rate_per_chat
        # A send that hangs must give up well before the sender's claim on it runs out.
        timeout = config.request_timeout
        session = (
            AiohttpSession(api=TelegramAPIServer.from_base(config.api_base), timeout=timeout)
            if config.api_base
            else AiohttpSession(timeout=timeout)
        )
        self.bot = Bot(config.token.get_secret_value(), session=session)
        self._background: set[asyncio.Task[None]] = set()
        self._officer_menus: set[int] = set()  # officers' chats whose menu is set

    async def close(self) -> None:
        await self.bot.session.close()

    # Sending -------------------------------------------------------------------------

    async def send(self, address: str, reply: Reply, *, edit_ref: str | None) -> SendResult:
        try:
            message_id = await self._deliver(int(address), reply, edit_ref)
        except TelegramRetryAfter as exc:
            return SendResult(ok=False, retry_after=float(exc.retry_after), error=exc.message)
        except TelegramForbiddenError as exc:
            return SendResult(ok=False, blocked=True, error=exc.message)
        except (TelegramBadRequest, TelegramNotFound, TelegramUnauthorizedError) as exc:
            if "message is not modified" in exc.message:
                return SendResult(ok=True, external_id=edit_ref)
            return SendResult(ok=False, permanent=True, error=exc.message)
        return SendResult(ok=True, external_id=str(message_id))

    async def _deliver(self, chat_id: int, reply: Reply, edit_ref: str | None) -> int:
        markup = _keyboard(reply)
        attachment = reply.attachment
        if attachment is not None:
            upload = BufferedInputFile(attachment.data, filename=attachment.filename)
            caption = reply.text[:1024] or None
            if attachment.kind == "photo":
                sent = await self.bot.send_photo(
                    chat_id, upload, caption=caption, reply_markup=markup
                )
            else:
                sent = await self.bot.send_document(
                    chat_id, upload, caption=caption, reply_markup=markup
                )
            return sent.message_id
        if edit_ref is not None:
            with contextlib.suppress(TelegramBadRequest):
                await self.bot.edit_message_text(
                    text=reply.text, chat_id=chat_id, message_id=int(edit_ref), reply_markup=markup
                )
                return int(edit_ref)
            # The message cannot be edited (too old, deleted): send a new one instead.
        sent = await self.bot.send_message(chat_id, reply.text, reply_markup=markup)
        return sent.message_id

    # Receiving -----------------------------------------------------------------------

    def _answer_callbacks(self, updates: list[TgUpdate]) -> None:
        """Stop the spinner of each button press (once stored: in the background)."""
        for update in updates:
            query_id = callback_id(update)
            if query_id is not None:
                task = asyncio.create_task(self._answer_callback(query_id))
                self._background.add(task)
                task.add_done_callback(self._background.discard)

    async def _answer_callback(self, query_id: str) -> None:
        try:
            await self.bot.answer_callback_query(query_id)
        except Exception as exc:  # the spinner stops by itself; nothing is lost
            log.debug("answerCallbackQuery failed: %s", exc)

    async def poll(self, sink: Sink, stop: asyncio.Event) -> None:
        """Long polling; an offset is confirmed only by the getUpdates after the commit."""
        await self.bot.delete_webhook(drop_pending_updates=False)
        offset: int | None = None
        delay = 1.0
        while not stop.is_set():
            try:
                raw: list[dict[str, Any]] = await self.bot(
                    _RawGetUpdates(  # type: ignore[arg-type]  # typed as GetUpdates' list[Update]
                        offset=offset,
                        timeout=self.config.poll_timeout,
                        allowed_updates=ALLOWED_UPDATES,
                    ),
                    request_timeout=self.config.poll_timeout + self.config.request_timeout,
                )
                delay = 1.0
            except TelegramRetryAfter as exc:
                await asyncio.sleep(exc.retry_after)
                continue
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning(
                    "telegram: getUpdates failed (%s), retrying in %.0fs", _reason(exc), delay
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
                continue
            updates = _readable(self.bot, raw)
            if updates:
                await sink.store(_neutral(updates))
                self._answer_callbacks(updates)
            ids = [item["update_id"] for item in raw if isinstance(item.get("update_id"), int)]
            if ids:
                offset = max(ids) + 1

    def webhook_app(self, sink: Sink) -> web.Application:
        secret = self.config.webhook.secret.get_secret_value()

        async def receive(request: web.Request) -> web.Response:
            if request.headers.get("X-Telegram-Bot-Api-Secret-Token") != secret:
                log.warning("telegram webhook: request without the right secret refused")
                return web.Response(status=401)
            try:
                update = TgUpdate.model_validate(await request.json(), context={"bot": self.bot})
            except Exception:
                return web.Response(status=400)
            if not await sink.store_now(_neutral([update])):
                return web.Response(status=500)  # Telegram delivers it again
            self._answer_callbacks([update])
            return web.Response()

        app = web.Application()
        app.router.add_post(self.config.webhook.path, receive)
        return app

    async def _register_webhook(self) -> None:
        public = self.config.webhook.public_url
        if public:
            await self.bot.set_webhook(
                url=public.rstrip("/") + self.config.webhook.path,
                secret_token=self.config.webhook.secret.get_secret_value() or None,
                allowed_updates=ALLOWED_UPDATES,
            )

    # The Receiver protocol (bot.channels.receiver) ------------------------------------

    async def check(self) -> str:
        me = await self.bot.get_me()
        hook = self.config.webhook
        if self.config.mode == "webhook":
            return f"telegram: @{me.username} webhook on {hook.host}:{hook.port}{hook.path}"
        return f"telegram: @{me.username} long polling"

    async def introduce(self, sink: Sink) -> None:
        try:
            await set_profile(self.bot)
        except Exception as exc:  # the bot works without its menu: say so, carry on
            log.warning("telegram: command menu and description not set (%s)", exc)
        await self._officers_menus(sink)

    async def _officers_menus(self, sink: Sink) -> None:
        """Give each officer's chat not yet seen the officers' menu."""
        try:
            new = {int(chat) for chat in await sink.officer_chats()} - self._officer_menus
            for chat_id in sorted(new):
                await set_officer_menu(self.bot, chat_id)
                self._officer_menus.add(chat_id)
        except Exception as exc:
            log.warning("telegram: officers' menus not set (%s); trying again later", exc)

    async def _keep_officer_menus(self, sink: Sink, stop: asyncio.Event) -> None:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), OFFICER_MENUS_EVERY)
            if not stop.is_set():
                await self._officers_menus(sink)

    async def receive(self, sink: Sink, stop: asyncio.Event) -> None:
        menus = asyncio.create_task(self._keep_officer_menus(sink, stop))
        try:
            if self.config.mode == "polling":
                await self.poll(sink, stop)
                return
            hook = self.config.webhook
            await serve_until(
                stop,
                self.webhook_app(sink),
                hook.host,
                hook.port,
                self._register_webhook,
            )
        finally:
            menus.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await menus
