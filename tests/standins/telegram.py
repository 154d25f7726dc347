"""A local stand-in of the Telegram Bot API for end-to-end tests and benchmarks.

It serves ``{base}/bot{token}/{method}`` — the URL shape of aiogram's
``TelegramAPIServer.from_base(base)`` — on 127.0.0.1, takes JSON, urlencoded and multipart
requests, and answers with Telegram's ``{"ok", "result" | "error_code", "description",
"parameters"}`` objects, which aiogram's models parse.

Implemented:

* getMe; getUpdates with Telegram's ``offset`` rule (an update is forgotten once a poll asks for a
  higher offset; a negative offset keeps only the last ``-offset``), ``limit``, long polling with
  ``timeout`` that answers as soon as an update arrives, and 409 for a poll overtaken by a newer
  one or made while a webhook is set; ``allowed_updates`` is accepted and stored, not applied.
* setWebhook / deleteWebhook / getWebhookInfo: with a webhook set, updates are POSTed to it in
  order, one at a time, with ``X-Telegram-Bot-Api-Secret-Token``, retried on a non-2xx answer
  with a doubling delay and given up after ``webhook_attempts`` tries.
* sendMessage (text up to 4096 UTF-16 units, HTML parse mode checked for supported, well-nested
  tags, inline keyboards with 1–64-byte callback_data), sendPhoto and sendDocument (uploads kept
  with their bytes and file name, captions up to 1024), editMessageText and
  editMessageReplyMarkup (``message is not modified`` as Telegram says it), deleteMessage,
  answerCallbackQuery (each query answerable once), sendChatAction.
* setMyCommands / getMyCommands (kept per scope and language code, Telegram's checks of
  names and descriptions), setMyDescription / setMyShortDescription (512 and 120
  characters), kept per language code in ``commands`` and ``descriptions``.
* Wrong token: 401. Unknown method: 404, recorded in ``failed``.
* Faults: ``fail_next``, ``hang_next``, ``block_chat`` (403 "bot was blocked by the user"),
  ``slow``.
* Rate enforcement (off unless ``enforce_rate=True``), on send* methods but sendChatAction:
  at most ``rate_global`` accepted sends in any sliding 1 s window, and per chat a token bucket
  of ``burst`` tokens refilled at ``rate_per_chat`` per second (a chat may get ``burst``
  messages at once, then one per ``1/rate_per_chat`` s). A send over either limit answers 429
  with ``parameters.retry_after`` (whole seconds until it would pass, at least 1), does not
  count against the limits, and is counted in ``rejected_429``.

Not implemented: file downloads (getFile, ``/file/bot…``), inline mode, payments, media groups,
chat administration, MarkdownV2 validation, group limits (20 messages a minute), "chat not
found" for a chat that never wrote to the bot, answering an update through the webhook response.

Call the control methods (``push_*``, ``block_chat`` …) from the event loop the stand-in runs on.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import re
import time
from collections import deque
from html.parser import HTMLParser
from typing import Any, ClassVar, NoReturn

from aiohttp import web

from tests.standins._base import JSON, ApiError, SentRecord, StandinServer

__all__ = ["DEFAULT_TOKEN", "SentRecord", "TelegramStandin"]

DEFAULT_TOKEN = "123456:TEST-standin-token"
BLOCKED = "Forbidden: bot was blocked by the user"
CANT_PARSE = "Bad Request: can't parse entities: "
# Parameters that carry a JSON-serialized object or list (as a string in a form).
_JSON_PARAMS = frozenset(
    {
        "reply_markup",
        "allowed_updates",
        "commands",
        "scope",
        "entities",
        "caption_entities",
        "link_preview_options",
        "reply_parameters",
    }
)
_HTML_TAGS = frozenset(
    {
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
        "a", "code", "pre", "blockquote", "tg-emoji",
    }
)  # fmt: skip
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")


def _now() -> int:
    return int(time.time())


def _int_param(params: JSON, key: str) -> int | None:
    value = params.get(key)
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ApiError(400, f"Bad Request: {key} must be an integer") from None


def _bool_param(params: JSON, key: str) -> bool:
    return params.get(key) in (True, "true", "True", "1", 1)


def _user(user_id: int, first_name: str) -> JSON:
    return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "vi"}


def _command_scope(params: JSON) -> tuple[str, str]:
    """A command list's key: its scope ("default", "chat:<id>" …) and language code."""
    scope = params.get("scope") or {"type": "default"}
    if not isinstance(scope, dict) or "type" not in scope:
        raise ApiError(400, "Bad Request: can't parse BotCommandScope")
    key = str(scope["type"]) + (f":{scope['chat_id']}" if "chat_id" in scope else "")
    return key, str(params.get("language_code") or "")


