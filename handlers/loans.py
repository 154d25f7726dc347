"""Loans in the diary: a borrowing opens a loan and asks its due date; a repayment is
matched to its loan; /vay shows what is owed and where the money went.

```mermaid
stateDiagram-v2
    [*] --> idle
    idle --> due: "vay ... 30 triệu nuôi bò" (loan opened)
    due --> idle: a date, "12 tháng", or "Chưa biết"
```
"""

from __future__ import annotations

from bot.core.context import Context
from bot.core.contract import Button
from bot.core.router import Router
from bot.services import loans
from bot.services.labels import category_label
from handlers.common import household_of
from models import Entry, Loan

DUE = "loans.due"
LOAN_KINDS = ("borrow", "repay")  # the entries that open or pay back a loan


def register(router: Router) -> None:
    router.command(show_loans, "vay")
    router.phrase(show_loans, "khoản vay", "nợ bao nhiêu", "còn nợ bao nhiêu")
    router.button(due_button, "due:")
    router.state(typed_due, DUE)


async def after_record(ctx: Context, entry: Entry) -> str | None:
    """Open or match a loan for a borrowing or repayment entry; a line to add, if any."""
    if entry.kind == "borrow":
        purpose, categories = loans.purpose_of(entry.text)
        new_loan = Loan(
            household_id=entry.household_id,
            lender=loans.lender_of(entry.text),
            amount=entry.amount,
            purpose=purpose,
            purpose_categories=categories,
            disbursed_on=entry.day,
        )
        ctx.session.add(new_loan)
        await ctx.session.flush()
        entry.loan_id = new_loan.id
        ctx.set_state(DUE, loan_id=new_loan.id)
        return ctx._("Khoản vay này khi nào phải trả? Nhắn ngày (ví dụ 30/6/2027) hoặc bấm nút.")
    if entry.kind == "repay":
        loan = loans.match_repayment(
            await loans.open_loans(ctx.session, entry.household_id), entry.text
        )
        if loan is None:
            return None
        entry.loan_id = loan.id
        await ctx.session.flush()
        owed = loan.amount - await loans.repaid(ctx.session, loan.id)
        if owed <= 0:
            loan.closed = True
            return ctx._("Khoản vay {lender} đã trả xong. Chúc mừng anh/chị!").format(
                lender=loan.lender
            )
        return ctx._("Khoản vay {lender} còn nợ {owed}.").format(
            lender=loan.lender, owed=ctx.t.money(owed)
        )
    return None


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
    loan.due_on = loans.months_after(ctx.today, months)
    ctx.reply(ctx._("Đã ghi hạn trả: {day}.").format(day=ctx.t.date(loan.due_on)))


async def typed_due(ctx: Context) -> bool:
    loan = await _loan_in_state(ctx)
    due = loans.parse_due_date(ctx.incoming.text, today=ctx.today)
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
    household = await household_of(ctx)
    if household is None:
        return
    open_loans = await loans.open_loans(ctx.session, household.id)
    if not open_loans:
        ctx.reply(ctx._("Hộ mình chưa ghi khoản vay nào đang nợ."))
        return
    parts = []
    for loan in open_loans:
        owed = loan.amount - await loans.repaid(ctx.session, loan.id)
        use = await loans.use_of(ctx.session, loan)
        lines = [
            ctx._("Vay {lender}: {amount}, ngày {day}").format(
                lender=loan.lender,
                amount=ctx.t.money(loan.amount),
                day=ctx.t.date(loan.disbursed_on),
            ),
            ctx._("Mục đích: {purpose}").format(purpose=loan.purpose or ctx._("chưa ghi")),
            ctx._("Còn nợ: {owed}").format(owed=ctx.t.money(owed)),
        ]
        if loan.due_on:
            lines.append(ctx._("Hạn trả: {day}").format(day=ctx.t.date(loan.due_on)))
        if use.spent:
            lines.append(
                ctx._("Từ khi vay đã chi {spent}, đúng mục đích {share}%:").format(
                    spent=ctx.t.money(use.spent), share=round(100 * (1 - use.outside_share))
                )
            )
            lines += [
                f"  • {category_label(ctx.t, category)}: {ctx.t.money(amount)}"
                for category, amount in use.by_category.most_common(4)
            ]
        parts.append("\n".join(lines))
    ctx.reply("\n\n".join(parts))
