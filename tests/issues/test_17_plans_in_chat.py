"""Issue 17 in chat: the officer sets a plan with /kehoach CODE, the household's diary
lines go to its activities (asked when several fit, changed by the household), the
household sees /kehoach, the officer /ho, a milestone's day asks the household and tells
the officer; another area's officer is refused; every view is audited."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.db import transaction
from bot.plans import milestones
from bot.services.people.registry import add_area, add_officer
from models import Alert, Audit, Entry, EntryActivity, Milestone
from tests.dialog import (
    Dialog,
    FixedClock,
    MemoryChannel,
    joined_household,
    make_app,
    seed_programme,
)


class Area:
    """A commune with an officer and one household, both in chat."""

    async def start(self, settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> None:
        programme = await seed_programme(sessions)
        self.code = programme.households[0].code
        self.clock = FixedClock(datetime(2026, 11, 29, 3, 0, tzinfo=UTC))
        self.channel = MemoryChannel()
        self.app = make_app(settings, sessions, self.channel, self.clock)
        self.officer = Dialog(self.app, self.channel, "1")
        self.household = Dialog(self.app, self.channel, "2")
        await joined_household(self.officer, programme.officer.invite)
        await joined_household(self.household, programme.households[0].invite)


def payloads(replies: list) -> list[str]:  # type: ignore[type-arg]
    return [button.payload for reply in replies for button in reply.flat_buttons()]


async def test_plan_tags_views_and_milestones(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    area = Area()
    await area.start(settings, sessions)
    empty = await area.officer.text(f"/kehoach {area.code}")
    assert "chưa có kế hoạch" in empty and "Nuôi heo" in empty
    assert "chưa có kế hoạch làm ăn" in await area.household.text("/kehoach")

    saved = await area.officer.text(
        f"/kehoach {area.code} nuôi heo, nuoi ga vit; mục tiêu 12/2027; "
        "15/12/2026 mua 2 con heo giống; 6/2027 heo đẻ lứa đầu; hỗ trợ vốn vay, tập huấn"
    )
    assert "Đã lưu kế hoạch" in saved
    assert "Nuôi heo: đã chi 0\xa0₫, đã thu 0\xa0₫, lãi 0\xa0₫" in saved
    assert "○ 15/12/2026 mua 2 con heo giống" in saved and "Vốn vay, Tập huấn" in saved

    sold = await area.household.say("bán heo 5 triệu")
    assert "Mô hình: Nuôi heo" in sold[0].text
    [change] = [p for p in payloads(sold) if p.startswith("actpick:")]
    feed = await area.household.say("mua cám 300k")
    assert "là của mô hình nào" in feed[0].text
    choices = [p for p in payloads(feed) if p.startswith("act:")]
    assert [c.rsplit(":", 1)[1] for c in choices] == ["nuoi_heo", "ga_vit", "-"]
    picked = await area.household.press(choices[1])
    assert "tính cho Nuôi gà vịt" in picked[0].text
    for line in ("đi chợ 100k", "vay ngân hàng 10 triệu", "góp hụi 500k", "bán trứng 200k"):
        await area.household.say(line)

    mine = await area.household.say("/kehoach")
    text = mine[0].text
    assert "Nuôi heo: đã chi 0\xa0₫, đã thu 5.000.000\xa0₫, lãi 5.000.000\xa0₫" in text
    assert "Nuôi gà vịt: đã chi 300.000\xa0₫, đã thu 200.000\xa0₫, lỗ 100.000\xa0₫" in text
    assert "Việc sắp tới: 15/12/2026 – mua 2 con heo giống" in text
    assert mine[-1].attachment is not None and mine[-1].attachment.kind == "photo"

    # the household moves the pig sale out of every activity
    offered = await area.household.press(change)
    assert payloads(offered)[-1].endswith(":-")
    await area.household.press(payloads(offered)[-1])
    again = await area.household.text("/kehoach")
    assert "Nuôi heo: đã chi 0\xa0₫, đã thu 0\xa0₫, lãi 0\xa0₫" in again

    shown = await area.officer.text(f"/ho {area.code}")
    assert "Kế hoạch thoát nghèo (đúng tiến độ)" in shown
    # the monthly report's plan sheet
    [report] = await area.officer.say("/baocao")
    assert report.attachment is not None
    book = load_workbook(io.BytesIO(report.attachment.data))
    rows = list(book["Kế hoạch thoát nghèo"].iter_rows(min_row=2, values_only=True))
    assert [row[:3] for row in rows] == [
        (area.code, "Nuôi heo, Nuôi gà vịt", "Nuôi heo: 0\xa0₫; Nuôi gà vịt: -100.000\xa0₫")
    ]
    assert rows[0][8] == "Có"

    # the milestone's day: the household is asked, answers "not yet", the officer hears
    area.clock.now = datetime(2026, 12, 15, 2, 0, tzinfo=UTC)
    async with transaction(sessions) as session:
        result = await milestones.ask_due(session, settings, area.clock.now)
    assert result.queued["milestone"] == 1
    sender = area.app.senders["telegram"]
    before = len(area.channel.sent)
    while await sender.send_due():
        pass
    [(address, question)] = area.channel.sent[before:]
    assert address == "2" and "mua 2 con heo giống" in question.text
    [yes, no] = [button.payload for button in question.flat_buttons()]
    assert yes.endswith(":yes")
    before = len(area.channel.sent)
    assert "đã báo cán bộ" in (await area.household.press(no))[0].text
    told = [reply.text for address, reply in area.channel.sent[before:] if address == "1"]
    assert any("Chưa làm được việc trong kế hoạch: «mua 2 con heo giống»" in t for t in told)
    assert "Mình đã ghi câu trả lời" in (await area.household.press(yes))[0].text
    async with sessions() as session:
        states = list(await session.scalars(select(Milestone.state).order_by(Milestone.due_on)))
        rules = list(await session.scalars(select(Alert.rule)))
        actions = list(await session.scalars(select(Audit.action)))
    assert states == ["missed", "pending"]
    assert rules == ["milestone_missed"]
    assert {"plan.set", "plan.view", "household.view"} <= set(actions)
    shown = await area.officer.text(f"/kehoach {area.code}")
    assert "chưa đúng tiến độ" in shown and "✗ 15/12/2026" in shown


async def test_another_areas_officer_is_refused(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    area = Area()
    await area.start(settings, sessions)
    async with transaction(sessions) as session:
        await add_area(session, code="C2", name="Xã Hai", kind="commune", parent="P1")
        other = await add_officer(
            session, name="Cán bộ B", area="C2", role="officer", now=area.clock.now, ttl_days=30
        )
    stranger = Dialog(area.app, area.channel, "3")
    await joined_household(stranger, other.invite)
    refused = await stranger.text(f"/kehoach {area.code} nuôi heo")
    # the same refusal as for a code that does not exist: it tells nothing of other areas
    assert f"Không có hộ mã {area.code} trong địa bàn của anh/chị." in refused
    async with sessions() as session:
        actions = list(await session.scalars(select(Audit.action)))
        assert "household.refused" in actions and "plan.set" not in actions
        assert await session.scalar(select(EntryActivity.entry_id)) is None


async def test_unknown_parts_are_said_back(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    area = Area()
    await area.start(settings, sessions)
    reply = await area.officer.text(f"/kehoach {area.code} nuôi khủng long; 40/2027 gì đó")
    assert "«nuôi khủng long»" in reply and "«40/2027 gì đó»" in reply
    assert "chưa có kế hoạch" in await area.officer.text(f"/kehoach {area.code}")
    # a household cannot set a plan: /kehoach is its own view
    assert "chưa có kế hoạch làm ăn" in await area.household.text(f"/kehoach {area.code} nuôi heo")


async def test_a_loan_decides_the_activity(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """Money spent on what a loan was for goes to the loan's activity when its words name
    none; words still win, and the borrowing itself belongs to no activity."""
    area = Area()
    await area.start(settings, sessions)
    await area.officer.say(f"/kehoach {area.code} nuôi heo, nuôi bò")
    await area.household.say("vay ngân hàng chính sách 20 triệu nuôi bò")
    await area.household.say("làm chuồng 1 triệu")
    await area.household.say("mua cám heo 400k")
    await area.household.say("đóng lãi ngân hàng 300k")  # the loan's cost is the cows' too
    await area.household.say("trả nợ ngân hàng 2 triệu")  # principal: no cost of anything
    async with sessions() as session:
        found = dict(
            (text, (activity, source))
            for text, activity, source in await session.execute(
                select(Entry.text, EntryActivity.activity, EntryActivity.source).join(
                    EntryActivity, EntryActivity.entry_id == Entry.id
                )
            )
        )
    assert found == {
        "làm chuồng 1 triệu": ("nuoi_bo", "loan"),
        "mua cám heo 400k": ("nuoi_heo", "words"),
        "đóng lãi ngân hàng 300k": ("nuoi_bo", "loan"),
    }
    mine = await area.household.text("/kehoach")
    assert "Nuôi bò: đã chi 1.300.000\xa0₫, đã thu 0\xa0₫, lỗ 1.300.000\xa0₫" in mine
