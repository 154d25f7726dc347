"""/caidat: language, household members and the daily reminder time.

```mermaid
stateDiagram-v2
    [*] --> menu: /caidat
    menu --> [*]: Tiếng Việt / English
    menu --> members: Số người trong nhà
    members --> [*]: a count typed ("5", "nhà có 5 người", "năm người")
    menu --> reminder: Giờ nhắc
    reminder --> [*]: a time typed ("19:00", "7 giờ tối") or "Tắt nhắc" ("tắt", "không nhắc nữa")
```
"""

from __future__ import annotations

from bot.core.context import Context
from bot.core.contract import Button
from bot.core.router import Router
from bot.language.ahead import parse_time
from bot.language.talk import talk
from bot.services.people.audit import audit
from handlers.common import household_of

MEMBERS = "settings.members"
REMINDER = "settings.reminder"


# Each language by its own name, as a reader of it looks for it (never the code "vi").
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}


def register(router: Router) -> None:
    router.command(menu, "caidat")
    router.phrase(menu, "cài đặt")
    router.button(choose, "set:")
    router.state(typed_members, MEMBERS)
    router.state(typed_reminder, REMINDER)


async def menu(ctx: Context) -> None:
    household = await household_of(ctx)
    if household is None or ctx.contact is None:
        return
    reminder = ctx.contact.reminder_time or ctx.settings.reminders.default_time
    status = reminder.strftime("%H:%M") if ctx.contact.reminders_on else ctx._("đã tắt")
    ctx.reply(
        ctx._("Cài đặt: {language}, {members} người trong nhà, giờ nhắc {reminder}.").format(
            language=LANGUAGE_NAMES.get(ctx.contact.locale, "Tiếng Việt"),
            members=household.members,
            reminder=status,
        ),
        (
            tuple(Button(name, f"set:lang:{code}") for code, name in LANGUAGE_NAMES.items()),
            (
                Button(ctx._("Số người trong nhà"), "set:members"),
                Button(ctx._("Giờ nhắc"), "set:reminder"),
            ),
        ),
    )


async def choose(ctx: Context) -> None:
    household = await household_of(ctx)
    if household is None or ctx.contact is None:
        return
    choice = (ctx.incoming.payload or "").removeprefix("set:")
    if choice.startswith("lang:"):
        ctx.contact.locale = choice.removeprefix("lang:")
        ctx.use_locale(ctx.contact.locale)
        ctx.reply(ctx._("Đã đổi ngôn ngữ sang tiếng Việt."))
    elif choice == "members":
        ctx.set_state(MEMBERS)
        ctx.reply(ctx._("Nhà mình có mấy người? Nhắn một con số, ví dụ: 4"))
    elif choice == "reminder":
        ctx.set_state(REMINDER)
        ctx.reply(
            ctx._("Mấy giờ thì nhắc ghi sổ? Nhắn giờ, ví dụ 19:00 hoặc 7 giờ tối."),
            ((Button(ctx._("Tắt nhắc"), "set:reminder_off", means="off"),),),
        )
    elif choice == "reminder_off":
        ctx.contact.reminders_on = False
        ctx.clear_state()
        ctx.reply(ctx._("Đã tắt nhắc. Muốn bật lại, vào /caidat."))


async def typed_members(ctx: Context) -> bool:
    household = await household_of(ctx)
    members = talk().count_in(ctx.incoming.text)
    if household is None or ctx.contact is None or members is None:
        ctx.clear_state()
        return False
    if not 1 <= members <= 50:
        ctx.reply(ctx._("Số người phải từ 1 đến 50. Anh/chị nhắn lại giúp."))
        return True
    household.members = members
    ctx.clear_state()
    await audit(
        ctx.session,
        f"contact:{ctx.contact.id}",
        "settings.members",
        household_id=household.id,
        members=members,
    )
    ctx.reply(ctx._("Đã ghi: nhà mình có {members} người.").format(members=members))
    return True


async def typed_reminder(ctx: Context) -> bool:
    moment = parse_time(ctx.incoming.text)
    if ctx.contact is None or moment is None:
        ctx.clear_state()
        return False
    ctx.contact.reminder_time = moment
    ctx.contact.reminders_on = True
    ctx.clear_state()
    ctx.reply(ctx._("Đã đặt giờ nhắc: {time} mỗi ngày.").format(time=moment.strftime("%H:%M")))
    return True
