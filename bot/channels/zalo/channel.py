"""The Zalo adapter: receiving (long polling, webhook) and sending (one outbox row).

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
import time
from collections.abc import Mapping
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import ClientError, web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.capabilities import ZALO
from bot.channels.receiver import Submit, serve_until, until_stored
from bot.channels.zalo.api import ZaloApi, ZaloApiError
from bot.channels.zalo.convert import convert, unwrap
from bot.channels.zalo.files import FileStore
from bot.config import Settings
from bot.core.context import Clock
from bot.core.contract import Reply, SendResult
from bot.core.inbound import record_batch
from bot.core.outage import Outage
from bot.db import transaction
from bot.i18n import translator
from bot.services.messaging.quota import check_quota
from models import utcnow

log = logging.getLogger(__name__)

POLL_TIMEOUT = 25  # seconds Zalo holds an idle getUpdates open
QUOTA_USED_UP_WAIT = 3600.0  # seconds before trying again once the quota is used up
QUOTA_CHECK_EVERY = 60.0  # seconds between two looks at the month's sends
SECRET_HEADER = "X-Bot-Api-Secret-Token"
NO_UPDATE = 408
CONFLICT = 409  # getUpdates while a webhook is set
PERMANENT = {400, 401, 403, 404}


def _chats(raw: Any) -> list[str]:
    update = convert(raw) if isinstance(raw, Mapping) else None
    return [] if update is None else [update.incoming.address]


class ZaloChannel:
    name = "zalo"
    capabilities = ZALO

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock = utcnow,
        quota_check_every: float = QUOTA_CHECK_EVERY,
    ) -> None:
        self.config = settings.zalo
        self.rate_global = self.config.rate_global
        self.rate_per_chat = self.config.rate_per_chat
        self.zone = ZoneInfo(settings.programme.timezone)
        self.locale = settings.programme.default_locale
        self.clock = clock
        self.api = ZaloApi(base=self.config.api_base, token=self.config.token.get_secret_value())
        public = self.config.public_base_url
        self.files = FileStore(public) if public else None
        self.sessions: async_sessionmaker[AsyncSession] | None = None  # set by receive()
        self.quota_check_every = quota_check_every
        self._quota_checked_at: float | None = None
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
        await self._watch_quota()
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

    async def _watch_quota(self) -> None:
        """After a send, at most once a minute: warn the admins when the month's sends
        near ``monthly_quota``."""
        now = time.monotonic()
        last = self._quota_checked_at
        if self.sessions is None or (last is not None and now - last < self.quota_check_every):
            return
        self._quota_checked_at = now
        try:
            async with transaction(self.sessions) as session:
                warned = await check_quota(
                    session,
                    channel=self.name,
                    quota=self.config.monthly_quota,
                    now=self.clock(),
                    zone=self.zone,
                )
        except Exception:
            log.exception("zalo: cannot check the monthly quota; trying after the next send")
            return
        if warned:
            log.warning("zalo: 80%% of the monthly quota used; %d admin(s) warned", warned)

    # Receiving -----------------------------------------------------------------------

    async def _store(
        self, sessions: async_sessionmaker[AsyncSession], raw: Any, submit: Submit
    ) -> None:
        """Commit the update (a repeat adds nothing), then hand a new one to the workers."""
        update = convert(raw) if isinstance(raw, Mapping) else None
        if update is None:
            event = raw.get("event_name") if isinstance(raw, Mapping) else None
            log.info("zalo: update ignored (%s): not a private message", event)
            return
        for inbound_id, new in await record_batch(sessions, [update]):
            submit(inbound_id, new.incoming.address)

    async def poll(
        self,
        sessions: async_sessionmaker[AsyncSession],
        submit: Submit,
        stop: asyncio.Event,
        outage: Outage,
    ) -> None:
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
                store = partial(self._store, sessions, update, submit)
                await until_stored(store, self, partial(_chats, update), outage)

    def webhook_app(
        self, sessions: async_sessionmaker[AsyncSession], submit: Submit, outage: Outage
    ) -> web.Application:
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
            try:
                await self._store(sessions, unwrap(body), submit)
            except Exception as exc:
                if not outage.failed(exc):
                    log.exception("zalo webhook: cannot store the update; Zalo will retry")
                return web.Response(status=500)
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

    async def introduce(self, sessions: async_sessionmaker[AsyncSession]) -> None:
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

    async def receive(
        self,
        sessions: async_sessionmaker[AsyncSession],
        submit: Submit,
        stop: asyncio.Event,
        outage: Outage,
    ) -> None:
        self.sessions = sessions
        if self.config.mode == "webhook":
            hook = self.config.webhook
            await serve_until(
                stop,
                self.webhook_app(sessions, submit, outage),
                hook.host,
                hook.port,
                self._register_webhook,
            )
        elif self.files is None:
            await self.poll(sessions, submit, stop, outage)
        else:
            files = self.files.app()
            async with asyncio.TaskGroup() as tasks:
                tasks.create_task(
                    serve_until(stop, files, self.config.files_host, self.config.files_port)
                )
                tasks.create_task(self.poll(sessions, submit, stop, outage))
