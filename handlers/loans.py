"""Loans, lending and savings in the diary.

A borrowing opens a loan and asks its due date; lending out opens a loan the other way.
A repayment, an interest payment or money lent coming back goes to the loan whose party
the message names ("trả chị Tư 1 triệu"), to the only open one, or, with several and no
name, to the one the household picks from buttons.  A loan's figures come from its
entries (``bot.services.diary.loans``): undoing or correcting an entry changes it at once.
``/vay`` shows what is owed both ways and the savings; ``/tietkiem`` the savings alone.

```mermaid
stateDiagram-v2
    [*] --> idle
    idle --> due: "vay ... 30 triệu nuôi bò" (loan opened)
    due --> idle: a date, "12 tháng", or "Chưa biết"
    idle --> idle: "trả nợ 1 triệu" with several loans (buttons: which loan)
```
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.context import Context
from bot.core.contract import Button
from bot.core.router import Router
from bot.i18n import N_
from bot.language.ahead import parse_due_date
from bot.language.dates import months_after
from bot.services.diary import ledger, loan_entries, loans, savings
from bot.services.diary.labels import category_label, party_label
from bot.services.diary.loan_entries import Removed
from bot.services.diary.loans import BORROWED, LENT, LoanLedger
from handlers.common import household_of, more_button
from models import Entry, Loan

DUE = "loans.due"
PICK = "payfor:"
# The debts a household sees at a glance; the rest are one press away.
LOANS_AT_A_GLANCE = 3
LOANS_IN_FULL = "loans:all"
NOTHING_OPEN = N_("Hộ mình chưa ghi khoản vay, cho mượn hay tiết kiệm nào đang còn.")

POT_LABELS = {
    "hui": N_("Hụi"),
    "piggy_bank": N_("Heo đất"),
    "savings_group": N_("Tổ tiết kiệm"),
    "savings_book": N_("Tiết kiệm"),
    "other": N_("Để dành khác"),
}


def register(router: Router) -> None:
    router.command(show_loans, "vay")
    router.button(show_loans_in_full, LOANS_IN_FULL)
    router.phrase(show_loans, "khoản vay", "nợ bao nhiêu", "còn nợ bao nhiêu", "ai còn nợ mình")
    router.command(show_savings, "tietkiem")
    router.phrase(show_savings, "tiết kiệm", "xem tiết kiệm", "hụi", "tiết kiệm bao nhiêu")
    router.button(due_button, "due:")
    router.button(pick_loan, PICK)
    router.state(typed_due, DUE)


@dataclass(frozen=True, slots=True)
class Note:
    """A line to add to the diary's answer, and the buttons of a question it asks."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()


async def after_record(ctx: Context, entry: Entry) -> Note | None:
    """Open a loan for a borrowing or lending; match a payment to its loan."""
    if entry.kind in loans.OPENS:
        return await _open(ctx, entry)
    if entry.kind in loans.PAYS_INTO:
        return await _match(ctx, entry)
    return None


async def _open(ctx: Context, entry: Entry) -> Note:
    loan = await loan_entries.open_loan(ctx.session, entry)
    if entry.kind == "lend":
        if loan.lender == loans.UNNAMED:
            return Note(ctx._("Mình theo dõi khoản cho mượn này; ai còn nợ mình thì xem ở /vay."))
        return Note(
            ctx._("Mình theo dõi khoản cho {party} mượn; ai còn nợ mình thì xem ở /vay.").format(
                party=loan.lender
            )
        )
    ctx.set_state(DUE, loan_id=loan.id)
    return Note(
        ctx._("Khoản vay này khi nào phải trả? Nhắn ngày (ví dụ 30/6/2027) hoặc bấm nút."),
        due_buttons(ctx),
    )


async def _match(ctx: Context, entry: Entry) -> Note | None:
    matches, named = await loan_entries.payment_candidates(ctx.session, entry)
    if named is not None and not matches:
        if entry.kind == "collect":
            text = ctx._("Sổ chưa có khoản cho {party} mượn nào, mình ghi riêng.")
        else:
            text = ctx._("Sổ chưa có khoản vay {party} nào đang nợ, mình ghi riêng.")
        return Note(text.format(party=named))
    if not matches:
        return None
    if named is not None or len(matches) == 1:
        found = await loan_entries.link(ctx.session, entry, matches[0].loan)
        return Note(standing(ctx, found, entry.kind))
    question = (
        ctx._("Khoản này trả cho ai ạ?")
        if entry.kind == "collect"
        else ctx._("Khoản này trả cho khoản vay nào ạ?")
    )
    choices = [(Button(_choice(ctx, found), f"{PICK}{entry.id}:{found.id}"),) for found in matches]
    choices.append((Button(ctx._("Không thuộc khoản nào"), f"{PICK}{entry.id}:0"),))
    return Note(question, tuple(choices))


