"""Officers: open alerts (/canhbao), one household (/ho CODE), the area (/cacho), and the
alert buttons.  Every view of a household's data is audited; others are refused."""

from __future__ import annotations

from datetime import date

from bot.core.context import Context
from bot.core.contract import Attachment, Button
from bot.core.router import Router, command_argument
from bot.i18n import N_
from bot.services.alerts import alerts
from bot.services.alerts.cases import unclosed_cases
from bot.services.diary import ledger, loans, poverty
from bot.services.diary.labels import party_label
from bot.services.diary.ledger import Period, totals
from bot.services.people import people, registry
from bot.services.people.audit import audit
from handlers import cases
from handlers.common import NOT_YOUR_AREA, household_for_officer, more_button, require_officer
from handlers.plans import plan_lines
from handlers.summary import show_month
from models import Alert, Area, Household, Officer

# An officer's list shows the few lines that matter most, the rest behind "Xem thêm"
# in pages within the style guide's eight lines (heading included; docs/style.md).
FIRST_PAGE = 5
NEXT_PAGE = 7
MORE = "list:"  # list:alerts:<page>, list:area:<page>, list:ho:<household id>:<page>
# A request's state in words (the stored code is never shown).
CASE_STATUS_LABELS = {
    "open": N_("chưa ai nhận"),
    "taken": N_("đã nhận"),
    "answered": N_("đã trả lời"),
    "closed": N_("đã xong"),
}


def register(router: Router) -> None:
    router.command(open_alerts, "canhbao")
    router.command(one_household, "ho")
    router.command(area_households, "cacho")
    router.command(monthly_report, "baocao")
    router.button(alert_action, "alert:")
    router.button(next_page, MORE)


def _page(ctx: Context, heading: str, lines: list[str], more: str, page: int) -> None:
    """Page ``page`` of ``lines`` under ``heading``; "Xem thêm" (``more``:next) when
    lines are left.  Asking again recomputes the list, so a page is never stale."""
    start = 0 if page == 0 else FIRST_PAGE + (page - 1) * NEXT_PAGE
    end = start + (FIRST_PAGE if page == 0 else NEXT_PAGE)
    buttons = ((more_button(ctx, f"{more}:{page + 1}"),),) if len(lines) > end else ()
    ctx.reply("\n".join([heading, *lines[start:end]]), buttons)


async def next_page(ctx: Context) -> None:
    """ "Xem thêm" under a list: the next page of it."""
    *what, raw_page = (ctx.incoming.payload or "").removeprefix(MORE).split(":")
    page = int(raw_page) if raw_page.isdigit() else 0
    if what == ["alerts"]:
        await open_alerts(ctx, page)
    elif what == ["area"]:
        await area_households(ctx, page)
    elif len(what) == 2 and what[0] == "ho" and what[1].isdigit():
        officer = await require_officer(ctx)
        household = await ctx.session.get(Household, int(what[1]))
        if officer is None or household is None:
            return
        if not await people.may_see(ctx.session, officer, household):
            ctx.reply(ctx._(NOT_YOUR_AREA))
            return
        await audit(
            ctx.session, f"officer:{officer.id}", "household.view", household_id=household.id
        )
        _page(
            ctx,
            _household_title(ctx, household),
            await _household_lines(ctx, household),
            f"{MORE}ho:{household.id}",
            page,
        )


async def open_alerts(ctx: Context, page: int = 0) -> None:
    """Open alerts, the most pressing first: not yet acknowledged, urgent, newest."""
    officer = await require_officer(ctx)
    if officer is None:
        return
    visible = await people.visible_household_ids(ctx.session, officer)
    found = await alerts.open_alerts(ctx.session, visible)
    if not found:
        ctx.reply(ctx._("Không có cảnh báo nào đang mở."))
        return
    names = await registry.household_codes(ctx.session, {a.household_id for a in found})
    found.sort(key=lambda a: (a.status == "acknowledged", a.severity != "high"))
    lines = [
        f"{'✓ ' if alert.status == 'acknowledged' else '• '}"
        f"{names[alert.household_id]}: {alerts.describe(ctx.t, alert)}"
        for alert in found
    ]
    await audit(ctx.session, f"officer:{officer.id}", "alerts.list", count=len(found))
    heading = ctx._("Cảnh báo đang mở: {count}").format(count=len(found))
    _page(ctx, heading, lines, f"{MORE}alerts", page)


