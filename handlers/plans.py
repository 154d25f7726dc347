"""Plans out of poverty in chat: /kehoach for the household (its activities' profit,
progress, the next milestone, a chart), /kehoach CODE for the officer (see or set the
plan from one message), which activity a diary entry belongs to (asked with buttons when
several fit, changed by the household), and the answers to milestone questions.

```mermaid
stateDiagram-v2
    [*] --> recorded: a diary message
    recorded --> tagged: one of the household's activities fits
    recorded --> asked: several fit (buttons, one per activity, and "none")
    asked --> tagged: a button
    tagged --> asked: "Đổi mô hình"
```
"""

from __future__ import annotations

from bot.core.context import Context
from bot.core.contract import Attachment, Button, buttons_in_rows
from bot.core.router import Router, command_argument
from bot.plans import catalogue as catalogues
from bot.plans import milestones, tags, views
from bot.plans.plans import PlanView, plan_of, progress, set_plan
from bot.plans.spec import read_spec
from bot.services.people.audit import audit
from bot.services.rendering.charts import bar_chart
from handlers.common import entry_for_button, household_for_officer, household_of, officer_of
from models import Entry, Household, Milestone, Officer

NO_ACTIVITY = "-"
ASK_AT_MOST = 3  # entries of one message asked about; the rest wait for "Đổi mô hình"


def register(router: Router) -> None:
    router.command(plan_command, "kehoach")
    router.button(choose_activity, "act:")
    router.button(offer_activities, "actpick:")
    router.button(answer_milestone, "ms:")


async def plan_command(ctx: Context) -> None:
    officer = await officer_of(ctx)
    if officer is not None:
        await _officer_plan(ctx, officer)
        return
    household = await household_of(ctx)
    if household is not None:
        await _household_plan(ctx, household)


async def _view(ctx: Context, household: Household) -> PlanView | None:
    return await progress(
        ctx.session,
        household,
        catalogue=catalogues.default(),
        lines=ctx.settings.programme.poverty_lines,
        today=ctx.today,
        locale=ctx.t.locale,
    )


async def _household_plan(ctx: Context, household: Household) -> None:
    view = await _view(ctx, household)
    if view is None:
        ctx.reply(
            ctx._(
                "Nhà mình chưa có kế hoạch làm ăn. Cán bộ xã sẽ cùng anh/chị lập kế hoạch: "
                "nuôi gì, trồng gì, mốc nào làm việc gì."
            )
        )
        return
    ctx.reply(views.household_text(ctx.t, view))
    if any(item.money.money_in or item.money.money_out for item in view.activities):
        chart = bar_chart(
            ctx._("Thu chi từng mô hình"),
            [item.name for item in view.activities],
            {
                ctx._("Thu"): [item.money.money_in for item in view.activities],
                ctx._("Chi"): [item.money.money_out for item in view.activities],
            },
            unit=ctx._("triệu đồng"),
            number=ctx.t.number,
        )
        ctx.reply(
            ctx._("Biểu đồ thu chi từng mô hình"),
            attachment=Attachment("ke-hoach.png", chart, "photo"),
        )


def _how_to(ctx: Context, code: str) -> str:
    names = ", ".join(a.name(ctx.t.locale) for a in catalogues.default().activities)
    return ctx._(
        "Lập kế hoạch trong một tin, các phần cách nhau bằng dấu chấm phẩy:\n"
        "/kehoach {code} nuôi heo, rau màu; mục tiêu 12/2027; 3/2027 mua 2 con heo giống; "
        "15/12/2027 heo đẻ lứa đầu; hỗ trợ vốn vay, tập huấn\n"
        "Các mô hình: {names}"
    ).format(code=code, names=names)


async def _officer_plan(ctx: Context, officer: Officer) -> None:
    code, _, rest = command_argument(ctx.incoming.text).partition(" ")
    if not code:
        ctx.reply(ctx._("Gõ /kehoach và mã hộ, ví dụ: /kehoach HO00012"))
        return
    household = await household_for_officer(ctx, officer, code)
    if household is None:
        return
    actor = f"officer:{officer.id}"
    if rest.strip():
        if not await _set_from_message(ctx, household, rest, actor):
            return
        await audit(ctx.session, actor, "plan.set", household_id=household.id)
    view = await _view(ctx, household)
    await audit(ctx.session, actor, "plan.view", household_id=household.id)
    if view is None:
        ctx.reply(
            ctx._("Hộ {code} chưa có kế hoạch.").format(code=household.code)
            + "\n"
            + _how_to(ctx, household.code)
        )
        return
    heading = ctx._("Hộ {name} ({code})").format(name=household.head_name, code=household.code)
    ctx.reply("\n".join([heading, *views.officer_lines(ctx.t, view)]))


async def plan_lines(ctx: Context, household: Household) -> list[str]:
    """The plan and its progress for /ho CODE (nothing when there is no plan)."""
    view = await _view(ctx, household)
    return [] if view is None else views.officer_lines(ctx.t, view)


