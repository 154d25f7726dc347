"""Reading one diary message: pieces, their direction and category, dates, asking back.

The pipeline, in one pass each:

1. normalise and tokenise (``tokens``);
2. read the tokens into *atoms*: dates, sums, counts, lexicon terms, plain words;
3. cut the atoms into *pieces*, one per entry: at , ; + line breaks and "và", and where
   a new verb or goods word follows a sum ("bán trứng 200k mua cám 150k");
4. join pieces that lack a sum to their neighbour ("mua cá và rau 100k", "hôm qua, 200k");
5. for each piece, find the kind (verb, then weak verb, then a word that carries its
   own direction such as "tiền điện"), the category (the strongest goods word for that
   kind), the date, and either entries or a question to ask back.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, time
from typing import Final, NamedTuple

from bot.language.amounts import AMOUNT, BARE, COUNT, COUNT_SCALE, FOREIGN, SKIP, AmountReader
from bot.language.dates import DateHit, DateReader
from bot.language.lexicon import Lexicon, Term, default_lexicon
from bot.language.model import Clarify, ParsedEntry, ParseResult
from bot.language.numbers import NUMERAL_WORDS
from bot.language.tokens import NUM, PHONE, QMARK, SEP, WORD, Text, Tokens

log = logging.getLogger(__name__)

# A realistic ceiling for one entry of a poor household; larger sums are asked back.
DEFAULT_CEILING: Final = 500_000_000

# Atom kinds.
A_AMOUNT: Final = 0
A_BARE: Final = 1
A_COUNT: Final = 2
A_FOREIGN: Final = 3  # a sum that cannot be recorded in đồng: "500 đô", "-5 triệu"
A_SKIP: Final = 4
A_DATE: Final = 5
A_TERM: Final = 6
A_WORD: Final = 7
A_SEP: Final = 8
A_OTHER: Final = 9

_SUMS: Final = frozenset({A_AMOUNT, A_BARE, A_FOREIGN})
_NUMBER_KINDS: Final = {
    AMOUNT: A_AMOUNT,
    BARE: A_BARE,
    COUNT: A_COUNT,
    FOREIGN: A_FOREIGN,
    SKIP: A_SKIP,
}
_FALLBACK: Final = {
    "income": "other_income",
    "expense": "other_expense",
}
# Money that only moves has one category per kind: loans, lending, savings.
MOVE_CATEGORY: Final = {
    "borrow": "loan",
    "repay": "loan",
    "interest": "loan",
    "lend": "lending",
    "collect": "lending",
    "save": "savings",
    "withdraw": "savings",
}
# Words after which an ambiguous "muon" (mướn / mượn) is hired work: "làm mướn được".
_PAID: Final = frozenset({"duoc", "lanh", "linh", "nhan"})
_EACH: Final = "moi"  # "mỗi bao 400k"
_PAY: Final = "tra"  # "trả": to pay, to pay back
_FRIEND: Final = "ban"  # "bạn" (a friend) folds like "bán" (to sell)
_MONEY: Final = "tien"  # "tiền thuê" is rent paid, not work done for hire


class Atom:
    """A run of tokens that means one thing."""

    __slots__ = ("date", "end", "kind", "start", "term", "value", "word")

    def __init__(
        self,
        kind: int,
        start: int,
        end: int,
        *,
        value: int = 0,
        term: Term | None = None,
        word: str = "",
        date: DateHit | None = None,
    ) -> None:
        self.kind = kind
        self.start = start
        self.end = end
        self.value = value
        self.term = term
        self.word = word
        self.date = date

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Atom({self.kind}, {self.word or self.value}, {self.start}:{self.end})"


class Piece:
    """The atoms of one entry (or one question)."""

    __slots__ = ("atoms", "implicit")

    def __init__(self, atoms: list[Atom], *, implicit: bool = False) -> None:
        self.atoms = atoms
        self.implicit = implicit  # began where a new verb or goods word followed a sum

    def has_sum(self) -> bool:
        return any(atom.kind in _SUMS for atom in self.atoms)

    def terms(self) -> list[Term]:
        return [atom.term for atom in self.atoms if atom.term is not None]

    def has_head(self) -> bool:
        return any(term.is_head for term in self.terms())

    def has_verb(self) -> bool:
        return any(term.is_verb for term in self.terms())

    def has_direction(self) -> bool:
        return any(
            term.is_verb or term.weak is not None or term.implied_direction is not None
            for term in self.terms()
        )

    def has_status(self) -> bool:
        return any(term.status for term in self.terms())


# -- 2. atoms --------------------------------------------------------------------------


class _Reading:
    """One message being read."""

    def __init__(self, text: str, today: date, lexicon: Lexicon) -> None:
        self.text = Text(text)
        self.tokens = Tokens(self.text.folded)
        self.today = today
        self.lex = lexicon
        self.question = False
        # what the rarer rules need, seen while reading, so most messages skip them
        self.priced = False  # a count, "/" or "mỗi": perhaps a price per unit
        self.ahead = False  # a date written in full that has not come
        self.saving = False  # a savings word (hụi, tiết kiệm)
        self.atoms = self._atoms()

    def _atoms(self) -> list[Atom]:
        lex = self.lex
        tokens = self.tokens
        kinds, words = tokens.kinds, tokens.words
        amounts = AmountReader(lex, tokens)
        dates = DateReader(lex, tokens, self.today)
        # quick first tests, so most words cost one set lookup before the term lookup
        date_starters = lex.dates.starters
        number_starters = amounts.starters
        spelled_words = lex.spelled_first
        kin = lex.kin
        accented = self.text.accented
        atoms: list[Atom] = []
        item_seen = False  # goods named since the last sum or separator
        priced = ahead = saving = False
        i = 0
        n = len(kinds)
        while i < n:
            kind = kinds[i]
            if kind == SEP:
                atoms.append(Atom(A_SEP, i, i + 1))
                item_seen = False
                i += 1
                continue
            if kind == QMARK:
                self.question = True
                i += 1
                continue
            if kind == PHONE:
                atoms.append(Atom(A_SKIP, i, i + 1))
                i += 1
                continue
            word = words[i]
            if kind == WORD and word in kin and self._named(i, amounts):
                atoms.append(Atom(A_WORD, i, i + 2, word=word))  # "chị Năm": someone
                i += 2
                continue
            phrase = lex.terms.match(words, i) if kind == WORD else None
            if accented and kind == WORD and word in spelled_words:
                phrase = self._spelled(i, phrase)
            # A phrase of several words wins over the date or number its first word
            # could start: "nằm viện", "ba khía", "tạm ứng", "mai vàng", "mùng mền".
            long_phrase = phrase is not None and phrase[0] > 1
            if not long_phrase and (kind != WORD or word in date_starters):
                at_start = not atoms or atoms[-1].kind == A_SEP or _is_separator(atoms[-1])
                hit = dates.read(i, at_start=at_start)
                if hit is not None:
                    ahead = ahead or (hit.future and hit.day is not None)
                    atoms.append(Atom(A_DATE, i, hit.end, date=hit))
                    i = hit.end
                    continue
            if not long_phrase and (kind == NUM or (kind == WORD and word in number_starters)):
                number = amounts.read(i)
                if number is not None:
                    atom_kind = _NUMBER_KINDS[number.kind]
                    end = number.end
                    if atom_kind == A_BARE:
                        if atoms and atoms[-1].word in lex.labels:
                            atom_kind = A_SKIP  # ấp 3, lớp 9
                        elif not item_seen and amounts.is_item(end):
                            atom_kind = A_COUNT  # mua 2 heo 5 triệu
                    if atoms and atoms[-1].kind == A_OTHER and self._negative(i, atom_kind):
                        atom_kind = A_FOREIGN  # "-5 triệu": no sum below nothing
                    if atom_kind == A_COUNT:
                        end = number.unit_end  # "1 ghe dừa": a boat-load, not "ghẹ"
                        priced = True
                    elif atom_kind in _SUMS:
                        item_seen = False
                    atoms.append(Atom(atom_kind, i, end, value=number.value))
                    i = end
                    continue
            if kind == WORD:
                if phrase is not None:
                    size, term = phrase
                    atoms.append(Atom(A_TERM, i, i + size, term=term, word=term.key))
                    if term.question:
                        self.question = True
                    saving = saving or term.saving
                    item_seen = item_seen or term.item
                    i += size
                    continue
                atoms.append(Atom(A_WORD, i, i + 1, word=word))
                priced = priced or word == _EACH
                i += 1
                continue
            priced = priced or word == "/"
            atoms.append(Atom(A_OTHER, i, i + 1))
            i += 1
        self.priced, self.ahead, self.saving = priced, ahead, saving
        for atom in reversed(atoms):
            if atom.kind in (A_WORD, A_TERM):
                if atom.word in lex.question_final:
                    self.question = True
                break
            if atom.kind not in (A_SEP, A_OTHER):
                break
        return atoms

    def _named(self, i: int, amounts: AmountReader) -> bool:
        """Whether a name follows the kin word at ``i``: "chị Năm" (not "chi năm trăm"),
        "cô Ba", "anh Lan" (written with a capital)."""
        tokens = self.tokens
        j = i + 1
        if j >= len(tokens) or tokens.kinds[j] != WORD:
            return False
        if tokens.words[j] in self.lex.names:
            return not amounts.starts_number(j) or amounts.read(j) is None
        written = self.text.source(tokens.starts[j], tokens.ends[j])
        return written[:1].isupper() and not written.isupper()

    def _negative(self, i: int, atom_kind: int) -> bool:
        """A minus sign written right before the sum at token ``i``."""
        tokens = self.tokens
        return atom_kind in _SUMS and tokens.words[i - 1] in ("-", "−") and tokens.attached(i)

    def _spelled(self, i: int, phrase: tuple[int, Term] | None) -> tuple[int, Term] | None:
        """The phrase at ``i`` as its spelling says, for words that fold alike ("mướn",
        "mượn", "muốn" all fold to "muon"); ``phrase`` when the spelling says nothing."""
        words, spelled = self.tokens.words, self.lex.spelled
        longest = phrase[0] if phrase is not None else 1
        for size in (2, 1):
            readings = spelled.get(" ".join(words[i : i + size]))
            if readings is None or i + size > len(words):
                continue
            exact = self.text.source(self.tokens.starts[i], self.tokens.ends[i + size - 1])
            spelling = " ".join(exact.lower().split())
            if spelling not in readings:
                continue
            term = readings[spelling]
            if term is None:
                return None  # "lại" is no diacritic-less "lái": no phrase starts with it
            if size >= longest:
                return size, term
        return phrase

    # -- 3. and 4. pieces --------------------------------------------------------------

    def pieces(self) -> list[Piece]:
        raw: list[Piece] = []
        current: list[Atom] = []
        implicit = False
        has_sum = False
        for atom in self.atoms:
            if atom.kind == A_SEP or _is_separator(atom):
                if current:
                    raw.append(Piece(current, implicit=implicit))
                current, implicit, has_sum = [], False, False
                continue
            if atom.term is not None and (atom.term.status or (has_sum and atom.term.is_head)):
                # "bán trứng 200k mua cám 150k"; "bán heo 3 triệu còn nợ 1 triệu"
                if current:
                    raw.append(Piece(current, implicit=implicit))
                current, implicit, has_sum = [atom], not atom.term.status, False
                continue
            current.append(atom)
            has_sum = has_sum or atom.kind in _SUMS
        if current:
            raw.append(Piece(current, implicit=implicit))
        return _join(raw)

    def number_only(self) -> bool:
        """The message is one bare number ("200"), perhaps with a date."""
        bare = [atom for atom in self.atoms if atom.kind == A_BARE]
        rest = [atom for atom in self.atoms if atom.kind not in (A_BARE, A_DATE, A_SEP, A_OTHER)]
        return len(bare) == 1 and not rest

    def source(self, piece: Piece) -> str:
        starts, ends = self.tokens.starts, self.tokens.ends
        first = min(atom.start for atom in piece.atoms)
        last = max(atom.end for atom in piece.atoms)
        return self.text.source(starts[first], ends[last - 1])


def _is_separator(atom: Atom) -> bool:
    return atom.term is not None and atom.term.separator


def _join(pieces: list[Piece]) -> list[Piece]:
    """Give pieces without a sum to their neighbours, as households mean them."""
    joined: list[Piece] = []
    waiting: list[Piece] = []
    for piece in pieces:
        if piece.has_status():
            joined.append(piece)  # a total or a balance stays apart, and records nothing
            continue
        if not piece.has_sum():
            if piece.implicit and joined:
                joined[-1].atoms.extend(piece.atoms)  # "vay 10tr nuôi bò"
            else:
                waiting.append(piece)
            continue
        if waiting:
            if not piece.has_verb() or not any(w.has_head() for w in waiting):
                # "bán heo, được 3 triệu", "mua cá và rau 100k", "hôm qua, 200k"
                piece = Piece([a for w in waiting for a in w.atoms] + piece.atoms)
            else:
                context: list[Atom] = []
                for w in waiting:
                    if w.has_head():
                        joined.append(w)  # "bán heo, mua cám 500k": asks for the first sum
                    else:
                        context.extend(w.atoms)
                piece = Piece(context + piece.atoms)
            waiting = []
        joined.append(piece)
    for w in waiting:
        last = joined[-1] if joined else None
        if (
            last is not None
            and not last.has_status()
            and (not w.has_head() or (last.has_sum() and not last.has_direction()))
        ):
            last.atoms.extend(w.atoms)  # "bán heo 3tr, hôm qua", "3 triệu, bán heo"
        else:
            joined.append(w)
    return joined


# -- 5. kind and category ---------------------------------------------------------------


class _PieceReading:
    """Direction and category of one piece."""

    __slots__ = ("atoms", "hired", "kind", "lex", "saving", "verb_at")

    def __init__(self, atoms: list[Atom], lex: Lexicon, *, saving: bool = True) -> None:
        self.atoms = atoms
        self.lex = lex
        self.saving = saving  # False: no savings word in the message, skip looking
        self.kind: str | None = None
        self.verb_at: int | None = None  # index of the deciding verb atom
        self.hired = False  # "cắt cỏ thuê": work done for hire, a wage
        self._find_kind()

    def _term(self, i: int) -> Term | None:
        return self.atoms[i].term if 0 <= i < len(self.atoms) else None

    def _someone_before(self, i: int) -> bool:
        """Whether someone other than the household is named before atom ``i``."""
        own = self.lex.self_words
        return any(
            atom.kind in (A_WORD, A_TERM) and atom.word not in own for atom in self.atoms[:i]
        )

    def _work_before(self, i: int) -> bool:
        """Whether work is named before a hiring word: "cắt cỏ thuê", not "tiền thuê"."""
        stop = self.lex.stop
        for atom in self.atoms[:i]:
            if atom.kind == A_WORD and atom.word not in stop and atom.word not in NUMERAL_WORDS:
                return True
            term = atom.term
            if term is not None and not term.is_verb and not term.purpose and atom.word != _MONEY:
                return True
        return False

    def _find_kind(self) -> None:
        atoms = self.atoms
        previous_verb = -2
        for i, atom in enumerate(atoms):
            term = atom.term
            if term is None or term.kind is None:
                continue
            if previous_verb == i - 1:
                previous_verb = i
                continue  # "bán nhãn": the second verb-looking word is the goods
            if not _acts_as_verb(atoms, i):
                continue
            previous_verb = i
            self.verb_at = i
            self.kind = self._upgrade(term.kind, i)
            if self.kind == term.kind and term.hired and self._hired_here(i, term):
                self.kind, self.hired = "income", True
            return
        if self.sent_home() is not None:
            self.kind = "income"
            return
        for i, atom in enumerate(atoms):
            term = atom.term
            if term is not None and term.weak is not None:
                self.verb_at = i
                self.kind = self._upgrade(term.weak, i)
                return
        best: Term | None = None
        for atom in atoms:
            term = atom.term
            if (
                term is not None
                and term.implied_direction is not None
                and (best is None or term.priority > best.priority)
            ):
                best = term
        direction = best.implied_direction if best is not None else None
        if direction is not None:
            self.kind = self.saved(direction, 0) or direction

    def _hired_here(self, i: int, term: Term) -> bool:
        """Whether the hiring word at ``i`` is work done for hire.

        "thuê" (and "mướn" spelled so) after any work: "cắt cỏ thuê".  An unaccented
        "muon" is also "mượn" (to borrow), a borrowing verb: hire only after a work word
        or with the pay ("làm muon", "muon duoc 300k").
        """
        if term.kind != "borrow":
            return self._work_before(i)
        if _worked_before(self.atoms, i, self.lex):
            return True
        return any(atom.word in _PAID for atom in self.atoms[i + 1 :])

    def _person_first(self, at: int) -> bool:
        """Whether the piece opens with someone else, before ``at``: "anh Tư trả lại"."""
        for atom in self.atoms[:at]:
            if atom.kind == A_DATE:
                continue
            return atom.word in self.lex.persons
        return False

    def saved(self, kind: str, at: int) -> str | None:
        """Money put aside or taken out: a spending or receiving verb before a savings
        word ("đóng hụi", "nhận tiền hụi")."""
        if not self.saving or kind not in ("expense", "income"):
            return None
        if any(atom.term is not None and atom.term.saving for atom in self.atoms[at:]):
            return "save" if kind == "expense" else "withdraw"
        return None

    def sent_home(self) -> str | None:
        """The sending word, when a relative sends: "vợ … gửi 3 triệu", "tiền con gửi"."""
        family = self.lex.family
        relative = False
        for atom in self.atoms:
            if atom.word in family:
                relative = True
            elif relative and atom.term is not None and atom.term.remit:
                return atom.word
        return None

    def _upgrade(self, kind: str, at: int) -> str:
        """Money that moves: "trả" + "nợ" repays, "trả" + "lãi" pays interest, "nhận" +
        "tiền vay" borrows, "cho mượn" lends, "anh Tư trả nợ" pays us back, "đóng hụi"
        saves."""
        atoms = self.atoms
        if kind == "lend":
            # "chị hai cho mượn": someone lent to us
            return "borrow" if self._someone_before(at) else "lend"
        if kind == "borrow":
            return "lend" if self._lent_to_someone(at) else kind
        if kind in ("repay", "interest"):
            return "collect" if self._person_first(at) else kind
        saved = self.saved(kind, at) if self.saving else None
        if saved is not None:
            return saved
        loans = {atom.term.loan for atom in atoms[at:] if atom.term is not None and atom.term.loan}
        if kind == "expense" and not loans and self._term(at) is not None:
            paid = self._paid_between_people(at)
            if paid is not None:
                return paid
        if kind == "expense" and loans:
            if self._person_first(at):
                return "collect"  # "anh Tư trả tiền nợ 500k"
            return "interest" if "interest" in loans and "debt" not in loans else "repay"
        if kind == "income" and "lender" in loans:
            return "borrow"
        return kind

    def _paid_between_people(self, at: int) -> str | None:
        """ "trả" between the household and someone, with no goods named: "chị Năm trả
        200k" is money coming back, "trả chị Tư 1 triệu" pays a debt."""
        verb = self._term(at)
        if verb is None or verb.key != _PAY:
            return None
        goods = any(
            atom.term is not None and atom.term.has_category and atom.word != _MONEY
            for atom in self.atoms[at + 1 :]
        )
        if self._person_first(at):
            return "income" if goods else "collect"  # "chị Năm trả tiền heo 3 triệu"
        after = self.atoms[at + 1] if at + 1 < len(self.atoms) else None
        if after is not None and after.word in self.lex.persons and not goods:
            return "repay"
        return None

    def _lent_to_someone(self, at: int) -> bool:
        """ "cho em mượn", "cho hàng xóm mượn", "cho anh Tư vay": "cho" shortly before."""
        for back in range(at - 1, max(at - 5, -1), -1):
            atom = self.atoms[back]
            if atom.kind in _SUMS or _acts_as_verb(self.atoms, back):
                return False
            if atom.term is not None and atom.term.purpose:
                return True
        return False

    def category(self, kind: str) -> tuple[str, str | None]:
        """(category, keyword) for the piece read as ``kind``."""
        atoms = self.atoms
        if kind in MOVE_CATEGORY:
            for atom in atoms:
                if atom.term is not None and (atom.term.loan or atom.term.saving):
                    return MOVE_CATEGORY[kind], atom.term.key
            verb = self._term(self.verb_at) if self.verb_at is not None else None
            return MOVE_CATEGORY[kind], verb.key if verb is not None else None
        if self.hired and kind == "income":
            verb = self._term(self.verb_at) if self.verb_at is not None else None
            return "wage", verb.key if verb is not None else None
        if kind == "expense":
            production = self._production()
            if production is not None:
                return "production", production
        if kind == "income":
            sent = self.sent_home()
            if sent is not None:
                return "remittance", sent
        best: Term | None = None
        for i, atom in enumerate(atoms):
            term = atom.term
            if term is None:
                continue
            if i == self.verb_at and term.item and " " not in term.key:
                continue  # "nhận" (also "nhãn") as the verb names no goods; "bán vé số" does
            code = term.category(kind)
            if code is not None and (best is None or term.priority > best.priority):
                best = term
        if best is not None:
            code = best.category(kind)
            assert code is not None
            return code, best.key
        return _FALLBACK[kind], self.fallback_keyword()

    def _production(self) -> str | None:
        """ "mua thuốc cho heo", "thức ăn cho cá": goods for a farm animal or crop."""
        atoms = self.atoms
        farm = [i for i, a in enumerate(atoms) if a.term is not None and a.term.is_farm_item]
        if not farm:
            return None
        for i in farm:
            before = self._term(i - 1)
            if before is not None and before.purpose:
                term = atoms[i].term
                assert term is not None
                return term.key
        for atom in atoms:
            if atom.term is not None and atom.term.farm_input:
                return atom.term.key
        return None

    def hint(self) -> str | None:
        """The category the words suggest before the direction is known."""
        best: Term | None = None
        for atom in self.atoms:
            term = atom.term
            if (
                term is not None
                and term.has_category
                and (best is None or term.priority > best.priority)
            ):
                best = term
        if best is None:
            return None
        if best.loan:
            return "loan"
        return best.income or best.expense

    def fallback_keyword(self) -> str | None:
        """A plain word to remember a household's correction by ("bán khô 200k" → "kho")."""
        stop = self.lex.stop
        for atom in self.atoms:
            if atom.kind == A_WORD and atom.word not in stop and len(atom.word) > 1:
                return atom.word
        return None

    def override_keys(self, keyword: str | None) -> list[str]:
        """Keys a household's correction may be stored under, the deciding one first."""
        keys = [keyword] if keyword else []
        stop = self.lex.stop
        for atom in self.atoms:
            named = atom.term is not None and atom.term.has_category
            if named or (atom.kind == A_WORD and atom.word not in stop):
                keys.append(atom.word)
        return keys

    def wants_amount(self) -> bool:
        """A verb and what it acts on, but no sum: "bán heo", "trả nợ", "mua phân"."""
        if self.verb_at is None or self.kind is None:
            return False
        verb = self._term(self.verb_at)
        if verb is None or verb.kind is None:
            return False
        if " " in verb.key or self.hired or (verb.has_category and not verb.item):
            return True
        return any(
            atom.term is not None and atom.term.has_category and i != self.verb_at
            for i, atom in enumerate(self.atoms)
        )


