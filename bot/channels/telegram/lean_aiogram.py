"""aiogram without every Telegram type built up front.

At import, ``aiogram.types`` calls ``model_rebuild`` on each of its 400-odd pydantic models,
which builds every validator at once: about 100 MB of memory (``import aiogram`` alone:
159 MB resident against 59 MB without it) for a bot that uses a dozen of them.  aiogram
declares its models ``defer_build``; this skips the eager rebuild while aiogram is imported
and hands each model the namespace aiogram would have passed, so pydantic builds a model
the first time it is used, with the same result.

Import this before anything imports aiogram (the package ``bot.channels.telegram`` does).
If aiogram was imported already, it changes nothing.
"""

from __future__ import annotations

import sys
from typing import Any

import pydantic

_namespaces: list[dict[str, Any]] = []


def _remember_namespace(cls: type[pydantic.BaseModel], /, **kwargs: Any) -> None:
    if kwargs.get("_types_namespace"):
        _namespaces.append(kwargs["_types_namespace"])


def _import_aiogram_lazily() -> None:
    if "aiogram" in sys.modules:
        return
    rebuild = pydantic.BaseModel.__dict__["model_rebuild"]
    pydantic.BaseModel.model_rebuild = classmethod(_remember_namespace)  # type: ignore[assignment,method-assign]
    try:
        import aiogram.methods
        import aiogram.types
    finally:
        pydantic.BaseModel.model_rebuild = rebuild  # type: ignore[method-assign]
    if not _namespaces:
        return
    for module in (aiogram.types, aiogram.methods):
        for name in module.__all__:
            model = getattr(module, name)
            if isinstance(model, type) and issubclass(model, pydantic.BaseModel):
                # What pydantic reads, with the model's own module, to resolve the names
                # in its annotations when it builds the model later.
                model.__pydantic_parent_namespace__ = _namespaces[0]


_import_aiogram_lazily()