async def _set_from_message(ctx: Context, household: Household, text: str, actor: str) -> bool:
    catalogue = catalogues.default()
    spec = read_spec(text, catalogue)
    if spec.unknown:
        ctx.reply(
            ctx._("Mình chưa hiểu: {parts}.").format(
                parts=", ".join(f"«{p}»" for p in spec.unknown)
            )
            + "\n"
            + _how_to(ctx, household.code)
        )
        return False
    activities = spec.activities or await tags.followed(ctx.session, household.id)
    if not activities:
        ctx.reply(ctx._("Kế hoạch cần ít nhất một mô hình.") + "\n" + _how_to(ctx, household.code))
        return False
    await set_plan(  # read_spec lets only known activities and resources through
        ctx.session,
        household,
        activities=activities,
        catalogue=catalogue,
        author=actor,
        now=ctx.now,
        target_month=spec.target_month,
        milestones=spec.milestones or None,
        resources=spec.resources or None,
    )
    ctx.reply(ctx._("Đã lưu kế hoạch của hộ {code}.").format(code=household.code))
    return True


# --- which activity an entry belongs to --------------------------------------------


async def after_record(
    ctx: Context, household_id: int, entry_ids: list[int]
) -> tuple[list[str], tuple[tuple[Button, ...], ...]]:
    """Tag what a diary message recorded: a line saying where the money went, and
    buttons for the entries that several of the household's activities fit."""
    codes = await tags.followed(ctx.session, household_id)
    if not codes:  # no plan, nothing to tag: one small query per diary message
        return [], ()
    catalogue = catalogues.default()
    untold = await tags.tag_entries(
        ctx.session, household_id, entry_ids, catalogue=catalogue, now=ctx.now, codes=codes
    )
    tagged = await tags.tags_of(ctx.session, entry_ids)
    lines: list[str] = []
    names = list(dict.fromkeys(catalogue.get(code).name(ctx.t.locale) for code in tagged.values()))
    if names:
        lines.append(ctx._("Mô hình: {names}").format(names=", ".join(names)))
    rows: list[tuple[Button, ...]] = []
    for item in untold[:ASK_AT_MOST]:
        entry = await ctx.session.get(Entry, item.entry_id)
        assert entry is not None
        lines.append(
            ctx._("Khoản {amount} ({text}) là của mô hình nào ạ?").format(
                amount=ctx.t.money(entry.amount), text=entry.text[:60]
            )
        )
        rows += _choices(ctx, item.entry_id, list(item.choices))
    if len(entry_ids) == 1 and entry_ids[0] in tagged:
        rows.append((Button(ctx._("Đổi mô hình"), f"actpick:{entry_ids[0]}"),))
    return lines, tuple(rows)


def _choices(ctx: Context, entry_id: int, codes: list[str]) -> tuple[tuple[Button, ...], ...]:
    catalogue = catalogues.default()
    buttons = [
        Button(catalogue.get(code).name(ctx.t.locale), f"act:{entry_id}:{code}")
        for code in codes
        if code in catalogue
    ]
    buttons.append(Button(ctx._("Không thuộc mô hình nào"), f"act:{entry_id}:{NO_ACTIVITY}"))
    return buttons_in_rows(buttons)


async def offer_activities(ctx: Context) -> None:
    """ "Đổi mô hình": every activity of the household, and none."""
    entry = await entry_for_button(ctx, "actpick:")
    if entry is None:
        return
    codes = await tags.followed(ctx.session, entry.household_id)
    ctx.reply(ctx._("Khoản này là của mô hình nào ạ?"), _choices(ctx, entry.id, codes))


async def choose_activity(ctx: Context) -> None:
    entry = await entry_for_button(ctx, "act:")
    if entry is None:
        return
    code = (ctx.incoming.payload or "").rsplit(":", 1)[-1]
    followed = await tags.followed(ctx.session, entry.household_id)
    if code != NO_ACTIVITY and code not in followed:
        ctx.reply(ctx._("Nhà mình không theo mô hình này."))
        return
    had = await tags.tag_of(ctx.session, entry.id)
    await tags.set_tag(
        ctx.session,
        entry,
        None if code == NO_ACTIVITY else code,
        source="changed" if had else "asked",
        now=ctx.now,
    )
    money = ctx.t.money(entry.amount)
    if code == NO_ACTIVITY:
        ctx.reply(ctx._("Dạ, khoản {amount} không tính cho mô hình nào.").format(amount=money))
        return
    name = catalogues.default().get(code).name(ctx.t.locale)
    ctx.reply(ctx._("Dạ, khoản {amount} tính cho {name}.").format(amount=money, name=name))


# --- milestones --------------------------------------------------------------------


async def answer_milestone(ctx: Context) -> None:
    household = await household_of(ctx)
    if household is None:
        return
    _, raw, answer = ((ctx.incoming.payload or "") + "::").split(":")[:3]
    plan = await plan_of(ctx.session, household.id)
    milestone = await ctx.session.get(Milestone, int(raw)) if raw.isdigit() else None
    if plan is None or milestone is None or milestone.plan_id != plan.id:
        ctx.reply(ctx._("Việc này không còn trong kế hoạch."))
        return
    if milestone.state != "pending":
        ctx.reply(ctx._("Mình đã ghi câu trả lời cho việc này rồi."))
        return
    done = answer == "yes"
    await milestones.answer(
        ctx.session,
        household,
        milestone,
        done=done,
        today=ctx.today,
        actor=f"contact:{ctx.contact.id}" if ctx.contact else "household",
        now=ctx.now,
    )
    if done:
        ctx.reply(ctx._("Chúc mừng anh/chị! Mình đã báo cán bộ xã."), edit=True)
    else:
        ctx.reply(
            ctx._("Dạ, mình đã báo cán bộ xã để cùng anh/chị tính tiếp."),
            edit=True,
        )
