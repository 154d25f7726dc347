"""Linkage groups in chat, for households: the invitation (join or not, name shown or
not), /nhom (its groups, the members who agreed to be named, the next meeting), /chiase
(a tip, a question or a photo with words, to the other members), answering a post,
muting or leaving a group, agreeing to share when the officer asks, and "ai nuôi bò lời
nhất?" answered from the members who agreed to show their figures.

```mermaid
stateDiagram-v2
    [*] --> invited: the officer adds the household
    invited --> naming: "Tham gia"
    invited --> [*]: "Không tham gia"
    naming --> [*]: name shown, or not
    [*] --> choosing: /chiase TEXT, in several groups
    choosing --> [*]: a group pressed (the post goes)
    [*] --> sharing: /chiase, or "Đồng ý chia sẻ"
    sharing --> [*]: words or a photo (the post goes)
    [*] --> answering: "Trả lời" on a post
    answering --> [*]: the answer (it goes to the group)
```
"""

from __future__ import annotations

from datetime import date

from bot.core.context import Context
from bot.core.contract import Button
from bot.core.router import Router, command_argument
from bot.groups import members, sharing
from bot.groups.figures import consenting, figures
from bot.i18n import N_
from bot.language.groups import asks_who_does_best
from bot.plans import catalogue as catalogues
from bot.services import meetings
from bot.services.people.audit import audit
from handlers import group_officer
from handlers.common import household_of, officer_of
from models import GroupMember, GroupPost, Household, LinkGroup, Meeting

CHOOSING = "group.choose"
SHARING = "group.share"
ANSWERING = "group.answer"
NOT_IN_GROUP = N_("Nhà mình không còn trong nhóm này.")



def register(router: Router) -> None:
    router.command(show_groups, "nhom")
    router.command(start_share, "chiase")
    router.button(answer_invite, "grp:join:")
    router.button(answer_invite, "grp:refuse:")
    router.button(answer_name, "grp:name:")
    router.button(chose_group, "grp:to:")
    router.button(start_answer, "grp:re:")
    router.button(mute, "grp:mute:")
    router.button(mute, "grp:unmute:")
    router.button(ask_leave, "grp:leave:")
    router.button(leave, "grp:left:")
    router.button(stay, "grp:stay")
    router.button(hide, "grp:hide:")
    router.button(answer_share_request, "grp:share:")
    router.state(typed_share, SHARING)
    router.state(typed_answer, ANSWERING)
    router.text(ask_best)
    group_officer.register(router)


def _actor(ctx: Context) -> str:
    return f"contact:{ctx.contact.id}" if ctx.contact else "household"


def _number(payload: str | None, prefix: str) -> int:
    raw = (payload or "").removeprefix(prefix).split(":")[0]
    return int(raw) if raw.isdigit() else 0


async def _pressed_membership(
    ctx: Context, prefix: str, *, edit: bool = False
) -> tuple[Household, GroupMember] | None:
    """The household and its membership of the group a button names (``prefix`` then
    the group's id); tells the household when it is no longer a member."""
    household = await household_of(ctx)
    if household is None:
        return None
    member = await members.member_of(
        ctx.session, _number(ctx.incoming.payload, prefix), household.id
    )
    if member is None:
        ctx.reply(ctx._(NOT_IN_GROUP), edit=edit)
        return None
    return household, member


async def _yes_or_no(ctx: Context) -> tuple[Household, GroupMember, bool] | None:
    """A member's answer to a question about its membership (``grp:<what>:yes|no:<id>``);
    tells the household when it is no longer a member."""
    household = await household_of(ctx)
    if household is None:
        return None
    _, _, choice, raw = ((ctx.incoming.payload or "") + ":::").split(":")[:4]
    member = await members.membership(ctx.session, int(raw) if raw.isdigit() else 0, household.id)
    if member is None or member.state != "member":
        ctx.reply(ctx._(NOT_IN_GROUP), edit=True)
        return None
    return household, member, choice == "yes"


# --- the invitation ------------------------------------------------------------------


