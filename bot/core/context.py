"""What a handler gets: the message, one database session, the reader's locale, and
ways to answer, to message other people and to remember a pending question."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.core.contract import Attachment, Button, Incoming, Reply
from bot.i18n import Translator, translator
from models import Contact


@dataclass(frozen=True, slots=True)
class Notice:
    """A message to another contact (an officer's alert, a household's answer)."""

    contact: Contact
    reply: Reply
    key: str
    priority: int


@dataclass(slots=True)
class Context:
    incoming: Incoming
    session: AsyncSession
    settings: Settings
    now: datetime  # UTC
    inbound_id: int
    contact: Contact | None
    services: Any = None  # bot.app.Services; Any to keep the core free of feature imports
    replies: list[Reply] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    t: Translator = field(init=False)
    # A state was set by this turn: its replies ask for it (bot.core.answers).
    asked_now: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        self.use_locale(self.contact.locale if self.contact else None)

    def use_locale(self, locale: str | None) -> None:
        self.t = translator(locale, self.settings.programme.default_locale)

    def _(self, message: str) -> str:
        return self.t._(message)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.settings.programme.timezone)

    @property
    def local_now(self) -> datetime:
        return self.now.astimezone(self.zone)

    @property
    def today(self) -> date:
        return self.local_now.date()

    def reply(
        self,
        text: str,
        buttons: tuple[tuple[Button, ...], ...] = (),
        *,
        attachment: Attachment | None = None,
        edit: bool = False,
    ) -> None:
        self.replies.append(Reply(text, buttons, attachment, edit))

    def notify(self, contact: Contact, reply: Reply, *, key: str, priority: int = 0) -> None:
        self.notices.append(Notice(contact, reply, key, priority))

    # Named conversation states live on the contact row, so a restart forgets nothing.
    @property
    def state(self) -> str | None:
        return self.contact.state if self.contact else None

    @property
    def state_data(self) -> dict[str, Any]:
        data = dict((self.contact.state_data or {}) if self.contact else {})
        data.pop("asked", None)
        return data

    def set_state(self, name: str, **data: Any) -> None:
        if self.contact is None:
            raise RuntimeError("a conversation state needs a contact")
        self.contact.state = name
        self.contact.state_data = {**data, **self._last_question()}
        self.asked_now = True

    def clear_state(self) -> None:
        if self.contact is not None:
            self.contact.state = None
            self.contact.state_data = self._last_question() or None
        self.asked_now = False

    def _last_question(self) -> dict[str, Any]:
        """The bot's last question (bot.core.answers) outlives a state change until the
        turn's reply replaces it: an answer that fits nothing may bring it back."""
        asked = (self.contact.state_data or {}).get("asked") if self.contact else None
        return {"asked": asked} if asked else {}


Clock = Callable[[], datetime]
