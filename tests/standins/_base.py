"""What the Telegram and Zalo stand-ins share: an aiohttp server on 127.0.0.1, the record of
what the bot sent and a way to wait for it, fault injection, hanging calls, a slow mode, webhook
delivery with retries, and the HTTP control endpoints (``/_control/…``) for a bot or benchmark in
another process.

A subclass implements ``_call(method, params, files, request)`` (the platform's methods), answers
a failure by raising ``ApiError``, and records what the bot sent with ``_record``.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from types import TracebackType
from typing import Any, ClassVar, Self

from aiohttp import ClientError, ClientSession, ClientTimeout, web

JSON = dict[str, Any]
ChatId = int | str


class ApiError(Exception):
    """A Bot API error answer: ``{"ok": false, "error_code": status, "description": …}``."""

    def __init__(self, status: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


@dataclass(slots=True)
class SentRecord:
    """One call the bot made (``sent``: accepted; ``failed``: answered with an error).

    ``text`` is the message text (for a chat action, the action; for a callback answer, its
    notice); ``media`` is a photo, sticker or file passed by URL or id rather than uploaded.
    """

    method: str
    chat_id: ChatId | None
    params: JSON
    text: str | None = None
    caption: str | None = None
    reply_markup: JSON | None = None
    media: str | None = None
    file_bytes: bytes | None = None
    filename: str | None = None
    message_id: int | str | None = None
    status: int = 200
    description: str | None = None
    seq: int = 0  # position in ``sent`` (or ``failed``)
    at: float = field(default_factory=time.time)

    def to_json(self) -> JSON:
        """A JSON-safe view: an uploaded file appears as its size, not its bytes."""
        return {
            "seq": self.seq,
            "method": self.method,
            "chat_id": self.chat_id,
            "text": self.text,
            "caption": self.caption,
            "reply_markup": self.reply_markup,
            "media": self.media,
            "filename": self.filename,
            "file_size": None if self.file_bytes is None else len(self.file_bytes),
            "message_id": self.message_id,
            "status": self.status,
            "description": self.description,
            "at": self.at,
        }


@dataclass(slots=True)
class _Fault:
    status: int
    description: str
    retry_after: int | None
    times: int


@dataclass(slots=True)
class _Hang:
    seconds: float
    times: int


Predicate = Callable[[SentRecord], bool]


async def read_params(request: web.Request) -> tuple[JSON, dict[str, web.FileField]]:
    """Query string, then a JSON body, urlencoded form or multipart form, as one dict.

    aiogram's AiohttpSession sends an urlencoded form, or multipart when it uploads a file; a
    nested object (``reply_markup``, ``allowed_updates`` …) then arrives as a JSON string.
    """
    params: JSON = dict(request.query)
    files: dict[str, web.FileField] = {}
    if not request.can_read_body:
        return params, files
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise ApiError(400, "Bad Request: the request body is not valid JSON") from None
        if not isinstance(body, dict):
            raise ApiError(400, "Bad Request: the request body must be a JSON object")
        params.update(body)
        return params, files
    for key, value in (await request.post()).items():
        if isinstance(value, web.FileField):
            files[key] = value
        else:
            params[key] = value
    return params, files


class StandinServer:
    """Server life cycle, records, waiting, faults and webhook delivery for one bot token."""

    # Methods whose accepted calls are messages a user sees (``messages_to``).
    MESSAGE_METHODS: ClassVar[frozenset[str]] = frozenset()
    # Reads and polls: counted in ``calls`` but kept out of ``sent`` and ``failed``.
    UNRECORDED: ClassVar[frozenset[str]] = frozenset({"getMe", "getUpdates", "getWebhookInfo"})

    def __init__(
        self,
        *,
        token: str | None,
        host: str = "127.0.0.1",
        port: int = 0,
        webhook_attempts: int = 4,
        webhook_retry_delay: float = 0.1,
    ) -> None:
        self.token = token  # None: any token is accepted
        self.host = host
        self.port = port
        self.webhook_attempts = webhook_attempts
        self.webhook_retry_delay = webhook_retry_delay
        self.sent: list[SentRecord] = []
        self.failed: list[SentRecord] = []
        self.calls: Counter[str] = Counter()
        self.webhook_errors: list[str] = []
        self._by_chat: defaultdict[ChatId, list[SentRecord]] = defaultdict(list)
        self._waiters: list[tuple[Predicate, asyncio.Future[SentRecord]]] = []
        self._faults: defaultdict[str, deque[_Fault]] = defaultdict(deque)
        self._hangs: defaultdict[str, deque[_Hang]] = defaultdict(deque)
        self.abandoned: Counter[str] = Counter()  # calls given up by the client while held
        self._delay = 0.0
        self._wakeups: list[asyncio.Future[None]] = []
        self._closed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._client: ClientSession | None = None
        self._webhook: JSON | None = None  # {"url", "secret_token"} while one is set
        self._webhook_task: asyncio.Task[None] | None = None
        self.app = web.Application(client_max_size=50 * 1024 * 1024)
        self.app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self.app.router.add_post("/_control/push", self._control_push_handler)
        self.app.router.add_get("/_control/sent", self._control_sent)
        self.app.router.add_get("/_control/stats", self._control_stats)
        self.app.router.add_post("/_control/fail_next", self._control_fail_next)

    # -- life cycle ---------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def start(self) -> str:
        """Serve on ``host:port`` (port 0: an ephemeral one) and return the base URL.

        After ``stop()`` it may start again, on the same port and with everything it held (an
        API outage and its end); a webhook that was set resumes getting updates.
        """
        self._closed.clear()
        self._runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        self.port = self._runner.addresses[0][1]
        self._client = ClientSession(timeout=ClientTimeout(total=10))
        if self._webhook is not None:
            self._start_webhook_delivery()
        return self.base_url

    async def stop(self) -> None:
        """End long polls and webhook delivery, then close the server."""
        self._closed.set()
        self._wake()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            await asyncio.gather(self._webhook_task, return_exceptions=True)
            self._webhook_task = None
        if self._client is not None:
            await self._client.close()
            self._client = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # -- control API --------------------------------------------------------------------------

    def messages_to(self, chat_id: ChatId) -> list[SentRecord]:
        """Accepted messages (``MESSAGE_METHODS``) sent to one chat, oldest first."""
        return list(self._by_chat.get(chat_id, ()))

    async def wait_for(
        self, predicate: Predicate, timeout: float = 10.0, *, since: int = 0
    ) -> SentRecord:
        """The first record in ``sent[since:]`` matching ``predicate``, waiting for one to come."""
        for record in itertools.islice(self.sent, since, None):
            if predicate(record):
                return record
        future: asyncio.Future[SentRecord] = asyncio.get_running_loop().create_future()
        waiter = (predicate, future)
        self._waiters.append(waiter)
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            recent = [f"{r.method}→{r.chat_id}: {r.text or r.caption!r}" for r in self.sent[-5:]]
            msg = f"nothing matching was sent within {timeout} s; the last sent: {recent}"
            raise TimeoutError(msg) from None
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)

    async def wait_for_count(
        self, chat_id: ChatId, n: int, timeout: float = 10.0
    ) -> list[SentRecord]:
        """Wait until ``chat_id`` has received at least ``n`` messages; return them all."""
        if len(self._by_chat.get(chat_id, ())) < n:
            await self.wait_for(
                lambda _: len(self._by_chat.get(chat_id, ())) >= n, timeout, since=len(self.sent)
            )
        return self.messages_to(chat_id)

    def fail_next(
        self,
        method: str,
        status: int,
        *,
        description: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` with this error, doing nothing else."""
        if description is None:
            description = self._default_description(status, retry_after)
        self._faults[method].append(_Fault(status, description, retry_after, times))

    def hang_next(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Hold each of the next ``times`` calls of ``method`` for ``seconds`` before carrying
        it out: an overloaded API or a stalled network.

        A call whose client gave up meanwhile (its request timed out) is dropped without being
        carried out, as a request that never got through, and counted in ``abandoned``.
        """
        self._hangs[method].append(_Hang(seconds, times))

    def slow(self, seconds: float) -> None:
        """Delay every answer by ``seconds`` (0 turns it off).

        The call is carried out first and its answer held back, so a client that times out
        cannot tell whether its message went out: the case an idempotent sender must handle.
        """
        self._delay = seconds

    def stats(self) -> JSON:
        return {
            "sent": len(self.sent),
            "failed": len(self.failed),
            "calls": dict(self.calls),
            "webhook_errors": len(self.webhook_errors),
        }

    # -- for subclasses -----------------------------------------------------------------------

    async def _call(
        self, method: str, params: JSON, files: dict[str, web.FileField], request: web.Request
    ) -> Any:
        """Carry out one API method; return its ``result`` (None: no ``result`` key)."""
        raise NotImplementedError

    def _control_push(self, body: JSON) -> JSON:
        """``POST /_control/push``: queue an incoming message described by ``body``."""
        raise NotImplementedError

    def _default_description(self, status: int, retry_after: int | None) -> str:
        if status == 429 and retry_after is not None:
            return f"Too Many Requests: retry after {retry_after}"
        return HTTPStatus(status).phrase

    def _error_response(self, error: ApiError) -> web.Response:
        body: JSON = {"ok": False, "error_code": error.status, "description": error.description}
        if error.retry_after is not None:
            body["parameters"] = {"retry_after": error.retry_after}
        return web.json_response(body, status=error.status)

    def _record(self, record: SentRecord) -> SentRecord:
        """Keep an accepted call and wake whoever waits for it."""
        record.seq = len(self.sent)
        self.sent.append(record)
        if record.method in self.MESSAGE_METHODS and record.chat_id is not None:
            self._by_chat[record.chat_id].append(record)
        waiting, self._waiters = self._waiters, []
        for predicate, future in waiting:
            if future.done():
                continue
            if predicate(record):
                future.set_result(record)
            else:
                self._waiters.append((predicate, future))
        return record

    def _wake(self) -> None:
        """Wake long polls and webhook delivery: an update came, or the server is closing."""
        wakeups, self._wakeups = self._wakeups, []
        for future in wakeups:
            if not future.done():
                future.set_result(None)

    async def _sleep_until_woken(self, timeout: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._wakeups.append(future)
        try:
            await asyncio.wait_for(future, timeout)
        except TimeoutError:
            pass
        finally:
            if future in self._wakeups:
                self._wakeups.remove(future)

    def _start_webhook_delivery(self) -> None:
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.create_task(self._deliver_webhook())

    async def _deliver_webhook(self) -> None:
        raise NotImplementedError

    async def _post_webhook(self, url: str, body: JSON, headers: dict[str, str]) -> bool:
        """POST one update; on a non-2xx answer or no connection, retry with a doubling delay.

        After ``webhook_attempts`` failures the update is given up, as Telegram eventually does;
        the reason is kept in ``webhook_errors``.
        """
        assert self._client is not None, "start() the stand-in first"
        error = ""
        for attempt in range(self.webhook_attempts):
            if attempt:
                await asyncio.sleep(self.webhook_retry_delay * 2 ** (attempt - 1))
            try:
                async with self._client.post(url, json=body, headers=headers) as response:
                    if response.status < 300:
                        return True
                    error = f"Wrong response from the webhook: {response.status} {response.reason}"
            except (ClientError, TimeoutError) as exc:
                error = f"Connection failed: {type(exc).__name__}: {exc}"
        self.webhook_errors.append(error)
        return False

    # -- HTTP ---------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        self.calls[method] += 1
        params: JSON = {}
        try:
            if self.token is not None and request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            params, files = await read_params(request)
            if not await self._held(method, request):
                self.abandoned[method] += 1
                return web.Response(status=499)  # nobody reads it: the client has gone
            fault = self._take_fault(method)
            if fault is not None:
                raise ApiError(fault.status, fault.description, retry_after=fault.retry_after)
            result = await self._call(method, params, files, request)
            body: JSON = {"ok": True} if result is None else {"ok": True, "result": result}
            response = web.json_response(body)
        except ApiError as error:
            if method not in self.UNRECORDED:
                self._record_failure(method, params, error)
            response = self._error_response(error)
        if self._delay:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closed.wait(), self._delay)
        return response

    async def _held(self, method: str, request: web.Request) -> bool:
        """Hold the call if a hang is due; False when its client has gone meanwhile."""
        queue = self._hangs.get(method)
        if not queue:
            return True
        hang = queue[0]
        hang.times -= 1
        if hang.times <= 0:
            queue.popleft()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closed.wait(), hang.seconds)
        return request.transport is not None and not request.transport.is_closing()

    def _take_fault(self, method: str) -> _Fault | None:
        queue = self._faults.get(method)
        if not queue:
            return None
        fault = queue[0]
        fault.times -= 1
        if fault.times <= 0:
            queue.popleft()
        return fault

    def _record_failure(self, method: str, params: JSON, error: ApiError) -> None:
        chat_id = params.get("chat_id")
        text = params.get("text")
        record = SentRecord(
            method=method,
            chat_id=chat_id if isinstance(chat_id, int | str) else None,
            params=params,
            text=text if isinstance(text, str) else None,
            status=error.status,
            description=error.description,
            seq=len(self.failed),
        )
        self.failed.append(record)

    async def _control_push_handler(self, request: web.Request) -> web.Response:
        body = await request.json()
        try:
            return web.json_response(self._control_push(body))
        except (KeyError, TypeError, ValueError) as exc:
            return web.json_response({"ok": False, "description": repr(exc)}, status=400)

    async def _control_sent(self, request: web.Request) -> web.Response:
        since = int(request.query.get("since", "0"))
        records = [record.to_json() for record in self.sent[since:]]
        return web.json_response({"next": len(self.sent), "sent": records})

    async def _control_stats(self, request: web.Request) -> web.Response:
        return web.json_response(self.stats())

    async def _control_fail_next(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.fail_next(
            body["method"],
            int(body["status"]),
            description=body.get("description"),
            retry_after=body.get("retry_after"),
            times=int(body.get("times", 1)),
        )
        return web.json_response({"ok": True})
