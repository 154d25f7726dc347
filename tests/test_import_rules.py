"""Which parts of the code may import which (issue 21): read from the source, so a module
added later is held to the same rules.

* ``bot/core``, ``bot/services`` and ``handlers`` never import ``bot.channels``: only the
  composition (``bot/app.py``, ``bot/cli``) knows the platforms;
* ``bot/channels`` never imports ``models``, ``bot.db`` or ``bot.services``: an adapter
  only translates, the core stores;
* ``bot/language`` imports nothing of the app: it reads Vietnamese, nothing more;
* ``models`` imports neither ``handlers`` nor ``bot.services``.

Every import counts, also one inside a function or under ``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP = ("bot", "handlers", "models")  # the app's top-level packages


@dataclass(frozen=True)
class Rule:
    folder: str  # where the importing modules are, from the repository's root
    forbidden: tuple[str, ...]  # modules (and everything under them) they must not import
    allowed: tuple[str, ...] = ()  # exceptions inside ``forbidden``

    def breaks(self, imported: str) -> bool:
        def under(prefix: str) -> bool:
            return imported == prefix or imported.startswith(prefix + ".")

        return any(map(under, self.forbidden)) and not any(map(under, self.allowed))


RULES = (
    Rule("bot/core", ("bot.channels",)),
    Rule("bot/services", ("bot.channels",)),
    Rule("handlers", ("bot.channels",)),
    Rule("bot/channels", ("models", "bot.db", "bot.services")),
    Rule("bot/language", APP, allowed=("bot.language",)),
    Rule("models", ("handlers", "bot.services")),
)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_of(path: Path) -> list[str]:
    parts = module_name(path).split(".")
    return parts if path.name == "__init__.py" else parts[:-1]


def imports(source: str, package: list[str]) -> Iterator[tuple[int, str]]:
    """Each module ``source`` (of a module in ``package``) imports, with its line;
    ``from x import y`` yields ``x.y`` too, as ``y`` may be a module
    (``from bot import channels``)."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolved against the module's package
                anchor = package[: len(package) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield node.lineno, base
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}"


def broken(rule: Rule) -> list[str]:
    folder = ROOT / rule.folder
    assert folder.is_dir(), f"{rule.folder} is gone: update the rules"
    return [
        f"{path.relative_to(ROOT)}:{line} imports {imported}"
        for path in sorted(folder.rglob("*.py"))
        for line, imported in imports(path.read_text(encoding="utf-8"), package_of(path))
        if rule.breaks(imported)
    ]


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.folder)
def test_imports_follow_the_layers(rule: Rule) -> None:
    assert broken(rule) == []


def test_a_forbidden_import_is_seen() -> None:
    """The reader itself: plain, from, relative and nested imports are all found."""
    source = (
        "import bot.channels.telegram\n"
        "from bot import channels\n"
        "from ..db import transaction\n"  # in a module of bot/channels
        "def later():\n"
        "    from models import Contact\n"
    )
    found = [name for _line, name in imports(source, ["bot", "channels"])]
    assert "bot.channels.telegram" in found
    assert "bot.channels" in found and "bot.db" in found
    assert "models" in found
    channels = next(rule for rule in RULES if rule.folder == "bot/channels")
    assert channels.breaks("bot.db.transaction") and channels.breaks("models")
    assert not channels.breaks("bot.core.contract") and not channels.breaks("modelsx")
