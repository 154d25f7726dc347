"""A plan's rules: milestones written by hand, the officer's one-message plan, months
behind and ahead."""

from __future__ import annotations

from datetime import date

import pytest

from bot.plans.catalogue import default
from bot.plans.plans import (
    MilestoneView,
    PlanError,
    PlanView,
    parse_milestone,
    recent_months,
    schedule,
    whole_months,
)
from bot.plans.spec import read_spec


@pytest.mark.parametrize(
    ("text", "day", "words"),
    [
        ("2027-03-15 mua 2 con bò giống", date(2027, 3, 15), "mua 2 con bò giống"),
        ("2027-03 mua 2 con bò giống", date(2027, 3, 31), "mua 2 con bò giống"),
        ("2028-02 bò đẻ", date(2028, 2, 29), "bò đẻ"),
        ("15/3/2027 – mua bò", date(2027, 3, 15), "mua bò"),
        ("3/2027: mua bò", date(2027, 3, 31), "mua bò"),
        ("12/2027 bò đẻ lứa đầu", date(2027, 12, 31), "bò đẻ lứa đầu"),
    ],
)
def test_milestones_as_written(text: str, day: date, words: str) -> None:
    assert parse_milestone(text) == (day, words)


@pytest.mark.parametrize("text", ["mua bò tháng 3", "2027-13-01 x", "31/2/2027 x", "2027-03-15"])
def test_a_milestone_without_a_right_date_is_refused(text: str) -> None:
    with pytest.raises(PlanError):
        parse_milestone(text)


def test_the_officers_message() -> None:
    spec = read_spec(
        "nuôi heo, rau màu; mục tiêu 12/2027\n3/2027 mua 2 con heo giống;"
        " 15/12/2027 heo đẻ lứa đầu; hỗ trợ vốn vay, tập huấn, nước sạch",
        default(),
    )
    assert spec.activities == ["nuoi_heo", "rau_mau"]
    assert spec.target_month == date(2027, 12, 1)
    assert spec.milestones == [
        (date(2027, 3, 31), "mua 2 con heo giống"),
        (date(2027, 12, 15), "heo đẻ lứa đầu"),
    ]
    assert spec.resources == ["loan", "training", "clean_water"]
    assert spec.unknown == []


def test_the_officers_message_unaccented_and_in_pieces() -> None:
    spec = read_spec("nuoi bo; muc tieu thang 6/2028; ket noi bao hiem y te", default())
    assert (spec.activities, spec.target_month, spec.resources) == (
        ["nuoi_bo"],
        date(2028, 6, 1),
        ["health_insurance"],
    )
    assert read_spec("nuôi rồng; hỗ trợ máy bay", default()).unknown == ["nuôi rồng", "máy bay"]


@pytest.mark.parametrize(
    ("earlier", "later", "months"),
    [
        (date(2026, 11, 30), date(2027, 1, 10), 1),
        (date(2026, 11, 10), date(2027, 1, 10), 2),
        (date(2026, 12, 15), date(2026, 12, 20), 0),
        (date(2027, 3, 1), date(2026, 12, 1), 0),
    ],
)
def test_whole_months(earlier: date, later: date, months: int) -> None:
    assert whole_months(earlier, later) == months


def test_recent_months_are_the_three_whole_months_before() -> None:
    assert recent_months(date(2027, 1, 10)) == (date(2026, 10, 1), date(2026, 12, 31))
    assert recent_months(date(2026, 3, 31)) == (date(2025, 12, 1), date(2026, 2, 28))


def view(
    today: date, *steps: MilestoneView, per_person: int = 0, target: date | None = None
) -> PlanView:
    return PlanView(
        household="HO1",
        activities=[],
        target_month=target,
        resources=[],
        line=1_500_000,
        decree="07/2021/NĐ-CP",
        per_person=per_person,
        months=recent_months(today),
        today=today,
        milestones=list(steps),
    )


def step(due: date, state: str = "pending", done: date | None = None) -> MilestoneView:
    return MilestoneView(1, due, "x", state, done)


def test_behind_and_ahead() -> None:
    today = date(2027, 5, 20)
    assert schedule(view(today, step(date(2027, 3, 1))), today) == (2, 0)
    late_but_not_a_month = view(today, step(date(2027, 5, 1)))
    assert schedule(late_but_not_a_month, today) == (0, 0)
    assert not late_but_not_a_month.on_track
    early = view(today, step(date(2027, 9, 30), "done", date(2027, 5, 2)))
    assert schedule(early, today) == (0, 4) and early.on_track
    # the target month is over and income is still under the line
    missed = view(today, target=date(2027, 2, 1), per_person=1_400_000)
    assert schedule(missed, today) == (2, 0) and missed.target_missed
    reached = view(today, target=date(2027, 2, 1), per_person=1_600_000)
    assert schedule(reached, today) == (0, 0) and reached.on_track
    assert reached.progress_percent == 106
