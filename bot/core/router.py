"""Routing one message to its handler: button payload (a typed answer to the last
question arrives as one, see bot.core.answers), command, urgent free text (a person in
trouble comes before any pending question), pending question, then free-text handlers
in the order they were registered (catch-alls last)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bot.core.context import Context
from bot.language.folding import fold

# A handler returns False when the message is not for it (free text only).
Handler = Callable[[Context], Awaitable[bool | None]]


@dataclass
class Router:
    commands: dict[str, Handler] = field(default_factory=dict)
    buttons: list[tuple[str, Handler]] = field(default_factory=list)
    states: dict[str, Handler] = field(default_factory=dict)
    phrases: dict[str, Handler] = field(default_factory=dict)
    texts: list[Handler] = field(default_factory=list)
    urgent: list[Handler] = field(default_factory=list)
    observers: list[Handler] = field(default_factory=list)

    def command(self, handler: Handler, *names: str) -> None:
        """``/name`` (with or without arguments, any case)."""
        for name in names:
            self._add(self.commands, name.lower(), handler)

    def phrase(self, handler: Handler, *phrases: str) -> None:
        """A whole message that means a command ("tháng này"), with or without diacritics."""
        for phrase in phrases:
            self._add(self.phrases, fold(phrase).strip(), handler)

    def button(self, handler: Handler, prefix: str) -> None:
        """Button payloads starting with ``prefix`` (e.g. ``"undo:"``)."""
        self.buttons.append((prefix, handler))

    def state(self, handler: Handler, name: str) -> None:
        self._add(self.states, name, handler)

    def text(self, handler: Handler) -> None:
        self.texts.append(handler)

    def first(self, handler: Handler) -> None:
        """Free text read before any pending question (a person in trouble)."""
        self.urgent.append(handler)

    def observe(self, handler: Handler) -> None:
        """See every message before it is routed (e.g. urgent words); never consumes it."""
        self.observers.append(handler)

    @staticmethod
    def _add(table: dict[str, Handler], key: str, handler: Handler) -> None:
        if key in table:
            raise ValueError(f"route {key!r} registered twice")
        table[key] = handler

    async def dispatch(self, ctx: Context) -> bool:
        """Run the first handler that takes the message; False when none did."""
        for observer in self.observers:
            await observer(ctx)
        incoming = ctx.incoming
        if incoming.payload is not None:
            for prefix, handler in self.buttons:
                if incoming.payload.startswith(prefix):
                    return await handler(ctx) is not False
            return False
        text = incoming.text.strip()
        if text.startswith("/"):
            name = text[1:].split(maxsplit=1)[0].split("@")[0].lower() if len(text) > 1 else ""
            command_handler = self.commands.get(name)
            return command_handler is not None and await command_handler(ctx) is not False
        for handler in self.urgent:
            if await handler(ctx) is not False:
                return True
        state_handler = self.states.get(ctx.state) if ctx.state else None
        if state_handler is not None and await state_handler(ctx) is not False:
            return True
        phrase_handler = self.phrases.get(fold(text).strip(" .!?"))
        if phrase_handler is not None:
            return await phrase_handler(ctx) is not False
        for handler in self.texts:
            if await handler(ctx) is not False:
                return True
        return False


def command_argument(text: str) -> str:
    """What follows ``/command`` in a message ("" when nothing)."""
    parts = text.strip().split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 and parts[0].startswith("/") else ""
