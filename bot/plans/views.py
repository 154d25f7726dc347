"""A plan and its progress in words, for the household (/kehoach) and the officer
(/kehoach CODE, /ho CODE)."""

from __future__ import annotations

from bot.i18n import Translator
from bot.plans.plans import RESOURCES, PlanView


def _month(value: object) -> str:
    return f"{value:%m/%Y}"


def activity_lines(t: Translator, view: PlanView) -> list[str]:
    lines = []
    for item in view.activities:
        money = item.money
        if money.profit >= 0:
            text = t._("{name}: đã chi {out}, đã thu {into}, lãi {profit}")
        else:
            text = t._("{name}: đã chi {out}, đã thu {into}, lỗ {loss}")
        lines.append(
            "• "
            + text.format(
                name=item.name,
                out=t.money(money.money_out),
                into=t.money(money.money_in),
                profit=t.money(money.profit),
                loss=t.money(-money.profit),
            )
        )
    return lines


def progress_lines(t: Translator, view: PlanView, *, next_step: bool = True) -> list[str]:
    lines = [
        t._(
            "Thu nhập {start}–{end}: {per_person}/người/tháng, bằng {percent}% chuẩn nghèo "
            "({line})."
        ).format(
            start=_month(view.months[0]),
            end=_month(view.months[1]),
            per_person=t.money(view.per_person),
            percent=view.progress_percent,
            line=t.money(view.line),
        )
    ]
    if view.target_month is not None:
        lines.append(
            t._("Mục tiêu: vượt chuẩn nghèo trước hết tháng {month}.").format(
                month=_month(view.target_month)
            )
        )
    if view.months_behind:
        lines.append(t._("Chậm {months} tháng so với kế hoạch.").format(months=view.months_behind))
    elif view.months_ahead:
        lines.append(t._("Sớm {months} tháng so với kế hoạch.").format(months=view.months_ahead))
    step = view.next_milestone
    if step is not None and next_step:
        lines.append(
            t._("Việc sắp tới: {day} – {text}").format(day=t.date(step.due_on), text=step.text)
        )
    return lines


def household_text(t: Translator, view: PlanView) -> str:
    return "\n".join(
        [t._("Kế hoạch làm ăn của nhà mình:"), *activity_lines(t, view), *progress_lines(t, view)]
    )


def officer_lines(t: Translator, view: PlanView) -> list[str]:
    """The plan as the officer sees it: also every milestone (on one line: the list of
    them already says which is next), the resources, on track."""
    status = t._("đúng tiến độ") if view.on_track else t._("chưa đúng tiến độ")
    lines = [
        t._("Kế hoạch thoát nghèo ({status}):").format(status=status),
        *activity_lines(t, view),
        *progress_lines(t, view, next_step=False),
    ]
    marks = {"done": "✓", "missed": "✗", "pending": "○"}
    if view.milestones:
        steps = "; ".join(
            f"{marks.get(step.state, '○')} {t.date(step.due_on)} {step.text}"
            for step in view.milestones
        )
        lines.append(t._("Các mốc: {steps}").format(steps=steps))
    if view.resources:
        names = ", ".join(t._(RESOURCES[code]) for code in view.resources if code in RESOURCES)
        lines.append(t._("Nguồn lực cần kết nối: {names}").format(names=names))
    return lines
