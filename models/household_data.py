"""Where a household's data lives, declared once: export, deletion and their tests walk this.

Every table that holds a key to a household (a ``household_id`` column, or a foreign key to
``household`` or ``contact``) is declared here, with how its rows reach the household and
what deleting the household's data (/xoadulieu) does to them:

* ``DELETE``: the rows go;
* ``CLEAR``: the rows stay for what others need of them, the household's words are emptied;
* ``KEEP``: the rows stay, for the reason given (they are records others keep).

tests/services/test_household_data.py fails when a table with a household key is added
without being declared here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import ColumnElement, Select, select

from models.base import Base
from models.diary import CategoryOverride, Entry, Loan
from models.groups import GroupMember, GroupPost, LinkGroup
from models.messaging import Outbox
from models.people import Contact, Invite
from models.plans import EntryActivity, HouseholdActivity, Milestone, Plan, StatusChange
from models.work import Alert, Audit, Case, MeetingInvite

DELETE: Final = "delete"
CLEAR: Final = "clear"
KEEP: Final = "keep"


@dataclass(frozen=True, slots=True)
class Held:
    """A table holding a household's data: ``model.key`` is the household's id, or (with
    ``through``) the id of a row of ``through``, itself declared, that belongs to it."""

    model: type[Base]
    key: str = "household_id"
    through: type[Base] | None = None
    on_delete: str = DELETE
    cleared: tuple[str, ...] = ()  # the columns emptied (``CLEAR``)
    why: str = ""  # why the rows stay (``CLEAR`` and ``KEEP``)

    @property
    def table(self) -> str:
        return str(self.model.__tablename__)


HOUSEHOLD_DATA: Final[tuple[Held, ...]] = (
    Held(Contact, why="its chat accounts, forgotten with what they wrote: privacy.forget_contacts"),
    Held(Entry),
    Held(EntryActivity, key="entry_id", through=Entry),
    Held(Loan),
    Held(CategoryOverride),
    Held(Alert),
    Held(Case),
    Held(
        MeetingInvite,
        on_delete=CLEAR,
        cleared=("question",),
        why="the officer's record of who was invited and came; the question is the household's",
    ),
    Held(
        Outbox,
        key="contact_id",
        through=Contact,
        on_delete=CLEAR,
        cleared=("contact_id",),
        why="what waits to be sent still goes; what was sent is redacted (privacy.forget_contacts)",
    ),
    Held(GroupMember),
    Held(GroupPost),  # privacy.forget_household first drops or redacts their sends
    Held(
        LinkGroup,
        key="leader_household_id",
        on_delete=CLEAR,
        cleared=("leader_household_id",),
        why="a group it led stays for the other members, without a leader",
    ),
    Held(HouseholdActivity, on_delete=KEEP, why="the activities its officer follows it in"),
    Held(Plan, on_delete=KEEP, why="the plan made with its officer, the programme's record"),
    Held(Milestone, key="plan_id", through=Plan, on_delete=KEEP, why="steps of that plan"),
    Held(StatusChange, on_delete=KEEP, why="officers' decisions on its poverty status"),
    Held(Invite, on_delete=KEEP, why="the officer's invite codes; deleting needs a new one"),
    Held(Audit, on_delete=KEEP, why="who looked at or changed its data: the accountability log"),
)

# Tables with a household key that hold none of its data.
NOT_HOUSEHOLD_DATA: Final[dict[str, str]] = {}


def held(model: type[Base]) -> Held:
    for found in HOUSEHOLD_DATA:
        if found.model is model:
            return found
    raise KeyError(f"{model.__name__} is not declared in models/household_data.py")


def belongs_to(entry: Held, household_id: int) -> ColumnElement[bool]:
    """The condition picking ``entry``'s rows that belong to the household."""
    key = getattr(entry.model, entry.key)
    if entry.through is None:
        condition: ColumnElement[bool] = key == household_id
        return condition
    parent = held(entry.through)
    ids = select(parent.model.__table__.c.id).where(belongs_to(parent, household_id))
    inside: ColumnElement[bool] = key.in_(ids)
    return inside


def rows_of(entry: Held, household_id: int) -> Select[Any]:
    return select(entry.model).where(belongs_to(entry, household_id))


def children_first(entries: Sequence[Held]) -> list[Held]:
    """``entries`` with the tables that point at others before them (safe to delete)."""
    order = {table.name: at for at, table in enumerate(Base.metadata.sorted_tables)}
    return sorted(entries, key=lambda entry: -order[entry.table])
