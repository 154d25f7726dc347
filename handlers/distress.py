"""People in trouble: violence at home, an accident or grave illness, hunger, a scam or
debt collectors, a child in danger, thoughts of self-harm.  Read before anything else
(even a pending question): the person hears at once that their officer knows and which
free hotline to call; the officer gets an urgent alert with the message and a button to
call back.  The words are data (bot/language/talk.toml, plus `[alerts] urgent_words`).
"""

from __future__ import annotations

from datetime import timedelta

from bot.core.context import Context
from bot.core.router import Router
from bot.i18n import N_
from bot.language.talk import Distress, talk
from bot.services.alerts import alerts, cases
from models import Household, Officer

HOTLINE_NAMES = {
    "111": N_("111 (bảo vệ trẻ em)"),
    "113": N_("113 (công an)"),
    "115": N_("115 (cấp cứu)"),
    "1800 1233": N_("1800 1233 (trợ giúp pháp lý)"),
}
# The first words of the answer, by kind of trouble: calm, and about the person.
OPENINGS = {
    "violence": N_("Anh/chị tìm chỗ an toàn trước, tránh xa người gây nguy hiểm."),
    "child": N_("Mình rất lo cho cháu."),
    "medical": N_("Mình rất tiếc, mong người nhà mau qua khỏi."),
    "hunger": N_("Mình rất tiếc khi nghe vậy."),
    "scam": N_("Anh/chị đừng chuyển thêm tiền cho ai và đừng ký giấy gì."),
    "self_harm": N_("Anh/chị không phải một mình đâu. Mình ở đây và cán bộ sẽ liên lạc ngay."),
    "danger": N_("Anh/chị bình tĩnh, mình đã nhận được tin."),
}


def register(router: Router) -> None:
    router.first(in_trouble)


async def in_trouble(ctx: Context) -> bool:
    contact = ctx.contact
    if contact is None or contact.household_id is None or contact.consent_at is None:
        return False
    if ctx.incoming.kind != "text":
        return False
    trouble = talk().distress_of(ctx.incoming.text, ctx.settings.alerts.urgent_words)
    if trouble is None:
        return False
    household = await ctx.session.get(Household, contact.household_id)
    assert household is not None
    officer = await ctx.session.get(Officer, household.officer_id) if household.officer_id else None
    ctx.reply(_answer(ctx, trouble, officer.name if officer else ctx._("phụ trách xã")))
    within = timedelta(minutes=ctx.settings.alerts.urgent_fold_minutes)
    if within and await alerts.fold_urgent(
        ctx.session, household.id, ctx.incoming.text[:300], ctx.now, within=within
    ):
        return True
    # A request the officer can answer through the bot; the alert says it at once.
    case = await cases.open_case(ctx.session, household, "help", ctx.incoming.text, ctx.now)
    await alerts.raise_alert(
        ctx.session,
        household,
        "urgent",
        str(ctx.inbound_id),
        ctx.now,
        text=ctx.incoming.text[:300],
        word=trouble.phrase,
        kind=trouble.kind,
        case_id=case.id,
    )
    return True


def _answer(ctx: Context, trouble: Distress, officer: str) -> str:
    lines = [
        ctx._(OPENINGS[trouble.kind]),
        ctx._("Mình đã báo ngay cho cán bộ {officer}, cán bộ sẽ gọi lại sớm.").format(
            officer=officer
        ),
    ]
    if trouble.hotlines:
        numbers = ", ".join(ctx._(HOTLINE_NAMES.get(n, n)) for n in trouble.hotlines)
        lines.append(
            ctx._("Nếu đang nguy hiểm, gọi ngay (miễn phí): {numbers}.").format(numbers=numbers)
        )
    return "\n".join(lines)
