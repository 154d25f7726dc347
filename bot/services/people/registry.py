"""Areas, officers and households, and the one-time invites that link chat accounts."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import AREA_KINDS, HOUSEHOLD_STATUSES, OFFICER_ROLES, Area, Household, Invite, Officer

# No 0/O, 1/I/L: codes are read aloud and typed on old phones.
INVITE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
INVITE_LENGTH = 8


class RegistryError(ValueError):
    """A request the registry refuses, phrased for the person who made it."""


@dataclass(frozen=True, slots=True)
class Created:
    id: int
    code: str
    invite: str
    name: str


def new_invite_code() -> str:
    raw = "".join(secrets.choice(INVITE_ALPHABET) for _ in range(INVITE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_invite(text: str) -> str:
    """Case, spaces and dashes don't matter when a code is typed."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def hash_invite(code: str, secret: str = "") -> str:
    """What is stored of a code: an HMAC with the deployment's ``[invites] secret`` (kept
    out of the database, so a copy of it cannot be searched through ~40 bits of codes),
    or, without a secret, a plain SHA-256 as before."""
    normal = normalise_invite(code).encode()
    if secret:
        return hmac.new(secret.encode(), normal, hashlib.sha256).hexdigest()
    return hashlib.sha256(normal).hexdigest()


def invite_hashes(code: str, secret: str = "") -> list[str]:
    """The stored forms a typed code may have: codes issued before a secret was set keep
    working until they expire."""
    return list(dict.fromkeys([hash_invite(code, secret), hash_invite(code)]))


def looks_like_invite(text: str) -> bool:
    code = normalise_invite(text)
    return len(code) == INVITE_LENGTH and all(ch in INVITE_ALPHABET for ch in code)


async def area_by_code(session: AsyncSession, code: str) -> Area:
    area = await session.scalar(select(Area).where(Area.code == code))
    if area is None:
        raise RegistryError(f"no area with code {code!r}")
    return area


async def add_area(
    session: AsyncSession, *, code: str, name: str, kind: str, parent: str | None = None
) -> Area:
    if kind not in AREA_KINDS:
        raise RegistryError(f"kind must be one of {', '.join(AREA_KINDS)}")
    if await session.scalar(select(Area.id).where(Area.code == code)) is not None:
        raise RegistryError(f"area {code!r} exists already")
    parent_id = (await area_by_code(session, parent)).id if parent else None
    area = Area(code=code, name=name, kind=kind, parent_id=parent_id)
    session.add(area)
    await session.flush()
    return area


async def _issue_invite(
    session: AsyncSession, now: datetime, ttl_days: int, secret: str, **owner: int
) -> str:
    code = new_invite_code()
    session.add(
        Invite(
            code_hash=hash_invite(code, secret), expires_at=now + timedelta(days=ttl_days), **owner
        )
    )
    return code


async def issue_invite(
    session: AsyncSession, household_id: int, now: datetime, ttl_days: int, *, secret: str = ""
) -> str:
    """Another one-time code for a household, e.g. for a second chat account or channel."""
    return await _issue_invite(session, now, ttl_days, secret, household_id=household_id)


async def add_officer(
    session: AsyncSession,
    *,
    name: str,
    area: str,
    role: str,
    now: datetime,
    ttl_days: int,
    secret: str = "",
) -> Created:
    if role not in OFFICER_ROLES:
        raise RegistryError(f"role must be one of {', '.join(OFFICER_ROLES)}")
    officer = Officer(code="", name=name, area_id=(await area_by_code(session, area)).id, role=role)
    session.add(officer)
    await session.flush()
    officer.code = f"CB{officer.id:04d}"
    invite = await _issue_invite(session, now, ttl_days, secret, officer_id=officer.id)
    return Created(officer.id, officer.code, invite, name)


async def officer_by_code(session: AsyncSession, code: str) -> Officer:
    officer = await session.scalar(select(Officer).where(Officer.code == code))
    if officer is None:
        raise RegistryError(f"no officer with code {code!r}")
    return officer


async def add_household(
    session: AsyncSession,
    *,
    name: str,
    members: int,
    area: str,
    status: str = "poor",
    urban: bool = False,
    officer: str | None = None,
    phone: str | None = None,
    hamlet: str | None = None,
    now: datetime,
    ttl_days: int,
    secret: str = "",
) -> Created:
    if not name.strip():
        raise RegistryError("name is empty")
    if not 1 <= members <= 50:
        raise RegistryError("members must be between 1 and 50")
    if status not in HOUSEHOLD_STATUSES:
        raise RegistryError(f"status must be one of {', '.join(HOUSEHOLD_STATUSES)}")
    area_row = await area_by_code(session, area)
    officer_id = (await officer_by_code(session, officer)).id if officer else None
    if officer_id is None:
        # Default to the area's first officer, so every household has someone to alert.
        officer_id = await session.scalar(
            select(Officer.id)
            .where(Officer.area_id == area_row.id, Officer.role == "officer")
            .order_by(Officer.id)
            .limit(1)
        )
    household = Household(
        code="",
        head_name=name.strip(),
        members=members,
        area_id=area_row.id,
        status=status,
        urban=urban,
        officer_id=officer_id,
        phone=phone or None,
        hamlet=hamlet or None,
    )
    session.add(household)
    await session.flush()
    household.code = f"HO{household.id:05d}"
    invite = await _issue_invite(session, now, ttl_days, secret, household_id=household.id)
    return Created(household.id, household.code, invite, household.head_name)


async def count_households(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count(Household.id))) or 0)


async def household_by_code(session: AsyncSession, code: str) -> Household | None:
    """The household of ``code`` as typed (case and spaces around it do not matter)."""
    found: Household | None = await session.scalar(
        select(Household).where(Household.code == code.strip().upper())
    )
    return found


async def households_by_code(session: AsyncSession, ids: Iterable[int]) -> list[Household]:
    """The households ``ids``, by code."""
    return list(
        await session.scalars(
            select(Household).where(Household.id.in_(list(ids))).order_by(Household.code)
        )
    )


async def household_codes(session: AsyncSession, ids: Iterable[int]) -> dict[int, str]:
    rows = await session.execute(
        select(Household.id, Household.code).where(Household.id.in_(list(ids)))
    )
    return {household_id: code for household_id, code in rows}
