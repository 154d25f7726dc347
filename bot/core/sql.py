"""Small SQL helpers shared by SQLite and PostgreSQL."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Table, TextClause, bindparam, text
from sqlalchemy.ext.asyncio import AsyncSession

# Rows per statement: well under the databases' limits on bound parameters (SQLite 32,766,
# PostgreSQL 65,535) for a table's dozen columns, and few statement sizes to cache.
ROWS_PER_INSERT = 100


async def insert_ignore(
    session: AsyncSession, table: Table, values: dict[str, Any], unique: list[str]
) -> int | None:
    """Insert a row unless one with the same ``unique`` columns exists.

    Returns the new row's id, or ``None`` when it was a repeat.  This is how a
    redelivered update or a second attempt at the same send becomes harmless.
    """
    new = await insert_ignore_many(session, table, [values], unique)
    return next(iter(new.values()), None)


async def insert_ignore_many(
    session: AsyncSession, table: Table, rows: list[dict[str, Any]], unique: list[str]
) -> dict[tuple[Any, ...], int]:
    """:func:`insert_ignore` for several rows with the same columns, in one statement
    per ``ROWS_PER_INSERT`` rows; the new rows' ids by their ``unique`` values."""
    new: dict[tuple[Any, ...], int] = {}
    for start in range(0, len(rows), ROWS_PER_INSERT):
        filled = [_with_defaults(table, row) for row in rows[start : start + ROWS_PER_INSERT]]
        columns = tuple(filled[0])
        statement = _insert_ignore_statement(table, columns, tuple(unique), len(filled))
        params = {
            f"{column}_{n}": row[column] for n, row in enumerate(filled) for column in columns
        }
        result = await session.execute(statement, params)
        new |= {tuple(found[1:]): found[0] for found in result}
    return new


@lru_cache(maxsize=256)
def _insert_ignore_statement(
    table: Table, columns: tuple[str, ...], unique: tuple[str, ...], count: int
) -> TextClause:
    # Text, because SQLAlchemy 2.0 cannot cache its dialects' on-conflict inserts: it
    # compiled one anew for every stored update and every reply.  This text means the
    # same on SQLite (3.35+) and PostgreSQL.
    names = ", ".join(f'"{column}"' for column in columns)
    values = ", ".join(
        "(" + ", ".join(f":{column}_{n}" for column in columns) + ")" for n in range(count)
    )
    keys = ", ".join(f'"{column}"' for column in unique)
    return text(
        f'INSERT INTO "{table.name}" ({names}) VALUES {values} '
        f"ON CONFLICT ({keys}) DO NOTHING RETURNING id, {keys}"
    ).bindparams(
        *(
            bindparam(f"{column}_{n}", type_=table.c[column].type)
            for n in range(count)
            for column in columns
        )
    )


def _with_defaults(table: Table, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` plus the Python-side defaults of the columns it leaves out (the
    ORM would have filled them in; a text statement does not)."""
    row = dict(values)
    for column in table.columns:
        default: Any = column.default
        if column.name in row or default is None:
            continue
        if default.is_callable:
            row[column.name] = default.arg(None)
        elif default.is_scalar:
            row[column.name] = default.arg
    return row
