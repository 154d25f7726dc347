"""Linkage groups in chat, for officers: /taonhom (make one), /moinhom (invite
households), /nhom (the area's groups) and /nhom ID (one group: its members' activity
figures without names, attendance at its meetings, recent posts to hide, households
doing well to invite to share), /hopnhom ID (the group's meeting, the steps of /hop)."""

from __future__ import annotations

from functools import partial

from bot.core.context import Context
from bot.core.contract import Button, Reply
from bot.core.router import Router, command_argument
from bot.groups import members, sharing
from bot.groups.figures import figures
from bot.i18n import Translator
from bot.language.groups import read_group_spec
from bot.plans import catalogue as catalogues
from bot.services import meetings
from bot.services.messaging.notify import notify
from bot.services.people import people
from bot.services.people.audit import audit
from handlers import meetings as meeting_steps
from handlers.common import household_for_officer, require_officer
from models import Area, GroupMember, Household, LinkGroup, Officer

INVITE_TO_SHARE = 3  # households doing best offered to the officer


def register(router: Router) -> None:
    router.command(create, "taonhom")
    router.command(add_members, "moinhom")
    router.command(remove_members, "bonhom")
    router.command(call_meeting, "hopnhom")
    router.button(ask_to_share, "grp:askshare:")


def _how_to(ctx: Context) -> str:
    return ctx._(
        "Tạo nhóm: /taonhom Tên nhóm; mã các hộ; trưởng nhóm MÃ; họp ngày 20 (ví dụ: "
        "/taonhom Nhóm nuôi bò ấp 3; HO00001 HO00002; trưởng nhóm HO00001; họp ngày 20). "
        "Mời thêm: /moinhom SỐ_NHÓM mã các hộ. Đưa ra khỏi nhóm: /bonhom SỐ_NHÓM mã các hộ."
    )


async def create(ctx: Context) -> None:
    officer = await require_officer(ctx)
    if officer is None:
        return
    spec = read_group_spec(command_argument(ctx.incoming.text))
    if not spec.name:
        ctx.reply(_how_to(ctx))
        return
    if spec.meeting_day is not None and not 1 <= spec.meeting_day <= 28:
        ctx.reply(ctx._("Ngày họp là một ngày trong tháng, từ 1 đến 28."))
        return
    leader = None
    if spec.leader:
        leader = await household_for_officer(ctx, officer, spec.leader)
        if leader is None:
            return
    catalogue = catalogues.default()
    named = catalogue.named_in(spec.name)
    area = await ctx.session.get(Area, officer.area_id)
    assert area is not None
    group = await members.create(
        ctx.session,
        area=area,
        name=spec.name,
        activity=next(iter(named)) if len(named) == 1 else None,
        catalogue=catalogue,
        leader=leader,
        meeting_day=spec.meeting_day,
        author=f"officer:{officer.id}",
        now=ctx.now,
    )
    await audit(ctx.session, f"officer:{officer.id}", "group.create", group_id=group.id)
    ctx.reply(ctx._("Đã tạo nhóm «{name}», số {id}.").format(name=group.name, id=group.id))
    if spec.codes:
        await _invite(ctx, officer, group, spec.codes)


async def _group_and_codes(ctx: Context) -> tuple[Officer, LinkGroup, list[str]] | None:
    """ "/moinhom 3 HO1 HO2": the officer's group and the codes; tells what is wrong."""
    officer = await require_officer(ctx)
    if officer is None:
        return None
    raw, _, codes = command_argument(ctx.incoming.text).partition(" ")
    group = await _group(ctx, officer, raw)
    if group is None:
        return None
    if not codes.strip():
        ctx.reply(_how_to(ctx))
        return None
    return officer, group, codes.replace(",", " ").split()


async def add_members(ctx: Context) -> None:
    found = await _group_and_codes(ctx)
    if found is not None:
        await _invite(ctx, *found)


async def remove_members(ctx: Context) -> None:
    found = await _group_and_codes(ctx)
    if found is None:
        return
    officer, group, codes = found
    households, unknown = await people.households_by_codes(ctx.session, group.area_id, codes)
    removed = await members.remove(ctx.session, group, households)
    await audit(
        ctx.session,
        f"officer:{officer.id}",
        "group.remove",
        group_id=group.id,
        households=[h.code for h in households],
    )
    lines = [
        ctx._(
            "Đã đưa {count} hộ ra khỏi nhóm; bot không gửi tin của nhóm cho các hộ này nữa."
        ).format(count=removed)
    ]
    if unknown:
        lines.append(_unknown(ctx, unknown))
    ctx.reply("\n".join(lines))


def _unknown(ctx: Context, codes: list[str]) -> str:
    return ctx._("Không có hộ mã {codes} trong địa bàn của nhóm.").format(codes=", ".join(codes))


