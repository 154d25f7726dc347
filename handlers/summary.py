"""Seeing the diary: today, this week, a month (with a chart and the poverty line).

A month is this one unless the household names another: ``/thang 11/2026``, ``/thang 11``,
``tháng trước``, ``tháng 11``, ``thang 11/26``.  Only income and spending are summed as
such; loans, lending, hụi and savings are shown apart (see :mod:`bot.services.diary.summaries`).
"""

from __future__ import annotations

from datetime import date, timedelta

from bot.core.context import Context
from bot.core.contract import Attachment
from bot.core.router import Router, command_argument
from bot.language.months import asked_month, named_month
from bot.services.diary import ledger, poverty
from bot.services.diary.labels import EXPENSE_CATEGORIES, INCOME_CATEGORIES, category_label
from bot.services.diary.ledger import Period, Totals
from bot.services.diary.summaries import balance_line, loans_and_savings, money_out
from bot.services.rendering.charts import bar_chart
from handlers.common import household_of
from models import Household


def register(router: Router) -> None:
    router.command(today, "homnay")
    router.command(week, "tuan")
    router.command(month, "thang")
    router.phrase(today, "hôm nay", "hôm nay sao rồi", "xem hôm nay")
    router.phrase(week, "tuần này", "xem tuần này")
    router.text(month_in_words)


# --- which month (read by bot/language/months.py) ----------------------------------------


async def month(ctx: Context) -> None:
    """/thang, /thang 11, /thang 11/2026, /thang truoc."""
    first = asked_month(command_argument(ctx.incoming.text), ctx.today)
    if first is None:
        ctx.reply(ctx._("Gõ /thang để xem tháng này, hoặc /thang 11/2026 (tháng/năm)."))
        return
    await _month(ctx, first)


async def month_in_words(ctx: Context) -> bool:
    first = named_month(ctx.incoming.text, ctx.today)
    if first is None:
        return False
    await _month(ctx, first)
    return True


def month_name(first: date) -> str:
    return f"{first.month:02d}/{first.year}"


async def _month(ctx: Context, first: date) -> None:
    household = await household_of(ctx)
    if household is None:
        return
    this_month = ctx.today.replace(day=1)
    if first > this_month:
        ctx.reply(
            ctx._(
                "Tháng {month} chưa tới ạ. Anh/chị gõ /thang để xem tháng này, hoặc "
                "/thang {example} để xem một tháng đã qua."
            ).format(month=month_name(first), example=month_name(_previous(this_month)))
        )
        return
    heading = ctx._("Tháng này ({month}):") if first == this_month else ctx._("Tháng {month}:")
    await show_month(
        ctx, household, Period.month_of(first), heading.format(month=month_name(first))
    )


def _previous(first: date) -> date:
    return (first - timedelta(days=1)).replace(day=1)


# --- the summaries ------------------------------------------------------------------------


def _lines(ctx: Context, totals: Totals, *, brief: bool) -> list[str]:
    lines = [
        ctx._("Tiền vào: {amount}").format(amount=ctx.t.money(totals.income)),
        money_out(ctx.t, totals),
        balance_line(ctx.t, totals.balance),
    ]
    for title, kinds in (
        (ctx._("Thu nhiều nhất"), INCOME_CATEGORIES),
        (ctx._("Chi nhiều nhất"), EXPENSE_CATEGORIES),
    ):
        top = totals.top(kinds)
        if top:
            lines.append(
                f"{title}: "
                + ", ".join(f"{category_label(ctx.t, c)} {ctx.t.money(a)}" for c, a in top)
            )
    return lines + loans_and_savings(ctx.t, totals, brief=brief)


async def _simple(ctx: Context, period: Period, heading: str) -> None:
    household = await household_of(ctx)
    if household is None:
        return
    totals = await ledger.totals(ctx.session, household.id, period)
    if totals.entries == 0:
        ctx.reply(heading + "\n" + ctx._("Chưa ghi khoản nào."))
        return
    ctx.reply("\n".join([heading, *_lines(ctx, totals, brief=True)]))


async def today(ctx: Context) -> None:
    await _simple(
        ctx, Period.day(ctx.today), ctx._("Hôm nay {day}:").format(day=ctx.t.date(ctx.today))
    )


async def week(ctx: Context) -> None:
    period = Period.week_of(ctx.today)
    await _simple(
        ctx,
        period,
        ctx._("Tuần này ({start} – {end}):").format(
            start=ctx.t.date(period.start), end=ctx.t.date(period.end)
        ),
    )