def _acts_as_verb(atoms: list[Atom], i: int) -> bool:
    """Whether the verb-looking term at ``i`` is a verb here.

    Some verbs are verbs only before what they act on: "chi 200k", "chi tiền chợ", but
    "chị hai" (sister) folds to "chi hai".
    """
    term = atoms[i].term
    if term is None or term.kind is None:
        return False
    if not term.needs_object:
        return True
    if i + 1 >= len(atoms):
        return False
    following = atoms[i + 1]
    if following.kind in _SUMS:
        return True
    after = following.term
    return after is not None and (after.has_category or after.weak is not None)


def _written_ahead(piece: Piece) -> date | None:
    """A date written in full that has not come ("1/1/2099"): asked, never moved."""
    for atom in piece.atoms:
        if atom.date is not None and atom.date.future and atom.date.day is not None:
            return atom.date.day
    return None


def _worked_before(atoms: list[Atom], i: int, lex: Lexicon) -> bool:
    """Whether a work word comes before atom ``i``: "làm", "cắt lúa", "phụ hồ"."""
    work = lex.work_words
    return any(
        atom.word in work or (atom.term is not None and atom.term.income == "wage")
        for atom in atoms[:i]
    )


def _ignored(piece: Piece, lex: Lexicon) -> bool:
    """A plan, a balance or a wish: nothing to record ("mai bán heo", "còn nợ 2 triệu")."""
    atoms = piece.atoms
    for i, atom in enumerate(atoms):
        if atom.date is not None and atom.date.future:
            return True
        term = atom.term
        if term is None:
            continue
        if term.status:
            return True
        if term.intent and i + 1 < len(atoms) and _acts_as_verb(atoms, i + 1):
            # "mượn bạn 2 triệu" folds like "muốn bán 2 triệu": a sum right after
            # "bán" means the borrowing reading
            friend = atoms[i + 1].word == _FRIEND
            if friend and i + 2 < len(atoms) and atoms[i + 2].kind in _SUMS:
                continue
            if term.hired and _worked_before(atoms, i, lex):
                continue  # "gat lua muon lanh 600k": hired (mướn), paid, not "muốn lãnh"
            return True
    return False