async def _invite(ctx: Context, officer: Officer, group: LinkGroup, codes: list[str]) -> None:
    found, unknown = await people.households_by_codes(ctx.session, group.area_id, codes)
    invited = await members.invite(ctx.session, group, found, now=ctx.now)
    await audit(
        ctx.session,
        f"officer:{officer.id}",
        "group.invite",
        group_id=group.id,
        households=[h.code for h in found],
    )
    lines = [
        ctx._("Đã gửi lời mời vào nhóm tới {count} hộ; hộ nào đồng ý mới vào nhóm.").format(
            count=len(invited)
        )
    ]
    if unknown:
        lines.append(_unknown(ctx, unknown))
    ctx.reply("\n".join(lines))


async def _group(ctx: Context, officer: Officer, raw: str) -> LinkGroup | None:
    group = await members.officer_group(ctx.session, officer, int(raw)) if raw.isdigit() else None
    if group is None:
        await audit(ctx.session, f"officer:{officer.id}", "group.refused", group=raw[:20])
        ctx.reply(ctx._("Không có nhóm số {id} trong địa bàn của anh/chị.").format(id=raw))
    return group


# --- /nhom for officers ----------------------------------------------------------------


async def show(ctx: Context, officer: Officer) -> None:
    raw = command_argument(ctx.incoming.text)
    if raw:
        group = await _group(ctx, officer, raw)
        if group is not None:
            await _view(ctx, officer, group)
        return
    groups = await members.officer_groups(ctx.session, officer)
    if not groups:
        ctx.reply(ctx._("Địa bàn chưa có nhóm liên kết nào.") + "\n" + _how_to(ctx))
        return
    lines = [ctx._("Các nhóm liên kết (gõ /nhom SỐ để xem một nhóm):")]
    for group in groups:
        count = len(await members.member_households(ctx.session, group.id))
        lines.append(
            ctx._("{id}. {name} – {count} thành viên").format(
                id=group.id, name=group.name, count=count
            )
        )
    ctx.reply("\n".join(lines))


async def _view(ctx: Context, officer: Officer, group: LinkGroup) -> None:
    """The group as the officer sees it: no household named that did not agree."""
    states = await members.state_counts(ctx.session, group.id)
    found = await figures(
        ctx.session, group, lines=ctx.settings.programme.poverty_lines, today=ctx.today
    )
    activity = members.activity_name(group.activity, ctx.t.locale) or ctx._("mọi mô hình")
    lines = [
        ctx._("Nhóm «{name}» (số {id}), {activity}").format(
            name=group.name, id=group.id, activity=activity.lower()
        ),
        ctx._(
            "Thành viên: {member}; đang mời: {invited}; từ chối: {refused}; đã rời: {left}"
        ).format(
            member=states.get("member", 0),
            invited=states.get("invited", 0),
            refused=states.get("refused", 0),
            left=states.get("left", 0) + states.get("removed", 0),
        ),
    ]
    spread = found.profit
    if spread.median is None:
        lines.append(ctx._("Chưa có thành viên nào ghi sổ cho mô hình này."))
    else:
        lines.append(
            ctx._(
                "Lời mỗi tháng ({start}–{end}), {count} hộ có ghi sổ: trung vị {median}, "
                "thấp {low}, cao {high}"
            ).format(
                start=f"{found.months[0]:%m/%Y}",
                end=f"{found.months[1]:%m/%Y}",
                count=spread.n,
                median=_profit(ctx, int(spread.median)),
                low=_profit(ctx, int(spread.q1 or 0)),
                high=_profit(ctx, int(spread.q3 or 0)),
            )
        )
        lines.append(
            ctx._("Trên chuẩn nghèo ({line}/người/tháng): {above}/{count} hộ").format(
                line=ctx.t.money(found.line), above=found.above_line, count=spread.n
            )
        )
    held = await meetings.held_by_group(ctx.session, group.id)
    if held:
        lines.append(ctx._("Họp nhóm:"))
        lines += [
            ctx._("• {day}: {attended}/{invited} hộ đến").format(
                day=ctx.t.date(meeting.starts_at.astimezone(ctx.zone).date()),
                attended=outcome.attended,
                invited=outcome.invited,
            )
            for meeting, outcome in held
        ]
    posts = await sharing.recent_posts(ctx.session, group.id)
    buttons: list[tuple[Button, ...]] = []
    if posts:
        lines.append(ctx._("Tin gần đây:"))
        for post in posts:
            lines.append(f"#{post.id}: {post.text[:80]}")
            buttons.append(
                (Button(ctx._("Ẩn tin #{id}").format(id=post.id), f"grp:hide:{post.id}"),)
            )
    for row in [r for r in found.rows if r.profit_per_month > 0][:INVITE_TO_SHARE]:
        buttons.append(
            (
                Button(
                    ctx._("Mời hộ {code} chia sẻ cách làm").format(code=row.household.code),
                    f"grp:askshare:{group.id}:{row.household.id}",
                ),
            )
        )
    await audit(ctx.session, f"officer:{officer.id}", "group.view", group_id=group.id)
    ctx.reply("\n".join(lines), tuple(buttons))


