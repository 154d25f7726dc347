"""A local stand-in of the Zalo Bot API (Zalo Bot Platform, 2025) for end-to-end tests.

It serves ``{base}/bot{token}/{method}`` on 127.0.0.1 (JSON or form bodies) and answers
``{"ok": true, "result": …}`` or ``{"ok": false, "error_code": …, "description": …}``.

Implemented: getMe; getUpdates (long poll, ``timeout`` in seconds, default 30, no offset);
setWebhook / deleteWebhook / getWebhookInfo, with updates POSTed to the webhook with the
``X-Bot-Api-Secret-Token`` header and retried on a non-2xx answer; sendMessage (``text`` of 1 to
2,000 characters), sendPhoto (``photo`` is a URL; ``caption`` up to 2,000), sendSticker,
sendChatAction (``typing``, ``upload_photo``). Wrong token: 401; unknown method: 404.

Delivery is *at least once*, on purpose: every update is handed out ``redeliver`` times (two by
default) — by consecutive polls, or as consecutive webhook POSTs — so the bot must drop repeats
by ``message_id``. An idle poll answers 408 when its ``timeout`` runs out. Each accepted
send* uses one unit of ``monthly_quota``; when it is used up a send answers 429.

Where the Zalo docs (the stored copies of bot.zaloplatforms.com/docs: getUpdates, Webhook,
setWebhook, sendMessage, sendPhoto, sendSticker, sendChatAction, getMe) differ from, or add to,
the brief this was written from, the stand-in follows the docs:

* getUpdates answers ONE update per call, ``{"ok": true, "result": {"event_name", "message"}}``,
  not a list of updates as Telegram does (third-party clients say the same).
* A webhook POST body is wrapped the same way: ``{"ok": true, "result": {...update...}}``.
* Ids (``chat.id``, ``from.id``, ``message_id``) are strings such as "2d758cb5e222177a4e35";
  ``date`` is in milliseconds; ``chat.chat_type`` is "PRIVATE" or "GROUP" (groups "coming soon").
* An image message carries ``photo`` (its URL) and ``caption``; a sticker message ``sticker`` and
  ``url``. The docs' getUpdates sample omits ``event_name`` and shows ``from.first_name``; its
  Webhook page has ``event_name`` and ``from {id, display_name, is_bot}``: the stand-in uses the
  Webhook shape for both. (Some third-party code also knows ``message.voice.received`` and a
  ``photo_url`` field; the docs do not: send such updates with ``push_update`` if needed.)
* sendMessage / sendPhoto / sendSticker answer ``{"message_id", "date"}``, not a whole message;
  sendChatAction answers ``{"ok": true}`` with no ``result``; setWebhook, getWebhookInfo and
  deleteWebhook answer ``{"url", "updated_at"}``; getMe answers ``{"id", "account_name",
  "account_type", "can_join_groups"}``.
* setWebhook needs a ``secret_token`` of 8 to 256 characters and an HTTPS ``url`` (the stand-in
  also takes http, for a receiver on loopback).
* The docs say nothing of: 408 for an idle poll (taken from third-party clients, which treat
  ``error_code`` 408 as "no update"), quotas and 429, the error for getUpdates while a webhook is
  set (409 here, as Telegram), webhook retries, or HTTP status codes. Third-party code reports that
  the real API answers errors with HTTP 200 and the code only in the body:
  ``errors_as_http_200=True`` does that, so a client can be tested against both.

Not implemented: groups, the "upload_photo" action having any effect, media upload (Zalo takes
photo URLs only).

Call the control methods (``push_*`` …) from the event loop the stand-in runs on.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import deque
from dataclasses import dataclass
from typing import Any, ClassVar

from aiohttp import web

from tests.standins._base import JSON, ApiError, SentRecord, StandinServer

__all__ = ["DEFAULT_TOKEN", "SentRecord", "ZaloStandin"]

DEFAULT_TOKEN = "1459232241454765289:standin-zalo-token"
TEXT_LIMIT = 2000


def _now_ms() -> int:
    return int(time.time() * 1000)


def _checked_text(params: JSON, key: str, *, required: bool) -> str | None:
    text = params.get(key)
    if text is None and not required:
        return None
    if not isinstance(text, str) or not 1 <= len(text) <= TEXT_LIMIT:
        raise ApiError(400, f"Bad request: The {key} must be 1 to {TEXT_LIMIT} characters")
    return text


def _required(params: JSON, key: str) -> str:
    value = params.get(key)
    if value is None or value == "":
        raise ApiError(400, f"Bad request: The {key} must not be empty")
    return str(value)


@dataclass(slots=True)
class _Pending:
    update: JSON
    deliveries_left: int


class ZaloStandin(StandinServer):
    """The Zalo Bot API for one bot token, on 127.0.0.1; see the module docstring."""

    MESSAGE_METHODS: ClassVar[frozenset[str]] = frozenset(
        {"sendMessage", "sendPhoto", "sendSticker"}
    )

    def __init__(
        self,
        *,
        token: str | None = DEFAULT_TOKEN,
        redeliver: int = 2,
        monthly_quota: int | None = 3000,
        errors_as_http_200: bool = False,
        host: str = "127.0.0.1",
        port: int = 0,
        webhook_attempts: int = 4,
        webhook_retry_delay: float = 0.1,
    ) -> None:
        super().__init__(
            token=token,
            host=host,
            port=port,
            webhook_attempts=webhook_attempts,
            webhook_retry_delay=webhook_retry_delay,
        )
        self.redeliver = redeliver
        self.monthly_quota = monthly_quota  # None: unlimited
        self.quota_used = 0
        self.errors_as_http_200 = errors_as_http_200
        self.get_updates_calls = 0
        self.deliveries = 0  # updates handed out, by polls and webhook POSTs together
        prefix = (token or "").partition(":")[0]
        self.bot_id = prefix or "1"
        self._updates: deque[_Pending] = deque()
        self._webhook_updated_at = _now_ms()
        self._ids = itertools.count(1)
        self.app.router.add_get("/_files/{name}", self._serve_file)

    # -- control API --------------------------------------------------------------------------

    @property
    def pending_updates(self) -> int:
        """Updates with deliveries still to come."""
        return len(self._updates)

    def push_update(self, update: JSON) -> None:
        """Queue any update ``{"event_name": …, "message": {…}}``, delivered ``redeliver`` times."""
        self._updates.append(_Pending(update, self.redeliver))
        self._wake()

    def push_message(
        self,
        chat_id: str,
        event_name: str,
        content: JSON,
        *,
        user_id: str | None = None,
        display_name: str = "Lan",
    ) -> str:
        """Queue a private message of kind ``event_name``; return its ``message_id``."""
        message_id = self._new_id()
        message = {
            "from": {"id": user_id or chat_id, "display_name": display_name, "is_bot": False},
            "chat": {"id": chat_id, "chat_type": "PRIVATE"},
            **content,
            "message_id": message_id,
            "date": _now_ms(),
        }
        self.push_update({"event_name": event_name, "message": message})
        return message_id

    def push_text(
        self, chat_id: str, text: str, *, user_id: str | None = None, display_name: str = "Lan"
    ) -> str:
        return self.push_message(
            chat_id,
            "message.text.received",
            {"text": text},
            user_id=user_id,
            display_name=display_name,
        )

    def push_image(
        self, chat_id: str, *, photo: str | None = None, caption: str | None = None
    ) -> str:
        """An image message; ``photo`` defaults to a small file this stand-in serves."""
        content: JSON = {"photo": photo or f"{self.base_url}/_files/photo.jpg"}
        if caption is not None:
            content["caption"] = caption
        return self.push_message(chat_id, "message.image.received", content)

    def push_sticker(self, chat_id: str, *, sticker: str = "0e078a2fb66a5f34067b") -> str:
        content = {"sticker": sticker, "url": f"{self.base_url}/_files/sticker.png"}
        return self.push_message(chat_id, "message.sticker.received", content)

    def push_unsupported(self, chat_id: str) -> str:
        """A message of a kind the Bot API does not pass on (voice, file, location …)."""
        return self.push_message(chat_id, "message.unsupported.received", {})

    @property
    def quota_left(self) -> int | None:
        if self.monthly_quota is None:
            return None
        return max(self.monthly_quota - self.quota_used, 0)

    def stats(self) -> JSON:
        return {
            **super().stats(),
            "get_updates_calls": self.get_updates_calls,
            "pending_updates": self.pending_updates,
            "deliveries": self.deliveries,
            "quota_used": self.quota_used,
        }

    # -- API methods ----------------------------------------------------------------------------

    async def _call(
        self, method: str, params: JSON, files: dict[str, web.FileField], request: web.Request
    ) -> Any:
        match method:
            case "getMe":
                return {
                    "id": self.bot_id,
                    "account_name": "bot.standin",
                    "account_type": "BASIC",
                    "can_join_groups": False,
                }
            case "getUpdates":
                return await self._get_updates(params, request)
            case "setWebhook":
                return self._set_webhook(params)
            case "deleteWebhook":
                self._webhook = None
                self._webhook_updated_at = _now_ms()
                self._wake()
                return self._webhook_info()
            case "getWebhookInfo":
                return self._webhook_info()
            case "sendMessage" | "sendPhoto" | "sendSticker":
                return self._send(method, params)
            case "sendChatAction":
                chat_id = _required(params, "chat_id")
                action = _required(params, "action")
                if action not in ("typing", "upload_photo"):
                    raise ApiError(400, "Bad request: The action is not supported")
                self._record(SentRecord(method, chat_id, params, text=action))
                return None
        raise ApiError(404, "Not Found")

    async def _get_updates(self, params: JSON, request: web.Request) -> JSON:
        if self._webhook is not None:
            msg = "Conflict: getUpdates is unavailable while a webhook is set; use deleteWebhook"
            raise ApiError(409, msg)
        self.get_updates_calls += 1
        try:
            timeout = float(params.get("timeout") or 30)
        except (TypeError, ValueError):
            raise ApiError(400, "Bad request: The timeout must be a number of seconds") from None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not self._updates and not self._closed.is_set():
            left = deadline - loop.time()
            if left <= 0:
                break
            await self._sleep_until_woken(left)
        # A poll whose client has gone (a killed bot) takes nothing.
        gone = request.transport is None or request.transport.is_closing()
        if not self._updates or gone:
            raise ApiError(408, "Request Timeout")
        return self._next_delivery()

    def _next_delivery(self) -> JSON:
        pending = self._updates[0]
        pending.deliveries_left -= 1
        if pending.deliveries_left <= 0:
            self._updates.popleft()
        self.deliveries += 1
        return pending.update

    def _set_webhook(self, params: JSON) -> JSON:
        url = _required(params, "url")
        secret = params.get("secret_token")
        if not isinstance(secret, str) or not 8 <= len(secret) <= 256:
            raise ApiError(400, "Bad request: The secret_token must be 8 to 256 characters")
        self._webhook = {"url": url, "secret_token": secret}
        self._webhook_updated_at = _now_ms()
        self._start_webhook_delivery()
        return self._webhook_info()

    def _webhook_info(self) -> JSON:
        url = "" if self._webhook is None else self._webhook["url"]
        return {"url": url, "updated_at": self._webhook_updated_at}

    async def _deliver_webhook(self) -> None:
        while self._webhook is not None and not self._closed.is_set():
            if not self._updates:
                await self._sleep_until_woken(60.0)
                continue
            body = {"ok": True, "result": self._next_delivery()}
            headers = {"X-Bot-Api-Secret-Token": self._webhook["secret_token"]}
            await self._post_webhook(self._webhook["url"], body, headers)

    def _send(self, method: str, params: JSON) -> JSON:
        chat_id = _required(params, "chat_id")
        text = caption = media = None
        if method == "sendMessage":
            text = _checked_text(params, "text", required=True)
        elif method == "sendPhoto":
            media = _required(params, "photo")
            caption = _checked_text(params, "caption", required=False)
        else:
            media = _required(params, "sticker")
        if self.monthly_quota is not None and self.quota_used >= self.monthly_quota:
            raise ApiError(429, "Too Many Requests: the monthly message quota is used up")
        self.quota_used += 1
        message_id = self._new_id()
        self._record(
            SentRecord(
                method,
                chat_id,
                params,
                text=text,
                caption=caption,
                media=media,
                message_id=message_id,
            )
        )
        return {"message_id": message_id, "date": _now_ms()}

    # -- helpers ------------------------------------------------------------------------------

    def _error_response(self, error: ApiError) -> web.Response:
        response = super()._error_response(error)
        if self.errors_as_http_200:
            response.set_status(200)
        return response

    def _new_id(self) -> str:
        return f"{next(self._ids):020x}"

    def _control_push(self, body: JSON) -> JSON:
        if "update" in body:
            self.push_update(body["update"])
            return {"ok": True}
        message_id = self.push_text(str(body["chat_id"]), str(body["text"]))
        return {"message_id": message_id}

    async def _serve_file(self, request: web.Request) -> web.Response:
        """A few bytes standing in for an image a user sent, so the bot can fetch it locally."""
        name = request.match_info["name"]
        content_type = "image/png" if name.endswith(".png") else "image/jpeg"
        return web.Response(body=f"standin image {name}".encode(), content_type=content_type)