async def answer_invite(ctx: Context) -> None:
    household = await household_of(ctx)
    if household is None:
        return
    agree = (ctx.incoming.payload or "").startswith("grp:join:")
    member = await members.membership(
        ctx.session,
        _number(ctx.incoming.payload, "grp:join:" if agree else "grp:refuse:"),
        household.id,
    )
    if member is None or not await members.answer(member, agree=agree, now=ctx.now):
        ctx.reply(ctx._("Lời mời này đã được trả lời hoặc không còn nữa."), edit=True)
        return
    await audit(
        ctx.session,
        _actor(ctx),
        "group.join" if agree else "group.refuse",
        household_id=household.id,
        group_id=member.group_id,
    )
    if not agree:
        ctx.reply(
            ctx._("Dạ, nhà mình không vào nhóm. Khi nào muốn, anh/chị báo cán bộ xã."), edit=True
        )
        return
    ctx.reply(
        ctx._(
            "Chào mừng anh/chị vào nhóm! Anh/chị có muốn các thành viên thấy tên gọi và ấp "
            "của mình không? Nếu không, tin của anh/chị sẽ ghi là «Một thành viên»."
        ),
        (
            (
                Button(ctx._("Cho thấy tên"), f"grp:name:yes:{member.id}", means="yes"),
                Button(ctx._("Giấu tên"), f"grp:name:no:{member.id}", means="no"),
            ),
        ),
        edit=True,
    )


async def answer_name(ctx: Context) -> None:
    found = await _yes_or_no(ctx)
    if found is None:
        return
    household, member, yes = found
    member.show_name = yes
    if not member.show_name:
        member.show_figures = False  # figures are never shown without a name
    await audit(
        ctx.session,
        _actor(ctx),
        "group.name_shown" if member.show_name else "group.name_hidden",
        household_id=household.id,
        group_id=member.group_id,
    )
    text = (
        ctx._("Dạ, các thành viên sẽ thấy tên {name}.").format(
            name=members.first_name(household.head_name)
        )
        if member.show_name
        else ctx._("Dạ, mình sẽ giấu tên anh/chị trong nhóm.")
    )
    ctx.reply(text + "\n" + ctx._("Gõ /nhom để xem nhóm, /chiase để chia sẻ với nhóm."), edit=True)


# --- /nhom ---------------------------------------------------------------------------


async def show_groups(ctx: Context) -> None:
    officer = await officer_of(ctx)
    if officer is not None:
        await group_officer.show(ctx, officer)
        return
    household = await household_of(ctx)
    if household is None:
        return
    mine = await members.groups_of(ctx.session, household.id)
    pending = await members.groups_of(ctx.session, household.id, state="invited")
    for group, member in pending:  # an invitation not answered yet is asked again
        ctx.replies.append(members.invitation(ctx.t, group=group, member=member))
    if not mine and not pending:
        ctx.reply(
            ctx._(
                "Nhà mình chưa ở nhóm liên kết nào. Nhóm giúp các hộ cùng làm ăn học hỏi "
                "nhau; anh/chị muốn vào nhóm thì báo cán bộ xã."
            )
        )
        return
    for group, member in mine:
        await _show_group(ctx, group, member)


async def _show_group(ctx: Context, group: LinkGroup, member: GroupMember) -> None:
    shown = await members.shown_members(ctx.session, group.id)
    names = ", ".join(f"{name} ({hamlet})" if hamlet else name for name, hamlet in shown.names)
    lines = [ctx._("Nhóm «{name}»").format(name=group.name)]
    activity = members.activity_name(group.activity, ctx.t.locale)
    if activity:
        lines[0] += f" – {activity}"
    if names and shown.unnamed:
        lines.append(
            ctx._("Thành viên: {names} và {count} hộ giấu tên").format(
                names=names, count=shown.unnamed
            )
        )
    elif names:
        lines.append(ctx._("Thành viên: {names}").format(names=names))
    else:
        lines.append(ctx._("Thành viên: {count} hộ (giấu tên)").format(count=shown.unnamed))
    lines.append(
        _next_meeting_line(
            ctx, await members.next_meeting(ctx.session, group, now=ctx.now, today=ctx.today)
        )
    )
    if member.muted:
        lines.append(ctx._("Anh/chị đang tắt tin của nhóm."))
    toggle = (
        Button(ctx._("Mở lại tin nhóm"), f"grp:unmute:{group.id}")
        if member.muted
        else Button(ctx._("Tắt tin nhóm"), f"grp:mute:{group.id}")
    )
    ctx.reply(
        "\n".join(lines),
        (
            (
                Button(ctx._("Chia sẻ"), f"grp:to:{group.id}"),
                toggle,
                Button(ctx._("Rời nhóm"), f"grp:leave:{group.id}"),
            ),
        ),
    )


