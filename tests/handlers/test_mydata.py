"""A household's own data: see it, take it, delete it (issue 4, item 6; DESIGN privacy)."""

from __future__ import annotations

import csv
import io

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from models import Audit, Contact, Entry, Inbound, Loan, Outbox
from tests.dialog import (
    joined_dialog,
)


async def test_see_and_take_the_diary(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    dialog = await joined_dialog(settings, sessions)
    await dialog.say("bán heo 3 triệu")
    await dialog.say("mua phân 500k")
    mine = await dialog.text("/toi")
    assert "Sổ nhật ký: 2 dòng" in mine and "/xoadulieu" in mine
    [export] = await dialog.say("/xuatdulieu")
    assert export.attachment is not None and export.attachment.filename.endswith(".csv")
    # The household's own file speaks its language (codes stay in the officer's export).
    rows = list(csv.DictReader(io.StringIO(export.attachment.data.decode("utf-8-sig"))))
    assert list(rows[0]) == ["Ngày", "Loại", "Số tiền (đồng)", "Nhóm", "Nội dung", "Ghi lúc"]
    assert [(r["Loại"], r["Số tiền (đồng)"], r["Nhóm"], r["Nội dung"]) for r in rows] == [
        ("Thu", "3000000", "Chăn nuôi", "bán heo 3 triệu"),
        ("Chi", "500000", "Chi sản xuất", "mua phân 500k"),
    ]
    assert rows[0]["Ngày"].count("/") == 2 and "income" not in export.attachment.data.decode()
    async with sessions() as session:
        actions = set(await session.scalars(select(Audit.action)))
    assert {"mydata.view", "mydata.export"} <= actions


async def test_deleting_forgets_what_was_written_and_what_was_sent_back(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    dialog = await joined_dialog(settings, sessions)
    await dialog.say("vay ngân hàng chính sách 30 triệu nuôi bò")
    await dialog.press("due:12")
    await dialog.say("bán heo 3 triệu")
    [question] = await dialog.say("/xoadulieu")
    yes, no = (b.payload for b in question.flat_buttons())
    assert yes.startswith("wipe:yes:") and no == "wipe:no"
    assert "Không xóa gì" in "\n".join(r.text for r in await dialog.press("wipe:no"))
    async with sessions() as session:
        assert await session.scalar(select(func.count(Entry.id))) == 2
    [done] = await dialog.press(yes)
    assert "Đã xóa" in done.text
    async with sessions() as session:
        assert await session.scalar(select(func.count(Entry.id))) == 0
        assert await session.scalar(select(func.count(Loan.id))) == 0
        assert await session.scalar(select(func.count(Contact.id))) == 0
        payloads = list(await session.scalars(select(Inbound.payload)))
        assert payloads and all(p.get("redacted") for p in payloads)
        # What the bot sent back repeated the sums: only the last answer, still to be
        # sent when the data went, keeps its (harmless) text.
        bodies = [o.body for o in await session.scalars(select(Outbox).order_by(Outbox.id))]
        assert all(body == {"redacted": True} for body in bodies[:-1])
        assert "triệu" not in str(bodies) and "3.000.000" not in str(bodies)
        assert "mydata.delete" in set(await session.scalars(select(Audit.action)))
    # Writing again needs a new invite: nothing is kept meanwhile.
    await dialog.say("bán heo 1 triệu")
    async with sessions() as session:
        assert await session.scalar(select(func.count(Entry.id))) == 0
