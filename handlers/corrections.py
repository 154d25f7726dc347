"""Corrections in words ("sửa lại 270k", "250 là 270", "là chi chứ không phải thu",
"hôm qua chứ không phải hôm nay"): the entry they speak of changes, never a new one.
The entry is the one whose sum (or kind, or day) the message names among the
household's recent entries, else the last one.  "ghi nhầm" alone asks what to fix.

```mermaid
stateDiagram-v2
    [*] --> fixed: a correction naming the right value (old → new shown)
    [*] --> asked: "ghi nhầm", "sửa lại"
    asked --> [*]: Xóa dòng này / Sửa số tiền / Sửa thu chi / Sửa ngày (handlers.diary)
```
"""

from __future__ import annotations

from bot.core.context import Context
from bot.core.contract import Button, buttons_in_rows
from bot.core.router import Router
from bot.language.corrections import Value, read_correction
from bot.language.talk import DIRECTIONS
from bot.services.diary import ledger
from bot.services.diary.labels import categories_for, kind_label
from handlers.common import entry_for_button, joined
from handlers.diary import NOTHING_TO_UNDO, _describe, _entry_buttons
from models import Entry

RECENT = 30  # entries a correction may speak of, newest first


def register(router: Router) -> None:
    router.button(ask_kind, "fix:kind:")
    router.button(set_kind, "fix:setkind:")
    router.text(correct)


async def correct(ctx: Context) -> bool:
    contact = ctx.contact
    if not joined(ctx) or contact is None or contact.household_id is None:
        return False
    if ctx.incoming.kind != "text":
        return False
    correction = read_correction(ctx.incoming.text, today=ctx.today)
    if correction is None:
        return False
    recent = await ledger.recent_entries(ctx.session, contact.household_id, RECENT)
    if not recent:
        ctx.reply(ctx._(NOTHING_TO_UNDO))
        return True
    if correction.vague:
        _ask_what(ctx, recent[0])
        return True
    entry = _spoken_of(recent, correction.old)
    if entry is None:
        ctx.reply(
            ctx._(
                "Mình không thấy khoản nào như vậy trong các dòng ghi gần đây. "
                "Anh/chị xem /homnay nhé."
            )
        )
        return True
    _apply(ctx, entry, correction.new)
    return True


def _spoken_of(recent: list[Entry], old: Value) -> Entry | None:
    if old.empty:
        return recent[0]
    return next(
        (
            entry
            for entry in recent
            if (old.amount is None or entry.amount == old.amount)
            and (old.kind is None or entry.kind == old.kind)
            and (old.day is None or entry.day == old.day)
        ),
        None,
    )


def _apply(ctx: Context, entry: Entry, new: Value) -> None:
    changes: list[str] = []
    if new.amount is not None and new.amount != entry.amount:
        if new.amount > ctx.settings.programme.amount_ceiling:
            ctx.reply(
                ctx._("Số tiền {amount} lớn quá, mình chưa sửa.").format(
                    amount=ctx.t.money(new.amount)
                )
            )
            return
        changes.append(f"{ctx.t.money(entry.amount)} → {ctx.t.money(new.amount)}")
        entry.amount = new.amount
    if new.day is not None and new.day != entry.day:
        if new.day > ctx.today:
            ctx.reply(ctx._("Ngày này chưa tới, mình chưa sửa."))
            return
        changes.append(f"{ctx.t.date(entry.day)} → {ctx.t.date(new.day)}")
        entry.day = new.day
    if new.kind is not None and new.kind != entry.kind:
        changes.append(f"{kind_label(ctx.t, entry.kind)} → {kind_label(ctx.t, new.kind)}")
        _change_kind(entry, new.kind)
    if not changes:
        ctx.reply(ctx._("Dòng này đã đúng như vậy rồi:") + "\n" + _describe(ctx, entry))
        return
    ctx.reply(
        ctx._("Đã sửa: {changes}").format(changes=", ".join(changes))
        + "\n"
        + _describe(ctx, entry),
        _entry_buttons(ctx, [entry.id]),
    )


def _change_kind(entry: Entry, kind: str) -> None:
    entry.kind = kind
    allowed = categories_for(kind)
    if entry.category not in allowed:
        # The old category means nothing for the new kind: the kind's "other" one.
        entry.category = next((c for c in allowed if c.startswith("other")), allowed[0])


def _ask_what(ctx: Context, entry: Entry) -> None:
    ctx.reply(
        ctx._("Dòng vừa ghi sai chỗ nào ạ?") + "\n" + _describe(ctx, entry),
        (
            (
                Button(ctx._("Xóa dòng này"), f"undo:{entry.id}"),
                Button(ctx._("Sửa số tiền"), f"amt:{entry.id}"),
            ),
            (
                Button(ctx._("Sửa thu/chi"), f"fix:kind:{entry.id}"),
                Button(ctx._("Sửa ngày"), f"day:{entry.id}"),
            ),
        ),
    )


async def ask_kind(ctx: Context) -> None:
    entry = await entry_for_button(ctx, "fix:kind:")
    if entry is None:
        return
    ctx.reply(
        ctx._("Khoản này là gì ạ?") + "\n" + _describe(ctx, entry),
        buttons_in_rows(
            [
                Button(kind_label(ctx.t, kind), f"fix:setkind:{entry.id}:{kind}")
                for kind in DIRECTIONS
                if kind != entry.kind
            ]
        ),
    )


async def set_kind(ctx: Context) -> None:
    entry = await entry_for_button(ctx, "fix:setkind:")
    kind = (ctx.incoming.payload or "").rsplit(":", 1)[-1]
    if entry is None or kind not in DIRECTIONS:
        return
    _apply(ctx, entry, Value(kind=kind))