# -- the whole message -------------------------------------------------------------------


class _Outcome:
    __slots__ = ("clarify", "entries", "last_kind")

    def __init__(self) -> None:
        self.entries: list[ParsedEntry] = []
        self.clarify: Clarify | None = None
        # the kind of the last piece that had one: "mua gạo 100k, thịt 50k, rau 20k"
        self.last_kind: str | None = None


def parse(
    text: str,
    *,
    today: date,
    ceiling: int = DEFAULT_CEILING,
    overrides: Mapping[str, str] | None = None,
    lexicon: Lexicon | None = None,
) -> ParseResult:
    """Read a message (see ``parse_message``); may raise on a bug, unlike the public API."""
    lex = lexicon if lexicon is not None else default_lexicon()
    reading = _Reading(text, today, lex)
    pieces = reading.pieces()
    number_only = reading.number_only()
    amounts: list[int] = []
    outcome = _Outcome()
    day, clock = _first_date(pieces, today)
    for piece in pieces:
        for atom in piece.atoms:
            hit = atom.date
            if hit is not None and not hit.future:
                if hit.day is not None:
                    day, clock = hit.day, hit.clock
                elif hit.clock is not None:
                    clock = hit.clock
        sums = _sums(piece, number_only)
        unit_price = _unit_price(reading, piece) if reading.priced else None
        if unit_price is not None and unit_price.total is not None:
            sums = [unit_price.total if amount == unit_price.price else amount for amount in sums]
        amounts.extend(sums)
        if reading.question:
            continue
        ahead = _written_ahead(piece) if reading.ahead else None
        if ahead is not None and sums and outcome.clarify is None:
            outcome.clarify = Clarify("future_date", sums[0], None, reading.source(piece), ahead)
            continue
        if _ignored(piece, lex):
            continue
        if unit_price is not None and unit_price.total is None:
            _ask_total(reading, piece, unit_price.price, day, clock, overrides, outcome)
            continue
        _read_piece(reading, piece, sums, day, clock, ceiling, overrides, outcome)
    if outcome.clarify is not None:
        return ParseResult((), outcome.clarify, tuple(amounts), tuple(outcome.entries))
    return ParseResult(tuple(outcome.entries), None, tuple(amounts))