def _next_meeting_line(ctx: Context, found: Meeting | date | None) -> str:
    if isinstance(found, Meeting):
        return ctx._("Họp nhóm tới: {when} tại {place}.").format(
            when=meetings.when(ctx.t, found, ctx.zone), place=found.place
        )
    if found is not None:
        return ctx._("Họp nhóm hằng tháng, lần tới ngày {day}.").format(day=ctx.t.date(found))
    return ctx._("Chưa hẹn buổi họp nhóm nào.")


# --- sharing -------------------------------------------------------------------------


async def start_share(ctx: Context) -> None:
    officer = await officer_of(ctx)
    if officer is not None:
        await group_officer.share(ctx, officer)
        return
    household = await household_of(ctx)
    if household is None:
        return
    mine = await members.groups_of(ctx.session, household.id)
    if not mine:
        ctx.reply(ctx._("Nhà mình chưa ở nhóm liên kết nào để chia sẻ."))
        return
    text = command_argument(ctx.incoming.text)
    if len(mine) > 1:
        ctx.set_state(CHOOSING, text=text)
        ctx.reply(
            ctx._("Chia sẻ với nhóm nào ạ?"),
            tuple((Button(group.name, f"grp:to:{group.id}"),) for group, _ in mine),
        )
        return
    group = mine[0][0]
    if text:
        await _post(ctx, household, group, text)
    else:
        _ask_words(ctx, group)


def _ask_words(ctx: Context, group: LinkGroup) -> None:
    ctx.set_state(SHARING, group_id=group.id)
    ctx.reply(
        ctx._(
            "Anh/chị muốn chia sẻ gì với nhóm «{name}»? Nhắn một mẹo hay, một câu hỏi "
            "(kết thúc bằng dấu ?), hoặc gửi ảnh kèm lời. Gõ /huy để thôi."
        ).format(name=group.name)
    )


async def chose_group(ctx: Context) -> None:
    text = ctx.state_data.get("text", "") if ctx.state == CHOOSING else ""
    if ctx.state == CHOOSING:
        ctx.clear_state()
    found = await _pressed_membership(ctx, "grp:to:")
    if found is None:
        return
    household, member = found
    group = await ctx.session.get(LinkGroup, member.group_id)
    assert group is not None
    if text:
        await _post(ctx, household, group, text)
    else:
        _ask_words(ctx, group)


async def typed_share(ctx: Context) -> bool:
    if ctx.incoming.kind not in ("text", "photo"):
        return False
    household = await household_of(ctx)
    if household is None:
        return True
    member = await members.member_of(
        ctx.session, int(ctx.state_data.get("group_id", 0)), household.id
    )
    ctx.clear_state()
    if member is None:
        ctx.reply(ctx._(NOT_IN_GROUP))
        return True
    group = await ctx.session.get(LinkGroup, member.group_id)
    assert group is not None
    await _post(ctx, household, group, ctx.incoming.text)
    return True


