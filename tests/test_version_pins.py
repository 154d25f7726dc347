"""The two places that reach into libraries' internals, pinned to what they rely on.

``bot/channels/telegram/lean_aiogram.py`` swaps pydantic's ``BaseModel.model_rebuild``
while aiogram imports, and ``bot/sqlite_inline.py`` subclasses aiosqlite's ``Connection``
and replaces its worker-thread queue (which SQLAlchemy's dialect also uses).  Neither is a
public API: when an upgrade moves what they rely on, these tests say which library, which
part and which versions the patch was checked against, instead of a memory regression or
a hang somewhere else.  Each patch also has a behavioural check that it still takes effect.
"""

from __future__ import annotations

import asyncio
import importlib.metadata
import importlib.util
import inspect
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import aiosqlite
import pydantic
from sqlalchemy import text
from sqlalchemy.dialects.sqlite import aiosqlite as sqlalchemy_aiosqlite
from sqlalchemy.ext.asyncio import create_async_engine

from bot.sqlite_inline import InlineConnection, creator

# The versions each patch was last checked against (the ones installed when it was).
LEAN_AIOGRAM_CHECKED = "aiogram 3.31.0 with pydantic 2.13.5"
SQLITE_INLINE_CHECKED = "aiosqlite 0.22.1 with SQLAlchemy 2.0.58"


def _installed(*names: str) -> str:
    return ", ".join(f"{name} {importlib.metadata.version(name)}" for name in names)


def _lean_aiogram_broken(what: str) -> str:
    return (
        f"bot/channels/telegram/lean_aiogram.py relies on {what}, which the installed "
        f"{_installed('aiogram', 'pydantic')} no longer has (checked against "
        f"{LEAN_AIOGRAM_CHECKED}): update or remove the patch"
    )


def _sqlite_inline_broken(what: str) -> str:
    return (
        f"bot/sqlite_inline.py relies on {what}, which the installed "
        f"{_installed('aiosqlite', 'SQLAlchemy')} no longer has (checked against "
        f"{SQLITE_INLINE_CHECKED}): update or remove the patch"
    )


def _source_of_module(name: str) -> str:
    """A module's source without importing it (its package may be imported already)."""
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.origin is not None, f"{name} is not installed"
    return Path(spec.origin).read_text(encoding="utf-8")


# --- lean_aiogram: pydantic's model_rebuild and aiogram's import-time rebuild ------------


def test_pydantic_model_rebuild_is_a_classmethod_taking_types_namespace() -> None:
    rebuild = pydantic.BaseModel.__dict__.get("model_rebuild")
    assert isinstance(rebuild, classmethod), _lean_aiogram_broken(
        "pydantic.BaseModel.model_rebuild being a classmethod in the class __dict__"
    )
    parameters = inspect.signature(pydantic.BaseModel.model_rebuild).parameters
    assert "_types_namespace" in parameters, _lean_aiogram_broken(
        "model_rebuild(_types_namespace=...), the namespace aiogram passes"
    )


def test_pydantic_builds_a_deferred_model_from_its_parent_namespace() -> None:
    assert hasattr(pydantic.BaseModel, "__pydantic_parent_namespace__"), _lean_aiogram_broken(
        "BaseModel.__pydantic_parent_namespace__, read on a deferred build"
    )
    rebuild = inspect.getsource(pydantic.BaseModel.model_rebuild)
    assert "__pydantic_parent_namespace__" in rebuild, _lean_aiogram_broken(
        "model_rebuild reading __pydantic_parent_namespace__ when it builds a model later"
    )


def test_aiogram_rebuilds_its_types_with_a_namespace_at_import() -> None:
    source = _source_of_module("aiogram.types")
    assert "model_rebuild(_types_namespace=" in source, _lean_aiogram_broken(
        "aiogram.types calling model_rebuild(_types_namespace=...) on each type at import"
    )
    assert "__all__" in source and "__all__" in _source_of_module("aiogram.methods"), (
        _lean_aiogram_broken("aiogram.types and aiogram.methods listing their models in __all__")
    )
    assert "defer_build=True" in _source_of_module("aiogram.types.base"), _lean_aiogram_broken(
        "aiogram's TelegramObject declaring defer_build=True"
    )


