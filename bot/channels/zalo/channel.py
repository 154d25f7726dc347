"""The Zalo adapter: updates in (long polling, webhook) handed to the core's sink, replies
out (one outbox row each).

Zalo has no buttons and no edits: the core already turns buttons into numbered options
("1. Thu  2. Chi") and reads a typed "2" back, so this adapter only moves text.

Where the stored Zalo Bot API docs (bot.zaloplatforms.com/docs) differ from, or are
silent on, what the issue described:

* getUpdates has no offset and answers ONE update per call, ``{"ok": true, "result":
  {"event_name", "message"}}``; nothing confirms an update, so the same one can come
  again: repeats are dropped by ``message_id`` (the inbound table's unique key).
* An idle poll answering 408 is not in the docs (third-party clients treat
  ``error_code`` 408 as "no update"); neither are HTTP status codes: errors may come
  with HTTP 200 and the code only in the body, so both are read alike.
* getUpdates' ``timeout`` is typed String in the parameter table but sent as a number
  in the docs' own sample; a number is sent.
* The getUpdates sample has no ``event_name`` and names the sender ``from.first_name``;
  the Webhook page has ``event_name`` and ``from.display_name``: both are read, and
  without ``event_name`` the kind is told by the content.
* The webhook body is wrapped like a getUpdates answer (``{"ok": true, "result": …}``),
  one update per POST.
* ``message.voice.received`` (``voice_url``) is listed by newer copies of the docs and
  becomes kind "voice"; ``message.unsupported.received`` is content Zalo withholds.
* setWebhook requires ``secret_token`` of 8 to 256 characters (checked in the config).
* There is no upload: sendPhoto takes a photo URL, and there is no document method.
  Attachments are served from ``public_base_url`` (see :mod:`.files`) or described.
* Nothing is documented about quotas, 429 or blocking the bot: 429 without a retry time
  is read as the monthly quota used up; no error is taken as "blocked".
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Mapping
from typing import Any

from aiohttp import ClientError, web

from bot.channels.receiver import serve_until
from bot.channels.zalo.api import ZaloApi, ZaloApiError
from bot.channels.zalo.convert import convert, unwrap
from bot.channels.zalo.files import FileStore
from bot.config import Settings
from bot.core.capabilities import ZALO
from bot.core.contract import Reply, SendResult, Sink, Update
from bot.i18n import translator

log = logging.getLogger(__name__)

POLL_TIMEOUT = 25  # seconds Zalo holds an idle getUpdates open
QUOTA_USED_UP_WAIT = 3600.0  # seconds before trying again once the quota is used up
SECRET_HEADER = "X-Bot-Api-Secret-Token"
NO_UPDATE = 408
CONFLICT = 409  # getUpdates while a webhook is set
PERMANENT = {400, 401, 403, 404}


def _neutral(raw: Any) -> list[Update]:
    """The update as the core takes it; none for what is not a private message."""
    update = convert(raw) if isinstance(raw, Mapping) else None
    if update is None:
        event = raw.get("event_name") if isinstance(raw, Mapping) else None
        log.info("zalo: update ignored (%s): not a private message", event)
        return []
    return [update]


class ZaloChannel:
    name = "zalo"
    capabilities = ZALO

    def __init__(self, settings: Settings) -> None:
        self.config = settings.zalo
        self.rate_global = self.config.rate_global
        self.rate_per_chat = self.config.rate_per_chat
        self.monthly_quota = self.config.monthly_quota
        self.locale = settings.programme.default_locale
        self.api = ZaloApi(base=self.config.api_base, token=self.config.token.get_secret_value())
        public = self.config.public_base_url
        self.files = FileStore(public) if public else None
        self._quota_logged = False

    async def close(self) -> None:
        await self.api.close()

    # Sending -------------------------------------------------------------------------

    async def send(self, address: str, reply: Reply, *, edit_ref: str | None) -> SendResult:
        try:
            result = await self._deliver(address, reply)
        except ZaloApiError as exc:
            return self._failure(exc)
        except (ClientError, TimeoutError) as exc:
            return SendResult(ok=False, error=self.api.redact(f"{type(exc).__name__}: {exc}"))
        self._quota_logged = False
        message_id = result.get("message_id") if isinstance(result, Mapping) else None
        return SendResult(ok=True, external_id=str(message_id) if message_id else None)

    async def _deliver(self, chat_id: str, reply: Reply) -> Any:
        attachment = reply.attachment
        if attachment is None:
            return await self._message(chat_id, reply.text)
        t = translator(self.locale)
        if self.files is None:
            note = t._("(Tệp {filename} không xem được trên Zalo.)")
            return await self._message(
                chat_id, reply.text, note.format(filename=attachment.filename)
            )
        url = self.files.put(attachment)
        if attachment.kind == "photo":
            params = {"chat_id": chat_id, "photo": url}
            if reply.text:
                params["caption"] = reply.text
            return await self.api.call("sendPhoto", params)
        return await self._message(chat_id, reply.text, t._("Tải tệp: {url}").format(url=url))

    async def _message(self, chat_id: str, text: str, tail: str = "") -> Any:
        """Send ``text`` with ``tail`` on a line of its own, in one message if they fit."""
        combined = "\n".join(part for part in (text, tail) if part)
        if len(combined) > ZALO.text_limit:
            # The core fills a message up to the limit, so a tail may not fit: it goes
            # separately (a retry after a failure here repeats the text, rarely).
            await self.api.call("sendMessage", {"chat_id": chat_id, "text": text})
            combined = tail
        return await self.api.call("sendMessage", {"chat_id": chat_id, "text": combined})

    def _failure(self, exc: ZaloApiError) -> SendResult:
        error = self.api.redact(str(exc))
        if exc.code == 429:
            if exc.retry_after is not None:
                return SendResult(ok=False, retry_after=exc.retry_after, error=error)
            if not self._quota_logged:
                log.error("zalo: the monthly message quota is used up (%s); pausing sends", error)
                self._quota_logged = True
            return SendResult(ok=False, retry_after=QUOTA_USED_UP_WAIT, error=error)
        return SendResult(ok=False, permanent=exc.code in PERMANENT, error=error)

    # Receiving -----------------------------------------------------------------------

    async def poll(self, sink: Sink, stop: asyncio.Event) -> None:
        """Long polling: one update per getUpdates, stored before the next call."""
        webhook_cleared = False
        delay = 1.0
        while not stop.is_set():
            try:
                if not webhook_cleared:
                    await self.api.call("deleteWebhook")
                    webhook_cleared = True
                update = await self.api.call(
                    "getUpdates", {"timeout": POLL_TIMEOUT}, timeout=POLL_TIMEOUT + 15
                )
            except ZaloApiError as exc:
                if exc.code == NO_UPDATE:
                    delay = 1.0
                    continue
                webhook_cleared = webhook_cleared and exc.code != CONFLICT
                wait = exc.retry_after or delay
                log.warning("zalo: getUpdates failed (%s), retrying in %.0fs", exc, wait)
                await asyncio.sleep(wait)
                delay = min(delay * 2, 30.0)
                continue
            except (ClientError, TimeoutError) as exc:
                log.warning(
                    "zalo: getUpdates failed (%s), retrying in %.0fs",
                    self.api.redact(f"{type(exc).__name__}: {exc}"),
                    delay,
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
                continue
            delay = 1.0
            if update:
                await sink.store(_neutral(update))

    def webhook_app(self, sink: Sink) -> web.Application:
        secret = self.config.webhook.secret.get_secret_value().encode()

        async def receive(request: web.Request) -> web.Response:
            given = request.headers.get(SECRET_HEADER, "").encode()
            if not hmac.compare_digest(given, secret):
                log.warning("zalo webhook: request without the right secret refused")
                return web.Response(status=401)
            try:
                body = await request.json()
            except (ValueError, RecursionError):  # not JSON, or nested past any real update
                return web.Response(status=400)
            if not await sink.store_now(_neutral(unwrap(body))):
                return web.Response(status=500)  # Zalo delivers it again
            return web.json_response({"ok": True})

        app = web.Application()
        app.router.add_post(self.config.webhook.path, receive)
        if self.files is not None:
            self.files.add_route(app)
        return app

    async def _register_webhook(self) -> None:
        """Point Zalo at this webhook, when the config says where the public sees it."""
        hook = self.config.webhook
        if not hook.public_url:
            return
        try:
            await self.api.call(
                "setWebhook",
                {
                    "url": hook.public_url.rstrip("/") + hook.path,
                    "secret_token": hook.secret.get_secret_value(),
                },
            )
        except (ZaloApiError, ClientError, TimeoutError) as exc:
            # Keep serving: a webhook set before still delivers here.
            log.error("zalo: setWebhook failed (%s)", self.api.redact(str(exc)))

    # The Receiver protocol (bot.channels.receiver) ------------------------------------

    async def introduce(self, sink: Sink) -> None:
        """Zalo's bots have no command menu nor description a bot can set."""

    async def check(self) -> str:
        try:
            me = await self.api.call("getMe")
        except (ZaloApiError, ClientError, TimeoutError) as exc:
            raise RuntimeError(self.api.redact(f"{type(exc).__name__}: {exc}")) from None
        account = me.get("account_name", "?") if isinstance(me, Mapping) else "?"
        hook = self.config.webhook
        if self.config.mode == "webhook":
            return f"zalo: {account} webhook on {hook.host}:{hook.port}{hook.path}"
        files = f", files on {self.config.files_host}:{self.config.files_port}"
        return f"zalo: {account} long polling" + (files if self.files else "")

    async def receive(self, sink: Sink, stop: asyncio.Event) -> None:
        if self.config.mode == "webhook":
            hook = self.config.webhook
            await serve_until(
                stop,
                self.webhook_app(sink),
                hook.host,
                hook.port,
                self._register_webhook,
            )
        elif self.files is None:
            await self.poll(sink, stop)
        else:
            files = self.files.app()
            async with asyncio.TaskGroup() as tasks:
                tasks.create_task(
                    serve_until(stop, files, self.config.files_host, self.config.files_port)
                )
                tasks.create_task(self.poll(sink, stop))
