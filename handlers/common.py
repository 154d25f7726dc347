"""Checks and buttons that many handlers share."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.contract import Button
from bot.i18n import N_
from bot.services.diary import ledger
from bot.services.people import people, registry
from bot.services.people.audit import audit
from models import Entry, Household, Officer

MORE = N_("Xem thêm")


def more_button(ctx: Context, payload: str) -> Button:
    """The button behind which the rest of a reply waits (docs/style.md)."""
    return Button(ctx._(MORE), payload)


NOT_JOINED = N_(
    "Chào anh/chị! Để dùng sổ nhật ký, anh/chị gõ mã mời cán bộ xã đã đưa (ví dụ: ABCD-EFGH)."
)
OFFICERS_ONLY = N_("Lệnh này chỉ dành cho cán bộ chương trình.")
NOT_YOUR_AREA = N_("Hộ này không thuộc địa bàn của anh/chị.")


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


async def require_officer(ctx: Context) -> Officer | None:
    """The officer of this chat; anyone else is refused politely and the attempt audited."""
    officer = await officer_of(ctx)
    if officer is None:
        actor = f"contact:{ctx.contact.id}" if ctx.contact else f"chat:{ctx.incoming.channel}"
        await audit(
            ctx.session,
            actor,
            "officer_command.refused",
            command=ctx.incoming.text[:40] or ctx.incoming.payload,
        )
        ctx.reply(ctx._(OFFICERS_ONLY))
    return officer


async def household_for_officer(ctx: Context, officer: Officer, code: str) -> Household | None:
    """A household the officer may see, by code; refusals are audited.  A code of another
    area gets the same answer as a code that does not exist: it tells nothing."""
    household = await registry.household_by_code(ctx.session, code)
    if household is None or not await people.may_see(ctx.session, officer, household):
        await audit(
            ctx.session,
            f"officer:{officer.id}",
            "household.refused",
            household_id=household.id if household else None,
        )
        ctx.reply(ctx._("Không có hộ mã {code} trong địa bàn của anh/chị.").format(code=code))
        return None
    return household


async def entry_for_button(ctx: Context, prefix: str) -> Entry | None:
    """The household's own live entry a button names (``prefix`` then its id); tells the
    household when it is gone (undone, deleted, or another's)."""
    household = await household_of(ctx)
    if household is None:
        return None
    raw = (ctx.incoming.payload or "").removeprefix(prefix).split(":")[0]
    entry = await ledger.own_entry(ctx.session, household.id, int(raw) if raw.isdigit() else 0)
    if entry is None:
        ctx.reply(ctx._("Dòng này không còn nữa."))
    return entry
