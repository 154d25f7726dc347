"""The catch-all: never silence, never a traceback."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.router import Router
from handlers.common import NOT_JOINED, joined


def register(router: Router) -> None:
    router.text(not_understood)


async def not_understood(ctx: Context) -> None:
    if not joined(ctx):
        ctx.reply(ctx._(NOT_JOINED))
    elif ctx.incoming.kind != "text":
        ctx.reply(ctx._("Bot chỉ đọc được tin nhắn chữ. Anh/chị nhắn bằng chữ giúp nhé."))
    else:
        ctx.reply(
            ctx._(
                'Xin lỗi, mình chưa hiểu. Muốn ghi sổ, anh/chị nhắn ví dụ "bán heo 3 triệu". '
                "Gõ /huongdan để xem thêm."
            )
        )
