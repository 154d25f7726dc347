"""Monthly dialogue meetings: an officer calls one (/hop), households answer the
invitation and send questions ahead ("hỏi: …"), the officer records who came and the
issues raised (/ketquahop).

```mermaid
stateDiagram-v2
    state "/hop" as call {
        [*] --> when: /hop
        when --> when: a time not understood, or past
        when --> place: "dd/mm HH:MM"
        place --> agenda: the place typed
        agenda --> confirm: the agenda typed (preview with the households to invite)
        confirm --> [*]: Gửi thư mời (meeting created, invitations queued) or Hủy
    }
    state "/ketquahop" as result {
        [*] --> choose: several meetings without results
        choose --> attended: a meeting pressed
        [*] --> attended: one meeting without results
        attended --> attended: codes not in the meeting's area
        attended --> issues: household codes, "không ai", or "Như đã báo"
        issues --> [*]: the issues typed, or "không có"
    }
```

Households press `Sẽ đến` / `Không đến được` (``meet:yes:<id>`` / ``meet:no:<id>``) on the
invitation and may change their answer until the meeting starts.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from bot.core.context import Context
from bot.core.contract import Button
from bot.core.router import Router
from bot.i18n import N_
from bot.language.ahead import parse_when
from bot.language.folding import fold
from bot.services import meetings
from bot.services.people.audit import audit
from bot.services.reminders.timing import Timing
from handlers.common import household_of, require_officer
from models import Area, Household, LinkGroup, Meeting, Officer

WHEN = "meeting.when"
PLACE = "meeting.place"
AGENDA = "meeting.agenda"
CONFIRM = "meeting.confirm"
ATTENDED = "meeting.attended"
ISSUES = "meeting.issues"

_ASKED = re.compile(r"^\s*hoi\s*:")
_NOBODY = ("khong ai", "khong co ai", "0")
_NOTHING = ("khong co", "khong", "khong co gi")
MEETING_GONE = N_("Buổi họp này không còn nữa hoặc không thuộc địa bàn của anh/chị.")
PLACE_LIMIT = 300


def register(router: Router) -> None:
    router.button(answered, "meet:yes:")
    router.button(answered, "meet:no:")
    router.text(asked)
    router.command(start_call, "hop")
    router.state(typed_when, WHEN)
    router.state(typed_place, PLACE)
    router.state(typed_agenda, AGENDA)
    router.button(confirm_call, "meet:send")
    router.button(cancel_call, "meet:cancel")
    router.command(start_result, "ketquahop")
    router.button(chose_meeting, "meet:result:")
    router.button(as_planned, "meet:asplanned")
    router.state(typed_attended, ATTENDED)
    router.state(typed_issues, ISSUES)


# --- households -------------------------------------------------------------------------


async def answered(ctx: Context) -> None:
    household = await household_of(ctx)
    if household is None:
        return
    _, choice, raw = (ctx.incoming.payload or "::").split(":", 2)
    meeting = (
        await meetings.answer(
            ctx.session,
            meeting_id=int(raw),
            household_id=household.id,
            coming=choice == "yes",
            now=ctx.now,
        )
        if raw.isdigit()
        else None
    )
    if meeting is None:
        ctx.reply(ctx._("Thư mời này không còn nữa: buổi họp đã qua hoặc đã đổi."))
    elif choice == "yes":
        ctx.reply(
            ctx._(
                "Cảm ơn anh/chị đã báo sẽ đến. Hẹn gặp lúc {when} tại {place}. "
                "Muốn hỏi gì trước, nhắn «hỏi: …» nhé."
            ).format(when=meetings.when(ctx.t, meeting, ctx.zone), place=meeting.place)
        )
    else:
        ctx.reply(
            ctx._(
                "Dạ, mình đã ghi lại là nhà mình không đến được, cán bộ sẽ biết. Có điều gì "
                "muốn hỏi, anh/chị nhắn «hỏi: …», mình chuyển cho cán bộ nhé."
            )
        )


async def asked(ctx: Context) -> bool:
    """ "hỏi: …" from a household: a question for its next meeting."""
    contact = ctx.contact
    if not _ASKED.match(fold(ctx.incoming.text)) or contact is None or not contact.household_id:
        return False
    household = await household_of(ctx)
    if household is None:
        return True
    question = ctx.incoming.text.split(":", 1)[1].strip()
    if not question:
        ctx.reply(
            ctx._("Anh/chị muốn hỏi gì? Nhắn «hỏi:» rồi câu hỏi, ví dụ: hỏi: vay vốn thế nào?")
        )
        return True
    meeting = await meetings.ask(
        ctx.session, household_id=household.id, question=question, now=ctx.now
    )
    if meeting is None:
        ctx.reply(
            ctx._(
                "Hiện chưa có buổi họp nào sắp tới để gửi câu hỏi. Cần hỏi cán bộ ngay, "
                "anh/chị gõ /giupdo nhé."
            )
        )
    else:
        ctx.reply(
            ctx._(
                "Đã ghi câu hỏi, mình sẽ chuyển cho cán bộ trước buổi họp ngày {date}. "
                "Cảm ơn anh/chị!"
            ).format(date=ctx.t.date(meeting.starts_at.astimezone(ctx.zone).date()))
        )
    return True


# --- officers: calling a meeting --------------------------------------------------------


async def start_call(ctx: Context) -> None:
    if await require_officer(ctx) is None:
        return
    ctx.set_state(WHEN)
    ctx.reply(
        ctx._("Họp đối thoại lúc nào? Nhắn ngày và giờ, ví dụ: 05/12 14:00. Gõ /huy để thôi.")
    )


async def typed_when(ctx: Context) -> bool:
    if ctx.incoming.kind != "text":
        return False
    moment = parse_when(ctx.incoming.text, ctx.local_now)
    if moment is None:
        ctx.reply(ctx._("Mình chưa đọc được ngày giờ. Nhắn giúp theo mẫu: 05/12 14:00."))
    elif moment <= ctx.local_now:
        ctx.reply(ctx._("Thời gian này đã qua. Anh/chị nhắn ngày giờ sắp tới giúp."))
    else:
        # A linkage group's meeting (handlers.groups) keeps its group through the steps.
        ctx.set_state(PLACE, **ctx.state_data, at=moment.isoformat())
        ctx.reply(ctx._("Họp ở đâu? Ví dụ: Nhà văn hóa ấp 3."))
    return True


async def typed_place(ctx: Context) -> bool:
    place = ctx.incoming.text.strip()
    if ctx.incoming.kind != "text" or not place:
        return False
    ctx.set_state(AGENDA, **ctx.state_data, place=place[:PLACE_LIMIT])
    ctx.reply(ctx._("Nội dung buổi họp? Nhắn vài dòng (hoặc «không có»)."))
    return True


async def typed_agenda(ctx: Context) -> bool:
    if ctx.incoming.kind != "text":
        return False
    officer = await require_officer(ctx)
    if officer is None:
        ctx.clear_state()
        return True
    agenda = ctx.incoming.text.strip()
    if fold(agenda) in _NOTHING:
        agenda = ""
    data = {**ctx.state_data, "agenda": agenda}
    ctx.set_state(CONFIRM, **data)
    area = await ctx.session.get(Area, officer.area_id)
    assert area is not None
    group = await _group(ctx, data)
    count = len(await meetings.invitees(ctx.session, area.id, group.id if group else None))
    heading = (
        ctx._("Họp nhóm «{name}»:").format(name=group.name)
        if group
        else ctx._("Họp đối thoại của {area}:").format(area=area.name)
    )
    lines = [
        heading,
        ctx._("Thời gian: {when}").format(when=ctx.t.datetime(datetime.fromisoformat(data["at"]))),
        ctx._("Địa điểm: {place}").format(place=data["place"]),
    ]
    if agenda:
        lines.append(ctx._("Nội dung: {agenda}").format(agenda=agenda))
    lines.append(ctx._("Thư mời sẽ gửi tới {count} hộ đã tham gia.").format(count=count))
    ctx.reply(
        "\n".join(lines),
        (
            (
                Button(ctx._("Gửi thư mời"), "meet:send", means="yes"),
                Button(ctx._("Hủy"), "meet:cancel", means="cancel"),
            ),
        ),
    )
    return True


async def confirm_call(ctx: Context) -> None:
    officer = await require_officer(ctx)
    if officer is None:
        return
    data = ctx.state_data
    if ctx.state != CONFIRM:
        ctx.reply(ctx._("Buổi họp này đã được tạo hoặc đã hủy. Gõ /hop để tạo buổi mới."))
        return
    ctx.clear_state()
    starts_at = datetime.fromisoformat(data["at"]).astimezone(UTC)
    if starts_at <= ctx.now:
        ctx.reply(ctx._("Thời gian này đã qua. Gõ /hop để tạo lại."))
        return
    group = await _group(ctx, data)
    area = await ctx.session.get(Area, group.area_id if group else officer.area_id)
    assert area is not None
    called = await meetings.call(
        ctx.session,
        area=area,
        group=group,
        officer=officer,
        starts_at=starts_at,
        place=data["place"],
        agenda=data.get("agenda", ""),
        now=ctx.now,
        zone=ctx.zone,
        deliver_at=Timing.of(ctx.settings).waking(ctx.now),
    )
    await audit(
        ctx.session,
        f"officer:{officer.id}",
        "meeting.call",
        meeting_id=called.meeting.id,
        invited=called.invited,
    )
    ctx.reply(
        ctx._(
            "Đã tạo buổi họp và gửi thư mời tới {count} hộ. Bot sẽ nhắc anh/chị trước {days} "
            "ngày và sáng hôm họp, kèm câu trả lời và câu hỏi của bà con."
        ).format(count=called.invited, days=ctx.settings.reminders.meeting_days_before)
    )


async def _group(ctx: Context, data: dict[str, Any]) -> LinkGroup | None:
    """The linkage group a meeting being called is for (none for the area's meeting)."""
    group_id = data.get("group_id")
    return await ctx.session.get(LinkGroup, int(group_id)) if group_id else None


async def cancel_call(ctx: Context) -> None:
    if ctx.state == CONFIRM:
        ctx.clear_state()
    ctx.reply(ctx._("Đã hủy, chưa gửi thư mời nào."))


# --- officers: recording the results ----------------------------------------------------


async def start_result(ctx: Context) -> None:
    officer = await require_officer(ctx)
    if officer is None:
        return
    waiting = await meetings.awaiting_results(ctx.session, officer, ctx.now)
    if not waiting:
        ctx.reply(ctx._("Chưa có buổi họp nào đã diễn ra mà chưa ghi kết quả."))
    elif len(waiting) == 1:
        await _ask_attended(ctx, waiting[0])
    else:
        ctx.reply(
            ctx._("Ghi kết quả buổi họp nào?"),
            tuple(
                (Button(f"{meetings.when(ctx.t, m, ctx.zone)} – {m.place}", f"meet:result:{m.id}"),)
                for m in waiting
            ),
        )


async def _managed_meeting(ctx: Context, officer: Officer, meeting_id: int) -> Meeting | None:
    meeting = await ctx.session.get(Meeting, meeting_id)
    if meeting is None or not await meetings.may_manage(ctx.session, officer, meeting):
        await audit(ctx.session, f"officer:{officer.id}", "meeting.refused", meeting_id=meeting_id)
        ctx.reply(ctx._(MEETING_GONE))
        return None
    return meeting


async def chose_meeting(ctx: Context) -> None:
    officer = await require_officer(ctx)
    raw = (ctx.incoming.payload or "").removeprefix("meet:result:")
    if officer is None or not raw.isdigit():
        return
    meeting = await _managed_meeting(ctx, officer, int(raw))
    if meeting is not None:
        await _ask_attended(ctx, meeting)


async def _ask_attended(ctx: Context, meeting: Meeting) -> None:
    found = await meetings.summary(ctx.session, meeting)
    ctx.set_state(ATTENDED, meeting_id=meeting.id)
    coming = ", ".join(h.code for h in found.coming) or ctx._("chưa hộ nào")
    ctx.reply(
        ctx._(
            "Buổi họp {when} tại {place}. Hộ đã báo sẽ đến: {coming}.\n"
            "Nhắn mã các hộ đã đến, cách nhau bằng dấu phẩy (ví dụ: HO00001, HO00002), "
            "hoặc «không ai»."
        ).format(when=meetings.when(ctx.t, meeting, ctx.zone), place=meeting.place, coming=coming),
        ((Button(ctx._("Như đã báo"), "meet:asplanned"),),),
    )


async def _meeting_in_state(ctx: Context) -> tuple[Officer, Meeting] | None:
    officer = await require_officer(ctx)
    if officer is None:
        ctx.clear_state()
        return None
    meeting = await _managed_meeting(ctx, officer, int(ctx.state_data.get("meeting_id", 0)))
    if meeting is None or meeting.held is not None:
        ctx.clear_state()
        return None
    return officer, meeting


async def as_planned(ctx: Context) -> None:
    if ctx.state != ATTENDED:
        ctx.reply(ctx._("Gõ /ketquahop để ghi kết quả buổi họp."))
        return
    found = await _meeting_in_state(ctx)
    if found is not None:
        summary = await meetings.summary(ctx.session, found[1])
        _ask_issues(ctx, found[1], summary.coming)


async def typed_attended(ctx: Context) -> bool:
    if ctx.incoming.kind != "text":
        return False
    found = await _meeting_in_state(ctx)
    if found is None:
        return True
    text = fold(ctx.incoming.text).strip(" .")
    codes = [] if text in _NOBODY else re.split(r"[\s,;]+", ctx.incoming.text)
    households, unknown = await meetings.attendees(ctx.session, found[1], codes)
    if unknown:
        ctx.reply(
            ctx._("Không có hộ mã {codes} trong địa bàn buổi họp. Anh/chị nhắn lại giúp.").format(
                codes=", ".join(unknown)
            )
        )
        return True
    _ask_issues(ctx, found[1], households)
    return True


def _ask_issues(ctx: Context, meeting: Meeting, attended: list[Household]) -> None:
    ctx.set_state(ISSUES, meeting_id=meeting.id, attended=[h.id for h in attended])
    ctx.reply(
        ctx._(
            "Đã ghi {count} hộ đến. Bà con đã nêu những vấn đề gì? Nhắn vài dòng (hoặc «không có»)."
        ).format(count=len(attended))
    )


async def typed_issues(ctx: Context) -> bool:
    if ctx.incoming.kind != "text":
        return False
    found = await _meeting_in_state(ctx)
    if found is None:
        return True
    officer, meeting = found
    attended = [int(h) for h in ctx.state_data.get("attended", [])]
    issues = None if fold(ctx.incoming.text).strip(" .") in _NOTHING else ctx.incoming.text
    ctx.clear_state()
    outcome = await meetings.record(ctx.session, meeting, attended, issues)
    await audit(
        ctx.session,
        f"officer:{officer.id}",
        "meeting.result",
        meeting_id=meeting.id,
        attended=outcome.attended,
    )
    ctx.reply(
        ctx._(
            "Đã ghi kết quả buổi họp {when}: {attended}/{invited} hộ đến. "
            "Kết quả sẽ có trong báo cáo tháng."
        ).format(
            when=meetings.when(ctx.t, meeting, ctx.zone),
            attended=outcome.attended,
            invited=outcome.invited,
        )
    )
    return True
