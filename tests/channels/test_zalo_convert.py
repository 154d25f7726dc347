"""Zalo Bot API updates → channel-neutral updates (or nothing, for what the bot ignores)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.channels.zalo.convert import convert, unwrap
from bot.core.contract import Incoming

CHAT = "e4ea2cd5189df1c3a88c"


def update(event: str | None, *, chat_type: str = "PRIVATE", **content: Any) -> dict[str, Any]:
    """The shape of the docs' Webhook page: event_name, from.display_name, string ids."""
    message = {
        "from": {"id": CHAT, "display_name": "Chị Lan", "is_bot": False},
        "chat": {"id": CHAT, "chat_type": chat_type},
        "message_id": "16f6366b3f02645a3d15",
        "date": 1766619597466,
        **content,
    }
    body: dict[str, Any] = {"message": message}
    if event is not None:
        body["event_name"] = event
    return body


def incoming(**fields: Any) -> Incoming:
    return Incoming(channel="zalo", address=CHAT, display_name="Chị Lan", **fields)


def test_a_text_message_keeps_its_message_id_as_the_external_id() -> None:
    converted = convert(update("message.text.received", text="bán heo 3 triệu"))
    assert converted is not None
    assert converted.external_id == "16f6366b3f02645a3d15"
    assert converted.incoming == incoming(kind="text", text="bán heo 3 triệu")


@pytest.mark.parametrize(
    ("event", "content", "expected"),
    [
        (
            "message.image.received",
            {"photo": "https://example.invalid/p.jpg", "caption": "hóa đơn phân bón"},
            incoming(kind="photo", text="hóa đơn phân bón"),
        ),
        (
            "message.image.received",
            {"photo": "https://example.invalid/p.jpg"},
            incoming(kind="photo"),
        ),
        (
            "message.sticker.received",
            {"sticker": "0e078a2fb66a5f34067b", "url": "https://example.invalid/s.png"},
            incoming(kind="sticker"),
        ),
        (
            "message.voice.received",
            {"voice_url": "https://example.invalid/v.aac"},
            incoming(kind="voice"),
        ),
        ("message.unsupported.received", {}, incoming(kind="other")),
        ("message.location.received", {}, incoming(kind="other")),  # a kind not known yet
    ],
)
def test_each_kind_of_message(event: str, content: dict[str, Any], expected: Incoming) -> None:
    converted = convert(update(event, **content))
    assert converted is not None
    assert converted.incoming == expected


def test_without_event_name_the_kind_comes_from_the_content() -> None:
    """The docs' getUpdates sample: no event_name, the sender's name as first_name."""
    body = update(None, text="Xin chào")
    body["message"]["from"] = {"id": CHAT, "first_name": "Nguyen Van A"}
    converted = convert(body)
    assert converted is not None
    assert converted.incoming == Incoming(
        channel="zalo", address=CHAT, kind="text", text="Xin chào", display_name="Nguyen Van A"
    )
    photo = convert(update(None, photo="https://example.invalid/p.jpg"))
    assert photo is not None and photo.incoming.kind == "photo"


def test_group_chats_are_ignored_on_purpose() -> None:
    assert convert(update("message.text.received", chat_type="GROUP", text="chi 50k")) is None


@pytest.mark.parametrize(
    "body",
    [
        {"event_name": "message.text.received"},  # no message
        {"event_name": "message.text.received", "message": "chi 50k"},
        {"message": {"chat": {"id": CHAT, "chat_type": "PRIVATE"}, "text": "x"}},  # no id
        {"message": {"message_id": "1", "text": "x"}},  # no chat
    ],
)
def test_what_is_not_a_message_gives_nothing(body: dict[str, Any]) -> None:
    assert convert(body) is None


def test_a_webhook_body_is_unwrapped() -> None:
    inner = update("message.text.received", text="chi 50k")
    assert unwrap({"ok": True, "result": inner}) == inner
    assert unwrap(inner) == inner  # a bare update is taken as it is
    assert unwrap(["not", "an", "object"]) is None
    assert unwrap({"ok": True, "result": None}) is None
