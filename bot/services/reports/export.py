"""Exporting diary entries as CSV or XLSX (the CLI and a household's own export), and
everything kept about one household (models/household_data.py) as JSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.groups.privacy import household_part
from bot.i18n import N_, Translator
from bot.services.diary.labels import category_label, kind_label
from bot.services.diary.ledger import Period
from bot.services.people.people import descendant_area_ids
from bot.services.rendering.xlsx_safe import csv_row, row_cells
from models import Area, Entry, Household
from models.household_data import HOUSEHOLD_DATA, rows_of

COLUMNS = ("household_code", "date", "kind", "amount", "category", "text", "recorded_at")


@dataclass(frozen=True, slots=True)
class ExportFilter:
    area: str | None = None  # an area code: its households and those of areas below it
    household: str | None = None
    month: date | None = None  # any day of the month


async def _area_ids(session: AsyncSession, code: str) -> list[int]:
    root = await session.scalar(select(Area.id).where(Area.code == code))
    if root is None:
        raise ValueError(f"no area with code {code!r}")
    return await descendant_area_ids(session, root)


async def _query(session: AsyncSession, where: ExportFilter) -> Select[Any]:
    query = (
        select(
            Household.code,
            Entry.day,
            Entry.kind,
            Entry.amount,
            Entry.category,
            Entry.text,
            Entry.recorded_at,
        )
        .join(Household, Household.id == Entry.household_id)
        .where(Entry.deleted_at.is_(None))
        .order_by(Household.code, Entry.day, Entry.id)
    )
    if where.area:
        query = query.where(Household.area_id.in_(await _area_ids(session, where.area)))
    if where.household:
        if (
            await session.scalar(select(Household.id).where(Household.code == where.household))
            is None
        ):
            raise ValueError(f"no household with code {where.household!r}")
        query = query.where(Household.code == where.household)
    if where.month:
        period = Period.month_of(where.month)
        query = query.where(Entry.day >= period.start, Entry.day <= period.end)
    return query


async def rows(session: AsyncSession, where: ExportFilter) -> AsyncIterator[tuple[Any, ...]]:
    """Export rows: ``date`` as YYYY-MM-DD, ``amount`` an integer of đồng."""
    result = await session.stream(await _query(session, where))
    async for code, day, kind, amount, category, text, recorded_at in result:
        yield (
            code,
            day.isoformat(),
            kind,
            int(amount),
            category,
            text,
            recorded_at.isoformat(timespec="seconds"),
        )


async def to_csv(session: AsyncSession, where: ExportFilter) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    async for row in rows(session, where):
        writer.writerow(csv_row(row))
    return buffer.getvalue()


# The household's own file (/xuatdulieu): its words, not the codes of the officer's export.
HOUSEHOLD_COLUMNS = (
    N_("Ngày"),
    N_("Loại"),
    N_("Số tiền (đồng)"),
    N_("Nhóm"),
    N_("Nội dung"),
    N_("Ghi lúc"),
)


async def household_csv(
    session: AsyncSession, household_code: str, t: Translator, zone: ZoneInfo
) -> str:
    """A household's diary as it would write it: local dates, kinds and groups in words."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([t._(title) for title in HOUSEHOLD_COLUMNS])
    result = await session.stream(await _query(session, ExportFilter(household=household_code)))
    async for _, day, kind, amount, category, text, recorded_at in result:
        writer.writerow(
            csv_row(
                (
                    t.date(day),
                    kind_label(t, kind),
                    int(amount),
                    category_label(t, category),
                    text,
                    t.datetime(recorded_at.astimezone(zone)),
                )
            )
        )
    return buffer.getvalue()


GROUP_COLUMNS = (N_("Nhóm"), N_("Loại"), N_("Nội dung"), N_("Lúc"))
MEMBER_STATE_LABELS = {
    "invited": N_("được mời"),
    "member": N_("thành viên"),
    "refused": N_("không tham gia"),
    "left": N_("đã rời nhóm"),
    "removed": N_("cán bộ đã đưa ra khỏi nhóm"),
}
POST_KIND_LABELS = {
    "tip": N_("Mẹo chia sẻ"),
    "question": N_("Câu hỏi"),
    "photo": N_("Ảnh kèm lời"),
    "answer": N_("Câu trả lời"),
}


async def household_groups_csv(
    session: AsyncSession, household_id: int, t: Translator, zone: ZoneInfo
) -> str | None:
    """The household's linkage groups (what it agreed to) and what it sent to them;
    ``None`` when it was never invited to one."""
    memberships, posts = await household_part(session, household_id)
    if not memberships:
        return None
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([t._(title) for title in GROUP_COLUMNS])
    for m in memberships:
        agreed = t._("{state}; hiện tên: {name}; hiện số liệu: {figures}; tắt tin: {muted}")
        writer.writerow(
            csv_row(
                (
                    m.group,
                    t._("Tham gia nhóm"),
                    agreed.format(
                        state=t._(MEMBER_STATE_LABELS[m.state]),
                        name=_yes_no(t, m.show_name),
                        figures=_yes_no(t, m.show_figures),
                        muted=_yes_no(t, m.muted),
                    ),
                    t.datetime(m.invited_at.astimezone(zone)),
                )
            )
        )
    for post in posts:
        writer.writerow(
            csv_row(
                (
                    post.group,
                    t._(POST_KIND_LABELS[post.kind]),
                    post.text,
                    t.datetime(post.at.astimezone(zone)),
                )
            )
        )
    return buffer.getvalue()


def _yes_no(t: Translator, value: bool) -> str:
    return t._("có") if value else t._("không")


async def to_xlsx(session: AsyncSession, where: ExportFilter) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("entries")
    sheet.append(list(COLUMNS))
    async for row in rows(session, where):
        sheet.append(row_cells(sheet, row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def household_data(session: AsyncSession, household_code: str) -> dict[str, Any]:
    """Every row kept about a household, table by table as models/household_data.py
    declares them: what a request for all of a household's data is answered with."""
    household = await session.scalar(select(Household).where(Household.code == household_code))
    if household is None:
        raise ValueError(f"no household with code {household_code!r}")
    found: dict[str, Any] = {"household": _columns(household)}
    for entry in HOUSEHOLD_DATA:
        rows = await session.scalars(rows_of(entry, household.id))
        found[entry.table] = [_columns(row) for row in rows]
    return found


def household_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, default=str)


def _columns(row: Any) -> dict[str, Any]:
    return {column.key: getattr(row, column.key) for column in row.__table__.columns}
