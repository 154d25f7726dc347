"""Which pot a saving goes to, and the balance (bot/services/diary/savings.py)."""

from __future__ import annotations

import pytest

from bot.language.savings import pot_of
from bot.services.diary.savings import Pot, total


@pytest.mark.parametrize(
    ("text", "pot"),
    [
        ("góp hụi 500k", "hui"),
        ("gop hui 500k", "hui"),
        ("hốt hụi 10 triệu", "hui"),
        ("chơi hụi tháng này 1 triệu", "hui"),
        ("bỏ heo đất 50k", "piggy_bank"),
        ("bo heo dat 20k", "piggy_bank"),
        ("góp tổ tiết kiệm 100k", "savings_group"),
        ("gửi tiết kiệm 2 triệu", "savings_book"),
        ("rut tiet kiem 1tr", "savings_book"),
        ("để dành 200k", "other"),
    ],
)
def test_pot_of(text: str, pot: str) -> None:
    assert pot_of(text) == pot


def test_balance_may_go_below_zero_after_a_hui_payout() -> None:
    hui = Pot(put_in=1_500_000, taken_out=10_000_000)
    assert hui.balance == -8_500_000
    both = total({"hui": hui, "piggy_bank": Pot(put_in=50_000)})
    assert (both.put_in, both.taken_out, both.balance) == (1_550_000, 10_000_000, -8_450_000)