def _first_date(pieces: list[Piece], today: date) -> tuple[date, time | None]:
    """The first date in the message also dates the pieces before it."""
    for piece in pieces:
        for atom in piece.atoms:
            hit = atom.date
            if hit is not None and not hit.future and (hit.day or hit.clock):
                return hit.day or today, hit.clock
    return today, None


class UnitPrice(NamedTuple):
    price: int  # đồng per unit
    total: int | None  # price × count, when the count is given


# Ways of writing the same weighing unit.
_UNIT_SYNONYMS: Final = {"ky": "kg", "ki": "kg", "kilo": "kg", "ky lo": "kg", "ki lo": "kg"}


def _unit_price(reading: _Reading, piece: Piece) -> UnitPrice | None:
    """A price per unit: "380k một bao", "55k/kg", "mỗi bao 400k", multiplied by the
    count of the same unit when the piece gives one ("mua 4 bao cám …")."""
    atoms = piece.atoms
    for k, atom in enumerate(atoms):
        if atom.kind not in (A_AMOUNT, A_BARE):
            continue
        per = _per_unit(reading, atoms, k)
        if per is None:
            continue
        unit, per_atom = per
        counts = [
            (_count_unit(reading, other), other.value)
            for other in atoms
            if other.kind == A_COUNT and other is not per_atom and other.value > 0
        ]
        same = [value for counted, value in counts if counted == unit]
        loose = [value for counted, value in counts if not counted]
        found = same or loose
        total = atom.value * found[0] // COUNT_SCALE if found else None
        return UnitPrice(atom.value, total)
    return None


