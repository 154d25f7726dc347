"""Reading what is written about linkage groups (bot/language/groups.py)."""

from __future__ import annotations

import pytest

from bot.language.groups import asks_who_does_best, read_group_spec


@pytest.mark.parametrize(
    "text",
    [
        "ai nuôi bò lời nhất?",
        "ai nuoi bo loi nhat",
        "Trong nhóm ai làm ăn giỏi nhất vậy",
        "ai trồng rau thành công nhất",
        "AI NUÔI HEO LÃI NHẤT",
    ],
)
def test_a_member_asking_who_does_best(text: str) -> None:
    assert asks_who_does_best(text)


@pytest.mark.parametrize("text", ["bán bò 20 triệu", "ai biết giá phân", "lời nhất là bán sớm"])
def test_other_messages_do_not_ask_who_does_best(text: str) -> None:
    assert not asks_who_does_best(text)


def test_a_group_as_written_in_one_message() -> None:
    spec = read_group_spec("Nhóm nuôi bò ấp 3; HO1, HO2 HO3; trưởng nhóm ho1; họp ngày 20")
    assert (spec.name, spec.codes, spec.leader, spec.meeting_day) == (
        "Nhóm nuôi bò ấp 3",
        ["HO1", "HO2", "HO3"],
        "HO1",
        20,
    )


@pytest.mark.parametrize(
    ("part", "day"),
    [("họp mùng 5", 5), ("hop ngay 15 hang thang", 15), ("Họp vào ngày 1", 1), ("hop 28", 28)],
)
def test_the_meeting_day_in_several_phrasings(part: str, day: int) -> None:
    assert read_group_spec(f"Nhóm rau; {part}").meeting_day == day


def test_a_name_alone_has_no_members_leader_or_day() -> None:
    spec = read_group_spec("Nhóm trồng nấm")
    assert (spec.codes, spec.leader, spec.meeting_day) == ([], None, None)
