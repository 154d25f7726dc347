"""Checks and buttons that many handlers share."""

from __future__ import annotations

from bot.core.context import Context
from bot.i18n import N_
from models import Household, Officer

NOT_JOINED = N_("Chào bạn! Để dùng sổ nhật ký, xin gõ mã mời cán bộ xã đã đưa (ví dụ: ABCD-EFGH).")


def joined(ctx: Context) -> bool:
    """True when the chat belongs to a household or officer that gave consent."""
    contact = ctx.contact
    return (
        contact is not None
        and contact.consent_at is not None
        and (contact.household_id is not None or contact.officer_id is not None)
    )


async def household_of(ctx: Context) -> Household | None:
    """The household of a consenting chat; otherwise tells the person how to join."""
    if not joined(ctx) or ctx.contact is None or ctx.contact.household_id is None:
        ctx.reply(ctx._(NOT_JOINED))
        return None
    return await ctx.session.get(Household, ctx.contact.household_id)


async def officer_of(ctx: Context) -> Officer | None:
    if not joined(ctx) or ctx.contact is None or ctx.contact.officer_id is None:
        return None
    return await ctx.session.get(Officer, ctx.contact.officer_id)
