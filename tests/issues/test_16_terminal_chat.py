"""Issue 16 in the terminal chat (`sinhke demo`, piped): numbered options answered by
number and in words, a correction, small talk, a person in trouble, the fallback."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_cli import sinhke

LINES = [
    "200k",  # → 1. Thu  2. Chi  3. Vay  4. Trả nợ
    "2",
    "mua phân 250k",
    "250 là 270",
    "cảm ơn nhiều nha",
    "chồng tôi đánh tôi",
    "/xoadulieu",
    "không",
    "/caidat",
    "giờ nhắc",
    "tắt",
    "xyz",
]


def test_a_conversation_in_the_terminal_chat(tmp_path: Path) -> None:
    result = sinhke(
        "demo",
        "--database",
        f"sqlite+aiosqlite:///{tmp_path}/demo.db",
        stdin="\n".join(LINES) + "\n",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout.replace("\xa0", " ")
    assert "1. Thu  2. Chi  3. Vay  4. Trả nợ" in out
    assert "• Chi 200.000 ₫" in out
    assert "250.000 ₫ → 270.000 ₫" in out
    assert "Dạ không có gì" in out
    assert "113 (công an)" in out and "đã báo ngay cho cán bộ" in out
    assert "Không xóa gì" in out
    assert "Đã tắt nhắc" in out
    assert '"mua phân 500k" để ghi sổ' in out
    assert "Có phải anh/chị muốn hỏi" not in out
