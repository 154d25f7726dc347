"""The processor: one transaction per burst of updates; a failing handler leaves nothing
half done and fails only its own update."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.core.capabilities import KNOWN
from bot.core.context import Context
from bot.core.contract import Incoming, Update
from bot.core.inbound import record_batch
from bot.core.processor import APOLOGY, Processor
from bot.core.router import Router
from models import Area, Inbound, Outbox

NOW = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)


def processor(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], router: Router
) -> Processor:
    return Processor(
        sessions=sessions, settings=settings, router=router, capabilities=KNOWN, clock=lambda: NOW
    )


async def stored(sessions: async_sessionmaker[AsyncSession], text: str, external: str = "1") -> int:
    [(inbound_id, _)] = await record_batch(
        sessions, [Update(external, Incoming("telegram", "42", text=text))]
    )
    return inbound_id


async def test_a_failing_handler_rolls_back_and_apologises(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    router = Router()

    async def half_done(ctx: Context) -> None:
        ctx.session.add(Area(code="X", name="half", kind="commune"))
        await ctx.session.flush()
        ctx.reply("never sent")
        raise RuntimeError("boom")

    router.text(half_done)
    inbound_id = await stored(sessions, "hello")
    await processor(settings, sessions, router).process(inbound_id)
    async with sessions() as session:
        row = await session.get(Inbound, inbound_id)
        assert row is not None and row.status == "failed" and "boom" in (row.error or "")
        assert row.payload["text"] == "hello"  # nothing a person said is dropped
        assert await session.scalar(select(func.count(Area.id))) == 0
        bodies = [o.body["text"] for o in await session.scalars(select(Outbox))]
        assert bodies == [APOLOGY]


async def test_a_failing_handler_in_a_burst_fails_only_its_own_update(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    router = Router()

    async def fussy(ctx: Context) -> None:
        ctx.session.add(Area(code=ctx.incoming.text, name="ok", kind="commune"))
        if ctx.incoming.text == "B":
            raise RuntimeError("boom")
        ctx.reply(f"got {ctx.incoming.text}")

    router.text(fussy)
    ids = [await stored(sessions, text, external=text) for text in ("A", "B", "C")]
    await processor(settings, sessions, router).process(*ids)
    async with sessions() as session:
        statuses = [(await session.get(Inbound, i)).status for i in ids]  # type: ignore[union-attr]
        assert statuses == ["done", "failed", "done"]
        assert set(await session.scalars(select(Area.code))) == {"A", "C"}
        bodies = [o.body["text"] for o in await session.scalars(select(Outbox).order_by(Outbox.id))]
        assert bodies == ["got A", APOLOGY, "got C"]


async def test_a_repeat_is_handled_once(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    calls: list[str] = []
    router = Router()

    async def count(ctx: Context) -> None:
        calls.append(ctx.incoming.text)
        ctx.reply("ok")

    router.text(count)
    inbound_id = await stored(sessions, "xin chào")
    assert (
        await record_batch(sessions, [Update("1", Incoming("telegram", "42", text="xin chào"))])
        == []
    )
    work = processor(settings, sessions, router)
    await work.process(inbound_id)
    await work.process(inbound_id)  # a replay after a crash: already done
    assert calls == ["xin chào"]
    async with sessions() as session:
        assert await session.scalar(select(func.count(Outbox.id))) == 1


async def test_a_flood_is_recorded_whole_with_one_notice(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    from models import Entry
    from tests.dialog import Dialog, MemoryChannel, joined_household, make_app, seed_programme

    programme = await seed_programme(sessions)
    channel = MemoryChannel()
    dialog = Dialog(make_app(settings, sessions, channel), channel, "77")
    await joined_household(dialog, programme.households[0].invite)
    replies = [await dialog.text(f"bán trứng {n}k") for n in range(1, 51)]
    # Joining took two messages; past 30 in ten seconds the chat is calmed down.
    assert all("Đã ghi" in text for text in replies[:28])
    assert sum("nhắn nhanh quá" in text for text in replies) == 1
    assert sum(text == "" for text in replies) == 50 - 28 - 1
    async with sessions() as session:
        assert await session.scalar(select(func.count(Entry.id))) == 50


async def test_a_burst_sees_the_contact_an_earlier_update_made(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """Joining and agreeing, handled in one transaction: the second update must see the
    contact the first one created (the burst claims both before handling either)."""
    from tests.dialog import seed_programme

    programme = await seed_programme(sessions)
    invite = programme.households[0].invite
    [(join, _), (agree, _)] = await record_batch(
        sessions,
        [
            Update("j", Incoming("telegram", "55", text=f"/start {invite}")),
            Update("a", Incoming("telegram", "55", kind="button", payload="consent:yes")),
        ],
    )
    from handlers import build_router
    from models import Contact

    await processor(settings, sessions, build_router()).process(join, agree)
    async with sessions() as session:
        contact = await session.scalar(select(Contact).where(Contact.address == "55"))
        assert contact is not None and contact.consent_at is not None
        assert contact.household_id is not None


async def test_an_update_waits_behind_an_older_pending_one_of_its_chat(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    seen: list[str] = []
    router = Router()

    async def note(ctx: Context) -> None:
        seen.append(ctx.incoming.text)

    router.text(note)
    older = await stored(sessions, "first", external="1")
    newer = await stored(sessions, "second", external="2")
    other = await record_batch(sessions, [Update("3", Incoming("telegram", "43", text="else"))])
    work = processor(settings, sessions, router)
    await work.process(newer, other[0][0])  # "first" still waits: "second" must not pass it
    assert seen == ["else"]
    await work.process(older, newer)  # both in one burst: in order
    assert seen == ["else", "first", "second"]
    async with sessions() as session:
        statuses = {i: (await session.get(Inbound, i)).status for i in (older, newer)}  # type: ignore[union-attr]
        assert statuses == {older: "done", newer: "done"}


async def test_a_burst_that_deletes_the_households_data_still_answers_all(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """A diary line, then the deletion confirmed, in one transaction: the first reply was
    queued for a contact the second update deleted; both replies still go out."""
    from handlers import build_router
    from models import Contact, Entry
    from tests.dialog import seed_joined_households, seed_programme

    await seed_programme(sessions, households=0)
    [chat] = await seed_joined_households(sessions, 1)
    [(write, _), (wipe, _)] = await record_batch(
        sessions,
        [
            Update("w", Incoming("telegram", str(chat), text="bán trứng 50k")),
            Update(
                "x",
                Incoming(
                    "telegram", str(chat), kind="button", payload=f"wipe:yes:{int(NOW.timestamp())}"
                ),
            ),
        ],
    )
    await processor(settings, sessions, build_router()).process(write, wipe)
    async with sessions() as session:
        assert [(await session.get(Inbound, i)).status for i in (write, wipe)] == ["done"] * 2  # type: ignore[union-attr]
        assert await session.scalar(select(func.count(Contact.id))) == 0
        assert await session.scalar(select(func.count(Entry.id))) == 0
        rows = list(await session.scalars(select(Outbox).order_by(Outbox.id)))
        assert len(rows) == 2 and all(row.contact_id is None for row in rows)
        assert "Đã ghi" in rows[0].body["text"] and "Đã xóa" in rows[1].body["text"]