async def _post(
    ctx: Context,
    household: Household,
    group: LinkGroup,
    text: str,
    reply_to: GroupPost | None = None,
) -> None:
    photo = ctx.incoming.kind == "photo"
    words = text.strip() or (ctx._("(ảnh không kèm lời)") if photo else "")
    if not words:
        ctx.reply(ctx._("Tin trống, mình chưa gửi gì."))
        return
    post, queued = await sharing.share(
        ctx.session,
        group=group,
        text=words,
        kind=sharing.kind_of(words, photo=photo),
        now=ctx.now,
        household_id=household.id,
        reply_to=reply_to,
    )
    await audit(ctx.session, _actor(ctx), "group.post", household_id=household.id, post_id=post.id)
    note = ctx._("Đã gửi tới nhóm «{name}».").format(name=group.name)
    if photo:
        note += " " + ctx._("Ảnh chưa chuyển qua bot được, mình gửi lời kèm ảnh.")
    if not queued:
        note += " " + ctx._("Hiện chưa có thành viên nào khác nhận tin.")
    ctx.reply(note)


async def start_answer(ctx: Context) -> None:
    household = await household_of(ctx)
    if household is None:
        return
    post = await ctx.session.get(GroupPost, _number(ctx.incoming.payload, "grp:re:"))
    if post is None or post.hidden_at is not None:
        ctx.reply(ctx._("Tin này không còn nữa."))
        return
    if await members.member_of(ctx.session, post.group_id, household.id) is None:
        ctx.reply(ctx._(NOT_IN_GROUP))
        return
    ctx.set_state(ANSWERING, post_id=post.id)
    ctx.reply(ctx._("Anh/chị nhắn câu trả lời, mình chuyển tới nhóm. Gõ /huy để thôi."))


async def typed_answer(ctx: Context) -> bool:
    if ctx.incoming.kind not in ("text", "photo"):
        return False
    household = await household_of(ctx)
    if household is None:
        return True
    post = await ctx.session.get(GroupPost, int(ctx.state_data.get("post_id", 0)))
    ctx.clear_state()
    member = await members.member_of(ctx.session, post.group_id, household.id) if post else None
    if post is None or member is None or post.hidden_at is not None:
        ctx.reply(ctx._("Tin này không còn nữa."))
        return True
    group = await ctx.session.get(LinkGroup, post.group_id)
    assert group is not None
    await _post(ctx, household, group, ctx.incoming.text, reply_to=post)
    return True


# --- muting, leaving, hiding ---------------------------------------------------------


async def mute(ctx: Context) -> None:
    muting = (ctx.incoming.payload or "").startswith("grp:mute:")
    found = await _pressed_membership(ctx, "grp:mute:" if muting else "grp:unmute:")
    if found is None:
        return
    member = found[1]
    member.muted = muting
    if muting:
        await members.stop_sends(ctx.session, member)
        ctx.reply(ctx._("Đã tắt tin của nhóm. Muốn nhận lại, gõ /nhom rồi bấm «Mở lại tin nhóm»."))
    else:
        ctx.reply(ctx._("Đã mở lại tin của nhóm."))


async def ask_leave(ctx: Context) -> None:
    found = await _pressed_membership(ctx, "grp:leave:")
    if found is None:
        return
    group_id = found[1].group_id
    ctx.reply(
        ctx._("Anh/chị muốn rời nhóm? Sau đó nhà mình không nhận tin của nhóm nữa."),
        (
            (
                Button(ctx._("Rời nhóm"), f"grp:left:{group_id}", means="yes"),
                Button(ctx._("Ở lại"), "grp:stay", means="no"),
            ),
        ),
    )


async def leave(ctx: Context) -> None:
    found = await _pressed_membership(ctx, "grp:left:", edit=True)
    if found is None:
        return
    household, member = found
    member.state, member.answered_at = "left", ctx.now
    await members.stop_sends(ctx.session, member)
    await audit(
        ctx.session, _actor(ctx), "group.leave", household_id=household.id, group_id=member.group_id
    )
    ctx.reply(ctx._("Nhà mình đã rời nhóm. Bot sẽ không gửi tin của nhóm nữa."), edit=True)


async def stay(ctx: Context) -> None:
    ctx.reply(ctx._("Dạ, nhà mình vẫn ở trong nhóm."), edit=True)


