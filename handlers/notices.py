"""/thongbao: an officer writes a notice for the households of their area, sees a preview
with the number of recipients, and confirms.

```mermaid
stateDiagram-v2
    [*] --> text: /thongbao
    text --> target: the notice typed
    target --> confirm: Cả địa bàn / Hộ nghèo / Hộ cận nghèo (preview, counts)
    confirm --> [*]: Gửi (queued, progress reported) or Hủy
```
"""

from __future__ import annotations

from bot.core.context import Context
from bot.core.contract import Button
from bot.core.router import Router
from bot.services import broadcasts
from bot.services.people.audit import audit
from handlers.common import require_officer
from models import Area

TEXT = "notice.text"
CONFIRM = "notice.confirm"
TARGETS = {"area": "", "poor": "status:poor", "near_poor": "status:near_poor"}


def register(router: Router) -> None:
    router.command(start, "thongbao")
    router.state(typed_text, TEXT)
    router.button(chose_target, "bc:to:")
    router.button(confirm, "bc:send")
    router.button(cancel, "bc:cancel")


async def start(ctx: Context) -> None:
    if await require_officer(ctx) is None:
        return
    ctx.set_state(TEXT)
    ctx.reply(ctx._("Nhắn nội dung thông báo (một tin nhắn). Gõ /huy để thôi."))


async def typed_text(ctx: Context) -> bool:
    text = ctx.incoming.text.strip()
    if ctx.incoming.kind != "text" or not text or text.startswith("/"):
        ctx.clear_state()
        return False
    ctx.set_state(TEXT, text=text)
    ctx.reply(
        ctx._("Gửi cho ai?"),
        (
            (Button(ctx._("Cả địa bàn"), "bc:to:area"),),
            (
                Button(ctx._("Hộ nghèo"), "bc:to:poor"),
                Button(ctx._("Hộ cận nghèo"), "bc:to:near_poor"),
            ),
        ),
    )
    return True


async def chose_target(ctx: Context) -> None:
    officer = await require_officer(ctx)
    text = ctx.state_data.get("text")
    choice = (ctx.incoming.payload or "").removeprefix("bc:to:")
    if officer is None or ctx.state != TEXT or not text or choice not in TARGETS:
        ctx.reply(ctx._("Thông báo này đã qua. Gõ /thongbao để soạn lại."))
        return
    area = await ctx.session.get(Area, officer.area_id)
    assert area is not None
    # An officer's notice never leaves the officer's own area.
    target = broadcasts.Target.parse([f"area:{area.code}", TARGETS[choice]])
    found = await broadcasts.audience(ctx.session, target)
    ctx.set_state(CONFIRM, text=text, target=str(target))
    ctx.reply(
        ctx._(
            "Xem trước:\n«{text}»\n\nSẽ gửi tới {count} tài khoản chat; bỏ qua {not_joined} hộ "
            "chưa tham gia và {blocked} tài khoản đã chặn bot. Gửi chứ?"
        ).format(
            text=text,
            count=len(found.recipients),
            not_joined=found.not_joined,
            blocked=found.blocked,
        ),
        (
            (
                Button(ctx._("Gửi"), "bc:send", means="yes"),
                Button(ctx._("Hủy"), "bc:cancel", means="cancel"),
            ),
        ),
    )


async def confirm(ctx: Context) -> None:
    officer = await require_officer(ctx)
    if officer is None:
        return
    data = ctx.state_data
    if ctx.state != CONFIRM or "text" not in data:
        ctx.reply(ctx._("Thông báo này đã qua. Gõ /thongbao để soạn lại."))
        return
    ctx.clear_state()
    item = await broadcasts.create(
        ctx.session,
        text=data["text"],
        target=broadcasts.Target.parse([data["target"]]),
        now=ctx.now,
        author=officer,
    )
    await audit(
        ctx.session,
        f"officer:{officer.id}",
        "broadcast.create",
        broadcast_id=item.id,
        target=item.target,
    )
    ctx.reply(
        ctx._("Đang gửi thông báo #{id}. Bot sẽ báo tiến độ và kết quả.").format(id=item.id),
        edit=True,
    )


async def cancel(ctx: Context) -> None:
    ctx.clear_state()
    ctx.reply(ctx._("Đã hủy, không gửi gì."), edit=True)
