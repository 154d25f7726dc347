"""SQLAlchemy 2 ORM of Sinh kế bot.  Tables are created only by Alembic migrations."""

from models.base import Base, utcnow
from models.diary import CategoryOverride, Entry, Loan
from models.groups import MEMBER_STATES, POST_KINDS, GroupMember, GroupPost, LinkGroup
from models.messaging import (
    PRIORITY_BULK,
    PRIORITY_NOTICE,
    PRIORITY_REPLY,
    REDACTED,
    Inbound,
    Outbox,
)
from models.people import (
    AREA_KINDS,
    HOUSEHOLD_STATUSES,
    OFFICER_ROLES,
    Area,
    Contact,
    Household,
    Invite,
    JoinAttempt,
    Officer,
)
from models.plans import (
    MILESTONE_STATES,
    TAG_SOURCES,
    EntryActivity,
    HouseholdActivity,
    Milestone,
    Plan,
    StatusChange,
)
from models.web import WebLogin, WebSession
from models.work import Alert, Audit, Broadcast, Case, Meeting, MeetingInvite

__all__ = [
    "AREA_KINDS",
    "HOUSEHOLD_STATUSES",
    "MEMBER_STATES",
    "MILESTONE_STATES",
    "OFFICER_ROLES",
    "POST_KINDS",
    "PRIORITY_BULK",
    "PRIORITY_NOTICE",
    "PRIORITY_REPLY",
    "REDACTED",
    "TAG_SOURCES",
    "Alert",
    "Area",
    "Audit",
    "Base",
    "Broadcast",
    "Case",
    "CategoryOverride",
    "Contact",
    "Entry",
    "EntryActivity",
    "GroupMember",
    "GroupPost",
    "Household",
    "HouseholdActivity",
    "Inbound",
    "Invite",
    "JoinAttempt",
    "LinkGroup",
    "Loan",
    "Meeting",
    "MeetingInvite",
    "Milestone",
    "Officer",
    "Outbox",
    "Plan",
    "StatusChange",
    "WebLogin",
    "WebSession",
    "utcnow",
]
