"""Forgetting: a chat account (what it wrote, the link to its household), and what others
were told about a household whose data is deleted."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Select, Text, cast, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.groups.privacy import unlink_posts
from bot.services.people.audit import audit
from bot.services.people.people import ancestor_area_ids
from models import REDACTED, Alert, Case, Contact, Entry, Household, Inbound, Loan, Officer, Outbox
from models.household_data import (
    CLEAR,
    DELETE,
    HOUSEHOLD_DATA,
    belongs_to,
    children_first,
    held,
    rows_of,
)

# What the officer typed to answer a case is the inbound named in its notice's key.
_ANSWER_KEY = re.compile(r"case:\d+:answer(\d+):")


@dataclass(frozen=True, slots=True)
class Kept:
    """How much the bot keeps of a household, for its own /toi."""

    entries: int
    loans: int
    accounts: int


async def kept_of(session: AsyncSession, household_id: int) -> Kept:
    async def count(query: Select[tuple[int]]) -> int:
        return int(await session.scalar(query) or 0)

    return Kept(
        entries=await count(
            select(func.count(Entry.id)).where(
                Entry.household_id == household_id, Entry.deleted_at.is_(None)
            )
        ),
        loans=await count(select(func.count(Loan.id)).where(Loan.household_id == household_id)),
        accounts=await count(
            select(func.count(Contact.id)).where(Contact.household_id == household_id)
        ),
    )


async def forget_contacts(session: AsyncSession, contacts: list[Contact]) -> None:
    """Delete the chat accounts; redact what they wrote (the inbound table) and what the
    bot already sent them (the outbox: replies repeat the sums), and unhook the outbox
    rows that still point at them (what waits to be sent still goes)."""
    for contact in contacts:
        await session.execute(
            update(Inbound)
            .where(Inbound.channel == contact.channel, Inbound.address == contact.address)
            .values(payload=REDACTED)
        )
        await session.execute(
            update(Outbox)
            .where(
                Outbox.channel == contact.channel,
                Outbox.address == contact.address,
                Outbox.status.not_in(("pending", "sending")),
            )
            .values(body=REDACTED, attachment=None)
        )
    ids = [contact.id for contact in contacts]
    await session.execute(update(Outbox).where(Outbox.contact_id.in_(ids)).values(contact_id=None))
    await session.execute(delete(Contact).where(Contact.id.in_(ids)))


async def _forget_what_officers_were_told(session: AsyncSession, household: Household) -> None:
    """Before the household's alerts (an urgent message's words) and requests for help
    are deleted: redact the officer's answers to them and the notices officers got about
    it (they repeat its words and sums; those not yet sent are dropped), and drop the
    report files sent to the officers over its area (each has the household's row)."""
    alert_ids = list(
        await session.scalars(select(Alert.id).where(Alert.household_id == household.id))
    )
    case_ids = list(await session.scalars(select(Case.id).where(Case.household_id == household.id)))
    officers = select(Officer.id).where(
        Officer.area_id.in_(await ancestor_area_ids(session, household.area_id))
    )
    to_officers = Outbox.contact_id.in_(select(Contact.id).where(Contact.officer_id.is_not(None)))
    about = or_(
        cast(Outbox.body, Text).contains(household.code, autoescape=True),
        *(Outbox.key.startswith(f"alert:{i}:") for i in alert_ids),
        *(Outbox.key.startswith(f"case:{i}:") for i in case_ids),
    )
    case_keys: list[str] = []
    if case_ids:
        case_keys = list(
            await session.scalars(
                select(Outbox.key).where(
                    or_(*(Outbox.key.startswith(f"case:{i}:") for i in case_ids))
                )
            )
        )
    answers = [int(m.group(1)) for key in case_keys if (m := _ANSWER_KEY.match(key))]
    await session.execute(update(Inbound).where(Inbound.id.in_(answers)).values(payload=REDACTED))
    await session.execute(delete(Outbox).where(to_officers, about, Outbox.status == "pending"))
    await session.execute(
        update(Outbox)
        .where(to_officers, about, Outbox.status != "sending")
        .values(body=REDACTED, attachment=None)
    )
    await session.execute(
        update(Outbox)
        .where(
            Outbox.contact_id.in_(select(Contact.id).where(Contact.officer_id.in_(officers))),
            Outbox.attachment.is_not(None),
            Outbox.status.not_in(("pending", "sending")),
        )
        .values(attachment=None)
    )


async def forget_household(session: AsyncSession, household: Household, *, actor: str) -> None:
    """Delete a household's data as models/household_data.py declares it: the diary,
    loans, corrections, alerts and requests for help go, what officers were told of them
    is redacted, and every linked chat is forgotten (its consent withdrawn).  The
    household row and the records its officers keep stay."""
    await _forget_what_officers_were_told(session, household)  # reads its alerts and cases
    await unlink_posts(session, household.id)  # before its group posts go
    contacts = list(await session.scalars(rows_of(held(Contact), household.id)))
    for entry in children_first(HOUSEHOLD_DATA):
        if entry.model is Contact:
            await forget_contacts(session, contacts)
        elif entry.on_delete == DELETE:
            await session.execute(delete(entry.model).where(belongs_to(entry, household.id)))
        elif entry.on_delete == CLEAR:
            await session.execute(
                update(entry.model)
                .where(belongs_to(entry, household.id))
                .values(dict.fromkeys(entry.cleared))
            )
    await audit(session, actor, "mydata.delete", household_id=household.id)