async def alert_action(ctx: Context) -> None:
    officer = await require_officer(ctx)
    if officer is None:
        return
    _, action, raw = ((ctx.incoming.payload or "") + "::").split(":")[:3]
    alert = await ctx.session.get(Alert, int(raw)) if raw.isdigit() else None
    household = await ctx.session.get(Household, alert.household_id) if alert else None
    if alert is None or household is None:
        ctx.reply(ctx._("Cảnh báo này không còn nữa."))
        return
    if not await people.may_see(ctx.session, officer, household):
        await audit(
            ctx.session, f"officer:{officer.id}", "alert.refused", household_id=household.id
        )
        ctx.reply(ctx._("Hộ này không thuộc địa bàn của anh/chị."))
        return
    if action == "view":
        await _show_household(ctx, officer, household)
        return
    if action == "call":
        await _call_back(ctx, officer, household, alert)
        return
    if action == "ack":
        alerts.acknowledge(alert, officer.id, ctx.now)
    elif action == "done":
        alerts.resolve(alert, officer.id, ctx.now)
    await audit(
        ctx.session,
        f"officer:{officer.id}",
        f"alert.{action}",
        household_id=household.id,
        alert_id=alert.id,
    )
    status = ctx._("đã biết") if alert.status == "acknowledged" else ctx._("đã xử lý")
    ctx.reply(
        ctx._("Cảnh báo hộ {code}: {status}.").format(code=household.code, status=status),
        ((Button(ctx._("Xem hộ"), f"alert:view:{alert.id}"),),),
    )


async def one_household(ctx: Context) -> None:
    officer = await require_officer(ctx)
    if officer is None:
        return
    code = command_argument(ctx.incoming.text)
    if not code:
        ctx.reply(ctx._("Gõ /ho và mã hộ, ví dụ: /ho HO00012"))
        return
    household = await household_for_officer(ctx, officer, code)
    if household is not None:
        await _show_household(ctx, officer, household)


async def _show_household(ctx: Context, officer: Officer, household: Household) -> None:
    await audit(ctx.session, f"officer:{officer.id}", "household.view", household_id=household.id)
    last = (await ledger.last_written(ctx.session, [household.id])).get(household.id)
    heading = ctx._("Hộ {name} ({code}), {members} người – ghi sổ lần cuối: {last}").format(
        name=household.head_name,
        code=household.code,
        members=household.members,
        last=ctx.t.date(last) if last else ctx._("chưa ghi"),
    )
    await show_month(ctx, household, Period.month_of(ctx.today), heading)
    lines = await _household_lines(ctx, household)
    if lines:
        _page(ctx, _household_title(ctx, household), lines, f"{MORE}ho:{household.id}", 0)


def _household_title(ctx: Context, household: Household) -> str:
    return ctx._("Hộ {code}: cảnh báo, yêu cầu, khoản vay, kế hoạch").format(code=household.code)


async def _household_lines(ctx: Context, household: Household) -> list[str]:
    """What needs the officer first: open alerts and requests, then debts and the plan."""
    lines: list[str] = []
    for alert in await alerts.open_alerts(ctx.session, [household.id]):
        lines.append("⚠️ " + alerts.describe(ctx.t, alert))
    for case in await unclosed_cases(ctx.session, household.id, limit=5):
        status = ctx._(CASE_STATUS_LABELS.get(case.status, CASE_STATUS_LABELS["open"]))
        lines.append(
            ctx._("Yêu cầu ({status}): «{text}»").format(status=status, text=case.text[:200])
        )
    debts = await loans.household_ledgers(
        ctx.session, household.id, direction=loans.BORROWED, open_only=True
    )
    uses = await loans.uses_of(ctx.session, debts)
    for found in debts:
        use = uses.get(found.id, loans.LoanUse())
        lines.append(
            ctx._("Vay {lender} {amount}, còn nợ {owed}, ngoài mục đích {share}%").format(
                lender=party_label(ctx.t, found.loan),
                amount=ctx.t.money(found.principal),
                owed=ctx.t.money(found.owed),
                share=round(100 * use.outside_share),
            )
        )
    return lines + await plan_lines(ctx, household)


