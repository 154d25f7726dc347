"""A period's money in words, shared by the household's summaries (/homnay /tuan /thang)
and the weekly note: what came in, what went out, and apart from both the money that
only moved (borrowed, repaid, lent, collected, put aside, taken out) with the interest
paid on debts."""

from __future__ import annotations

from bot.i18n import Translator
from bot.services.diary.labels import kind_label
from bot.services.diary.ledger import Totals


def balance_line(t: Translator, balance: int) -> str:
    """What is left, or what is lacking said in words: a minus sign is easy to miss."""
    if balance >= 0:
        return t._("Còn dư: {amount}").format(amount=t.money(balance))
    return t._("Thiếu {amount}: chi nhiều hơn thu").format(amount=t.money(-balance))


def money_out(t: Translator, totals: Totals) -> str:
    """«Tiền ra», saying how much of it was interest when some was."""
    if totals.interest:
        return t._("Tiền ra: {amount} (có {interest} tiền lãi)").format(
            amount=t.money(totals.spending), interest=t.money(totals.interest)
        )
    return t._("Tiền ra: {amount}").format(amount=t.money(totals.spending))


def loans_and_savings(t: Translator, totals: Totals, *, brief: bool) -> list[str]:
    """The loans-and-savings part: one line when ``brief``, else a line per kind; nothing
    when no such money moved."""
    moved = totals.loans_and_savings
    if not moved:
        return []
    if brief:
        items = " · ".join(
            f"{kind_label(t, kind)} {t.money(amount)}" for kind, amount in moved.items()
        )
        return [t._("Tiền vay, cho mượn, hụi, tiết kiệm: {items}").format(items=items)]
    lines = [t._("Tiền vay, cho mượn, hụi, tiết kiệm (không tính là thu, chi):")]
    for kind, amount in moved.items():
        line = f"• {kind_label(t, kind)}: {t.money(amount)}"
        if kind == "interest":
            line += " " + t._("(đã tính vào tiền ra)")
        lines.append(line)
    return lines
