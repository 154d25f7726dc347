"""The household's data is declared once (models/household_data.py): every table with a
household key is in it, and export and deletion cover every table it declares."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime

from sqlalchemy import Table, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import transaction
from bot.services.people.privacy import forget_household
from bot.services.reports import export
from models import (
    Alert,
    Audit,
    Base,
    Case,
    CategoryOverride,
    Contact,
    Entry,
    EntryActivity,
    GroupMember,
    GroupPost,
    Household,
    HouseholdActivity,
    Invite,
    LinkGroup,
    Loan,
    Meeting,
    MeetingInvite,
    Milestone,
    Outbox,
    Plan,
    StatusChange,
)
from models.household_data import (
    CLEAR,
    DELETE,
    HOUSEHOLD_DATA,
    KEEP,
    NOT_HOUSEHOLD_DATA,
    Held,
    belongs_to,
)
from tests.dialog import seed_programme

HOUSEHOLD_KEYS = ("household", "contact")  # tables a key to which makes a row a household's
NOW = datetime(2026, 3, 20, 8, tzinfo=UTC)


def _has_household_key(table: Table) -> bool:
    return "household_id" in table.columns or any(
        key.column.table.name in HOUSEHOLD_KEYS for key in table.foreign_keys
    )


def test_every_table_with_a_household_key_is_declared() -> None:
    declared = {entry.table for entry in HOUSEHOLD_DATA} | set(NOT_HOUSEHOLD_DATA)
    missing = [
        table.name
        for table in Base.metadata.sorted_tables
        if _has_household_key(table) and table.name not in declared
    ]
    assert not missing, (
        f"tables {missing} hold a key to a household or a contact but models/household_data.py"
        " does not say whether export and deletion cover them: declare them in HOUSEHOLD_DATA"
        " (or in NOT_HOUSEHOLD_DATA, with the reason)"
    )


def test_the_declarations_hold_together() -> None:
    tables = {entry.table for entry in HOUSEHOLD_DATA}
    assert len(tables) == len(HOUSEHOLD_DATA), "a table declared twice"
    assert all(reason.strip() for reason in NOT_HOUSEHOLD_DATA.values())
    for entry in HOUSEHOLD_DATA:
        assert entry.on_delete in (DELETE, CLEAR, KEEP), entry
        assert entry.key in entry.model.__table__.columns, entry
        assert entry.through is None or entry.through.__tablename__ in tables, entry
        assert entry.on_delete == DELETE or entry.why, f"{entry.table}: say why its rows stay"
        assert (entry.on_delete == CLEAR) == bool(entry.cleared), entry


# One row of each declared table for a household (``made`` holds the rows made before).
Make = Callable[[Household, dict[type[Base], Base]], Base]
MAKERS: dict[type[Base], Make] = {
    Contact: lambda h, made: Contact(
        channel="telegram", address=f"9{h.id}", household_id=h.id, consent_at=NOW
    ),
    Loan: lambda h, made: Loan(household_id=h.id, lender="chị Tư"),
    Entry: lambda h, made: Entry(
        household_id=h.id,
        kind="borrow",
        amount=3_000_000,
        category="loan",
        day=date(2026, 3, 20),
        text="vay chị Tư 3 triệu",
        contact_id=made[Contact].id,
        loan_id=made[Loan].id,
    ),
    EntryActivity: lambda h, made: EntryActivity(
        entry_id=made[Entry].id, activity="pig", source="words"
    ),
    CategoryOverride: lambda h, made: CategoryOverride(
        household_id=h.id, keyword="heo", category="livestock"
    ),
    Alert: lambda h, made: Alert(household_id=h.id, rule="urgent", cause_key=f"test:{h.id}"),
    Case: lambda h, made: Case(household_id=h.id, topic="help", text="giúp tôi với"),
    MeetingInvite: lambda h, made: MeetingInvite(
        meeting_id=made[Meeting].id, household_id=h.id, question="vay vốn thế nào?"
    ),
    Outbox: lambda h, made: Outbox(
        key=f"test:{h.id}",
        channel="telegram",
        address=f"9{h.id}",
        body={"text": "Đã ghi: vay 3.000.000 đ"},
        contact_id=made[Contact].id,
        status="sent",
    ),
    HouseholdActivity: lambda h, made: HouseholdActivity(household_id=h.id, activity="pig"),
    Plan: lambda h, made: Plan(household_id=h.id, author="cli"),
    Milestone: lambda h, made: Milestone(
        plan_id=made[Plan].id, due_on=date(2026, 6, 1), text="mua 2 con heo giống"
    ),
    StatusChange: lambda h, made: StatusChange(
        household_id=h.id, new_status="poor", changed_on=date(2026, 1, 1), author="cli"
    ),
    Invite: lambda h, made: Invite(
        household_id=h.id, code_hash=f"hash{h.id}", expires_at=datetime(2026, 4, 1, tzinfo=UTC)
    ),
    Audit: lambda h, made: Audit(actor="cli", action="test", household_id=h.id),
    LinkGroup: lambda h, made: LinkGroup(
        area_id=h.area_id, name="Nhóm nuôi heo", leader_household_id=h.id, author="cli"
    ),
    GroupMember: lambda h, made: GroupMember(
        group_id=made[LinkGroup].id, household_id=h.id, state="member"
    ),
    GroupPost: lambda h, made: GroupPost(
        group_id=made[LinkGroup].id, household_id=h.id, kind="tip", text="heo ăn cám gạo tốt"
    ),
}


async def _fill(session: AsyncSession, household: Household) -> None:
    made: dict[type[Base], Base] = {
        Meeting: Meeting(area_id=household.area_id, starts_at=NOW, place="Nhà văn hoá ấp 3")
    }
    session.add(made[Meeting])
    await session.flush()
    for model, make in MAKERS.items():
        made[model] = make(household, made)
        session.add(made[model])
        await session.flush()


async def _count(session: AsyncSession, entry: Held, household_id: int) -> int:
    condition = belongs_to(entry, household_id)
    if entry.on_delete == CLEAR:  # rows that still hold what is emptied
        columns = entry.model.__table__.columns
        condition = condition & or_(*(columns[c].is_not(None) for c in entry.cleared))
    return int(
        await session.scalar(select(func.count()).select_from(entry.model).where(condition)) or 0
    )


async def test_export_and_deletion_cover_every_declared_table(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    unmade = [entry.table for entry in HOUSEHOLD_DATA if entry.model not in MAKERS]
    assert not unmade, f"add a row maker for {unmade} to this test"
    programme = await seed_programme(sessions, households=2)
    async with transaction(sessions) as session:
        mine, other = [
            await session.scalar(select(Household).where(Household.code == h.code))
            for h in programme.households
        ]
        assert mine is not None and other is not None
        for household in (mine, other):
            await _fill(session, household)

    async with sessions() as session:
        data = json.loads(export.household_json(await export.household_data(session, mine.code)))
    assert data["household"]["code"] == mine.code
    for entry in HOUSEHOLD_DATA:
        assert data[entry.table], f"the export misses {entry.table}"

    async with sessions() as session:
        before = {entry.table: await _count(session, entry, other.id) for entry in HOUSEHOLD_DATA}
    async with transaction(sessions) as session:
        household = await session.get(Household, mine.id)
        assert household is not None
        await forget_household(session, household, actor="cli")

    async with sessions() as session:
        for entry in HOUSEHOLD_DATA:
            left = await _count(session, entry, mine.id)
            kept = entry.on_delete == KEEP  # (audit also gains the deletion's own line)
            assert (left >= 1) if kept else (left == 0), f"{entry.table}: {left} left"
            assert await _count(session, entry, other.id) == before[entry.table], entry.table
        assert await session.get(Household, mine.id) is not None