async def area_households(ctx: Context, page: int = 0) -> None:
    """The area's households, those needing a visit first: the longest without writing,
    then the lowest income per person."""
    officer = await require_officer(ctx)
    if officer is None:
        return
    ids = await people.visible_household_ids(ctx.session, officer)
    households = await registry.households_by_code(ctx.session, ids)
    last = await ledger.last_written(ctx.session, ids)
    period = Period.month_of(ctx.today)
    heading = ctx._("Các hộ của địa bàn ({count}), tháng {month}:").format(
        count=len(households), month=f"{period.start.month:02d}/{period.start.year}"
    )
    rows: list[tuple[date, int, str]] = []
    for household in households:
        month = await totals(ctx.session, household.id, period)
        standing = poverty.standing(
            month,
            members=household.members,
            urban=household.urban,
            month=period.start,
            lines=ctx.settings.programme.poverty_lines,
        )
        line = ctx._("{code} {name}: ghi lần cuối {last} · {per_person} một người").format(
            code=household.code,
            name=household.head_name,
            last=ctx.t.date(last[household.id]) if household.id in last else ctx._("chưa ghi"),
            per_person=ctx.t.money(max(0, standing.per_person)),
        )
        rows.append((last.get(household.id, date.min), standing.per_person, line))
    rows.sort(key=lambda row: row[:2])
    await audit(ctx.session, f"officer:{officer.id}", "households.list", count=len(households))
    _page(ctx, heading, [line for *_, line in rows], f"{MORE}area", page)


async def monthly_report(ctx: Context) -> None:
    """/baocao [MM/YYYY]: the area's monthly report as an Excel file (default: this month)."""
    officer = await require_officer(ctx)
    if officer is None:
        return
    month = _month_argument(command_argument(ctx.incoming.text), ctx.today)
    if month is None:
        ctx.reply(ctx._("Gõ /baocao hoặc /baocao 10/2026 (tháng/năm)."))
        return
    # openpyxl: loaded when a report is made
    from bot.services.rendering.report_book import monthly_workbook

    area = await ctx.session.get(Area, officer.area_id)
    assert area is not None
    report, book = await monthly_workbook(
        ctx.session,
        area_code=area.code,
        month=month,
        settings=ctx.settings,
        now=ctx.now,
        locale=ctx.t.locale,
    )
    await audit(
        ctx.session,
        f"officer:{officer.id}",
        "report.monthly",
        area=area.code,
        month=month.isoformat(),
    )
    ctx.reply(
        ctx._("Báo cáo tháng {month} – {area}: {households} hộ, {writing} hộ có ghi sổ.").format(
            month=f"{month.month:02d}/{month.year}",
            area=area.name,
            households=report.summary.households,
            writing=report.summary.writing,
        ),
        attachment=Attachment(
            f"bao-cao-{area.code}-{month:%Y-%m}.xlsx",
            book,
        ),
    )


def _month_argument(text: str, today: date) -> date | None:
    if not text:
        return today.replace(day=1)
    month, _, year = text.replace("-", "/").partition("/")
    if not (month.isdigit() and year.isdigit() and 1 <= int(month) <= 12):
        return None
    return date(int(year), int(month), 1)


async def _call_back(ctx: Context, officer: Officer, household: Household, alert: Alert) -> None:
    """Someone in trouble: the phone number to call, and the officer's next message goes
    to the household through the bot.  Pressing it acknowledges the alert."""
    alerts.acknowledge(alert, officer.id, ctx.now)
    await audit(
        ctx.session,
        f"officer:{officer.id}",
        "alert.call",
        household_id=household.id,
        alert_id=alert.id,
    )
    lines = [
        ctx._("Gọi cho hộ {name}: {phone}").format(name=household.head_name, phone=household.phone)
        if household.phone
        else ctx._("Hộ {name} chưa có số điện thoại trong sổ.").format(name=household.head_name)
    ]
    case_id = alert.details.get("case_id")
    if case_id:
        ctx.set_state(cases.ANSWER, case_id=case_id)
        lines.append(ctx._("Hoặc nhắn ngay ở đây, bot chuyển nguyên văn cho hộ."))
    ctx.reply("\n".join(lines))
