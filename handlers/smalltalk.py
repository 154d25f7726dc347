"""Small talk and feelings: greetings, thanks, "dạ", "ok", laughter, emoji and stickers
get a short friendly answer, never an article and never a diary entry."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.router import Router
from bot.i18n import N_
from bot.language.talk import talk
from handlers.common import joined

ANSWERS = {
    "thanks": N_("Dạ không có gì ạ. Cần gì anh/chị cứ nhắn nhé!"),
    "greeting": N_("Chào anh/chị! Mình nghe đây. Cần ghi sổ cứ nhắn, ví dụ: bán heo 3 triệu."),
    "bye": N_("Chào anh/chị, hẹn gặp lại nhé!"),
    "feeling": N_("Mình hiểu, anh/chị vất vả rồi. Có gì cần nhờ cán bộ, anh/chị gõ /giupdo nhé."),
    "laugh": N_("😊"),
    "ack": N_("Dạ 👍"),
    "emoji": N_("😊"),
}


def register(router: Router) -> None:
    router.text(small_talk)


async def small_talk(ctx: Context) -> bool:
    if not joined(ctx):
        return False  # the join instructions answer a stranger's "chào"
    if ctx.incoming.kind == "sticker":
        kind: str | None = "emoji"
    elif ctx.incoming.kind == "text":
        kind = talk().small_talk_of(ctx.incoming.text)
    else:
        return False
    if kind is None:
        return False
    ctx.reply(ctx._(ANSWERS[kind]))
    return True