def _choice(ctx: Context, found: LoanLedger) -> str:
    return ctx._("{party} ({day}): còn {owed}").format(
        party=party_label(ctx.t, found.loan),
        day=ctx.t.date(found.since),
        owed=ctx.t.money(found.owed),
    )


def standing(ctx: Context, found: LoanLedger, kind: str) -> str:
    """Where a loan stands after an entry of ``kind``."""
    facts = {
        "party": party_label(ctx.t, found.loan),
        "owed": ctx.t.money(found.owed),
        "interest": ctx.t.money(found.interest),
    }
    if found.direction == LENT:
        if found.closed:
            return ctx._("{party} đã trả đủ tiền mượn.").format(**facts)
        return ctx._("{party} còn nợ hộ mình {owed}.").format(**facts)
    if kind == "interest":
        return ctx._(
            "Tiền lãi không trừ vào nợ gốc: khoản vay {party} còn nợ {owed} "
            "(lãi đã trả {interest})."
        ).format(**facts)
    if found.closed:
        return ctx._("Khoản vay {party} đã trả xong. Chúc mừng anh/chị!").format(**facts)
    return ctx._("Khoản vay {party} còn nợ {owed}.").format(**facts)


async def pick_loan(ctx: Context) -> None:
    """The household said which loan a payment belongs to (or none)."""
    household = await household_of(ctx)
    if household is None:
        return
    entry_id, _, loan_id = (ctx.incoming.payload or "").removeprefix(PICK).partition(":")
    entry = await ledger.own_entry(
        ctx.session, household.id, int(entry_id) if entry_id.isdigit() else 0
    )
    if entry is None or entry.kind not in loans.PAYS_INTO:
        ctx.reply(ctx._("Dòng này không còn nữa."), edit=True)
        return
    if loan_id == "0":
        entry.loan_id = None
        ctx.reply(ctx._("Được ạ, khoản này ghi riêng, không thuộc khoản nào."), edit=True)
        return
    found = await loan_entries.payable_loan(
        ctx.session, household.id, entry, int(loan_id) if loan_id.isdigit() else 0
    )
    if found is None:
        ctx.reply(ctx._("Khoản này không còn trong sổ. Anh/chị xem lại ở /vay."), edit=True)
        return
    found = await loan_entries.link(ctx.session, entry, found.loan)
    ctx.reply(standing(ctx, found, entry.kind), edit=True)


async def after_undo(ctx: Context, entries: Sequence[Entry]) -> list[str]:
    """What undoing ``entries`` did to loans, to tell the household."""
    lines: list[str] = []
    for entry, result in await loan_entries.after_undo(ctx.session, entries):
        if isinstance(result, Removed):
            lines.append(_removed(ctx, result))
        else:
            lines.append(standing(ctx, result, entry.kind))
    return lines


def _removed(ctx: Context, removed: Removed) -> str:
    if ctx.state == DUE and ctx.state_data.get("loan_id") == removed.loan.id:
        ctx.clear_state()  # its due date is no longer asked
    party = party_label(ctx.t, removed.loan)
    gone = (
        ctx._("Khoản cho {party} mượn đã bỏ khỏi sổ.")
        if removed.direction == LENT
        else ctx._("Khoản vay {party} đã bỏ khỏi sổ.")
    ).format(party=party)
    payments = removed.payments
    if not payments:
        return gone
    facts = {"count": len(payments), "total": ctx.t.money(sum(p.amount for p in payments))}
    if removed.heir is not None:
        moved = ctx._(
            "{count} lần trả ({total}) đã ghi cho khoản đó nay tính vào khoản còn lại của {party}."
        )
        return gone + " " + moved.format(party=party, **facts)
    kept = ctx._(
        "{count} lần trả ({total}) đã ghi cho khoản đó vẫn còn trong sổ, "
        "không thuộc khoản nào (xem ở /vay)."
    )
    return gone + " " + kept.format(**facts)


def due_buttons(ctx: Context) -> tuple[tuple[Button, ...], ...]:
    return (
        (Button(ctx._("6 tháng"), "due:6"), Button(ctx._("1 năm"), "due:12")),
        (Button(ctx._("3 năm"), "due:36"), Button(ctx._("Chưa biết"), "due:0")),
    )


async def _loan_in_state(ctx: Context) -> Loan | None:
    household = await household_of(ctx)
    if household is None or ctx.state != DUE:
        return None
    loan = await ctx.session.get(Loan, int(ctx.state_data.get("loan_id", 0)))
    return loan if loan is not None and loan.household_id == household.id else None


