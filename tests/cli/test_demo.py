"""`sinhke demo` with piped input answers each line (the README's quick start)."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_cli import sinhke


def test_piped_demo_records_a_diary_entry(tmp_path: Path) -> None:
    result = sinhke(
        "demo",
        "--database",
        f"sqlite+aiosqlite:///{tmp_path}/demo.db",
        stdin="bán heo 3 triệu\n/homnay\n",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "3.000.000" in result.stdout
    assert "Chăn nuôi" in result.stdout
    assert "Tiền vào: 3.000.000" in result.stdout


def test_after_deleting_the_demo_offers_to_start_again(tmp_path: Path) -> None:
    """Issue 20: after /xoadulieu the demo was stuck asking for an invite code."""
    result = sinhke(
        "demo",
        "--database",
        f"sqlite+aiosqlite:///{tmp_path}/demo.db",
        stdin="bán heo 3 triệu\n/xoadulieu\n1\n/start\nbán gà 200k\n/homnay\n",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    after = result.stdout.split("Đã xóa sổ nhật ký")[1]
    assert "/start" in after.split("\n🤖")[1]  # the offer, right after the deletion
    assert "Tiền vào: 200.000" in after and "3.000.000" not in after  # a fresh diary


def test_the_demo_shows_a_notice_while_it_waits_for_input(tmp_path: Path) -> None:
    """A notice queued while the demo waits (a reminder, a late answer) is shown at once,
    not after the next message."""
    import asyncio
    import os
    import queue
    import subprocess
    import sys
    import threading
    import time

    from sqlalchemy import select

    from bot.core.contract import Reply
    from bot.core.outbox import OutboxBatch
    from bot.db import create_engine, session_factory, transaction
    from models import PRIORITY_NOTICE, Contact

    root = Path(__file__).resolve().parents[2]
    url = f"sqlite+aiosqlite:///{tmp_path}/demo.db"
    demo = subprocess.Popen(
        [sys.executable, "-m", "bot", "demo", "--database", url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert demo.stdin is not None and demo.stdout is not None
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in demo.stdout], daemon=True).start()

    def read_until(needle: str) -> bool:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                if needle in lines.get(timeout=0.5):
                    return True
            except queue.Empty:
                pass
        return False

    try:
        demo.stdin.write("bán heo 3 triệu\n")
        demo.stdin.flush()
        assert read_until("Đã ghi")

        async def queue_notice() -> None:
            engine = create_engine(url)
            try:
                async with transaction(session_factory(engine)) as session:
                    contact = await session.scalar(select(Contact))
                    assert contact is not None
                    outbox = OutboxBatch()
                    notice = Reply("Nhắc: tối nay 19 giờ họp dân ở nhà văn hóa.")
                    outbox.to_contact(contact, notice, key="test:notice", priority=PRIORITY_NOTICE)
                    await outbox.write(session)
            finally:
                await engine.dispose()

        asyncio.run(queue_notice())
        assert read_until("họp dân")  # with no other message typed
    finally:
        demo.stdin.close()
        demo.wait(timeout=30)
