"""Joining: an invite code links a chat to its household (or officer), after consent.

```mermaid
stateDiagram-v2
    [*] --> stranger
    stranger --> consent: /start CODE or the code typed (valid)
    stranger --> stranger: wrong code (5 an hour, then wait)
    consent --> joined: Đồng ý
    consent --> [*]: Không (nothing kept)
```
"""

from __future__ import annotations

from bot.core.context import Context
from bot.core.contract import Button
from bot.core.router import Router, command_argument
from bot.i18n import N_
from bot.services.people import joining
from bot.services.people.audit import audit
from bot.services.people.privacy import forget_contacts
from bot.services.people.registry import looks_like_invite
from handlers.common import NOT_JOINED, joined
from models import Household, Invite, Officer

CONSENT_STATE = "join.consent"
HOUSEHOLD_CONSENT = N_(
    "Chào anh/chị! Đây là sổ nhật ký của hộ {name}.\n"
    "Bot sẽ lưu các khoản thu chi anh/chị gửi, để anh/chị xem lại và để cán bộ phụ trách "
    "theo dõi, hỗ trợ hộ mình.\n"
    "Chỉ hộ mình và cán bộ phụ trách xã được xem. Anh/chị xem, tải về hoặc xóa dữ liệu "
    "lúc nào cũng được (/toi, /xuatdulieu, /xoadulieu).\n"
    "Anh/chị có đồng ý không?"
)
OFFICER_CONSENT = N_(
    "Chào {name}! Bot sẽ lưu tên và tài khoản chat này để gửi cảnh báo, nhắc việc và báo cáo "
    "của địa bàn cho anh/chị. Anh/chị có đồng ý không?"
)


def register(router: Router) -> None:
    router.command(start, "start")
    router.button(consent_answer, "consent:")
    router.text(typed_code)


async def start(ctx: Context) -> None:
    code = command_argument(ctx.incoming.text)
    if joined(ctx):
        ctx.reply(ctx._("Anh/chị đã tham gia rồi. Gõ /huongdan để xem cách dùng."))
    elif code:
        await _try_code(ctx, code)
    else:
        ctx.reply(ctx._(NOT_JOINED))


async def typed_code(ctx: Context) -> bool:
    if joined(ctx) or not looks_like_invite(ctx.incoming.text):
        return False
    await _try_code(ctx, ctx.incoming.text)
    return True


async def _try_code(ctx: Context, code: str) -> None:
    limit = ctx.settings.invites.max_wrong_per_hour
    channel, address = ctx.incoming.channel, ctx.incoming.address
    if await joining.wrong_attempts(ctx.session, channel, address, ctx.now) >= limit:
        ctx.reply(ctx._("Anh/chị đã nhập sai mã nhiều lần. Xin đợi khoảng 1 giờ rồi thử lại."))
        return
    secret = ctx.settings.invites.secret.get_secret_value()
    invite = await joining.usable_invite(ctx.session, code, secret, ctx.now)
    if invite is None:
        joining.record_wrong(ctx.session, channel, address, ctx.now)
        await audit(ctx.session, f"chat:{ctx.incoming.channel}", "join.wrong_code")
        ctx.reply(
            ctx._("Mã này không đúng hoặc đã hết hạn. Xin kiểm tra lại, hoặc hỏi cán bộ xã mã mới.")
        )
        return
    if invite.household_id is not None:
        household = await ctx.session.get(Household, invite.household_id)
        assert household is not None
        linked = await joining.linked_accounts(ctx.session, household.id)
        if linked >= ctx.settings.programme.max_contacts_per_household:
            ctx.reply(
                ctx._("Hộ mình đã nối đủ số tài khoản cho phép. Xin hỏi cán bộ xã nếu cần đổi.")
            )
            return
        text = ctx._(HOUSEHOLD_CONSENT).format(name=household.head_name)
    else:
        officer = await ctx.session.get(Officer, invite.officer_id)
        assert officer is not None
        text = ctx._(OFFICER_CONSENT).format(name=officer.name)
    if ctx.contact is None:
        ctx.contact = await joining.keep_stranger(
            ctx.session, channel, address, ctx.settings.programme.default_locale, ctx.now
        )
    ctx.set_state(CONSENT_STATE, invite_id=invite.id)
    ctx.reply(
        text,
        (
            (
                Button(ctx._("Đồng ý"), "consent:yes", means="yes"),
                Button(ctx._("Không"), "consent:no", means="no"),
            ),
        ),
    )


async def consent_answer(ctx: Context) -> None:
    contact = ctx.contact
    invite_id = ctx.state_data.get("invite_id") if ctx.state == CONSENT_STATE else None
    invite = await ctx.session.get(Invite, invite_id) if invite_id else None
    if contact is None or invite is None or invite.used_at is not None:
        ctx.reply(ctx._(NOT_JOINED))
        return
    if ctx.incoming.payload != "consent:yes":
        await forget_contacts(ctx.session, [contact])
        ctx.contact = None
        ctx.reply(
            ctx._("Bot không lưu gì cả. Khi nào muốn ghi sổ, anh/chị gõ lại mã mời là được."),
            edit=True,
        )
        return
    if not await joining.claim(ctx.session, invite, ctx.now):
        ctx.clear_state()
        ctx.reply(ctx._(NOT_JOINED))
        return
    contact.display_name = contact.display_name or ctx.incoming.display_name
    joining.link(
        contact, invite, consent_version=ctx.settings.programme.consent_version, now=ctx.now
    )
    ctx.clear_state()
    await audit(
        ctx.session, f"contact:{contact.id}", "join.consent", household_id=invite.household_id
    )
    if invite.household_id is not None:
        ctx.reply(
            ctx._(
                "Cảm ơn anh/chị! Từ giờ cứ nhắn như nói chuyện, ví dụ:\n"
                "• bán heo 3 triệu\n• mua phân 500k\n• tiền điện 230\n"
                "Gõ /thang để xem tháng này, /huongdan để xem thêm."
            ),
            edit=True,
        )
    else:
        ctx.reply(ctx._("Cảm ơn anh/chị! Gõ /huongdan để xem các lệnh dành cho cán bộ."), edit=True)
