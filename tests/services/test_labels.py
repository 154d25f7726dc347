from bot.language import CATEGORIES, KINDS
from bot.services.diary.labels import (
    CATEGORY_LABELS,
    EXPENSE_CATEGORIES,
    KIND_LABELS,
    categories_for,
)


def test_every_category_of_the_lexicon_has_a_label() -> None:
    assert set(CATEGORY_LABELS) == set(CATEGORIES)


def test_every_kind_has_a_label() -> None:
    assert set(KIND_LABELS) == set(KINDS)


def test_categories_by_kind_follow_the_lexicon() -> None:
    assert categories_for("borrow") == categories_for("repay") == ("loan",)
    assert categories_for("interest") == ("loan",)
    assert categories_for("lend") == categories_for("collect") == ("lending",)
    assert categories_for("save") == categories_for("withdraw") == ("savings",)
    assert EXPENSE_CATEGORIES[0] == "production" and "food" in EXPENSE_CATEGORIES
    assert not {"loan", "lending", "savings"} & set(categories_for("income"))
    assert not {"loan", "lending", "savings"} & set(EXPENSE_CATEGORIES)
