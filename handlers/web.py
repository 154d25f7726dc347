"""/web: an officer gets a one-use link to the web page, valid for a few minutes."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.router import Router
from bot.web.auth import issue_link
from handlers.common import require_officer


def register(router: Router) -> None:
    router.command(web_link, "web")


async def web_link(ctx: Context) -> None:
    officer = await require_officer(ctx)
    if officer is None:
        return
    web = ctx.settings.web
    if not web.enabled:
        ctx.reply(ctx._("Trang web cho cán bộ chưa được bật."))
        return
    token = await issue_link(ctx.session, officer, ctx.now, minutes=web.link_minutes)
    ctx.reply(
        ctx._(
            "Mở liên kết này để vào trang web của cán bộ (dùng được một lần, trong {minutes} "
            "phút; đừng chuyển cho ai):\n{url}"
        ).format(minutes=web.link_minutes, url=f"{web.public_url.rstrip('/')}/login/{token}")
    )
