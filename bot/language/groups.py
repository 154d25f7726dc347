"""What officers and members write about linkage groups: a group as written in one
/taonhom message, and a member asking who in the group does best.  Pure: text in."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.language.folding import fold

# "ai nuôi bò lời nhất?", "ai trong nhóm làm ăn giỏi nhất"
_BEST = re.compile(r"\bai\b.*\b(?:loi|lai|gioi|thanh cong)\s+nhat\b")
_LEADER = re.compile(r"^truong nhom\s*:?\s*(\S+)$")
_DAY = re.compile(r"^hop\s+(?:ngay|mung|vao ngay)?\s*(\d{1,2})(?:\s*hang thang)?$")


@dataclass
class GroupSpec:
    """A group as the officer wrote it in one /taonhom message."""

    name: str
    codes: list[str] = field(default_factory=list)
    leader: str | None = None
    meeting_day: int | None = None


def read_group_spec(text: str) -> GroupSpec:
    """ "Tên nhóm; HO1 HO2; trưởng nhóm HO1; họp ngày 20": the parts in any order after
    the name; a part that is neither the leader nor the day lists household codes."""
    name, *parts = (part.strip() for part in text.split(";"))
    spec = GroupSpec(name)
    for part in parts:
        folded = fold(part)
        if leader := _LEADER.match(folded):
            spec.leader = leader[1].upper()
        elif day := _DAY.match(folded):
            spec.meeting_day = int(day[1])
        else:
            spec.codes += part.replace(",", " ").split()
    return spec


def asks_who_does_best(text: str) -> bool:
    """ "ai nuôi bò lời nhất?": a member asking which member's activity pays best."""
    return _BEST.search(fold(text)) is not None
