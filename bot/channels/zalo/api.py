"""Calling the Zalo Bot API: ``POST {api_base}/bot{token}/{method}`` with a JSON body.

Every answer is ``{"ok": true, "result": …}`` or ``{"ok": false, "error_code": …,
"description": …}``; the error may come with HTTP 200 (the code only in the body) or with
a matching HTTP status, so both are read the same way.
"""

from __future__ import annotations

from typing import Any

from aiohttp import ClientSession, ClientTimeout, ContentTypeError

JSON = dict[str, Any]

REQUEST_TIMEOUT = 15.0  # seconds, for every call but a long poll (well within the sender's claim)


class ZaloApiError(Exception):
    """An error answer (``ok`` false, or an HTTP error without a usable body)."""

    def __init__(self, code: int, description: str, retry_after: float | None = None) -> None:
        super().__init__(f"{code} {description}")
        self.code = code
        self.description = description
        self.retry_after = retry_after


def _retry_after(body: JSON, header: str | None) -> float | None:
    """The wait the platform asked for, in the body (as Telegram does) or the header."""
    parameters = body.get("parameters")
    value = parameters.get("retry_after") if isinstance(parameters, dict) else None
    for candidate in (value, header):
        try:
            if candidate is not None:
                return float(candidate)
        except (TypeError, ValueError):
            continue
    return None


class ZaloApi:
    def __init__(self, *, base: str, token: str) -> None:
        self.base = base.rstrip("/")
        self.token = token
        self._session: ClientSession | None = None

    def _client(self) -> ClientSession:
        # Created on first use, inside the running event loop.
        if self._session is None or self._session.closed:
            self._session = ClientSession(timeout=ClientTimeout(total=REQUEST_TIMEOUT))
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    def redact(self, text: str) -> str:
        """``text`` without the token, which is part of every URL."""
        return text.replace(self.token, "<token>") if self.token else text

    async def call(self, method: str, params: JSON | None = None, *, timeout: float = 0) -> Any:
        """The ``result`` of ``method`` (``None`` when there is none); ``timeout`` in
        seconds replaces the usual one (a long poll needs longer).

        Raises :class:`ZaloApiError` for an error answer; network errors and timeouts
        (``aiohttp.ClientError``, ``TimeoutError``) pass through.
        """
        url = f"{self.base}/bot{self.token}/{method}"
        limit = ClientTimeout(total=timeout) if timeout else self._client().timeout
        async with self._client().post(url, json=params or {}, timeout=limit) as response:
            try:
                body = await response.json()
            except (ContentTypeError, ValueError):
                body = None
            if not isinstance(body, dict):
                raise ZaloApiError(response.status, response.reason or "no JSON answer")
            if response.status >= 300 or not body.get("ok"):
                code = body.get("error_code")
                raise ZaloApiError(
                    code if isinstance(code, int) else response.status,
                    str(body.get("description") or response.reason or "error"),
                    _retry_after(body, response.headers.get("Retry-After")),
                )
            return body.get("result")