def _per_unit(reading: _Reading, atoms: list[Atom], k: int) -> tuple[str, Atom | None] | None:
    """The unit the sum at ``k`` is a price of, and the atom saying "one unit"."""
    words = reading.tokens.words
    count_units = reading.lex.count_units
    after = atoms[k + 1] if k + 1 < len(atoms) else None
    if after is not None and after.kind == A_COUNT and after.value == COUNT_SCALE:
        return _count_unit(reading, after), after  # "8 ngàn một ký"
    if after is not None and after.kind == A_OTHER and words[after.start] == "/":
        unit = atoms[k + 2].word if k + 2 < len(atoms) else ""
        if unit in count_units:
            return _UNIT_SYNONYMS.get(unit, unit), None  # "55k/kg"
    for each, unit_at in ((k - 2, k - 1), (k + 1, k + 2)):
        if each >= 0 and unit_at < len(atoms) and atoms[each].word == _EACH:
            unit = atoms[unit_at].word
            if unit in count_units:
                return _UNIT_SYNONYMS.get(unit, unit), None  # "mỗi bao 400k"
    return None


def _count_unit(reading: _Reading, atom: Atom) -> str:
    """The counting word of a count ("50 ký" → "kg"), or "" for goods counted ("2 heo")."""
    tokens = reading.tokens.words[atom.start + 1 : atom.end]
    unit = " ".join(token for token in tokens if token.isalpha())
    return _UNIT_SYNONYMS.get(unit, unit)


