"""Serving the bot's own attachments to Zalo, which takes a photo as a URL, not an upload.

A sent attachment is kept in memory for a day under an unguessable token, at
``{public_base_url}/zalo-files/<token>/<filename>``.  Only the process that sent it can
serve it: a deployment of several processes needs the file route of each (or sticky
routing by path) behind the public URL.
"""

from __future__ import annotations

import mimetypes
import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import quote

from aiohttp import web

from bot.core.contract import Attachment

ROUTE = "/zalo-files/{token}/{filename}"
KEEP_SECONDS = 24 * 3600
MAX_BYTES = 64 * 1024 * 1024  # the oldest files go first beyond this


@dataclass(frozen=True, slots=True)
class _Kept:
    filename: str
    data: bytes
    until: float


class FileStore:
    def __init__(self, public_base_url: str) -> None:
        self.base = public_base_url.rstrip("/")
        self._files: OrderedDict[str, _Kept] = OrderedDict()
        self._bytes = 0

    def put(self, attachment: Attachment) -> str:
        """Keep ``attachment``; the public URL it is served at."""
        self._expire()
        token = secrets.token_urlsafe(18)
        self._files[token] = _Kept(
            attachment.filename, attachment.data, time.monotonic() + KEEP_SECONDS
        )
        self._bytes += len(attachment.data)
        while self._bytes > MAX_BYTES and len(self._files) > 1:
            self._drop_oldest()
        return f"{self.base}/zalo-files/{token}/{quote(attachment.filename)}"

    def _drop_oldest(self) -> None:
        _, kept = self._files.popitem(last=False)
        self._bytes -= len(kept.data)

    def _expire(self) -> None:
        now = time.monotonic()
        while self._files and next(iter(self._files.values())).until <= now:
            self._drop_oldest()

    async def serve(self, request: web.Request) -> web.Response:
        self._expire()
        kept = self._files.get(request.match_info["token"])
        if kept is None or kept.filename != request.match_info["filename"]:
            raise web.HTTPNotFound()
        content_type = mimetypes.guess_type(kept.filename)[0] or "application/octet-stream"
        return web.Response(body=kept.data, content_type=content_type)

    def add_route(self, app: web.Application) -> None:
        app.router.add_get(ROUTE, self.serve)

    def app(self) -> web.Application:
        app = web.Application()
        self.add_route(app)
        return app