async def hide(ctx: Context) -> None:
    """The group's leader, or an officer of its area, hides a post."""
    post = await ctx.session.get(GroupPost, _number(ctx.incoming.payload, "grp:hide:"))
    group = await ctx.session.get(LinkGroup, post.group_id) if post else None
    officer = await officer_of(ctx)
    allowed = (
        post is not None
        and group is not None
        and (
            (officer is not None and await members.officer_group(ctx.session, officer, group.id))
            or (
                ctx.contact is not None
                and ctx.contact.household_id is not None
                and ctx.contact.household_id == group.leader_household_id
                and await members.member_of(ctx.session, group.id, group.leader_household_id)
            )
        )
    )
    if not allowed or post is None:
        ctx.reply(ctx._("Chỉ trưởng nhóm và cán bộ xã ẩn được tin của nhóm."))
        return
    by = f"officer:{officer.id}" if officer else _actor(ctx)
    if await sharing.hide(ctx.session, post, by=by, now=ctx.now):
        await audit(ctx.session, by, "group.hide", post_id=post.id)
    ctx.reply(ctx._("Đã ẩn tin này; những ai chưa nhận sẽ không nhận nữa."))


# --- sharing how when the officer asks ------------------------------------------------


async def answer_share_request(ctx: Context) -> None:
    found = await _yes_or_no(ctx)
    if found is None:
        return
    household, member, agree = found
    group = await ctx.session.get(LinkGroup, member.group_id)
    assert group is not None
    if agree:
        member.show_name = member.show_figures = True
    await audit(
        ctx.session,
        _actor(ctx),
        "group.share_agreed" if agree else "group.share_declined",
        household_id=household.id,
        group_id=group.id,
    )
    await group_officer.tell_officers(ctx, group, household, agree=agree)
    if not agree:
        ctx.reply(ctx._("Dạ, không sao ạ. Số liệu của nhà mình vẫn giữ kín."), edit=True)
        return
    ctx.reply(ctx._("Cảm ơn anh/chị!"), edit=True)
    _ask_words(ctx, group)


# --- "ai nuôi bò lời nhất?" -----------------------------------------------------------


async def ask_best(ctx: Context) -> bool:
    contact = ctx.contact
    if (
        ctx.incoming.kind != "text"
        or contact is None
        or contact.household_id is None
        or not asks_who_does_best(ctx.incoming.text)
    ):
        return False
    mine = await members.groups_of(ctx.session, contact.household_id)
    if not mine:
        return False
    catalogue = catalogues.default()
    named = sorted(catalogue.named_in(ctx.incoming.text))
    lines = []
    for group, _ in mine:
        activity = named[0] if named else group.activity
        found = await figures(
            ctx.session,
            group,
            lines=ctx.settings.programme.poverty_lines,
            today=ctx.today,
            activity=activity,
        )
        shown = (await consenting(ctx.session, group, found))[:3]
        what = members.activity_name(activity, ctx.t.locale) or ctx._("Làm ăn")
        if not shown:
            lines.append(
                ctx._(
                    "Nhóm «{group}»: chưa có hộ nào đồng ý cho biết số lời {what}. "
                    "Anh/chị hỏi cả nhóm bằng /chiase nhé."
                ).format(group=group.name, what=what.lower())
            )
            continue
        lines.append(
            ctx._("Nhóm «{group}», {what} (trung bình mỗi tháng, {start}–{end}):").format(
                group=group.name,
                what=what,
                start=f"{found.months[0]:%m/%Y}",
                end=f"{found.months[1]:%m/%Y}",
            )
        )
        for rank, (name, row) in enumerate(shown, 1):
            lines.append(
                ctx._("{rank}. {name}: lời {profit}/tháng").format(
                    rank=rank, name=name, profit=ctx.t.money(row.profit_per_month)
                )
            )
    lines.append(ctx._("Chỉ tính các hộ đã đồng ý cho nhóm biết số liệu."))
    ctx.reply("\n".join(lines))
    return True
