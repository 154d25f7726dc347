"""Small SQL helpers that differ by backend."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


async def insert_ignore(
    session: AsyncSession, table: Table, values: dict[str, Any], unique: list[str]
) -> int | None:
    """Insert a row unless one with the same ``unique`` columns exists.

    Returns the new row's id, or ``None`` when it was a repeat.  This is how a
    redelivered update or a second attempt at the same send becomes harmless.
    """
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    module: Any = postgresql if dialect == "postgresql" else sqlite
    statement = (
        module.insert(table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=unique)
        .returning(table.c.id)
    )
    result = await session.execute(statement)
    return result.scalar_one_or_none()