async def due_button(ctx: Context) -> None:
    loan = await _loan_in_state(ctx)
    if loan is None:
        ctx.reply(ctx._("Câu hỏi này đã qua rồi."))
        return
    months = int((ctx.incoming.payload or "due:0").removeprefix("due:") or 0)
    ctx.clear_state()
    if months == 0:
        ctx.reply(ctx._("Được ạ. Khi biết ngày trả, anh/chị xem lại ở /vay."))
        return
    loan.due_on = months_after(ctx.today, months)
    ctx.reply(ctx._("Đã ghi hạn trả: {day}.").format(day=ctx.t.date(loan.due_on)))


async def typed_due(ctx: Context) -> bool:
    loan = await _loan_in_state(ctx)
    due = parse_due_date(ctx.incoming.text, today=ctx.today)
    if loan is None or due is None:
        return False  # something else: the question stays open until answered or replaced
    if due <= ctx.today:
        ctx.reply(ctx._("Hạn trả phải là ngày sắp tới. Anh/chị nhắn lại giúp."))
        return True
    loan.due_on = due
    ctx.clear_state()
    ctx.reply(ctx._("Đã ghi hạn trả: {day}.").format(day=ctx.t.date(due)))
    return True


async def show_loans(ctx: Context) -> None:
    """What is owed, answer first: the total, then the debts due soonest, one line each;
    every detail (repayments, where the money went, lending, savings) behind "Xem thêm"."""
    household = await household_of(ctx)
    if household is None:
        return
    debts, lent = await _open_ledgers(ctx, household.id)
    pots = await savings.pots(ctx.session, household.id)
    unmatched = await loans.unmatched_payments(ctx.session, household.id)
    if not (debts or lent or pots or unmatched):
        ctx.reply(ctx._(NOTHING_OPEN))
        return
    if debts:
        lines = [
            ctx._("Hộ mình còn nợ {owed} ({count} khoản vay).").format(
                owed=ctx.t.money(sum(item.owed for item in debts)), count=len(debts)
            ),
            *(_debt_line(ctx, item) for item in debts[:LOANS_AT_A_GLANCE]),
        ]
        if len(debts) > LOANS_AT_A_GLANCE:
            lines.append(
                ctx._("… và {count} khoản khác.").format(count=len(debts) - LOANS_AT_A_GLANCE)
            )
    else:
        lines = [ctx._("Hộ mình không còn nợ khoản vay nào.")]
    if lent:
        lines.append(
            ctx._("Người ta còn nợ hộ mình {owed}.").format(
                owed=ctx.t.money(sum(item.owed for item in lent))
            )
        )
    if pots:
        lines.append(
            ctx._("Tiết kiệm, hụi: {count} khoản, xem ở /tietkiem.").format(count=len(pots))
        )
    ctx.reply("\n".join(lines), ((more_button(ctx, LOANS_IN_FULL),),))


async def _open_ledgers(
    ctx: Context, household_id: int
) -> tuple[list[LoanLedger], list[LoanLedger]]:
    """The household's open debts (due soonest first) and the money it lent out."""
    found = await loans.household_ledgers(ctx.session, household_id, open_only=True)
    debts = _soonest_first([item for item in found if item.direction == BORROWED])
    return debts, [item for item in found if item.direction == LENT]


def _soonest_first(debts: list[LoanLedger]) -> list[LoanLedger]:
    """The debt due soonest first (a debt with no due date after those with one), then
    the largest."""
    return sorted(debts, key=lambda item: (item.loan.due_on is None, item.loan.due_on, -item.owed))


def _debt_line(ctx: Context, item: LoanLedger) -> str:
    facts = {"lender": party_label(ctx.t, item.loan), "owed": ctx.t.money(item.owed)}
    if item.loan.due_on:
        return ctx._("• {lender}: còn nợ {owed}, hạn trả {day}").format(
            **facts, day=ctx.t.date(item.loan.due_on)
        )
    return ctx._("• {lender}: còn nợ {owed}").format(**facts)


