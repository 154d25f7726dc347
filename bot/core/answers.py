"""The bot's last question, remembered on the contact row, and a typed answer read back
as the button it means: on every channel, not only where buttons become numbers.

What is kept (``state_data["asked"]``): the options of the latest reply with buttons
(label, payload, meaning), and, when that reply or a named state waits for an answer,
the question itself with the state to come back to, so a reply that fits nothing can be
asked again, once.  A reply without options and without a pending state forgets it.

An answer is read, in this order: the option's number (where the platform shows
numbers), its label typed again ("huy" for "Hủy"), then, for a question, its meaning
in words ("dạ có", "bận rồi", "tắt").
"""

from __future__ import annotations

import re
from typing import Any

from bot.core.contract import Button, Reply
from bot.language.talk import talk
from models import Contact

ASKED = "asked"
# Set on the contact by the turn that asked again, read by the reply that follows.
ASKED_AGAIN = "asked_again"
_NUMBERED_ANSWER = re.compile(r"^\s*(?:s[oố]|ch[oọ]n|#)?\s*(\d{1,2})\s*[.)]?\s*$", re.IGNORECASE)
# A "no" also picks an option that cancels or turns something off, when it is the only one.
_REFUSALS = frozenset({"no", "cancel", "off"})


def numbered_choice(text: str) -> int | None:
    """The option a person picked by typing "1", "số 1" or "chọn 2"; ``None`` otherwise."""
    match = _NUMBERED_ANSWER.match(text)
    return int(match.group(1)) if match else None


def asked(contact: Contact | None) -> dict[str, Any] | None:
    """The last question's record (see the module's docstring), if any."""
    record = (contact.state_data or {}).get(ASKED) if contact else None
    return record if isinstance(record, dict) else None


def remember(contact: Contact, reply: Reply, *, asked_now: bool) -> None:
    """Keep what ``reply`` asks, as the contact's last question.  ``asked_now`` says the
    handler of the contact's own message set a conversation state with this reply: it
    waits for an answer.  A state left over from an earlier turn (a question passed by
    with a new diary line) makes no question of a later reply's buttons."""
    data = dict(contact.state_data or {})
    again = bool(data.pop(ASKED_AGAIN, False))
    previous = data.pop(ASKED, None)
    waiting = contact.state if asked_now else None
    record: dict[str, Any] | None = None
    if reply.buttons:
        buttons = reply.flat_buttons()
        question = waiting is not None or any(button.means for button in buttons)
        record = {
            "options": [[b.label, b.payload, b.means] for b in buttons],
            "question": reply.text if question else None,
            "state": waiting,
            "data": dict(data) if question else None,
            "again": again,
        }
    elif waiting is not None:  # a typed value: a sum, a time, a count
        record = {
            "options": [],
            "question": reply.text,
            "state": waiting,
            "data": dict(data),
            "again": again,
        }
    elif contact.state is not None and isinstance(previous, dict):
        # A question still open (a hint, small talk, an alert in between): keep it.
        record = {**previous, "again": bool(previous.get("again")) or again}
    if record is not None:
        data[ASKED] = record
    contact.state_data = data or None


def typed_answer(text: str, record: dict[str, Any], *, numbered: bool) -> str | None:
    """The payload of the option ``text`` picks, or ``None``."""
    options = [(str(o[0]), str(o[1]), o[2]) for o in record.get("options") or []]
    if not options or not text.strip():
        return None
    if numbered:
        choice = numbered_choice(text)
        if choice is not None and 1 <= choice <= len(options):
            return options[choice - 1][1]
    reader = talk()
    for label, payload, _means in options:
        if reader.same_words(text, label):
            return payload
    if not record.get("question"):
        return None  # buttons beside a message ("Hủy" under an entry) are no question
    meant = reader.meanings_of(text)
    if not meant:
        return None

    def meaning(label: str, means: str | None) -> frozenset[str]:
        # A label says what it means in its first words: "Không, để nhắn lại" is a no.
        if means:
            return frozenset({means})
        return reader.meanings_of(label) or reader.meanings_of(label.split(",")[0])

    for wanted in (meant, meant | _REFUSALS if meant & _REFUSALS else meant):
        fitting = [payload for label, payload, means in options if meaning(label, means) & wanted]
        if len(fitting) == 1:
            return fitting[0]
    return None


def buttons_of(record: dict[str, Any]) -> tuple[tuple[Button, ...], ...]:
    """The remembered options as buttons again, one a row."""
    return tuple((Button(str(o[0]), str(o[1]), o[2]),) for o in record.get("options") or [])
