"""The activity catalogue: its file, finding activities by name, reading a diary line's
words, and which of a household's activities an entry fits."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.plans.catalogue import CatalogueError, default, fitting, load

CATALOGUE = default()


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("bán heo 5 triệu", {"nuoi_heo"}),
        ("ban heo 5tr", {"nuoi_heo"}),
        ("bán 2 con lợn 6 triệu", {"nuoi_heo"}),
        ("mua cám heo 300k", {"nuoi_heo"}),
        ("thuốc cho bò 200k", {"nuoi_bo"}),
        ("thuoc cho bo 200k", {"nuoi_bo"}),
        ("bán con bê 7 triệu", {"nuoi_bo"}),
        ("bán trứng vịt 120k", {"ga_vit"}),
        ("mua cám 300k", {"nuoi_heo", "ga_vit", "ca_tom"}),
        # unaccented "cam" is feed or oranges: every activity it may be
        ("mua cam 300k", {"nuoi_heo", "ga_vit", "ca_tom", "cay_trai"}),
        ("mua cam sành 300k", {"cay_trai"}),
        # a phrase outranks its words: manure is for crops, not cattle
        ("mua phân bò 200k", {"trong_dua", "rau_mau", "trong_lua", "cay_trai"}),
        ("bán dừa khô 2 triệu", {"trong_dua"}),
        ("ban dua kho 2tr", {"trong_dua"}),
        ("bán dứa 300k", {"cay_trai"}),
        ("bán dưa leo 300k", {"rau_mau"}),
        ("bán cá tra 4 triệu", {"ca_tom"}),
        ("vé máy bay đi nhật 8 triệu", {"di_nuoc_ngoai"}),
        ("đi chợ 100k", set()),
        ("tiền điện 230k", set()),
    ],
)
def test_words_name_activities(text: str, codes: set[str]) -> None:
    assert CATALOGUE.named_in(text) == codes


def test_written_with_diacritics_they_must_match() -> None:
    assert "nuoi_bo" not in CATALOGUE.named_in("bỏ ống 50k")
    assert "nuoi_bo" in CATALOGUE.named_in("bo 50k")  # unaccented: it may be bò


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("nuoi_heo", "nuoi_heo"),
        ("Nuôi heo", "nuoi_heo"),
        ("nuoi heo", "nuoi_heo"),
        ("Pigs", "nuoi_heo"),
        ("  NUÔI GÀ VỊT ", "ga_vit"),
        ("gà vịt", "ga_vit"),
        ("heo", "nuoi_heo"),
        ("làm thuê", "lam_thue"),
        ("Work abroad", "di_nuoc_ngoai"),
    ],
)
def test_find_by_code_name_or_words(name: str, code: str) -> None:
    activity = CATALOGUE.find(name)
    assert activity is not None and activity.code == code


@pytest.mark.parametrize("name", ["khủng long", "cám", "", "phân"])
def test_find_refuses_what_is_not_one_activity(name: str) -> None:
    assert CATALOGUE.find(name) is None


def fits(followed: list[str], kind: str, category: str, text: str, loan: str | None = None):  # type: ignore[no-untyped-def]
    return fitting(CATALOGUE, followed, kind=kind, category=category, text=text, loan_activity=loan)


def test_an_entry_fits_the_household_activities_its_words_name() -> None:
    assert fits(["nuoi_heo"], "income", "livestock", "bán heo 5tr") == ["nuoi_heo"]
    assert fits(["nuoi_heo", "ga_vit"], "expense", "production", "mua cám 300k") == [
        "nuoi_heo",
        "ga_vit",
    ]
    assert fits(["nuoi_heo", "trong_dua"], "expense", "production", "mua cám 300k") == ["nuoi_heo"]
    # it names an activity the household does not follow: none
    assert fits(["nuoi_heo"], "income", "livestock", "bán gà 200k") == []
    # the right words in the wrong category: meat bought for the table is food
    assert fits(["nuoi_heo"], "expense", "food", "mua thịt heo 100k") == []


def test_whole_categories_and_no_words() -> None:
    assert fits(["nuoi_heo", "lam_thue"], "income", "wage", "làm mướn 300k") == ["lam_thue"]
    assert fits(["buon_ban"], "income", "business", "bán tạp hóa 400k") == ["buon_ban"]
    # production spending that names nothing fits every production activity
    assert fits(["nuoi_heo"], "expense", "production", "chi sản xuất 500k") == ["nuoi_heo"]
    assert fits(["nuoi_heo", "nuoi_bo"], "expense", "production", "thuê xe 500k") == [
        "nuoi_heo",
        "nuoi_bo",
    ]


def test_a_loan_decides_what_words_do_not() -> None:
    followed = ["nuoi_heo", "nuoi_bo"]
    assert fits(followed, "expense", "production", "chi sản xuất 2tr", "nuoi_bo") == ["nuoi_bo"]
    assert fits(followed, "interest", "loan", "đóng lãi 300k", "nuoi_bo") == ["nuoi_bo"]
    assert fits(followed, "interest", "loan", "đóng lãi 300k") == []


@pytest.mark.parametrize("kind", ["borrow", "repay", "lend", "collect", "save", "withdraw"])
def test_money_that_only_moves_belongs_to_no_activity(kind: str) -> None:
    assert fits(["nuoi_heo", "nuoi_bo"], kind, "loan", "vay mua heo giống 10tr", "nuoi_heo") == []


def test_a_wrong_file_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    path.write_text('[[activity]]\ncode = "Nuôi Heo"\n', encoding="utf-8")
    with pytest.raises(CatalogueError, match="not a-z"):
        load(path)
    path.write_text('[[activity]]\ncode = "x"\n[[activity]]\ncode = "x"\n', encoding="utf-8")
    with pytest.raises(CatalogueError, match="twice"):
        load(path)
    path.write_text("[[activity]\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=str(path)):
        load(path)


def test_an_officer_extends_the_catalogue(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    path.write_text(
        '[[activity]]\ncode = "nuoi_luon"\nvi = "Nuôi lươn"\nen = "Eels"\n'
        'categories = ["aquaculture", "production"]\nwords = ["lươn", "lươn giống"]\n',
        encoding="utf-8",
    )
    catalogue = load(path)
    assert catalogue.named_in("mua luon giong 2tr") == {"nuoi_luon"}
    assert fitting(
        catalogue, ["nuoi_luon"], kind="income", category="aquaculture", text="bán lươn 1tr"
    ) == ["nuoi_luon"]
