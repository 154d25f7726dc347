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
