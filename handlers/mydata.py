"""A household's own data: see it (/toi), take it (/xuatdulieu), delete it (/xoadulieu)."""

from __future__ import annotations

from datetime import timedelta

from bot.core.context import Context
from bot.core.contract import Attachment, Button
from bot.core.router import Router
from bot.groups.privacy import household_part
from bot.services.people.audit import audit
from bot.services.people.privacy import forget_household, kept_of
from bot.services.reports import export
from handlers.common import household_of
from models import Area, Officer


def register(router: Router) -> None:
    router.command(show_mine, "toi")
    router.command(export_mine, "xuatdulieu")
    router.command(ask_delete, "xoadulieu")
    router.button(confirm_delete, "wipe:")


# A "Xóa hết" pressed later than this (an old message scrolled back to) deletes nothing.
WIPE_EXPIRES = timedelta(minutes=10)


async def show_mine(ctx: Context) -> None:
    household = await household_of(ctx)
    if household is None or ctx.contact is None:
        return
    area = await ctx.session.get(Area, household.area_id)
    officer = await ctx.session.get(Officer, household.officer_id) if household.officer_id else None
    kept = await kept_of(ctx.session, household.id)
    memberships, posts = await household_part(ctx.session, household.id)
    consent_at = ctx.contact.consent_at
    lines = [
        ctx._("Bot đang lưu cho hộ mình:"),
        ctx._("• Hộ: {name} ({code}), {members} người, {area}").format(
            name=household.head_name,
            code=household.code,
            members=household.members,
            area=area.name if area else "",
        ),
        ctx._("• Sổ nhật ký: {entries} dòng; khoản vay: {loans}").format(
            entries=kept.entries, loans=kept.loans
        ),
        ctx._("• Tài khoản chat đã nối: {accounts}").format(accounts=kept.accounts),
        ctx._("• Nhóm liên kết: {groups}; tin đã gửi cho nhóm: {posts}").format(
            groups=sum(1 for m in memberships if m.state == "member"), posts=len(posts)
        ),
        ctx._("• Đồng ý lưu dữ liệu ngày {day}").format(
            day=ctx.t.date(consent_at.astimezone(ctx.zone).date()) if consent_at else "-"
        ),
        ctx._("Người được xem: hộ mình và cán bộ {officer}.").format(
            officer=officer.name if officer else ctx._("phụ trách xã")
        ),
        ctx._("/xuatdulieu để tải về, /xoadulieu để xóa."),
    ]
    await audit(ctx.session, f"contact:{ctx.contact.id}", "mydata.view", household_id=household.id)
    ctx.reply("\n".join(lines))


async def export_mine(ctx: Context) -> None:
    household = await household_of(ctx)
    if household is None or ctx.contact is None:
        return
    data = await export.household_csv(ctx.session, household.code, ctx.t, ctx.zone)
    await audit(
        ctx.session, f"contact:{ctx.contact.id}", "mydata.export", household_id=household.id
    )
    ctx.reply(
        ctx._("Sổ nhật ký của hộ mình (tệp CSV, mở bằng Excel được)."),
        attachment=Attachment(f"so-nhat-ky-{household.code}.csv", data.encode("utf-8-sig")),
    )
    groups = await export.household_groups_csv(ctx.session, household.id, ctx.t, ctx.zone)
    if groups is not None:
        ctx.reply(
            ctx._("Các nhóm liên kết của hộ mình và tin đã gửi cho nhóm (tệp CSV)."),
            attachment=Attachment(f"nhom-{household.code}.csv", groups.encode("utf-8-sig")),
        )


async def ask_delete(ctx: Context) -> None:
    household = await household_of(ctx)
    if household is None:
        return
    ctx.reply(
        ctx._(
            "Anh/chị muốn xóa hết sổ nhật ký và khoản vay đã ghi của hộ mình? "
            "Xóa rồi thì không lấy lại được."
        ),
        (
            (
                Button(ctx._("Xóa hết"), f"wipe:yes:{int(ctx.now.timestamp())}", means="yes"),
                Button(ctx._("Không xóa"), "wipe:no", means="no"),
            ),
        ),
    )


async def confirm_delete(ctx: Context) -> None:
    household = await household_of(ctx)
    if household is None or ctx.contact is None:
        return
    answer, _, asked = (ctx.incoming.payload or "").removeprefix("wipe:").partition(":")
    if answer != "yes":
        ctx.reply(ctx._("Không xóa gì cả."), edit=True)
        return
    if not asked.isdigit() or ctx.now.timestamp() - int(asked) > WIPE_EXPIRES.total_seconds():
        ctx.reply(
            ctx._("Câu hỏi này đã cũ nên mình không xóa. Muốn xóa, anh/chị gõ lại /xoadulieu."),
            edit=True,
        )
        return
    await forget_household(ctx.session, household, actor=f"contact:{ctx.contact.id}")
    ctx.contact = None
    ctx.reply(
        ctx._(
            "Đã xóa sổ nhật ký của hộ mình, và bot đã ngừng lưu. "
            "Muốn ghi lại, anh/chị xin cán bộ xã mã mời mới."
        ),
        edit=True,
    )