def _ask_total(
    reading: _Reading,
    piece: Piece,
    price: int,
    day: date,
    clock: time | None,
    overrides: Mapping[str, str] | None,
    outcome: _Outcome,
) -> None:
    """A price per unit and no count: ask for the whole sum, never record the price."""
    if outcome.clarify is not None:
        return
    read = _PieceReading(piece.atoms, reading.lex, saving=reading.saving)
    kind = read.kind
    category, keyword = _category(read, kind, overrides) if kind else (read.hint(), None)
    text = reading.source(piece)
    outcome.clarify = Clarify("unit_price", price, category, text, day, clock, kind, keyword)


def _sums(piece: Piece, number_only: bool) -> list[int]:
    """The sums of a piece: those with a unit, or else its last bare number."""
    strong = [atom.value for atom in piece.atoms if atom.kind == A_AMOUNT]
    if strong:
        return strong
    bare = [atom.value for atom in piece.atoms if atom.kind == A_BARE]
    if bare and (number_only or piece.has_head()):
        return bare[-1:]
    return []


def _read_piece(
    reading: _Reading,
    piece: Piece,
    sums: list[int],
    day: date,
    clock: time | None,
    ceiling: int,
    overrides: Mapping[str, str] | None,
    outcome: _Outcome,
) -> None:
    lex = reading.lex
    read = _PieceReading(piece.atoms, lex, saving=reading.saving)
    text = reading.source(piece)

    def ask(
        reason: str,
        amount: int | None,
        hint: str | None,
        kind: str | None = None,
        keyword: str | None = None,
    ) -> None:
        if outcome.clarify is None:
            outcome.clarify = Clarify(reason, amount, hint, text, day, clock, kind, keyword)

    if not sums:
        if any(atom.kind == A_FOREIGN for atom in piece.atoms):
            ask("unreadable", None, read.hint())
        elif read.wants_amount():
            kind = read.kind
            assert kind is not None
            category, keyword = _category(read, kind, overrides)
            ask("amount", None, category, kind, keyword)
        return
    kind = read.kind
    if kind is None and outcome.last_kind is not None:
        kind = outcome.last_kind
        category, keyword = _category(read, kind, overrides)
        if keyword is None and outcome.entries:
            # nothing of its own: the same as the entry before ("bán heo 3tr, 200k nữa")
            category, keyword = outcome.entries[-1].category, outcome.entries[-1].keyword
    elif kind is None:
        too_large = [amount for amount in sums if amount > ceiling]
        if too_large:  # no use asking which way a sum went that cannot be recorded
            ask("too_large", too_large[0], read.hint())
        else:
            ask("direction", sums[0], read.hint())
        return
    else:
        category, keyword = _category(read, kind, overrides)
    outcome.last_kind = kind
    for amount in sums:
        if amount > ceiling:
            ask("too_large", amount, category, kind, keyword)
            continue
        outcome.entries.append(ParsedEntry(kind, amount, category, day, clock, text, keyword))