def test_lean_aiogram_still_defers_the_types_and_keeps_the_namespace() -> None:
    """In a fresh interpreter: the patch caught aiogram's namespace, the types are not
    built at import, and one built on first use resolves its annotations."""
    script = textwrap.dedent(
        """
        from bot.channels.telegram import lean_aiogram
        from aiogram import types
        assert lean_aiogram._namespaces, "no namespace caught"
        assert not types.Chat.__pydantic_complete__, "built at import"
        assert types.Chat.__pydantic_parent_namespace__ is lean_aiogram._namespaces[0]
        chat = types.Chat.model_validate({"id": 1, "type": "private"})
        assert chat.id == 1 and types.Chat.__pydantic_complete__
        print("ok")
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.strip() == "ok", _lean_aiogram_broken(
        f"the eager rebuild it skips (the patch no longer takes effect):\n{done.stderr}"
    )


# --- sqlite_inline: aiosqlite's Connection and SQLAlchemy's use of its queue -------------


def test_aiosqlite_connection_has_what_inline_connection_replaces() -> None:
    parameters = inspect.signature(aiosqlite.Connection.__init__).parameters
    assert list(parameters)[1:3] == ["connector", "iter_chunk_size"], _sqlite_inline_broken(
        "Connection(connector, iter_chunk_size)"
    )
    init = inspect.getsource(aiosqlite.Connection.__init__)
    for attribute in ("self._tx", "self._connection", "self._connector", "self._running"):
        assert attribute in init, _sqlite_inline_broken(f"Connection.__init__ setting {attribute}")
    for method in ("_execute", "_connect"):
        assert inspect.iscoroutinefunction(getattr(aiosqlite.Connection, method, None)), (
            _sqlite_inline_broken(f"the coroutine Connection.{method}")
        )
    for method in ("__await__", "stop", "close"):
        assert callable(getattr(aiosqlite.Connection, method, None)), _sqlite_inline_broken(
            f"Connection.{method}"
        )
    execute = inspect.signature(aiosqlite.Connection._execute).parameters
    assert list(execute) == ["self", "fn", "args", "kwargs"], _sqlite_inline_broken(
        "Connection._execute(fn, *args, **kwargs), through which every call goes"
    )
    assert "self._execute(" in inspect.getsource(aiosqlite.Connection.execute), (
        _sqlite_inline_broken("Connection.execute going through _execute")
    )
    assert "_execute(" in inspect.getsource(aiosqlite.Cursor.execute), _sqlite_inline_broken(
        "Cursor.execute going through the connection's _execute"
    )


def test_sqlalchemy_puts_a_future_and_a_function_on_the_queue() -> None:
    setter = inspect.getsource(sqlalchemy_aiosqlite.AsyncAdapt_aiosqlite_connection)
    assert "_tx.put_nowait((future, function))" in setter, _sqlite_inline_broken(
        "SQLAlchemy's aiosqlite dialect putting (future, function) on Connection._tx"
    )


def test_inline_connection_runs_sqlite_on_the_event_loop_thread(tmp_path: Path) -> None:
    """No worker thread: every call, including SQLAlchemy's isolation-level setter, runs
    on the event loop's own thread."""

    async def run() -> set[int]:
        threads: set[int] = set()
        engine = create_async_engine(
            "sqlite+aiosqlite://",
            async_creator=creator(str(tmp_path / "pins.db"), 5.0),
            isolation_level="SERIALIZABLE",  # set through the queue SQLAlchemy uses
        )
        try:
            async with engine.connect() as connection:
                raw = await connection.get_raw_connection()
                inline = raw.driver_connection
                assert isinstance(inline, InlineConnection)
                assert not inline._thread.is_alive(), "aiosqlite's worker thread was started"
                await inline.create_function(
                    "thread", 0, lambda: threads.add(threading.get_ident()) or 1
                )
                await connection.execute(text("SELECT thread()"))
                assert (await connection.execute(text("SELECT 1 + 1"))).scalar() == 2
        finally:
            await engine.dispose()
        return threads

    before = threading.active_count()
    threads = asyncio.run(asyncio.wait_for(run(), 30))  # a call left on the queue hangs
    assert threads == {threading.get_ident()}, _sqlite_inline_broken(
        "running each call at once (a call ran on another thread: the patch no longer takes effect)"
    )
    assert threading.active_count() == before