# --- inviting a household that does well to share -------------------------------------


async def ask_to_share(ctx: Context) -> None:
    officer = await require_officer(ctx)
    if officer is None:
        return
    raw_group, _, raw_household = (
        (ctx.incoming.payload or "").removeprefix("grp:askshare:").partition(":")
    )
    group = await _group(ctx, officer, raw_group)
    if group is None:
        return
    member = (
        await members.member_of(ctx.session, group.id, int(raw_household))
        if raw_household.isdigit()
        else None
    )
    if member is None:
        ctx.reply(ctx._("Hộ này không còn trong nhóm."))
        return
    contacts = await people.household_contacts(ctx.session, member.household_id)
    await notify(
        ctx.session,
        contacts,
        partial(share_request, group=group, member=member),
        key=f"{members.SEND_KEY}{group.id}:askshare:{member.id}:{int(ctx.now.timestamp())}",
    )
    await audit(
        ctx.session,
        f"officer:{officer.id}",
        "group.ask_share",
        household_id=member.household_id,
        group_id=group.id,
    )
    ctx.reply(ctx._("Đã nhắn hộ này; hộ đồng ý hay không, mình sẽ báo anh/chị."))


def share_request(t: Translator, *, group: LinkGroup, member: GroupMember) -> Reply:
    return Reply(
        t._(
            "Cán bộ xã thấy nhà mình làm ăn tốt. Anh/chị có muốn chia sẻ cách làm với nhóm "
            "«{name}» không? Nếu đồng ý, các thành viên sẽ thấy tên gọi và số lời mỗi tháng "
            "của nhà mình khi hỏi ai làm tốt."
        ).format(name=group.name),
        (
            (
                Button(t._("Đồng ý chia sẻ"), f"grp:share:yes:{member.id}", means="yes"),
                Button(t._("Không"), f"grp:share:no:{member.id}", means="no"),
            ),
        ),
    )


async def tell_officers(
    ctx: Context, group: LinkGroup, household: Household, *, agree: bool
) -> None:
    """The household's answer to the invitation to share, to the group's officers."""
    contacts = await members.area_officer_contacts(ctx.session, group)
    await notify(
        ctx.session,
        contacts,
        partial(_share_answer, group=group, code=household.code, agree=agree),
        key=f"{members.SEND_KEY}{group.id}:shareanswer:{ctx.inbound_id}",
    )


def _share_answer(t: Translator, *, group: LinkGroup, code: str, agree: bool) -> Reply:
    if agree:
        text = t._("Hộ {code} đồng ý chia sẻ cách làm với nhóm «{name}».")
    else:
        text = t._("Hộ {code} chưa muốn chia sẻ với nhóm «{name}».")
    return Reply(text.format(code=code, name=group.name))


# --- the officer's own post -------------------------------------------------------------


async def share(ctx: Context, officer: Officer) -> None:
    """ "/chiase 3 Lịch tiêm phòng …": a notice or tip from the officer to every member."""
    raw, _, text = command_argument(ctx.incoming.text).partition(" ")
    if not text.strip():
        ctx.reply(
            ctx._("Gõ /chiase, số nhóm rồi lời nhắn, ví dụ: /chiase 1 Mai có đợt tiêm phòng.")
        )
        return
    group = await _group(ctx, officer, raw)
    if group is None:
        return
    post, queued = await sharing.share(
        ctx.session, group=group, text=text, kind="tip", now=ctx.now, officer_id=officer.id
    )
    await audit(ctx.session, f"officer:{officer.id}", "group.post", post_id=post.id)
    ctx.reply(
        ctx._("Đã gửi tới {count} thành viên của nhóm «{name}».").format(
            count=queued, name=group.name
        )
    )


# --- the group's meeting ----------------------------------------------------------------


async def call_meeting(ctx: Context) -> None:
    officer = await require_officer(ctx)
    if officer is None:
        return
    group = await _group(ctx, officer, command_argument(ctx.incoming.text))
    if group is None:
        return
    ctx.set_state(meeting_steps.WHEN, group_id=group.id)
    ctx.reply(
        ctx._(
            "Họp nhóm «{name}» lúc nào? Nhắn ngày và giờ, ví dụ: 05/12 14:00. Gõ /huy để thôi."
        ).format(name=group.name)
    )


def _profit(ctx: Context, amount: int) -> str:
    """A month's profit; a loss in words (a minus sign is easy to miss: docs/style.md)."""
    if amount >= 0:
        return ctx.t.money(amount)
    return ctx._("lỗ {amount}").format(amount=ctx.t.money(-amount))
