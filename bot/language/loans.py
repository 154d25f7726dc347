"""What a loan message says besides its sum: the other side and what the money is for.

"vay ngân hàng chính sách 30 triệu nuôi bò" names a bank and a purpose; "trả chị Tư
1 triệu" a person.  The words are data (``[loans]`` and ``[markers] kin``/``names`` in
the lexicon).  Pure: text in, values out.
"""

from __future__ import annotations

from bot.language.folding import fold
from bot.language.lexicon import Lexicon, LoanWords, default_lexicon, padded
from bot.language.numbers import NUMERAL_WORDS
from bot.language.tokens import DATE, NUM, PHONE, TIME, WORD, Text, Tokens

_LIMIT = 1000
_WORDING = frozenset((WORD, NUM, DATE, TIME, PHONE))


def party_of(text: str, *, lexicon: Lexicon | None = None) -> str | None:
    """The other side a loan message names: a bank or association (its proper name), a
    person ("chị Tư", as written), or someone named by a noun ("hàng xóm"); else None."""
    lex = lexicon if lexicon is not None else default_lexicon()
    said = Text(text[:_LIMIT])
    tokens = Tokens(said.folded)
    # Words and figures, not punctuation; each also as written (NFC), to quote a name.
    kept = [at for at, kind in enumerate(tokens.kinds) if kind in _WORDING]
    folded = [tokens.words[at] for at in kept]
    said_words = padded(folded)
    for name, aliases in lex.loans.lenders:
        if any(alias in said_words for alias in aliases):
            return name
    written = [said.source(tokens.starts[at], tokens.ends[at]) for at in kept]
    return _person(written, folded, lex) or _someone(written, folded, lex.loans)


def _person(written: list[str], folded: list[str], lex: Lexicon) -> str | None:
    loans = lex.loans
    numbers = NUMERAL_WORDS | lex.units.first_words() | lex.weak_units.first_words()
    numbers -= loans.not_numbers
    for at in range(len(written) - 1):
        kin, name = written[at], written[at + 1]
        # With diacritics the kin word must be written so ("đi" is not "dì").
        is_kin = folded[at] in loans.kin if kin.isascii() else kin.lower() in loans.kin_spelled
        if not is_kin or not name.isalpha():
            continue
        following = folded[at + 2] if at + 2 < len(folded) else ""
        if following in numbers and folded[at + 1] in numbers:
            continue  # "ba mươi triệu": a number, not a name
        if (
            folded[at + 1] in lex.names
            or name[0].isupper()
            or (folded[at + 1] not in loans.not_names and folded[at + 1] not in numbers)
        ):
            return f"{kin} {name}"
    return None


def _someone(written: list[str], folded: list[str], loans: LoanWords) -> str | None:
    for phrase in loans.people:
        size = len(phrase)
        for at in range(len(folded) - size + 1):
            if tuple(folded[at : at + size]) == phrase:
                return " ".join(written[at : at + size])
    return None


def same_party(named: str, loan_party: str, *, lexicon: Lexicon | None = None) -> bool:
    """Whether a message naming ``named`` speaks of a loan with ``loan_party``: the same
    name folded, or "ngân hàng" for any bank loan."""
    banks = (lexicon if lexicon is not None else default_lexicon()).loans.banks
    named_folded, loan_folded = fold(named), fold(loan_party)
    return named_folded == loan_folded or (named_folded == "ngan hang" and loan_folded in banks)


def purpose_of(text: str, *, lexicon: Lexicon | None = None) -> tuple[str | None, str]:
    """The purpose as written ("nuôi bò") and the categories it allows (comma-separated)."""
    loans = (lexicon if lexicon is not None else default_lexicon()).loans
    said = Text(text[:_LIMIT])
    tokens = Tokens(said.folded)
    folded = [w if kind == WORD else "" for w, kind in zip(tokens.words, tokens.kinds, strict=True)]
    said_words = padded(folded)
    categories = [
        category
        for category, phrases in loans.purposes
        if any(phrase in said_words for phrase in phrases)
    ]
    purpose = None
    for at, word in enumerate(folded[:-1]):
        if word in loans.purpose_lead:
            purpose = said.source(tokens.starts[at], len(said.folded)).strip(" .,") or None
            break
    return purpose, ",".join(dict.fromkeys(categories or ["production"]))
