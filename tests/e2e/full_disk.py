"""`sinhke` on an SQLite database whose disk can fill up: a test's full disk, unprivileged.

While the file named by ``$SINHKE_TEST_DISK_FULL`` exists, no connection may grow the
database (``PRAGMA max_page_count``, set on every checkout): a write that needs more
space fails with SQLITE_FULL, "database or disk is full", the error a full disk gives.
Removing the file frees the space.  Run as ``python -m tests.e2e.full_disk --config FILE run``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.pool import Pool

from bot.cli import main

FLAG = "SINHKE_TEST_DISK_FULL"
NO_LIMIT = 1_073_741_823  # SQLite's default


def limit_growth(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    # SQLite never lowers the limit below the pages the database has: 1 means "no more".
    pages = 1 if Path(os.environ[FLAG]).exists() else NO_LIMIT
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA max_page_count = {pages}")
    cursor.close()


if __name__ == "__main__":
    event.listen(Pool, "checkout", limit_growth)  # here only: not in a test that imports FLAG
    main()
