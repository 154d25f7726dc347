"""/thuhoi CODE: an admin takes access away from chat: an officer (by officer code) or
every chat account of a household (a lost phone; by household code), in their own area
and the areas below it.  Audited like the CLI's ``officer remove`` / ``contact unlink``."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.router import Router, command_argument
from bot.services.people.access import revoke_by_code
from bot.services.people.people import descendant_area_ids
from handlers.common import require_officer


def register(router: Router) -> None:
    router.command(revoke, "thuhoi")


async def revoke(ctx: Context) -> None:
    officer = await require_officer(ctx)
    if officer is None:
        return
    if officer.role != "admin":
        ctx.reply(ctx._("Lệnh này chỉ dành cho quản trị viên."))
        return
    code = command_argument(ctx.incoming.text).strip().upper()
    if not code:
        ctx.reply(
            ctx._(
                "Gõ /thuhoi và mã cán bộ (gỡ quyền cán bộ) hoặc mã hộ (gỡ mọi tài khoản chat "
                "của hộ, khi mất điện thoại), ví dụ: /thuhoi HO00012"
            )
        )
        return
    removed = await revoke_by_code(
        ctx.session,
        code,
        within=await descendant_area_ids(ctx.session, officer.area_id),
        actor=f"officer:{officer.id}",
    )
    if removed is None:
        ctx.reply(ctx._("Không tìm thấy mã {code} trong địa bàn của anh/chị.").format(code=code))
        return
    ctx.reply(
        ctx._("Đã thu hồi quyền của {code} ({name}): gỡ {chats} tài khoản chat.").format(
            code=removed.code, name=removed.name, chats=removed.chats
        )
    )
