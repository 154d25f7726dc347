"""Finding the articles a free question is about: folded terms weighted by field."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.language.folding import fold
from bot.services.content.articles import (
    Article,
)
from bot.services.content.display import plain_text

_WORD = re.compile(r"[a-z0-9]+")

# Search weights: a curated keyword counts most, then the title, then the body.
_KEYWORD_WEIGHT = 3.0
_TITLE_WEIGHT = 2.5
_BODY_WEIGHT = 0.6
# One word out of a longer keyword or the title says less than the whole phrase.
_PART_WEIGHT = 1.2
_BIGRAM_BOOST = 2.0
# A hit is "confident" when it scores at least this much and clearly beats the runner-up.
CONFIDENT_SCORE = 5.0
CONFIDENT_MARGIN = 1.3

# Folded words that carry no topic on their own (amount words included, so a diary line
# such as "bán heo 3 triệu" finds nothing).  They still count inside a bigram with a real
# word, so "bảo hiểm" is found although "bao" ("bao nhiêu") is dropped.
_VI_STOP_WORDS = """
    a ah ai anh ban bao bi cac cai chi cho co con cua da dang day de den do dong duoc em gi
    ha hay hoi k khi khong la len luc ma minh mot muoi muon nao nay neu ngan nghin nhe nhieu
    nhu nhung o oi phai ra roi ruoi sao se tai the thi toi tr tram trieu tu va ve voi xin
"""
_EN_STOP_WORDS = """
    a about am an and are as at be can could do does for from get got has have how i if in
    is it me much my of on or should so that the there this to was what when where which
    who why will with you your
"""
_STOP_WORDS: dict[str, frozenset[str]] = {
    "vi": frozenset(_VI_STOP_WORDS.split()),
    "en": frozenset(_EN_STOP_WORDS.split()),
}


@dataclass(frozen=True, slots=True)
class SearchHit:
    article: Article
    score: float
    confident: bool


def _terms(text: str, stop_words: frozenset[str]) -> tuple[set[str], set[str]]:
    """Folded words and adjacent-word bigrams of ``text``.

    Stop words and bare numbers (amounts, mostly) are not terms of their own.  A bigram
    needs a real word in it ("cấp 3"), or two numbers ("1800 1233"), so that neither
    "bao nhiêu" nor "000 đồng" counts.
    """
    words = _WORD.findall(fold(text))

    def real(word: str) -> bool:
        return word not in stop_words and not word.isdigit()

    singles = {word for word in words if real(word)}
    pairs = {
        f"{first} {second}"
        for first, second in itertools.pairwise(words)
        if real(first) or real(second) or (first.isdigit() and second.isdigit())
    }
    return singles, pairs


@dataclass(frozen=True, slots=True)
class _Indexed:
    article: Article
    weights: dict[str, float]


class Index:
    """The articles one language sees, with their folded terms weighted by field."""

    def __init__(self, articles: Iterable[Article], language: str) -> None:
        self.stop_words = _STOP_WORDS[language]
        self.entries: list[_Indexed] = []
        document_frequency: dict[str, float] = {}
        for article in articles:
            weights: dict[str, float] = {}
            fields = (
                (_BODY_WEIGHT, [plain_text(article.body)]),
                (_TITLE_WEIGHT, [article.title]),
                (_KEYWORD_WEIGHT, list(article.keywords)),
            )
            for weight, texts in fields:
                for text in texts:
                    singles, pairs = _terms(text, self.stop_words)
                    whole = len(singles) == 1 and not pairs  # a one-word keyword: "EPS"
                    single_weight = weight if whole else min(weight, _PART_WEIGHT)
                    for term in singles:
                        weights[term] = max(single_weight, weights.get(term, 0.0))
                    for term in pairs:
                        weights[term] = max(weight, weights.get(term, 0.0))
            self.entries.append(_Indexed(article, weights))
            for term, weight in weights.items():
                # A passing mention in a body counts as a fraction of a document, so a
                # word that one article is about stays distinctive however often others
                # mention it ("EPS", "1800 1233").
                share = weight / _KEYWORD_WEIGHT
                document_frequency[term] = document_frequency.get(term, 0.0) + share
        count = len(self.entries)
        self.idf = {term: math.log((count + 1) / df) for term, df in document_frequency.items()}

    def search(self, query: str, limit: int) -> list[SearchHit]:
        singles, pairs = _terms(query, self.stop_words)
        terms = (singles | pairs) & self.idf.keys()
        scored: list[tuple[float, bool, Article]] = []
        for entry in self.entries:
            matched = [term for term in terms if term in entry.weights]
            score = sum(
                self.idf[term] * entry.weights[term] * (_BIGRAM_BOOST if " " in term else 1.0)
                for term in matched
            )
            on_topic = any(entry.weights[term] >= _TITLE_WEIGHT for term in matched)
            if score > 0:
                scored.append((score, on_topic, entry.article))
        scored.sort(key=lambda hit: (-hit[0], hit[2].slug))
        if not scored:
            return []
        best, best_on_topic, _ = scored[0]
        runner_up = scored[1][0] if len(scored) > 1 else 0.0
        # Confident: the winner matched a phrase of its title or keywords, scored enough
        # and clearly beat the next article; otherwise the caller offers the nearest ones.
        confident = (
            best_on_topic and best >= CONFIDENT_SCORE and best >= CONFIDENT_MARGIN * runner_up
        )
        return [
            SearchHit(article, round(score, 3), confident and rank == 0)
            for rank, (score, _, article) in enumerate(scored[:limit])
        ]