def _category(
    read: _PieceReading, kind: str, overrides: Mapping[str, str] | None
) -> tuple[str, str | None]:
    category, keyword = read.category(kind)
    if overrides:
        categories = read.lex.categories
        for key in read.override_keys(keyword):
            code = overrides.get(key)
            if code is not None and code in categories and kind in categories[code].kinds:
                return code, key
    return category, keyword


def parse_message(
    text: str,
    *,
    today: date,
    ceiling: int = DEFAULT_CEILING,
    overrides: Mapping[str, str] | None = None,
    lexicon: Lexicon | None = None,
) -> ParseResult:
    """Read one diary message.  Never raises.

    ``overrides`` maps a folded keyword to a category code (a household's corrections);
    ``lexicon`` replaces the shipped word list (tests, local words).
    """
    if not isinstance(text, str):
        return ParseResult((), None, ())
    try:
        return parse(text, today=today, ceiling=ceiling, overrides=overrides, lexicon=lexicon)
    except Exception:  # a bug must not lose the message: ask the household to rewrite it
        log.exception("could not read diary message")
        clarify = Clarify("unreadable", None, None, text[:1000], today)
        return ParseResult((), clarify, ())


def default_category(kind: str) -> str:
    """The category of an entry of ``kind`` when no word names one."""
    return MOVE_CATEGORY.get(kind) or _FALLBACK.get(kind, "other_expense")


def resolve_answer(
    text: str,
    kind: str,
    *,
    today: date,
    lexicon: Lexicon | None = None,
    overrides: Mapping[str, str] | None = None,
) -> tuple[str, str, str | None]:
    """(kind, category, keyword) of ``text`` once the household said which way the money
    went: "Chi" for "tiền hụi 500k" is money put aside, not spent."""
    lex = lexicon if lexicon is not None else default_lexicon()
    read = _PieceReading(_Reading(text, today, lex).atoms, lex)
    kind = read.saved(kind, 0) or kind
    return (kind, *_category(read, kind, overrides))
