"""The channel-neutral contract: what handlers receive and what they answer.

Only ``bot/channels`` knows a platform; everything else speaks in these types.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

IncomingKind = Literal["text", "button", "sticker", "photo", "file", "voice", "location", "other"]


@dataclass(frozen=True, slots=True)
class Incoming:
    """One message or button press from a chat account, as any channel delivers it."""

    channel: str
    address: str  # the chat to answer (Telegram chat id, Zalo user id, "console")
    kind: IncomingKind = "text"
    text: str = ""
    payload: str | None = None  # button data
    display_name: str | None = None
    message_ref: str | None = None  # the bot message a button belonged to (for edits)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "payload": self.payload,
            "display_name": self.display_name,
            "message_ref": self.message_ref,
        }

    @classmethod
    def from_json(cls, channel: str, address: str, data: dict[str, Any]) -> Incoming:
        return cls(
            channel=channel,
            address=address,
            kind=data.get("kind", "text"),
            text=data.get("text") or "",
            payload=data.get("payload"),
            display_name=data.get("display_name"),
            message_ref=data.get("message_ref"),
        )


@dataclass(frozen=True, slots=True)
class Update:
    """An update as an adapter hands it over: its platform id and what it says."""

    external_id: str
    incoming: Incoming


class Sink(Protocol):
    """Where an adapter hands the updates it received (``bot.core.inbound.InboundSink``):
    the core stores them, then hands them to its workers.  The adapter tells the platform
    an update was received (the next ``getUpdates``, the webhook's 200) only after."""

    async def store(self, updates: Sequence[Update]) -> None:
        """Store the updates (a repeat adds nothing), however long the database is away;
        chats that wait long are told so."""
        ...

    async def store_now(self, updates: Sequence[Update]) -> bool:
        """Store the updates, or say False when the database cannot now (logged): a
        webhook then answers an error, and the platform delivers them again."""
        ...

    async def officer_chats(self) -> list[str]:
        """The addresses of this channel's chats that belong to officers (for their own
        command menu)."""
        ...


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    payload: str
    # What pressing it says ("yes", "no", "cancel", "off" …), so an answer typed in
    # words picks it; without it the label's own words are read (bot.core.answers).
    means: str | None = None


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    data: bytes
    kind: Literal["photo", "document"] = "document"


@dataclass(frozen=True, slots=True)
class Reply:
    """What the bot says: text, optional rows of buttons, optional photo or file."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    attachment: Attachment | None = None
    # Replace the message a pressed button belonged to, where the channel can edit.
    edit: bool = False

    def flat_buttons(self) -> list[Button]:
        return [button for row in self.buttons for button in row]

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"text": self.text}
        if self.buttons:
            body["buttons"] = [[[b.label, b.payload] for b in row] for row in self.buttons]
        if self.attachment is not None:
            body["attachment"] = {
                "filename": self.attachment.filename,
                "kind": self.attachment.kind,
            }
        if self.edit:
            body["edit"] = True
        return body

    @classmethod
    def from_json(cls, body: dict[str, Any], attachment: bytes | None = None) -> Reply:
        meta = body.get("attachment")
        return cls(
            text=body.get("text", ""),
            buttons=tuple(
                tuple(Button(label, payload) for label, payload in row)
                for row in body.get("buttons", [])
            ),
            attachment=(
                Attachment(meta["filename"], attachment or b"", meta.get("kind", "document"))
                if meta
                else None
            ),
            edit=bool(body.get("edit")),
        )


def buttons_in_rows(buttons: list[Button], per_row: int = 2) -> tuple[tuple[Button, ...], ...]:
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a platform can show; adapters and the core adapt replies to it."""

    text_limit: int
    buttons: bool  # inline buttons; without them buttons become numbered options
    edits: bool
    files: bool


@dataclass(slots=True)
class SendResult:
    """The outcome of one send, as the sender loop needs it."""

    ok: bool
    external_id: str | None = None
    retry_after: float | None = None  # the platform asked us to slow down
    blocked: bool = False  # the person blocked the bot: stop sending to them
    permanent: bool = False  # retrying cannot help (bad request)
    error: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class Channel(Protocol):
    """A messaging platform as the sender loop and the core see it."""

    name: str
    capabilities: Capabilities
    rate_global: float  # messages per second in all
    rate_per_chat: float  # messages per second to one chat
    monthly_quota: int  # messages the platform lets the bot send in a month; 0: no quota

    async def send(self, address: str, reply: Reply, *, edit_ref: str | None) -> SendResult:
        """Deliver one reply (already within the text limit) to ``address``."""
        ...
