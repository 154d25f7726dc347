"""A reply that fits none of the options of the bot's last question asks it again,
once, briefly (bot.core.answers keeps the question and reads typed answers).  Runs
after every reader that could take the message as something else (a diary line, a
request for help, small talk): those are handled as such."""

from __future__ import annotations

from bot.core import answers
from bot.core.context import Context
from bot.core.router import Router


def register(router: Router) -> None:
    router.text(ask_again)


async def ask_again(ctx: Context) -> bool:
    contact = ctx.contact
    record = answers.asked(contact)
    if contact is None or record is None or ctx.incoming.kind != "text":
        return False
    question = record.get("question")
    if not question or record.get("again"):
        return False
    # Back to the question's own state, so the next try is read as its answer.
    state = record.get("state")
    if state:
        ctx.set_state(state, **(record.get("data") or {}))
    contact.state_data = {**(contact.state_data or {}), answers.ASKED_AGAIN: True}
    buttons = answers.buttons_of(record)
    if buttons:
        ctx.reply(ctx._("Dạ, anh/chị chọn giúp một ý nhé:"), buttons)
    else:
        ctx.reply(ctx._("Mình chưa hiểu câu trả lời.") + "\n" + question)
    return True
