"""Seeing the diary: today, this week, this month (with a chart and the poverty line)."""

from __future__ import annotations

from datetime import timedelta

from bot.core.context import Context
from bot.core.contract import Attachment
from bot.core.router import Router
from bot.services import ledger, poverty
from bot.services.charts import bar_chart
from bot.services.labels import EXPENSE_CATEGORIES, INCOME_CATEGORIES, category_label
from bot.services.ledger import Period, Totals
from handlers.common import household_of
from models import Household


def register(router: Router) -> None:
    router.command(today, "homnay")
    router.command(week, "tuan")
    router.command(month, "thang")
    router.phrase(today, "hôm nay", "hôm nay sao rồi", "xem hôm nay")
    router.phrase(week, "tuần này", "xem tuần này")
    router.phrase(month, "tháng này", "xem tháng này", "xem tháng")
    router.phrase(last_month, "tháng trước", "xem tháng trước")


def _lines(ctx: Context, totals: Totals) -> list[str]:
    lines = [
        ctx._("Tiền vào: {amount}").format(amount=ctx.t.money(totals.income)),
        ctx._("Tiền ra: {amount}").format(amount=ctx.t.money(totals.expense)),
        ctx._("Còn lại: {amount}").format(amount=ctx.t.money(totals.balance)),
    ]
    if totals.by_kind["borrow"] or totals.by_kind["repay"]:
        lines.append(
            ctx._("Vay thêm: {borrowed} · Trả nợ: {repaid}").format(
                borrowed=ctx.t.money(totals.by_kind["borrow"]),
                repaid=ctx.t.money(totals.by_kind["repay"]),
            )
        )
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
    return lines


async def _simple(ctx: Context, period: Period, heading: str) -> None:
    household = await household_of(ctx)
    if household is None:
        return
    totals = await ledger.totals(ctx.session, household.id, period)
    if totals.entries == 0:
        ctx.reply(heading + "\n" + ctx._("Chưa ghi khoản nào."))
        return
    ctx.reply("\n".join([heading, *_lines(ctx, totals)]))


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


async def month(ctx: Context) -> None:
    await _month(ctx, Period.month_of(ctx.today), this_month=True)


async def last_month(ctx: Context) -> None:
    await _month(ctx, Period.month_of(ctx.today).previous_month(), this_month=False)


async def _month(ctx: Context, period: Period, *, this_month: bool) -> None:
    household = await household_of(ctx)
    if household is None:
        return
    label = f"{period.start.month:02d}/{period.start.year}"
    heading = ctx._("Tháng này ({month}):") if this_month else ctx._("Tháng trước ({month}):")
    await show_month(ctx, household, period, heading.format(month=label))


async def show_month(ctx: Context, household: Household, period: Period, heading: str) -> None:
    """The month's money, the poverty line and a chart by week (households and officers)."""
    totals = await ledger.totals(ctx.session, household.id, period)
    if totals.entries == 0:
        ctx.reply(heading + "\n" + ctx._("Chưa ghi khoản nào."))
        return
    lines = [heading, *_lines(ctx, totals), _poverty_line(ctx, household, totals, period)]
    ctx.reply("\n".join(lines))
    chart = await _week_chart(ctx, household, period)
    ctx.reply(
        ctx._("Biểu đồ thu chi theo tuần, tháng {month}").format(
            month=f"{period.start.month:02d}/{period.start.year}"
        ),
        attachment=Attachment(f"thang-{period.start:%Y-%m}.png", chart, "photo"),
    )


def _poverty_line(ctx: Context, household: Household, totals: Totals, period: Period) -> str:
    standing = poverty.standing(
        totals,
        members=household.members,
        urban=household.urban,
        month=period.start,
        lines=ctx.settings.programme.poverty_lines,
    )
    if standing.above:
        text = ctx._(
            "Tháng này mỗi người trong nhà có khoảng {per_person}, trên chuẩn nghèo {line} "
            "(thu trừ chi sản xuất, chia {members} người; chuẩn theo Nghị định {decree})."
        )
    else:
        text = ctx._(
            "Tháng này mỗi người trong nhà có khoảng {per_person}, dưới chuẩn nghèo {line} "
            "(thu trừ chi sản xuất, chia {members} người; chuẩn theo Nghị định {decree})."
        )
    return text.format(
        per_person=ctx.t.money(max(0, standing.per_person)),
        line=ctx.t.money(standing.line),
        members=household.members,
        decree=standing.decree,
    )


async def _week_chart(ctx: Context, household: Household, period: Period) -> bytes:
    labels: list[str] = []
    income: list[int] = []
    expense: list[int] = []
    start = period.start
    while start <= period.end:
        end = min(start + timedelta(days=6 - start.weekday()), period.end)
        week_totals = await ledger.totals(ctx.session, household.id, Period(start, end))
        labels.append(f"{start.day}–{end.day}/{end.month}")
        income.append(week_totals.income)
        expense.append(week_totals.expense)
        start = end + timedelta(days=1)
    return bar_chart(
        ctx._("Thu chi tháng {month}").format(
            month=f"{period.start.month:02d}/{period.start.year}"
        ),
        labels,
        {ctx._("Thu"): income, ctx._("Chi"): expense},
        unit=ctx._("nghìn đồng"),
    )
