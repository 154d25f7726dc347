"""Signing in without passwords: one-use links from /web, sessions, form tokens.

A link's token and a session's cookie are random; only their SHA-256 is stored, so a copy
of the database signs nobody in.  A link is good for ``[web] link_minutes`` and one use; a
session ends after ``[web] session_hours``, at sign-out, or when the officer is removed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.people.access import REMOVED
from bot.services.people.audit import audit
from models import Contact, Officer, WebLogin, WebSession


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_link(
    session: AsyncSession, officer: Officer, now: datetime, *, minutes: int
) -> str:
    """A new sign-in token for ``officer``; the officer's earlier unused links stop working."""
    await session.execute(
        update(WebLogin)
        .where(WebLogin.officer_id == officer.id, WebLogin.used_at.is_(None))
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(24)
    session.add(
        WebLogin(
            token_hash=_digest(token),
            officer_id=officer.id,
            expires_at=now + timedelta(minutes=minutes),
            created_at=now,
        )
    )
    await audit(session, f"officer:{officer.id}", "web.link")
    return token


async def usable(session: AsyncSession, token: str, now: datetime) -> bool:
    """Whether the link would still open a session (without spending it)."""
    login = await session.scalar(select(WebLogin).where(WebLogin.token_hash == _digest(token)))
    return login is not None and login.used_at is None and login.expires_at > now


@dataclass(frozen=True, slots=True)
class Opened:
    cookie: str  # the session's secret, for the browser only
    officer: Officer


async def redeem(
    session: AsyncSession, token: str, now: datetime, *, hours: int, default_locale: str
) -> Opened | None:
    """Spend a link and open a session; ``None`` if the link is unknown, used or late."""
    login = await session.scalar(
        select(WebLogin).where(WebLogin.token_hash == _digest(token)).with_for_update()
    )
    if login is None or login.used_at is not None or login.expires_at <= now:
        return None
    login.used_at = now
    officer = await session.get(Officer, login.officer_id)
    if officer is None or officer.role == REMOVED:
        return None
    # The pages speak the language of the officer's chat (the link names no chat).
    locale = await session.scalar(
        select(Contact.locale).where(Contact.officer_id == officer.id).limit(1)
    )
    cookie = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            token_hash=_digest(cookie),
            officer_id=officer.id,
            csrf=secrets.token_urlsafe(24),
            locale=locale or default_locale,
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    await audit(session, f"officer:{officer.id}", "web.sign_in")
    return Opened(cookie, officer)


async def current(
    session: AsyncSession, cookie: str | None, now: datetime
) -> tuple[WebSession, Officer] | None:
    """The live session of this cookie and its officer, if both still hold."""
    if not cookie:
        return None
    found = await session.scalar(select(WebSession).where(WebSession.token_hash == _digest(cookie)))
    if found is None or found.ended_at is not None or found.expires_at <= now:
        return None
    officer = await session.get(Officer, found.officer_id)
    if officer is None or officer.role == REMOVED:
        return None
    return found, officer


def csrf_ok(web_session: WebSession, sent: str | None) -> bool:
    return sent is not None and hmac.compare_digest(web_session.csrf, sent)


async def sign_out(session: AsyncSession, web_session: WebSession, now: datetime) -> None:
    web_session.ended_at = now
    await audit(session, f"officer:{web_session.officer_id}", "web.sign_out")
