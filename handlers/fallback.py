"""The catch-all: never silence, never a traceback; one short line of what the person
can say now."""

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
    elif ctx.contact is not None and ctx.contact.officer_id is not None:
        ctx.reply(
            ctx._(
                "Mình chưa hiểu ý anh/chị. Cán bộ có thể gõ: /canhbao (cảnh báo đang mở), "
                "/ho MÃ (xem một hộ), /baocao (báo cáo tháng)."
            )
        )
    else:
        ctx.reply(
            ctx._(
                'Mình chưa hiểu ý anh/chị. Anh/chị thử nhắn: "mua phân 500k" để ghi sổ, '
                '"tháng này" để xem tháng, hoặc "giúp tôi với" để nhờ cán bộ.'
            )
        )