async def show_loans_in_full(ctx: Context) -> None:
    """Each debt in a message of its own, then lending, stray payments and savings."""
    household = await household_of(ctx)
    if household is None:
        return
    debts, lent = await _open_ledgers(ctx, household.id)
    uses = await loans.uses_of(ctx.session, debts)
    parts = [_debt(ctx, item, uses.get(item.id, loans.LoanUse())) for item in debts]
    if lent:
        parts.append(
            "\n".join(
                [ctx._("Người ta còn nợ hộ mình:")]
                + [
                    ctx._(
                        "• {party}: cho mượn {amount} ngày {day}, đã trả {back}, còn {owed}"
                    ).format(
                        party=party_label(ctx.t, item.loan),
                        amount=ctx.t.money(item.principal),
                        day=ctx.t.date(item.since),
                        back=ctx.t.money(item.collected),
                        owed=ctx.t.money(item.owed),
                    )
                    for item in lent
                ]
            )
        )
    unmatched = await loans.unmatched_payments(ctx.session, household.id)
    if unmatched:
        parts.append("\n".join(_unmatched(ctx, kind, amount) for kind, amount in unmatched.items()))
    pots = await savings.pots(ctx.session, household.id)
    if pots:
        parts.append(_savings(ctx, pots))
    for part in parts or [ctx._(NOTHING_OPEN)]:
        ctx.reply(part)


def _debt(ctx: Context, item: LoanLedger, use: loans.LoanUse) -> str:
    loan = item.loan
    lines = [
        ctx._("Vay {lender}: {amount}, ngày {day}").format(
            lender=party_label(ctx.t, loan),
            amount=ctx.t.money(item.principal),
            day=ctx.t.date(item.since),
        ),
        ctx._("Mục đích: {purpose}").format(purpose=loan.purpose or ctx._("chưa ghi")),
    ]
    if item.repaid or item.interest:
        lines.append(
            ctx._("Đã trả gốc {repaid}, trả lãi {interest}").format(
                repaid=ctx.t.money(item.repaid), interest=ctx.t.money(item.interest)
            )
        )
    lines.append(ctx._("Còn nợ: {owed}").format(owed=ctx.t.money(item.owed)))
    if loan.due_on:
        lines.append(ctx._("Hạn trả: {day}").format(day=ctx.t.date(loan.due_on)))
    if use.spent:
        # One line: where the money went, said once per loan, not as a sentence each time.
        lines.append(
            ctx._("Đã chi {spent} ({share}% đúng mục đích): {categories}").format(
                spent=ctx.t.money(use.spent),
                share=round(100 * (1 - use.outside_share)),
                categories=", ".join(
                    f"{category_label(ctx.t, category)} {ctx.t.money(amount)}"
                    for category, amount in use.by_category.most_common(3)
                ),
            )
        )
    return "\n".join(lines)


def _unmatched(ctx: Context, kind: str, amount: int) -> str:
    text = {
        "repay": N_("Trả nợ không thuộc khoản vay nào trong sổ: {amount}"),
        "interest": N_("Trả lãi không thuộc khoản vay nào trong sổ: {amount}"),
        "collect": N_("Tiền người ta trả lại, không thuộc khoản cho mượn nào: {amount}"),
    }[kind]
    return ctx._(text).format(amount=ctx.t.money(amount))


def _savings(ctx: Context, pots: dict[str, savings.Pot]) -> str:
    lines = [ctx._("Tiết kiệm, hụi:")]
    for name, pot in pots.items():
        facts = {
            "pot": ctx._(POT_LABELS[name]),
            "put_in": ctx.t.money(pot.put_in),
            "taken_out": ctx.t.money(pot.taken_out),
            "balance": ctx.t.money(abs(pot.balance)),
        }
        if pot.balance >= 0:
            line = ctx._("• {pot}: bỏ vào {put_in}, lấy ra {taken_out}, còn {balance}")
        elif name == "hui":
            line = ctx._(
                "• {pot}: góp {put_in}, đã hốt {taken_out}, hốt hơn số đã góp {balance} "
                "(các kỳ sau còn phải góp)"
            )
        else:
            line = ctx._(
                "• {pot}: bỏ vào {put_in}, lấy ra {taken_out}, nhiều hơn số đã ghi bỏ vào {balance}"
            )
        lines.append(line.format(**facts))
    return "\n".join(lines)


async def show_savings(ctx: Context) -> None:
    household = await household_of(ctx)
    if household is None:
        return
    pots = await savings.pots(ctx.session, household.id)
    if not pots:
        ctx.reply(
            ctx._(
                "Hộ mình chưa ghi khoản tiết kiệm hay hụi nào. Khi góp, nhắn ví dụ "
                "«góp hụi 500k» hoặc «bỏ heo đất 50k»."
            )
        )
        return
    whole = savings.total(pots)
    lines = [_savings(ctx, pots)]
    if len(pots) > 1:
        lines.append(
            ctx._("Tổng: bỏ vào {put_in}, lấy ra {taken_out}").format(
                put_in=ctx.t.money(whole.put_in), taken_out=ctx.t.money(whole.taken_out)
            )
        )
    lines.append(ctx._("Tiền góp, tiền hốt hụi không tính là thu hay chi."))
    ctx.reply("\n".join(lines))
