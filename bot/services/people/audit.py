"""The audit trail: who looked at or changed which household's data."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from models import Audit


async def audit(
    session: AsyncSession,
    actor: str,
    action: str,
    *,
    household_id: int | None = None,
    **details: Any,
) -> None:
    session.add(Audit(actor=actor, action=action, household_id=household_id, details=details))
