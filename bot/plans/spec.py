"""Reading a plan from one officer's message:

    /kehoach HO00012 nuôi heo, rau màu; mục tiêu 12/2027; 3/2027 mua 2 con bò giống;
    15/12/2027 bò đẻ lứa đầu; hỗ trợ vốn vay, tập huấn

Parts are split by ";" or new lines: a part that starts with a date is a milestone, one
that starts with "mục tiêu" the target month, one that starts with "hỗ trợ" (or "kết
nối", "nguồn lực") the resources, and any other part names activities, split by ",".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from bot.i18n import translator
from bot.language.folding import fold
from bot.plans.catalogue import Catalogue
from bot.plans.plans import RESOURCES, PlanError, parse_milestone

_TARGET = re.compile(r"^muc tieu\s*:?\s*(?:thang\s*)?(\d{1,2})\s*[/-]\s*(\d{4})$")
_RESOURCE_WORDS = ("ho tro", "ket noi", "nguon luc")


@dataclass
class Spec:
    activities: list[str] = field(default_factory=list)
    target_month: date | None = None
    milestones: list[tuple[date, str]] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # parts read as nothing


def _resource(name: str) -> str | None:
    wanted = fold(name).strip()
    for code, label in RESOURCES.items():
        names = {code.replace("_", " "), fold(label)}
        names |= {fold(translator(locale)._(label)) for locale in ("vi", "en")}
        if wanted in names or any(wanted and wanted in n for n in names):
            return code
    return None


def read_spec(text: str, catalogue: Catalogue) -> Spec:
    spec = Spec()
    for part in (p.strip(" .") for p in re.split(r"[;\n]+", text)):
        if not part:
            continue
        folded = fold(part)
        target = _TARGET.match(folded)
        if target is not None and 1 <= int(target[1]) <= 12:
            spec.target_month = date(int(target[2]), int(target[1]), 1)
            continue
        if part[0].isdigit():
            try:
                spec.milestones.append(parse_milestone(part))
            except PlanError:
                spec.unknown.append(part)
            continue
        words = next((w for w in _RESOURCE_WORDS if folded.startswith(w)), None)
        if words is not None:
            for name in part[len(words) :].split(","):
                code = _resource(name)
                if code is None:
                    spec.unknown.append(name.strip())
                elif code not in spec.resources:
                    spec.resources.append(code)
            continue
        for name in part.split(","):
            activity = catalogue.find(name)
            if activity is None:
                spec.unknown.append(name.strip())
            elif activity.code not in spec.activities:
                spec.activities.append(activity.code)
    return spec
