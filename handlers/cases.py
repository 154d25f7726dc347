"""Asking a person for help: a household's words become a case for its officer, who takes
it and answers through the bot.

```mermaid
stateDiagram-v2
    [*] --> describe: /giupdo
    describe --> opened: the household's words
    [*] --> opened: "cần luật sư", "muốn được tư vấn đi làm nước ngoài"…
    opened --> taken: officer presses "Nhận xử lý"
    opened --> answering: officer presses "Trả lời"
    taken --> answering: "Trả lời"
    answering --> answered: the officer's words reach the household
```
"""

from __future__ import annotations

from bot.core.context import Context
from bot.core.contract import Button, Reply
from bot.core.router import Router
from bot.i18n import N_, translator
from bot.language.help import help_topic
from bot.services.alerts import cases
from bot.services.people import people
from bot.services.people.audit import audit
from handlers.common import NOT_YOUR_AREA, household_of, officer_of
from models import Case, Household, Officer

DESCRIBE = "cases.describe"
ANSWER = "cases.answer"
TOPIC_LABELS = {
    "help": N_("cần giúp đỡ"),
    "legal_aid": N_("trợ giúp pháp lý"),
    "overseas_work": N_("tư vấn đi làm việc ở nước ngoài"),
    "loan": N_("vay vốn"),
}
CASE_ALREADY_GONE = N_("Yêu cầu này không còn nữa.")


def register(router: Router) -> None:
    router.command(ask_describe, "giupdo")
    router.state(described, DESCRIBE)
    router.button(take, "case:take:")
    router.button(start_answer, "case:answer:")
    router.state(typed_answer, ANSWER)
    router.text(asks_for_help)


async def ask_describe(ctx: Context) -> None:
    household = await household_of(ctx)
    if household is None:
        return
    ctx.set_state(DESCRIBE)
    ctx.reply(ctx._("Anh/chị cần giúp việc gì? Nhắn vài dòng, mình chuyển cho cán bộ xã."))


async def described(ctx: Context) -> bool:
    household = await household_of(ctx)
    if household is None or ctx.incoming.kind != "text" or ctx.incoming.text.startswith("/"):
        ctx.clear_state()
        return False
    ctx.clear_state()
    await open_case(ctx, household, help_topic(ctx.incoming.text) or "help", ctx.incoming.text)
    return True


async def asks_for_help(ctx: Context) -> bool:
    """Free text that asks a person for help ("cần luật sư") opens a case at once."""
    if ctx.contact is None or ctx.contact.household_id is None or ctx.contact.consent_at is None:
        return False
    topic = help_topic(ctx.incoming.text)
    if topic is None:
        return False
    household = await household_of(ctx)
    assert household is not None
    await open_case(ctx, household, topic, ctx.incoming.text)
    return True


async def open_case(ctx: Context, household: Household, topic: str, text: str) -> Case:
    case = await cases.open_case(ctx.session, household, topic, text, ctx.now)
    officer = await ctx.session.get(Officer, household.officer_id) if household.officer_id else None
    for contact in await people.responsible_contacts(ctx.session, household):
        t = translator(contact.locale)
        ctx.notify(
            contact,
            Reply(
                t._("Hộ {name} ({code}) cần {topic}:\n«{text}»").format(
                    name=household.head_name,
                    code=household.code,
                    topic=t._(TOPIC_LABELS[topic]),
                    text=case.text,
                ),
                (
                    (
                        Button(t._("Nhận xử lý"), f"case:take:{case.id}"),
                        Button(t._("Trả lời"), f"case:answer:{case.id}"),
                    ),
                ),
            ),
            key=f"case:{case.id}:opened:{contact.id}",
        )
    assert ctx.contact is not None
    await audit(
        ctx.session,
        f"contact:{ctx.contact.id}",
        "case.open",
        household_id=household.id,
        case_id=case.id,
        topic=topic,
    )
    ctx.reply(
        ctx._(
            "Mình đã chuyển lời anh/chị tới cán bộ {officer}. Cán bộ sẽ trả lời qua bot này "
            "trong vòng {days} ngày làm việc."
        ).format(
            officer=officer.name if officer else ctx._("phụ trách xã"),
            days=ctx.settings.programme.case_answer_days,
        )
    )
    return case


async def _case_for_officer(ctx: Context, prefix: str) -> tuple[Case, Officer, Household] | None:
    """The case a button names, if this chat is an officer allowed to see its household."""
    officer = await officer_of(ctx)
    raw = (ctx.incoming.payload or "").removeprefix(prefix)
    case = await ctx.session.get(Case, int(raw)) if raw.isdigit() else None
    household = await ctx.session.get(Household, case.household_id) if case else None
    if officer is None or case is None or household is None:
        ctx.reply(ctx._(CASE_ALREADY_GONE))
        return None
    if not await people.may_see(ctx.session, officer, household):
        await audit(
            ctx.session,
            f"officer:{officer.id}",
            "case.refused",
            household_id=household.id,
            case_id=case.id,
        )
        ctx.reply(ctx._(NOT_YOUR_AREA))
        return None
    return case, officer, household


async def take(ctx: Context) -> None:
    found = await _case_for_officer(ctx, "case:take:")
    if found is None:
        return
    case, officer, household = found
    await cases.take(ctx.session, case, officer, ctx.now)
    ctx.reply(
        ctx._("Anh/chị đã nhận việc của hộ {name}.").format(name=household.head_name),
        ((Button(ctx._("Trả lời"), f"case:answer:{case.id}"),),),
    )


async def start_answer(ctx: Context) -> None:
    found = await _case_for_officer(ctx, "case:answer:")
    if found is None:
        return
    case, _officer, household = found
    ctx.set_state(ANSWER, case_id=case.id)
    ctx.reply(
        ctx._("Nhắn câu trả lời cho hộ {name}; bot sẽ chuyển nguyên văn.").format(
            name=household.head_name
        )
    )


async def typed_answer(ctx: Context) -> bool:
    officer = await officer_of(ctx)
    case = await ctx.session.get(Case, int(ctx.state_data.get("case_id", 0)))
    ctx.clear_state()
    if officer is None or case is None or ctx.incoming.kind != "text":
        return False
    household = await cases.answer(
        ctx.session,
        case,
        officer,
        ctx.incoming.text,
        ctx.now,
        key=f"case:{case.id}:answer{ctx.inbound_id}",
    )
    ctx.reply(ctx._("Đã gửi câu trả lời cho hộ {name}.").format(name=household.head_name))
    return True
