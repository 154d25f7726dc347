"""Folding Vietnamese for comparison: the reader's, and anyone's who matches words."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case ``text`` and strip Vietnamese diacritics (``đ`` becomes ``d``).

    NFC and NFD input fold to the same string, so "bán heo", "ban heo" and a
    decomposed "bán heo" all compare equal.
    """
    decomposed = unicodedata.normalize("NFD", text.lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d")
