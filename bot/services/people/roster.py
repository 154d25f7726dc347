"""Importing a roster of households from CSV or XLSX, all or nothing."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rich.progress import Progress
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.people.registry import Created, RegistryError, add_household

REQUIRED = ("name", "members", "area")
OPTIONAL = ("status", "urban", "officer", "phone", "hamlet")
TRUE_WORDS = {"1", "true", "yes", "x", "co", "có", "thanh thi", "thành thị", "urban"}
PROGRESS_FROM = 200  # rows; smaller files finish before a bar would be read


class RosterError(RegistryError):
    """A roster problem, naming the file and line."""


@dataclass(frozen=True, slots=True)
class RosterRow:
    line: int
    values: dict[str, str]


def read(path: Path) -> list[RosterRow]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows = list(_read_csv(path))
    elif suffix in (".xlsx", ".xlsm"):
        rows = list(_read_xlsx(path))
    else:
        raise RosterError(f"{path}: use a .csv or .xlsx file")
    if not rows:
        raise RosterError(f"{path}: no households in the file")
    return rows


def _header(path: Path, cells: list[str]) -> list[str]:
    header = [cell.strip().lower() for cell in cells]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise RosterError(f"{path}: line 1: missing column(s) {', '.join(missing)}")
    unknown = [name for name in header if name and name not in REQUIRED + OPTIONAL]
    if unknown:
        raise RosterError(f"{path}: line 1: unknown column(s) {', '.join(unknown)}")
    return header


def _read_csv(path: Path) -> Iterator[RosterRow]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            # Excel in a Vietnamese locale separates fields with ";": the header (names
            # without commas or semicolons) shows which separator the file uses.
            delimiter = max((",", ";", "\t"), key=handle.readline().count)
            handle.seek(0)
            reader = csv.reader(handle, delimiter=delimiter)
            header = _header(path, next(reader, []))
            for cells in reader:
                if any(cell.strip() for cell in cells):
                    yield RosterRow(reader.line_num, dict(zip(header, cells, strict=False)))
    except UnicodeDecodeError:
        raise RosterError(f"{path}: not UTF-8 text (save the CSV as UTF-8)") from None


def _read_xlsx(path: Path) -> Iterator[RosterRow]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(path, read_only=True, data_only=True).active
    except Exception as exc:
        raise RosterError(f"{path}: cannot open as Excel ({exc})") from None
    if sheet is None:
        raise RosterError(f"{path}: the workbook has no sheet")
    rows = sheet.iter_rows(values_only=True)
    header = _header(path, ["" if c is None else str(c) for c in next(rows, ())])
    for number, cells in enumerate(rows, start=2):
        values = ["" if c is None else str(c).strip() for c in cells]
        if any(values):
            yield RosterRow(number, dict(zip(header, values, strict=False)))


async def import_rows(
    session: AsyncSession,
    rows: list[RosterRow],
    *,
    source: Path,
    now: datetime,
    ttl_days: int,
    secret: str = "",
) -> list[Created]:
    """Add every row or, at the first bad one, raise naming its line (the caller's
    transaction then rolls back, so nothing is added)."""
    created: list[Created] = []
    with Progress(disable=len(rows) < PROGRESS_FROM or not sys.stderr.isatty()) as progress:
        task = progress.add_task("Importing households", total=len(rows))
        for row in rows:
            try:
                created.append(await _add(session, row, now=now, ttl_days=ttl_days, secret=secret))
            except RegistryError as exc:
                raise RosterError(f"{source}: line {row.line}: {exc}") from None
            progress.advance(task)
    return created


async def _add(
    session: AsyncSession, row: RosterRow, *, now: datetime, ttl_days: int, secret: str
) -> Created:
    values = {key: (value or "").strip() for key, value in row.values.items()}
    for name in REQUIRED:
        if not values.get(name):
            raise RegistryError(f"{name} is empty")
    try:
        members = int(float(values["members"]))
    except ValueError:
        raise RegistryError(f"members must be a whole number, not {values['members']!r}") from None
    return await add_household(
        session,
        name=values["name"],
        members=members,
        area=values["area"],
        status=values.get("status") or "poor",
        urban=values.get("urban", "").lower() in TRUE_WORDS,
        officer=values.get("officer") or None,
        phone=values.get("phone") or None,
        hamlet=values.get("hamlet") or None,
        now=now,
        ttl_days=ttl_days,
        secret=secret,
    )
