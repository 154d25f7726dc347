"""Writing the diary: free text read as entries, asking back, undo and corrections.

```mermaid
stateDiagram-v2
    [*] --> idle
    idle --> idle: a diary message (recorded, shown with buttons)
    idle --> direction: a sum with no verb ("200k")
    idle --> amount: a verb with no sum ("bán heo")
    direction --> idle: Thu / Chi / Vay / Trả nợ
    amount --> idle: the sum typed
    idle --> large: a sum over the ceiling ("bán heo 3 tỷ")
    large --> idle: "Đúng" (recorded), "Không" or the right sum typed
    idle --> total: a price per unit and no count ("bán khóm 8 ngàn một ký")
    total --> idle: the count ("50 ký") or the whole sum typed
    idle --> fix_amount: "Sửa số tiền"
    idle --> fix_date: "Sửa ngày"
    fix_amount --> idle: a sum typed
    fix_date --> idle: a date typed or picked
```
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, replace
from datetime import date, time, timedelta
from typing import Any

from bot.core.context import Context
from bot.core.contract import Button, buttons_in_rows
from bot.core.router import Router
from bot.i18n import N_
from bot.language import (
    Clarify,
    ParsedEntry,
    complete_amount,
    complete_direction,
    complete_total,
    confirm_large,
    parse_amount,
    parse_date,
    parse_message,
)
from bot.services.diary import ledger
from bot.services.diary.labels import categories_for, category_label, kind_label
from bot.services.diary.loan_entries import LOAN_KINDS
from handlers import loans, plans
from handlers.common import entry_for_button, household_of
from models import Entry

DIRECTION = "diary.direction"
AMOUNT = "diary.amount"
FIX_AMOUNT = "diary.fix_amount"
FIX_DATE = "diary.fix_date"
LARGE = "diary.large"
TOTAL = "diary.total"
UNDONE = N_("Đã xóa dòng vừa ghi.")
NOTHING_TO_UNDO = N_("Chưa có gì để xóa.")


def register(router: Router) -> None:
    router.command(undo_last, "xoa")
    # "ghi nhầm" asks what to fix: handlers.corrections
    router.phrase(undo_last, "xóa cái vừa ghi", "xóa dòng vừa ghi", "hủy dòng vừa ghi")
    router.button(answer_direction, "dir:")
    router.button(answer_large, "large:")
    router.button(undo_button, "undo:")
    router.button(pick_category, "cat:")
    router.button(set_category, "setcat:")
    router.button(ask_amount, "amt:")
    router.button(ask_date, "day:")
    router.button(set_date_button, "setday:")
    router.state(typed_amount, AMOUNT)
    router.state(typed_amount, LARGE)
    router.state(typed_total, TOTAL)
    router.state(typed_fix_amount, FIX_AMOUNT)
    router.state(typed_fix_date, FIX_DATE)
    router.text(write)


def _is_household(ctx: Context) -> bool:
    contact = ctx.contact
    return (
        contact is not None and contact.consent_at is not None and contact.household_id is not None
    )


async def write(ctx: Context) -> bool:
    """Free text that reads as diary entries is recorded at once; else not ours."""
    if not _is_household(ctx) or ctx.incoming.kind != "text" or ctx.contact is None:
        return False
    household_id = ctx.contact.household_id
    assert household_id is not None
    result = parse_message(
        ctx.incoming.text,
        today=ctx.today,
        ceiling=ctx.settings.programme.amount_ceiling,
        overrides=await ledger.overrides(ctx.session, household_id),
    )
    if result.entries:
        await _record(ctx, household_id, list(result.entries))
        return True
    if result.clarify is None:
        return False
    _ask_back(ctx, result.clarify, result.pending)
    return True


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | time) else value


def _question(clarify: Clarify, pending: tuple[ParsedEntry, ...]) -> dict[str, Any]:
    """What a pending question must remember: the question and the clear parts waiting."""
    return {
        "clarify": {f.name: _jsonable(getattr(clarify, f.name)) for f in fields(Clarify)},
        "pending": [
            {f.name: _jsonable(getattr(e, f.name)) for f in fields(ParsedEntry)} for e in pending
        ],
    }


def _revive(data: dict[str, Any]) -> dict[str, Any]:
    revived = dict(data)
    revived["date"] = date.fromisoformat(data["date"])
    revived["time"] = time.fromisoformat(data["time"]) if data.get("time") else None
    return revived


def _from_question(data: dict[str, Any]) -> tuple[Clarify, list[ParsedEntry]]:
    clarify = Clarify(**_revive(data["clarify"]))
    return clarify, [ParsedEntry(**_revive(item)) for item in data.get("pending", [])]


def _ask_back(ctx: Context, clarify: Clarify, pending: tuple[ParsedEntry, ...]) -> None:
    if clarify.reason == "direction" and clarify.amount is not None:
        ctx.set_state(DIRECTION, **_question(clarify, pending))
        ctx.reply(
            ctx._("{amount} này là thu hay chi ạ?").format(amount=ctx.t.money(clarify.amount)),
            buttons_in_rows(
                [
                    Button(kind_label(ctx.t, kind), f"dir:{kind}")
                    for kind in ("income", "expense", "borrow", "repay")
                ]
            ),
        )
    elif clarify.reason == "amount":
        ctx.set_state(AMOUNT, **_question(clarify, pending))
        ctx.reply(ctx._("Bao nhiêu tiền ạ? Anh/chị nhắn số tiền, ví dụ: 500k hoặc 3 triệu."))
    elif clarify.reason == "too_large" and clarify.amount is not None:
        ctx.set_state(LARGE, **_question(clarify, pending))
        ctx.reply(
            ctx._("{amount}, đúng không ạ? Số tiền này lớn, mình hỏi lại cho chắc.").format(
                amount=ctx.t.money(clarify.amount)
            ),
            (
                (
                    Button(ctx._("Đúng"), "large:yes"),
                    Button(ctx._("Không, để nhắn lại"), "large:no"),
                ),
            ),
        )
    elif clarify.reason == "unit_price" and clarify.amount is not None:
        price = ctx.t.money(clarify.amount)
        if clarify.kind is None:
            ctx.reply(
                ctx._(
                    "{price} là giá một đơn vị. Anh/chị nhắn cả dòng giúp mình, "
                    "ví dụ: bán 30 ký cá 2tr1."
                ).format(price=price)
            )
            return
        ctx.set_state(TOTAL, **_question(clarify, pending))
        ctx.reply(
            ctx._(
                "{price} là giá một đơn vị. Tổng cộng bao nhiêu tiền ạ? "
                "Hoặc nhắn số lượng, ví dụ: 30 ký."
            ).format(price=price)
        )
    elif clarify.reason == "future_date":
        ctx.reply(
            ctx._(
                "Ngày {day} chưa tới nên mình chưa ghi. Anh/chị nhắn lại với ngày đúng giúp mình."
            ).format(day=ctx.t.date(clarify.date))
        )
    else:
        ctx.reply(ctx._("Mình chưa đọc được số tiền. Anh/chị nhắn lại, ví dụ: bán heo 3 triệu."))


async def answer_direction(ctx: Context) -> None:
    household = await household_of(ctx)
    if household is None:
        return
    if ctx.state != DIRECTION:
        ctx.reply(ctx._("Câu hỏi này đã qua rồi. Anh/chị nhắn lại khoản tiền giúp nhé."))
        return
    kind = (ctx.incoming.payload or "").removeprefix("dir:")
    clarify, pending = _from_question(ctx.state_data)
    entry = complete_direction(
        clarify, kind, overrides=await ledger.overrides(ctx.session, household.id)
    )
    ctx.clear_state()
    await _record(ctx, household.id, [*pending, entry])


async def answer_large(ctx: Context) -> None:
    """ "Đúng": the large sum is recorded as written; "Không": nothing is."""
    household = await household_of(ctx)
    if household is None:
        return
    if ctx.state != LARGE:
        ctx.reply(ctx._("Câu hỏi này đã qua rồi. Anh/chị nhắn lại khoản tiền giúp nhé."))
        return
    clarify, pending = _from_question(ctx.state_data)
    ctx.clear_state()
    if ctx.incoming.payload != "large:yes":
        ctx.reply(ctx._("Dạ, mình chưa ghi. Anh/chị nhắn lại số tiền đúng giúp mình."))
        return
    entry = confirm_large(clarify)
    if entry is None:  # the sum is right, but which way did it go?
        _ask_back(ctx, replace(clarify, reason="direction"), tuple(pending))
        return
    await _record(ctx, household.id, [*pending, entry])


async def typed_total(ctx: Context) -> bool:
    """A count ("50 ký") or the whole sum, for a price per unit."""
    return await _typed_answer(ctx, complete_total)


async def typed_amount(ctx: Context) -> bool:
    """The sum a verb lacked ("bán heo" … "3 triệu"), or the right one for a large sum."""
    return await _typed_answer(ctx, complete_amount)


async def _typed_answer(ctx: Context, complete: Callable[..., ParsedEntry | None]) -> bool:
    household = await household_of(ctx)
    if household is None:
        return True
    clarify, pending = _from_question(ctx.state_data)
    entry = complete(clarify, ctx.incoming.text, ceiling=ctx.settings.programme.amount_ceiling)
    ctx.clear_state()
    if entry is None:
        return False  # not the answer: read the message afresh
    await _record(ctx, household.id, [*pending, entry])
    return True


async def _record(ctx: Context, household_id: int, parsed: list[ParsedEntry]) -> None:
    assert ctx.contact is not None
    ids = await ledger.record(
        ctx.session,
        household_id,
        parsed,
        contact_id=ctx.contact.id,
        inbound_id=ctx.inbound_id,
        now=ctx.now,
    )
    notes: list[str] = []
    question: tuple[tuple[Button, ...], ...] = ()
    for item, entry_id in zip(parsed, ids, strict=True):
        if item.kind in LOAN_KINDS:
            entry = await ctx.session.get(Entry, entry_id)
            assert entry is not None
            note = await loans.after_record(ctx, entry)
            if note:
                notes.append(note.text)
                question = note.buttons or question
    activity_lines, activity_buttons = await plans.after_record(ctx, household_id, ids)
    lines = [ctx._("Đã ghi:")]
    lines += [_line(ctx, item.kind, item.amount, item.category, item.date) for item in parsed]
    buttons = question or _entry_buttons(ctx, ids)
    ctx.reply("\n".join(lines + notes + activity_lines), buttons + activity_buttons)


def _describe(ctx: Context, entry: Entry) -> str:
    return _line(ctx, entry.kind, entry.amount, entry.category, entry.day)


def _line(ctx: Context, kind: str, amount: int, category: str, day: date) -> str:
    kind_text, amount_text = kind_label(ctx.t, kind), ctx.t.money(amount)
    return f"• {kind_text} {amount_text} – {category_label(ctx.t, category)} – {ctx.t.date(day)}"


def _entry_buttons(ctx: Context, entry_ids: list[int]) -> tuple[tuple[Button, ...], ...]:
    """Undo for what a message recorded; for a single entry, its corrections too."""
    undo = Button(ctx._("Hủy"), f"undo:{entry_ids[0]}")
    if len(entry_ids) > 1:
        return ((undo,),)
    entry_id = entry_ids[0]
    return (
        (undo, Button(ctx._("Sửa loại"), f"cat:{entry_id}")),
        (
            Button(ctx._("Sửa số tiền"), f"amt:{entry_id}"),
            Button(ctx._("Sửa ngày"), f"day:{entry_id}"),
        ),
    )


async def undo_last(ctx: Context) -> None:
    household = await household_of(ctx)
    if household is None:
        return
    entries = await ledger.last_group(ctx.session, household.id)
    if not entries:
        ctx.reply(ctx._(NOTHING_TO_UNDO))
        return
    ledger.undo(entries, ctx.now)
    await _tell_undone(ctx, entries)


async def _tell_undone(ctx: Context, entries: list[Entry], *, edit: bool = False) -> None:
    lines = [ctx._(UNDONE), *(_describe(ctx, e) for e in entries)]
    lines += await loans.after_undo(ctx, entries)
    ctx.reply("\n".join(lines), edit=edit)


async def undo_button(ctx: Context) -> None:
    entry = await entry_for_button(ctx, "undo:")
    if entry is None:
        return
    entries = await ledger.group_of(ctx.session, entry)
    ledger.undo(entries, ctx.now)
    await _tell_undone(ctx, entries, edit=True)


async def pick_category(ctx: Context) -> None:
    entry = await entry_for_button(ctx, "cat:")
    if entry is None:
        return
    choices = [
        Button(category_label(ctx.t, code), f"setcat:{entry.id}:{code}")
        for code in categories_for(entry.kind)
    ]
    ctx.reply(ctx._("Chọn loại đúng cho khoản này:"), buttons_in_rows(choices))


async def set_category(ctx: Context) -> None:
    entry = await entry_for_button(ctx, "setcat:")
    if entry is None:
        return
    code = (ctx.incoming.payload or "").rsplit(":", 1)[-1]
    if code not in categories_for(entry.kind):
        ctx.reply(ctx._("Loại này không hợp với khoản đã ghi."))
        return
    entry.category = code
    if entry.keyword:
        # Later messages with the same word go to the household's own choice.
        await ledger.remember_category(ctx.session, entry.household_id, entry.keyword, code)
    ctx.reply(ctx._("Đã sửa:") + "\n" + _describe(ctx, entry), _entry_buttons(ctx, [entry.id]))


async def ask_amount(ctx: Context) -> None:
    entry = await entry_for_button(ctx, "amt:")
    if entry is None:
        return
    ctx.set_state(FIX_AMOUNT, entry_id=entry.id)
    ctx.reply(ctx._("Anh/chị nhắn số tiền đúng, ví dụ: 2tr5 hoặc 500k."))


async def _entry_in_state(ctx: Context) -> Entry | None:
    household_id = ctx.contact.household_id if ctx.contact else None
    entry_id = int(ctx.state_data.get("entry_id", 0))
    return await ledger.own_entry(ctx.session, household_id or 0, entry_id)


async def typed_fix_amount(ctx: Context) -> bool:
    entry = await _entry_in_state(ctx)
    amount = parse_amount(ctx.incoming.text)
    ctx.clear_state()
    if entry is None or amount is None:
        return False  # not a sum: read the message afresh
    if amount > ctx.settings.programme.amount_ceiling:
        ctx.reply(
            ctx._("Số tiền {amount} lớn quá, mình chưa sửa.").format(amount=ctx.t.money(amount))
        )
        return True
    entry.amount = amount
    ctx.reply(ctx._("Đã sửa:") + "\n" + _describe(ctx, entry), _entry_buttons(ctx, [entry.id]))
    return True


async def ask_date(ctx: Context) -> None:
    entry = await entry_for_button(ctx, "day:")
    if entry is None:
        return
    ctx.set_state(FIX_DATE, entry_id=entry.id)
    today = ctx.today
    options = [
        Button(ctx._("Hôm nay"), f"setday:{entry.id}:{today.isoformat()}"),
        Button(ctx._("Hôm qua"), f"setday:{entry.id}:{(today - timedelta(days=1)).isoformat()}"),
        Button(ctx._("Hôm kia"), f"setday:{entry.id}:{(today - timedelta(days=2)).isoformat()}"),
    ]
    ctx.reply(ctx._("Chọn ngày, hoặc nhắn ngày (ví dụ 15/3):"), (tuple(options),))


async def set_date_button(ctx: Context) -> None:
    entry = await entry_for_button(ctx, "setday:")
    if entry is None:
        return
    day = date.fromisoformat((ctx.incoming.payload or "").rsplit(":", 1)[-1])
    _set_day(ctx, entry, day)


async def typed_fix_date(ctx: Context) -> bool:
    entry = await _entry_in_state(ctx)
    day = parse_date(ctx.incoming.text, today=ctx.today)
    if entry is None or day is None:
        ctx.clear_state()
        return False
    _set_day(ctx, entry, day)
    return True


def _set_day(ctx: Context, entry: Entry, day: date) -> None:
    if day > ctx.today:
        ctx.reply(ctx._("Ngày này chưa tới, mình chưa sửa."))
        return
    entry.day = day
    ctx.clear_state()
    ctx.reply(ctx._("Đã sửa:") + "\n" + _describe(ctx, entry), _entry_buttons(ctx, [entry.id]))