async def show_month(ctx: Context, household: Household, period: Period, heading: str) -> None:
    """The month's money, the poverty line and a chart by week (households and officers)."""
    totals = await ledger.totals(ctx.session, household.id, period)
    if totals.entries == 0:
        ctx.reply(heading + "\n" + ctx._("Chưa ghi khoản nào."))
        return
    lines = [heading, *_lines(ctx, totals, brief=True)]
    lines += await _poverty_lines(ctx, household, totals, period)
    ctx.reply("\n".join(lines))
    chart = await _week_chart(ctx, household, period)
    ctx.reply(
        ctx._("Biểu đồ thu chi theo tuần, tháng {month}").format(month=month_name(period.start)),
        attachment=Attachment(f"thang-{period.start:%Y-%m}.png", chart, "photo"),
    )


# --- against the poverty line -------------------------------------------------------------


async def _poverty_lines(
    ctx: Context, household: Household, totals: Totals, period: Period
) -> list[str]:
    """Income per person against the poverty line.  A month still running is judged only
    once it has run ``[programme] poverty_verdict_days`` days: before, the household sees
    what it has so far beside the same days of last month, not a verdict from two days."""
    standing = _standing(ctx, household, totals, period)
    days = (ctx.today - period.start).days + 1 if period.start <= ctx.today <= period.end else None
    if days is not None and days < ctx.settings.programme.poverty_verdict_days:
        lines = [
            ctx._(
                "Tháng này mới được {days} ngày, mỗi người trong nhà có khoảng {per_person}. "
                "Từ ngày {verdict_day}, bot so với chuẩn nghèo {line} một người một tháng."
            ).format(
                days=days,
                per_person=ctx.t.money(max(0, standing.per_person)),
                line=ctx.t.money(standing.line),
                verdict_day=ctx.settings.programme.poverty_verdict_days,
            )
        ]
        # One line: the month's reply stays within the guide's eight.
        return [" ".join(lines + await _same_days_last_month(ctx, household, period, days))]
    if days is not None:
        when = ctx._("Tháng này, tính đến hôm nay,")
    else:
        when = ctx._("Tháng {month}").format(month=month_name(period.start))
    if standing.above:
        text = ctx._(
            "{when} mỗi người trong nhà có khoảng {per_person}: trên chuẩn nghèo {line} "
            "một người một tháng."
        )
    else:
        text = ctx._(
            "{when} mỗi người trong nhà có khoảng {per_person}: dưới chuẩn nghèo {line} "
            "một người một tháng."
        )
    return [
        text.format(
            when=when,
            per_person=ctx.t.money(max(0, standing.per_person)),
            line=ctx.t.money(standing.line),
        )
    ]


def _standing(
    ctx: Context, household: Household, totals: Totals, period: Period
) -> poverty.Standing:
    return poverty.standing(
        totals,
        members=household.members,
        urban=household.urban,
        month=period.start,
        lines=ctx.settings.programme.poverty_lines,
    )


async def _same_days_last_month(
    ctx: Context, household: Household, period: Period, days: int
) -> list[str]:
    """The first ``days`` days of last month, per person, when the household wrote then."""
    last = period.previous_month()
    same_days = Period(last.start, min(last.end, last.start + timedelta(days=days - 1)))
    earlier = await ledger.totals(ctx.session, household.id, same_days)
    if earlier.entries == 0:
        return []
    standing = _standing(ctx, household, earlier, last)
    return [
        ctx._("Cùng {days} ngày đầu tháng {month}: khoảng {per_person} mỗi người.").format(
            days=days,
            month=month_name(last.start),
            per_person=ctx.t.money(max(0, standing.per_person)),
        )
    ]


async def _week_chart(ctx: Context, household: Household, period: Period) -> bytes:
    labels: list[str] = []
    income: list[int] = []
    spending: list[int] = []
    for week in chart_weeks(period):
        week_totals = await ledger.totals(ctx.session, household.id, week)
        labels.append(f"{week.start.day}–{week.end.day}/{week.end.month}")
        income.append(week_totals.income)
        spending.append(week_totals.spending)
    return bar_chart(
        ctx._("Thu chi tháng {month}").format(month=month_name(period.start)),
        labels,
        {ctx._("Thu"): income, ctx._("Chi"): spending},
        unit=ctx._("triệu đồng"),
        number=ctx.t.number,
    )


# A calendar week cut by the month's edge to fewer days than this joins its neighbour:
# a bar of one or two days beside full weeks reads as a bad week.
SHORTEST_CHART_WEEK = 4


def chart_weeks(period: Period) -> list[Period]:
    """The month's weeks (Monday to Sunday), an edge stub joined to the week beside it."""
    weeks: list[Period] = []
    start = period.start
    while start <= period.end:
        end = min(start + timedelta(days=6 - start.weekday()), period.end)
        weeks.append(Period(start, end))
        start = end + timedelta(days=1)

    def short(week: Period) -> bool:
        return (week.end - week.start).days + 1 < SHORTEST_CHART_WEEK

    if len(weeks) > 1 and short(weeks[0]):
        weeks[:2] = [Period(weeks[0].start, weeks[1].end)]
    if len(weeks) > 1 and short(weeks[-1]):
        weeks[-2:] = [Period(weeks[-2].start, weeks[-1].end)]
    return weeks
