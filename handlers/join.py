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

from datetime import timedelta

from sqlalchemy import delete, func, select, update

from bot.core.context import Context
from bot.core.contract import Button
from bot.core.router import Router, command_argument
from bot.i18n import N_
from bot.services.audit import audit
from bot.services.privacy import forget_contacts
from bot.services.registry import invite_hashes, looks_like_invite
from handlers.common import NOT_JOINED, joined
from models import Contact, Household, Invite, JoinAttempt, Officer

CONSENT_STATE = "join.consent"
STRANGERS_KEPT = timedelta(days=1)
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


async def _wrong_attempts(ctx: Context) -> int:
    since = ctx.now - timedelta(hours=1)
    count = await ctx.session.scalar(
        select(func.count(JoinAttempt.id)).where(
            JoinAttempt.channel == ctx.incoming.channel,
            JoinAttempt.address == ctx.incoming.address,
            JoinAttempt.at >= since,
        )
    )
    return int(count or 0)


async def _try_code(ctx: Context, code: str) -> None:
    limit = ctx.settings.invites.max_wrong_per_hour
    if await _wrong_attempts(ctx) >= limit:
        ctx.reply(ctx._("Anh/chị đã nhập sai mã nhiều lần. Xin đợi khoảng 1 giờ rồi thử lại."))
        return
    secret = ctx.settings.invites.secret.get_secret_value()
    invite = await ctx.session.scalar(
        select(Invite).where(Invite.code_hash.in_(invite_hashes(code, secret)))
    )
    if invite is None or invite.used_at is not None or invite.expires_at <= ctx.now:
        ctx.session.add(
            JoinAttempt(channel=ctx.incoming.channel, address=ctx.incoming.address, at=ctx.now)
        )
        await audit(ctx.session, f"chat:{ctx.incoming.channel}", "join.wrong_code")
        ctx.reply(
            ctx._("Mã này không đúng hoặc đã hết hạn. Xin kiểm tra lại, hoặc hỏi cán bộ xã mã mới.")
        )
        return
    if invite.household_id is not None:
        household = await ctx.session.get(Household, invite.household_id)
        assert household is not None
        linked = await ctx.session.scalar(
            select(func.count(Contact.id)).where(Contact.household_id == household.id)
        )
        if int(linked or 0) >= ctx.settings.programme.max_contacts_per_household:
            ctx.reply(
                ctx._("Hộ mình đã nối đủ số tài khoản cho phép. Xin hỏi cán bộ xã nếu cần đổi.")
            )
            return
        text = ctx._(HOUSEHOLD_CONSENT).format(name=household.head_name)
    else:
        officer = await ctx.session.get(Officer, invite.officer_id)
        assert officer is not None
        text = ctx._(OFFICER_CONSENT).format(name=officer.name)
    # The chat is kept (to hear its answer) without its name until it agrees.
    contact = ctx.contact or Contact(
        channel=ctx.incoming.channel,
        address=ctx.incoming.address,
        locale=ctx.settings.programme.default_locale,
        created_at=ctx.now,
    )
    if ctx.contact is None:
        await _forget_strangers(ctx)
        ctx.session.add(contact)
        await ctx.session.flush()
        ctx.contact = contact
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


async def _forget_strangers(ctx: Context) -> None:
    """Chats asked to agree a day ago that never answered, and wrong codes past the hour
    they count for: nothing of a chat that did not agree is kept longer."""
    stale = list(
        await ctx.session.scalars(
            select(Contact).where(
                Contact.consent_at.is_(None),
                Contact.household_id.is_(None),
                Contact.officer_id.is_(None),
                Contact.created_at < ctx.now - STRANGERS_KEPT,
            )
        )
    )
    if stale:
        await forget_contacts(ctx.session, stale)
    await ctx.session.execute(
        delete(JoinAttempt).where(JoinAttempt.at < ctx.now - timedelta(hours=1))
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
    # Two chats agreeing at once on one code: only the first update of the invite counts
    # (the other waits for its row lock, then finds it used).
    claimed = await ctx.session.execute(
        update(Invite)
        .where(Invite.id == invite.id, Invite.used_at.is_(None))
        .values(used_at=ctx.now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        ctx.clear_state()
        ctx.reply(ctx._(NOT_JOINED))
        return
    contact.display_name = contact.display_name or ctx.incoming.display_name
    contact.household_id = invite.household_id
    contact.officer_id = invite.officer_id
    contact.consent_version = ctx.settings.programme.consent_version
    contact.consent_at = ctx.now
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