_COMMAND = re.compile(r"[a-z0-9_]{1,32}")


def _bot_commands(commands: Any) -> list[JSON]:
    """Telegram's checks: at most 100 commands, names of 1-32 lower-case letters, digits or
    underscores, descriptions of 1-256 characters."""
    if not isinstance(commands, list) or len(commands) > 100:
        raise ApiError(400, "Bad Request: commands must be a list of at most 100")
    for command in commands:
        name, description = command.get("command", ""), command.get("description", "")
        if not _COMMAND.fullmatch(name):
            raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        if not 1 <= len(description) <= 256:
            raise ApiError(400, "Bad Request: command description is empty or too long")
    return [{"command": c["command"], "description": c["description"]} for c in commands]


def _chat_id(params: JSON) -> int:
    if params.get("chat_id") in (None, ""):
        raise ApiError(400, "Bad Request: chat_id is empty")
    chat_id = _int_param(params, "chat_id")
    assert chat_id is not None
    return chat_id


class _TelegramHtml(HTMLParser):
    """Telegram's HTML parse mode: only its tags, properly nested; collects the plain text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open_tags: list[str] = []
        self.plain: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HTML_TAGS:
            raise ApiError(400, f'{CANT_PARSE}Unsupported start tag "{tag}"')
        self.open_tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open_tags or self.open_tags[-1] != tag:
            raise ApiError(400, f'{CANT_PARSE}Unmatched end tag "{tag}"')
        self.open_tags.pop()

    def handle_data(self, data: str) -> None:
        self.plain.append(data)


def _plain_text(text: str, parse_mode: Any) -> str:
    """The text a user sees: tags removed in HTML mode (which must then be valid)."""
    if not isinstance(parse_mode, str) or parse_mode.upper() != "HTML":
        return text
    parser = _TelegramHtml()
    parser.feed(text)
    parser.close()
    if parser.open_tags:
        tag = parser.open_tags[-1]
        raise ApiError(400, f'{CANT_PARSE}Can\'t find end tag corresponding to start tag "{tag}"')
    return "".join(parser.plain)


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _message_text(params: JSON) -> tuple[str, str]:
    """The raw ``text`` parameter and the plain text it shows, checked as Telegram does."""
    text = params.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    plain = _plain_text(text, params.get("parse_mode"))
    if not plain.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if _utf16_len(plain) > 4096:
        raise ApiError(400, "Bad Request: message is too long")
    return text, plain


def _caption(params: JSON) -> tuple[str | None, str | None]:
    caption = params.get("caption")
    if not isinstance(caption, str) or not caption:
        return None, None
    plain = _plain_text(caption, params.get("parse_mode"))
    if _utf16_len(plain) > 1024:
        raise ApiError(400, "Bad Request: message caption is too long")
    return caption, plain


def _reply_markup(params: JSON) -> JSON | None:
    markup = params.get("reply_markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    for row in markup.get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= 64:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return markup


def _inline_markup(markup: JSON | None) -> JSON | None:
    """What a Message echoes: only an inline keyboard (a reply keyboard is not part of it)."""
    return markup if markup is not None and "inline_keyboard" in markup else None


class TelegramStandin(StandinServer):
    """The Telegram Bot API for one bot token, on 127.0.0.1; see the module docstring."""

    MESSAGE_METHODS: ClassVar[frozenset[str]] = frozenset(
        {"sendMessage", "sendPhoto", "sendDocument"}
    )

    def __init__(
        self,
        *,
        token: str | None = DEFAULT_TOKEN,
        rate_global: int = 30,
        rate_per_chat: float = 1.0,
        burst: int = 3,
        enforce_rate: bool = False,
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
        self.rate_global = rate_global
        self.rate_per_chat = rate_per_chat
        self.burst = burst
        self.enforce_rate = enforce_rate
        self.rejected_429 = 0
        self.get_updates_calls = 0
        self.delivered_offsets: list[int | None] = []  # the offset of each getUpdates call
        self.allowed_updates: list[str] | None = None
        prefix = (token or "").partition(":")[0]
        self.bot_user: JSON = {
            "id": int(prefix) if prefix.isdigit() else 1,
            "is_bot": True,
            "first_name": "Sinh kế stand-in",
            "username": "sinhke_standin_bot",
        }
        # The bot's profile: command lists by (scope, language code) and descriptions by
        # (field, language code); "" is the default language.
        self.commands: dict[tuple[str, str], list[JSON]] = {}
        self.descriptions: dict[tuple[str, str], str] = {}
        self._updates: deque[JSON] = deque()
        self._next_update_id = 1
        self._next_message_ids: dict[int, int] = {}
        self._messages: dict[tuple[int, int], JSON] = {}  # the bot's messages, for edits
        self._chats: dict[int, JSON] = {}
        self._open_queries: dict[str, int] = {}  # callback query id → chat id
        self._query_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._blocked: set[int] = set()
        self._poll_generation = 0
        self._last_webhook_error_date: int | None = None
        self._sends_last_second: deque[float] = deque()
        self._buckets: dict[int, tuple[float, float]] = {}  # chat id → (tokens, when)
        self.app.router.add_post("/_control/block", self._control_block)

    # -- control API: incoming updates --------------------------------------------------------

    @property
    def pending_updates(self) -> int:
        """Updates not yet confirmed by a getUpdates offset (or delivered to the webhook)."""
        return len(self._updates)

    def push_update(self, update: JSON) -> int:
        """Queue any update (``{"message": …}``, ``{"my_chat_member": …}`` …); its id is set."""
        update_id = self._next_update_id
        self._next_update_id += 1
        self._updates.append({**update, "update_id": update_id})
        self._wake()
        return update_id

    def push_message(
        self,
        chat_id: int,
        content: JSON,
        *,
        user_id: int | None = None,
        first_name: str = "Lan",
        chat: JSON | None = None,
        kind: str = "message",
        message_id: int | None = None,
    ) -> int:
        """Queue a message from a user; ``content`` holds its text, sticker, photo … fields.

        The chat is private (chat id = user id) unless ``chat`` is given; ``kind`` may be
        ``edited_message`` with the ``message_id`` of the message edited.
        """
        user = _user(chat_id if user_id is None else user_id, first_name)
        if chat is None:
            chat = {"id": chat_id, "type": "private", "first_name": first_name}
        self._chats[chat_id] = chat
        message = {
            "message_id": self._next_message_id(chat_id) if message_id is None else message_id,
            "date": _now(),
            "chat": chat,
            "from": user,
            **content,
        }
        return self.push_update({kind: message})

    def push_text(
        self, chat_id: int, text: str, *, user_id: int | None = None, first_name: str = "Lan"
    ) -> int:
        """A private text message; a leading ``/command`` gets its bot_command entity."""
        content: JSON = {"text": text}
        if text.startswith("/"):
            length = _utf16_len(text.split(maxsplit=1)[0])
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return self.push_message(chat_id, content, user_id=user_id, first_name=first_name)

    def push_callback(
        self,
        chat_id: int,
        data: str,
        *,
        message_id: int,
        user_id: int | None = None,
        first_name: str = "Lan",
    ) -> int:
        """A press of an inline button with ``data`` under the bot's message ``message_id``."""
        message = self._messages.get((chat_id, message_id))
        if message is None:
            msg = f"the bot sent no message {message_id} to chat {chat_id}"
            raise KeyError(msg)
        query_id = str(next(self._query_ids))
        self._open_queries[query_id] = chat_id
        query = {
            "id": query_id,
            "from": _user(chat_id if user_id is None else user_id, first_name),
            "message": dict(message),
            "chat_instance": str(chat_id),
            "data": data,
        }
        return self.push_update({"callback_query": query})

    def push_sticker(self, chat_id: int, *, emoji: str = "👍") -> int:
        sticker = {
            **self._file("sticker"),
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self.push_message(chat_id, {"sticker": sticker})

    def push_photo(self, chat_id: int, *, caption: str | None = None) -> int:
        content: JSON = {"photo": [{**self._file("photo"), "width": 800, "height": 600}]}
        if caption is not None:
            content["caption"] = caption
        return self.push_message(chat_id, content)

    def push_voice(self, chat_id: int, *, duration: int = 3) -> int:
        voice = {**self._file("voice"), "duration": duration, "mime_type": "audio/ogg"}
        return self.push_message(chat_id, {"voice": voice})

    def push_location(self, chat_id: int, latitude: float, longitude: float) -> int:
        return self.push_message(
            chat_id, {"location": {"latitude": latitude, "longitude": longitude}}
        )

    def push_edited_text(self, chat_id: int, message_id: int, text: str) -> int:
        """The user edited their earlier message ``message_id`` to ``text``."""
        return self.push_message(
            chat_id,
            {"text": text, "edit_date": _now()},
            kind="edited_message",
            message_id=message_id,
        )

    def push_group_text(
        self, chat_id: int, text: str, *, user_id: int, first_name: str = "Lan"
    ) -> int:
        """A text in a group (``chat_id`` negative) from the member ``user_id``."""
        chat = {"id": chat_id, "type": "group", "title": "Nhóm thử"}
        return self.push_message(
            chat_id, {"text": text}, user_id=user_id, first_name=first_name, chat=chat
        )

    def push_channel_post(self, chat_id: int, text: str) -> int:
        """A post in a channel (``chat_id`` like -100…) where the bot is an administrator."""
        chat = {"id": chat_id, "type": "channel", "title": "Kênh thử"}
        post = {
            "message_id": self._next_message_id(chat_id),
            "date": _now(),
            "chat": chat,
            "sender_chat": chat,
            "text": text,
        }
        return self.push_update({"channel_post": post})

    # -- control API: faults ------------------------------------------------------------------

    def block_chat(self, chat_id: int) -> None:
        """The user blocked the bot: every call aimed at the chat answers 403."""
        self._blocked.add(chat_id)

    def unblock_chat(self, chat_id: int) -> None:
        self._blocked.discard(chat_id)

    def stats(self) -> JSON:
        return {
            **super().stats(),
            "get_updates_calls": self.get_updates_calls,
            "pending_updates": self.pending_updates,
            "rejected_429": self.rejected_429,
        }

    # -- API methods ----------------------------------------------------------------------------

    async def _call(
        self, method: str, params: JSON, files: dict[str, web.FileField], request: web.Request
    ) -> Any:
        for key in _JSON_PARAMS.intersection(params):
            if isinstance(params[key], str):
                try:
                    params[key] = json.loads(params[key])
                except ValueError:
                    raise ApiError(400, f"Bad Request: can't parse {key} JSON object") from None
        match method:
            case "getMe":
                return {
                    **self.bot_user,
                    "can_join_groups": True,
                    "can_read_all_group_messages": False,
                    "supports_inline_queries": False,
                }
            case "getUpdates":
                return await self._get_updates(params)
            case "setWebhook":
                return self._set_webhook(params)
            case "deleteWebhook":
                self._delete_webhook(drop_pending=_bool_param(params, "drop_pending_updates"))
                return True
            case "getWebhookInfo":
                return self._webhook_info()
            case "sendMessage":
                return self._send_message(params)
            case "sendPhoto" | "sendDocument":
                return self._send_file(method, params, files)
            case "editMessageText" | "editMessageReplyMarkup":
                return self._edit_message(method, params)
            case "deleteMessage":
                return self._delete_message(params)
            case "answerCallbackQuery":
                return self._answer_callback_query(params)
            case "sendChatAction":
                chat_id = self._writable_chat(params)
                self._record(SentRecord(method, chat_id, params, text=params.get("action")))
                return True
            case "setMyCommands":
                self._record(SentRecord(method, None, params))
                self.commands[_command_scope(params)] = _bot_commands(params.get("commands"))
                return True
            case "getMyCommands":
                return self.commands.get(_command_scope(params), [])
            case "setMyDescription" | "setMyShortDescription":
                return self._set_description(method, params)
        raise ApiError(404, "Not Found")

    async def _get_updates(self, params: JSON) -> list[JSON]:
        if self._webhook is not None:
            msg = (
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first"
            )
            raise ApiError(409, msg)
        self.get_updates_calls += 1
        offset = _int_param(params, "offset")
        self.delivered_offsets.append(offset)
        if offset is not None:
            self._confirm(offset)
        if params.get("allowed_updates") is not None:
            self.allowed_updates = params["allowed_updates"]
        limit = min(max(_int_param(params, "limit") or 100, 1), 100)
        timeout = max(_int_param(params, "timeout") or 0, 0)
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake()  # an older long poll still waiting is overtaken by this one
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not self._updates and not self._closed.is_set():
            left = deadline - loop.time()
            if left <= 0:
                break
            await self._sleep_until_woken(left)
            if generation != self._poll_generation:
                msg = (
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running"
                )
                raise ApiError(409, msg)
        return list(itertools.islice(self._updates, limit))

    def _confirm(self, offset: int) -> None:
        """Forget updates below ``offset``; a negative offset keeps only the last ``-offset``."""
        updates = self._updates
        if offset < 0:
            while len(updates) > -offset:
                updates.popleft()
        else:
            while updates and updates[0]["update_id"] < offset:
                updates.popleft()

    def _set_webhook(self, params: JSON) -> bool:
        url = params.get("url") or ""
        if not url:
            self._delete_webhook(drop_pending=_bool_param(params, "drop_pending_updates"))
            return True
        secret = params.get("secret_token")
        if secret is not None and not _SECRET_TOKEN.fullmatch(str(secret)):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        if _bool_param(params, "drop_pending_updates"):
            self._updates.clear()
        if params.get("allowed_updates") is not None:
            self.allowed_updates = params["allowed_updates"]
        self._webhook = {"url": url, "secret_token": secret}
        self._wake()
        self._start_webhook_delivery()
        return True

    def _delete_webhook(self, *, drop_pending: bool) -> None:
        self._webhook = None
        if drop_pending:
            self._updates.clear()
        self._wake()

    def _webhook_info(self) -> JSON:
        info: JSON = {
            "url": "" if self._webhook is None else self._webhook["url"],
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self._last_webhook_error_date is not None:
            info["last_error_date"] = self._last_webhook_error_date
            info["last_error_message"] = self.webhook_errors[-1]
        return info

    async def _deliver_webhook(self) -> None:
        while self._webhook is not None and not self._closed.is_set():
            if not self._updates:
                await self._sleep_until_woken(60.0)
                continue
            update = self._updates[0]
            secret = self._webhook["secret_token"]
            headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
            if not await self._post_webhook(self._webhook["url"], update, headers):
                self._last_webhook_error_date = _now()
            if self._updates and self._updates[0] is update:
                self._updates.popleft()

    def _set_description(self, method: str, params: JSON) -> bool:
        field, limit = (
            ("description", 512) if method == "setMyDescription" else ("short_description", 120)
        )
        text = params.get(field) or ""
        if not isinstance(text, str) or len(text) > limit:
            raise ApiError(400, f"Bad Request: {field} is too long")
        language = params.get("language_code") or ""
        self.descriptions[(field, language)] = text
        self._record(SentRecord(method, None, params, text=text))
        return True

    def _send_message(self, params: JSON) -> JSON:
        chat_id = _chat_id(params)
        text, plain = _message_text(params)
        markup = _reply_markup(params)
        self._check_send(chat_id)
        message = self._bot_message(chat_id, text=plain, reply_markup=_inline_markup(markup))
        self._record(
            SentRecord(
                "sendMessage",
                chat_id,
                params,
                text=text,
                reply_markup=markup,
                message_id=message["message_id"],
            )
        )
        return message

    def _send_file(self, method: str, params: JSON, files: dict[str, web.FileField]) -> JSON:
        field = "photo" if method == "sendPhoto" else "document"
        chat_id = _chat_id(params)
        caption, plain_caption = _caption(params)
        markup = _reply_markup(params)
        reference = params.get(field)
        if isinstance(reference, str) and reference.startswith("attach://"):
            upload = files.get(reference.removeprefix("attach://"))
        else:
            upload = files.get(field)
        data = filename = None
        if upload is not None:
            data = upload.file.read()
            filename = upload.filename
            if not data:
                raise ApiError(400, "Bad Request: file must be non-empty")
        elif not reference:
            raise ApiError(400, f"Bad Request: there is no {field} in the request")
        self._check_send(chat_id)
        stored = {**self._file(field), "file_size": len(data or b"")}
        media: JSON | list[JSON]
        if field == "photo":
            media = [{**stored, "width": 800, "height": 600}]
        else:
            media = {**stored, "file_name": filename or "document"}
        message = self._bot_message(
            chat_id, caption=plain_caption, reply_markup=_inline_markup(markup), **{field: media}
        )
        self._record(
            SentRecord(
                method,
                chat_id,
                params,
                caption=caption,
                reply_markup=markup,
                media=None if upload is not None else str(reference),
                file_bytes=data,
                filename=filename,
                message_id=message["message_id"],
            )
        )
        return message

    def _edit_message(self, method: str, params: JSON) -> JSON:
        chat_id = self._writable_chat(params)
        message_id = _int_param(params, "message_id")
        message = self._messages.get((chat_id, message_id or 0))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        edited = dict(message)
        text = None
        if method == "editMessageText":
            text, edited["text"] = _message_text(params)
        markup = _reply_markup(params)
        edited.pop("reply_markup", None)  # an edit without reply_markup removes the keyboard
        if _inline_markup(markup) is not None:
            edited["reply_markup"] = markup
        if edited == message:
            msg = (
                "Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a content and reply markup of the "
                "current message"
            )
            raise ApiError(400, msg)
        edited["edit_date"] = _now()
        self._messages[(chat_id, message["message_id"])] = edited
        self._record(
            SentRecord(
                method,
                chat_id,
                params,
                text=text,
                reply_markup=markup,
                message_id=message["message_id"],
            )
        )
        return edited

    def _delete_message(self, params: JSON) -> bool:
        chat_id = self._writable_chat(params)
        message_id = _int_param(params, "message_id") or 0
        if self._messages.pop((chat_id, message_id), None) is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        self._record(SentRecord("deleteMessage", chat_id, params, message_id=message_id))
        return True

    def _answer_callback_query(self, params: JSON) -> bool:
        chat_id = self._open_queries.pop(str(params.get("callback_query_id")), None)
        if chat_id is None:
            msg = "query is too old and response timeout expired or query ID is invalid"
            raise ApiError(400, f"Bad Request: {msg}")
        text = params.get("text")
        self._record(
            SentRecord(
                "answerCallbackQuery", chat_id, params, text=text if isinstance(text, str) else None
            )
        )
        return True

    # -- helpers ------------------------------------------------------------------------------

    def _default_description(self, status: int, retry_after: int | None) -> str:
        if status == 403:
            return BLOCKED
        return super()._default_description(status, retry_after)

    def _writable_chat(self, params: JSON) -> int:
        chat_id = _chat_id(params)
        if chat_id in self._blocked:
            raise ApiError(403, BLOCKED)
        return chat_id

    def _check_send(self, chat_id: int) -> None:
        """Blocked chat, then Telegram's flood limits (when ``enforce_rate``)."""
        if chat_id in self._blocked:
            raise ApiError(403, BLOCKED)
        if not self.enforce_rate:
            return
        now = time.monotonic()
        window = self._sends_last_second
        while window and window[0] <= now - 1.0:
            window.popleft()
        if len(window) >= self.rate_global:
            self._too_many(window[0] + 1.0 - now)
        tokens, then = self._buckets.get(chat_id, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - then) * self.rate_per_chat)
        if tokens < 1.0:
            self._buckets[chat_id] = (tokens, now)
            self._too_many((1.0 - tokens) / self.rate_per_chat)
        self._buckets[chat_id] = (tokens - 1.0, now)
        window.append(now)

    def _too_many(self, wait: float) -> NoReturn:
        self.rejected_429 += 1
        retry_after = max(1, math.ceil(wait))
        raise ApiError(
            429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after
        )

    def _next_message_id(self, chat_id: int) -> int:
        message_id = self._next_message_ids.get(chat_id, 0) + 1
        self._next_message_ids[chat_id] = message_id
        return message_id

    def _chat(self, chat_id: int) -> JSON:
        if chat_id in self._chats:
            return self._chats[chat_id]
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "Lan"}
        return {"id": chat_id, "type": "group", "title": "Nhóm thử"}

    def _bot_message(self, chat_id: int, **content: Any) -> JSON:
        message: JSON = {
            "message_id": self._next_message_id(chat_id),
            "date": _now(),
            "chat": self._chat(chat_id),
            "from": self.bot_user,
        }
        message.update({key: value for key, value in content.items() if value is not None})
        self._messages[(chat_id, message["message_id"])] = message
        return message

    def _file(self, kind: str) -> JSON:
        n = next(self._file_ids)
        return {"file_id": f"standin-{kind}-{n}", "file_unique_id": f"u{kind}{n}"}

    def _control_push(self, body: JSON) -> JSON:
        if "update" in body:
            return {"update_id": self.push_update(body["update"])}
        chat_id = int(body["chat_id"])
        if "callback_data" in body:
            update_id = self.push_callback(
                chat_id, str(body["callback_data"]), message_id=int(body["message_id"])
            )
        else:
            update_id = self.push_text(
                chat_id,
                str(body["text"]),
                user_id=body.get("user_id"),
                first_name=body.get("first_name", "Lan"),
            )
        return {"update_id": update_id}

    async def _control_block(self, request: web.Request) -> web.Response:
        body = await request.json()
        if body.get("unblock"):
            self.unblock_chat(int(body["chat_id"]))
        else:
            self.block_chat(int(body["chat_id"]))
        return web.json_response({"ok": True})
