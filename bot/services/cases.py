"""A household's request for help: what it is about, opening it, and who answers."""

from __future__ import annotations

import re

from bot.language.talk import talk
from bot.textutil import fold

_NEED = r"\b(can|muon|xin|nho|giup)\b"
# Folded phrases that ask a *person* for help, by topic (checked in this order).  A plain
# question ("bị quỵt lương thì sao") is not one: the information search answers it.
_TOPICS = (
    ("legal_aid", re.compile(_NEED + r".*\b(luat su|tro giup phap ly|tu van (phap luat|luat))\b")),
    (
        "overseas_work",
        re.compile(
            _NEED + r".*\btu van\b.*\b(nuoc ngoai|xuat khau lao dong|xkld|han quoc|nhat ban"
            r"|dai loan|di han|di nhat)\b"
        ),
    ),
    ("loan", re.compile(r"^(toi |em |minh |nha toi )?(can|muon|xin) (duoc )?vay( von)?\b(?!.*\d)")),
    ("help", re.compile(_NEED + r" (duoc )?(giup|giup do|ho tro|tu van)\b|\bcan nguoi giup\b")),
)


def help_topic(text: str) -> str | None:
    """The topic of a message that asks a person for help, or ``None``; a plain plea
    ("giúp tôi với", "nhờ cán bộ") is a request for help."""
    folded = fold(text).strip()
    for topic, pattern in _TOPICS:
        if pattern.search(folded):
            return topic
    return "help" if talk().asks_for_help(text) else None
