"""`sinhke backup` and `sinhke restore`: the whole database to one file and back.

SQLite: SQLite's online backup API, a consistent copy even while the bot writes.
PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean``, which must be on the
PATH (the ``postgresql-client`` package), of a major version at least the server's.
The connection's password is handed to them in ``PGPASSWORD``, never on a command line.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from bot.db import is_sqlite


class BackupError(Exception):
    """Why a backup or a restore could not be made; one line."""


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return Path(url.database)


def _copy(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    with target:
        source.backup(target)


def backup(database_url: str, out: Path) -> str:
    """Write the database to ``out``; what was done, in words."""
    url = make_url(database_url)
    if is_sqlite(database_url):
        path = _sqlite_path(url)
        if not path.exists():
            raise BackupError(f"{path}: no such database file")
        out.unlink(missing_ok=True)
        source, target = sqlite3.connect(path), sqlite3.connect(out)
        try:
            _copy(source, target)
        finally:
            source.close()
            target.close()
        return f"{path} copied to {out} (SQLite online backup)"
    _postgres("pg_dump", url, "--format=custom", "--no-owner", f"--file={out}")
    return f"{url.database} dumped to {out} (pg_dump, custom format)"


def restore(database_url: str, file: Path) -> str:
    """Replace the database's contents with ``file``'s; what was done, in words."""
    url = make_url(database_url)
    if not file.exists():
        raise BackupError(f"{file}: file not found")
    if is_sqlite(database_url):
        path = _sqlite_path(url)
        source = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
        try:
            if not _is_sinhke(source):
                raise BackupError(f"{file}: not a backup of this bot's database")
            path.parent.mkdir(parents=True, exist_ok=True)
            target = sqlite3.connect(path)
            try:
                _copy(source, target)
            finally:
                target.close()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{file}: not a SQLite backup ({exc})") from None
        finally:
            source.close()
        return f"{path} restored from {file}"
    _postgres(
        "pg_restore",
        url,
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        "--exit-on-error",
        str(file),
    )
    return f"{url.database} restored from {file} (pg_restore)"


def _is_sinhke(connection: sqlite3.Connection) -> bool:
    found = connection.execute(
        "SELECT count(*) FROM sqlite_master WHERE name IN ('alembic_version', 'household')"
    ).fetchone()
    return bool(found and found[0] == 2)


def _postgres(tool: str, url: URL, *args: str) -> None:
    program = shutil.which(tool)
    if program is None:
        raise BackupError(f"{tool} not found: install the PostgreSQL client (postgresql-client)")
    env = dict(os.environ)
    for variable, value in (
        ("PGHOST", url.host),
        ("PGPORT", url.port),
        ("PGUSER", url.username),
        ("PGPASSWORD", url.password),
    ):
        if value is not None:
            env[variable] = str(value)
    result = subprocess.run(
        [program, f"--dbname={url.database}", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
        raise BackupError(f"{tool} failed: {lines[-1] if lines else f'exit {result.returncode}'}")
