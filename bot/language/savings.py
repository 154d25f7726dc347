"""Which pot money put aside goes to or comes from: hụi, a piggy bank, a savings group,
a savings book.  The words are data (``[pots]`` in the lexicon).  Pure."""

from __future__ import annotations

from bot.language.lexicon import Lexicon, default_lexicon, padded
from bot.language.tokens import WORD, Text, Tokens

OTHER_POT = "other"


def pot_of(text: str, *, lexicon: Lexicon | None = None) -> str:
    """The pot a saving or a withdrawal names ("góp hụi 500k" → "hui"), else ``OTHER_POT``."""
    lex = lexicon if lexicon is not None else default_lexicon()
    tokens = Tokens(Text(text[:1000]).folded)
    words = padded(
        w if kind == WORD else "" for w, kind in zip(tokens.words, tokens.kinds, strict=True)
    )
    for pot, phrases in lex.pots:
        if any(phrase in words for phrase in phrases):
            return pot
    return OTHER_POT


def pot_names(*, lexicon: Lexicon | None = None) -> list[str]:
    """Every pot, in the lexicon's order, ``OTHER_POT`` last."""
    lex = lexicon if lexicon is not None else default_lexicon()
    return [pot for pot, _ in lex.pots] + [OTHER_POT]
