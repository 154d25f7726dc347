from bot.language import CATEGORIES
from bot.services.labels import CATEGORY_LABELS, EXPENSE_CATEGORIES, categories_for


def test_every_category_of_the_lexicon_has_a_label() -> None:
    assert set(CATEGORY_LABELS) == set(CATEGORIES)


def test_categories_by_kind_follow_the_lexicon() -> None:
    assert categories_for("borrow") == categories_for("repay") == ("loan",)
    assert EXPENSE_CATEGORIES[0] == "production" and "food" in EXPENSE_CATEGORIES
    assert "loan" not in categories_for("income")
