"""Conversation features, one module each.  The order of routes is written here, once:
joining first, then features, free-text readers, and the catch-all last."""

from __future__ import annotations

from bot.core.router import Router
from handlers import (
    access,
    answers,
    cases,
    corrections,
    diary,
    distress,
    fallback,
    groups,
    guide,
    information,
    join,
    loans,
    meetings,
    mydata,
    notices,
    officers,
    plans,
    settings,
    smalltalk,
    summary,
    web,
)


def build_router() -> Router:
    router = Router()
    for feature in (
        distress,
        join,
        guide,
        settings,
        mydata,
        officers,
        access,
        web,
        notices,
        information,
        loans,
        plans,
        groups,
        summary,
        meetings,
        smalltalk,
        cases,
        corrections,
        diary,
    ):
        feature.register(router)
    # An answer that fits no option of the bot's last question asks it again, once,
    # after every reader that takes the message as something else.
    answers.register(router)
    # Free questions are searched only after the diary reader declined the message:
    # "tiền điện 230" is a diary entry, not a question about electricity support.
    router.text(information.answer_question)
    fallback.register(router)
    return router
