"""A synthetic area whose true money per activity is known (issue 17, item 7).

Households follow one to three activities and keep their diary for some months; each
diary line is written the way households write, naming its activity, among lines that
belong to none (food, school) and money that only moves (borrowing, repaying, hụi,
lending).  ``Truth`` holds what every figure must come to, to the đồng.  A fixed seed
makes the same area every time.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Area, Entry, EntryActivity, Household, HouseholdActivity

# activity → (income category, what is sold, what is bought for it, (low, high) of one
# sale and of one purchase in thousand đồng).  Ranges differ so that some pay and some
# lose money.
PROFILES: dict[str, tuple[str, list[str], list[str], tuple[int, int], tuple[int, int]]] = {
    "nuoi_bo": (
        "livestock",
        ["bán bò", "bán con bê"],
        ["thuốc cho bò", "mua cỏ voi"],
        (3000, 9000),
        (200, 1500),
    ),
    "nuoi_heo": (
        "livestock",
        ["bán heo", "ban heo"],
        ["mua cám heo", "mua heo giống"],
        (1500, 6000),
        (300, 2500),
    ),
    "nuoi_de": ("livestock", ["bán dê"], ["thuốc dê", "mua dê giống"], (300, 1500), (500, 2000)),
    "ga_vit": (
        "livestock",
        ["bán trứng gà", "bán vịt"],
        ["mua cám gà", "mua vịt giống"],
        (100, 800),
        (100, 600),
    ),
    "trong_dua": ("crop", ["bán dừa", "ban dua kho"], ["mua dừa giống"], (500, 3000), (100, 900)),
    "rau_mau": (
        "crop",
        ["bán rau", "bán dưa leo"],
        ["mua hạt giống", "mua giống rau"],
        (100, 900),
        (50, 400),
    ),
    "ca_tom": (
        "aquaculture",
        ["bán cá", "bán tôm"],
        ["mua thức ăn cho cá", "mua tôm giống"],
        (1000, 5000),
        (500, 4000),
    ),
    "lam_thue": ("wage", ["đi làm thuê", "làm mướn"], [], (150, 500), (0, 0)),
    "buon_ban": ("business", ["bán vé số", "bán tạp hóa"], ["nhập hàng"], (200, 1500), (100, 1000)),
}
# Lines of no activity: (kind, category, text, low, high in thousand đồng).
NOISE = [
    ("expense", "food", "đi chợ", 50, 300),
    ("expense", "education", "học phí cho con", 100, 500),
    ("expense", "utilities", "tiền điện", 80, 250),
    ("borrow", "loan", "vay ngân hàng chính sách", 5000, 20000),
    ("repay", "loan", "trả nợ ngân hàng", 500, 2000),
    ("save", "savings", "góp hụi", 200, 1000),
    ("withdraw", "savings", "hốt hụi", 1000, 5000),
    ("lend", "lending", "cho chị Tư mượn", 200, 1000),
    ("collect", "lending", "chị Tư trả lại", 200, 1000),
    ("income", "support", "tiền hỗ trợ hộ nghèo", 100, 500),
]
# A line several activities fit ("mua cám" is feed for pigs, poultry or fish): the
# household is asked, and ``Truth.asked`` holds its answer.
SHARED_FEED = ("nuoi_heo", "ga_vit", "ca_tom")


@dataclass
class Truth:
    area: str
    first: date
    months: int
    households: dict[str, int] = field(default_factory=dict)  # code → id
    codes: dict[int, str] = field(default_factory=dict)  # id → code
    members: dict[str, int] = field(default_factory=dict)
    urban: dict[str, bool] = field(default_factory=dict)
    follows: dict[str, list[str]] = field(default_factory=dict)
    money: dict[tuple[str, str], list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0])
    )
    covered: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # income − production costs − interest, by household and month ("YYYY-MM")
    net: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    asked: dict[int, str] = field(default_factory=dict)  # entry id → the household's answer
    tags: dict[int, str] = field(default_factory=dict)  # entry id → activity, all of them


def _month(first: date, index: int) -> date:
    year, month = divmod(first.year * 12 + first.month - 1 + index, 12)
    return date(year, month + 1, 1)


async def build_area(
    session: AsyncSession,
    *,
    seed: int,
    households: int,
    months: int,
    first: date,
    area_code: str = "C1",
    prefix: str = "HT",
    noise: int = 3,
) -> Truth:
    """Households of ``area_code`` (made under a province P1 when missing) and their
    diaries, with ``noise`` lines of no activity a month; what the figures must be."""
    rng = random.Random(seed)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    province = await session.scalar(select(Area).where(Area.code == "P1"))
    if province is None:
        province = Area(code="P1", name="Tỉnh Thử", kind="province")
        session.add(province)
        await session.flush()
    area = Area(code=area_code, name=f"Xã {area_code}", kind="commune", parent_id=province.id)
    session.add(area)
    await session.flush()
    truth = Truth(area_code, first, months)
    household_table = cast(Table, Household.__table__)
    rows: list[dict[str, Any]] = []
    for number in range(1, households + 1):
        code = f"{prefix}{number:05d}"
        members, urban = rng.randint(1, 7), rng.random() < 0.2
        truth.members[code], truth.urban[code] = members, urban
        truth.follows[code] = rng.sample(sorted(PROFILES), rng.choice((1, 1, 2, 2, 3)))
        rows.append(
            {
                "code": code,
                "head_name": f"Hộ {number}",
                "members": members,
                "area_id": area.id,
                "status": "poor",
                "urban": urban,
                "created_at": now,
            }
        )
    for start in range(0, len(rows), 500):
        result = await session.execute(
            household_table.insert().returning(household_table.c.id, household_table.c.code),
            rows[start : start + 500],
        )
        truth.households.update({code: hid for hid, code in result})
    truth.codes = {hid: code for code, hid in truth.households.items()}
    follow_rows = [
        {"household_id": truth.households[code], "activity": activity, "created_at": now}
        for code, activities in truth.follows.items()
        for activity in activities
    ]
    await session.execute(cast(Table, HouseholdActivity.__table__).insert(), follow_rows)

    entries: list[tuple[dict[str, Any], str | None, bool]] = []  # row, activity, asked
    for code, activities in truth.follows.items():
        hid = truth.households[code]
        for index in range(months):
            if rng.random() < 0.1:
                continue  # a month the household wrote nothing
            month = _month(first, index)
            for activity in activities:
                category, sold, bought, sale, buy = PROFILES[activity]
                for _ in range(rng.randint(0, 2)):
                    amount = rng.randint(*sale) * 1000
                    text = f"{rng.choice(sold)} {amount // 1000}k"
                    entries.append(
                        (_row(hid, "income", category, amount, text, month, rng), activity, False)
                    )
                for _ in range(rng.randint(1, 2) if bought else 0):
                    amount = rng.randint(*buy) * 1000
                    text = f"{rng.choice(bought)} {amount // 1000}k"
                    entries.append(
                        (
                            _row(hid, "expense", "production", amount, text, month, rng),
                            activity,
                            False,
                        )
                    )
            feeders = [a for a in activities if a in SHARED_FEED]
            if feeders and rng.random() < 0.5:
                amount = rng.randint(100, 500) * 1000
                row = _row(
                    hid, "expense", "production", amount, f"mua cám {amount // 1000}k", month, rng
                )
                entries.append((row, rng.choice(feeders), len(feeders) > 1))
            for kind, category, text, low, high in rng.choices(NOISE, k=noise):
                amount = rng.randint(low, high) * 1000
                entries.append(
                    (
                        _row(hid, kind, category, amount, f"{text} {amount // 1000}k", month, rng),
                        None,
                        False,
                    )
                )
    entry_table = cast(Table, Entry.__table__)
    for start in range(0, len(entries), 1000):
        chunk = entries[start : start + 1000]
        ids = list(
            await session.scalars(
                entry_table.insert().returning(entry_table.c.id, sort_by_parameter_order=True),
                [row for row, _, _ in chunk],
            )
        )
        for entry_id, (row, activity, asked) in zip(ids, chunk, strict=True):
            _count(truth, row, activity, entry_id, asked)
    return truth


def _row(
    hid: int, kind: str, category: str, amount: int, text: str, month: date, rng: random.Random
) -> dict[str, Any]:
    return {
        "household_id": hid,
        "kind": kind,
        "amount": amount,
        "category": category,
        "day": month.replace(day=rng.randint(1, 28)),
        "at_time": None,
        "text": text,
        "keyword": None,
        "loan_id": None,
        "contact_id": None,
        "inbound_id": None,
        "recorded_at": datetime(2026, 1, 1, tzinfo=UTC),
        "deleted_at": None,
    }


def _count(
    truth: Truth, row: dict[str, Any], activity: str | None, entry_id: int, asked: bool
) -> None:
    code = truth.codes[row["household_id"]]
    day: date = row["day"]
    truth.covered[code].add(f"{day:%Y-%m}")
    kind, amount = row["kind"], row["amount"]
    month = f"{day:%Y-%m}"
    if kind == "income":
        truth.net[code, month] += amount
    elif kind == "interest" or (kind == "expense" and row["category"] == "production"):
        truth.net[code, month] -= amount
    if activity is None:
        return
    truth.tags[entry_id] = activity
    if asked:
        truth.asked[entry_id] = activity
    truth.money[code, activity][0 if kind == "income" else 1] += amount


async def write_tags(session: AsyncSession, truth: Truth) -> None:
    """The true tags, written at once (for the bench, where tagging is not measured)."""
    table = cast(Table, EntryActivity.__table__)
    rows = [
        {
            "entry_id": entry_id,
            "activity": activity,
            "source": "words",
            "tagged_at": datetime(2026, 1, 1, tzinfo=UTC),
        }
        for entry_id, activity in truth.tags.items()
    ]
    for start in range(0, len(rows), 5000):
        await session.execute(table.insert(), rows[start : start + 5000])
