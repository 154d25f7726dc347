from datetime import UTC, datetime
from typing import Any

from bot.config import Settings
from bot.core.context import Context
from bot.core.contract import Incoming
from bot.core.router import Router, command_argument


def ctx_for(incoming: Incoming) -> Context:
    return Context(
        incoming=incoming,
        session=None,  # type: ignore[arg-type]
        settings=Settings(),
        now=datetime(2026, 11, 29, tzinfo=UTC),
        inbound_id=1,
        contact=None,
    )


def make_router(calls: list[str]) -> Router:
    router = Router()

    def recorder(name: str, result: Any = None) -> Any:
        async def handler(ctx: Context) -> Any:
            calls.append(name)
            return result

        return handler

    router.command(recorder("month"), "thang")
    router.phrase(recorder("month-phrase"), "tháng này")
    router.button(recorder("undo"), "undo:")
    router.text(recorder("declines", False))
    router.text(recorder("catch-all"))
    return router


async def test_routes_in_order() -> None:
    calls: list[str] = []
    router = make_router(calls)
    await router.dispatch(ctx_for(Incoming("t", "1", text="/thang")))
    await router.dispatch(ctx_for(Incoming("t", "1", text="/THANG@sinhke_bot 2026")))
    await router.dispatch(ctx_for(Incoming("t", "1", text="Thang nay!")))
    await router.dispatch(ctx_for(Incoming("t", "1", kind="button", payload="undo:5")))
    await router.dispatch(ctx_for(Incoming("t", "1", text="bán heo")))
    assert calls == ["month", "month", "month-phrase", "undo", "declines", "catch-all"]


async def test_unknown_command_and_button_are_not_handled() -> None:
    router = make_router([])
    assert not await router.dispatch(ctx_for(Incoming("t", "1", text="/nosuch")))
    assert not await router.dispatch(ctx_for(Incoming("t", "1", kind="button", payload="x:1")))


def test_command_argument() -> None:
    assert command_argument("/start ABCD-EFGH") == "ABCD-EFGH"
    assert command_argument("/start") == ""
    assert command_argument("hello there") == ""
