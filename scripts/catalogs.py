"""Keep the gettext catalogs in step with the code.

    python scripts/catalogs.py update    # extract, then merge into vi and en
    python scripts/catalogs.py compile   # .po -> .mo (install and CI run this)

Vietnamese is the source language: the vi catalog repeats each message id; new English
strings are left empty (and listed) for a person to translate in locales/en/.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
TEMPLATE = LOCALES / "messages.pot"


def po_path(locale: str) -> Path:
    return LOCALES / locale / "LC_MESSAGES" / "messages.po"


SOURCES = ("bot", "handlers")


def extract() -> Catalog:
    """Every message id the code passes to ``_``/``N_``, written to messages.pot."""
    template = Catalog(project="Sinh ke bot", charset="utf-8")
    for folder in SOURCES:
        for filename, lineno, message, comments, _context in extract_from_dir(
            ROOT / folder,
            # The web page's templates call _() too (bot/web/templates).
            method_map=[("**.py", "python"), ("**.html", "jinja2.ext:babel_extract")],
        ):
            template.add(
                message, locations=[(f"{folder}/{filename}", lineno)], auto_comments=comments
            )
    with TEMPLATE.open("wb") as handle:
        write_po(handle, template, no_location=True, sort_output=True)
    return template


def load(locale: str) -> Catalog:
    path = po_path(locale)
    if not path.exists():
        return Catalog(locale=locale)
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def save(catalog: Catalog, locale: str) -> None:
    path = po_path(locale)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, no_location=True, sort_output=True, omit_header=False)


def update() -> int:
    template = extract()
    missing = []
    for locale in ("vi", "en"):
        old = load(locale)
        new = Catalog(locale=locale, project="Sinh ke bot", charset="utf-8")
        for message in template:
            if not message.id:
                continue
            previous = old.get(message.id)
            if locale == "vi":
                text = message.id
            else:
                text = previous.string if previous is not None else ""
                if not text:
                    missing.append(message.id)
            new.add(message.id, text)
        save(new, locale)
    for message_id in missing:
        print(f"en: not translated yet: {message_id!r}")
    return 0


def compile_all() -> int:
    for locale in ("vi", "en"):
        catalog = load(locale)
        with po_path(locale).with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog)
    return 0


if __name__ == "__main__":
    action = sys.argv[1] if len(sys.argv) > 1 else "update"
    sys.exit({"update": update, "compile": compile_all}[action]())
