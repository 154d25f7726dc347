"""The other side and the purpose of a loan message (bot/language/loans.py), typed with
and without diacritics."""

from __future__ import annotations

import pytest

from bot.language.loans import party_of, purpose_of, same_party


@pytest.mark.parametrize(
    ("text", "party"),
    [
        ("vay ngân hàng chính sách 30 triệu", "Ngân hàng Chính sách xã hội"),
        ("vay ngan hang chinh sach 30tr", "Ngân hàng Chính sách xã hội"),
        ("VAY NGÂN HÀNG CHÍNH SÁCH XÃ HỘI 30 TRIỆU", "Ngân hàng Chính sách xã hội"),
        ("trả nhcs 1 triệu", "Ngân hàng Chính sách xã hội"),
        ("vay chính sách xã hội 20 triệu", "Ngân hàng Chính sách xã hội"),
        ("vay ngân hàng nông nghiệp 50 triệu", "Agribank"),
        ("vay ngan hang nong nghiep 50 trieu", "Agribank"),
        ("đóng lãi Hội Phụ Nữ 90k", "Hội Phụ nữ"),
        ("vay quy tin dung 10tr", "Quỹ tín dụng nhân dân"),
        ("vay ngân hàng 10 triệu", "Ngân hàng"),
        ("vay cô Ba 3 triệu", "cô Ba"),
        ("vay co ba 3 trieu", "co ba"),
        ("trả chú Bảy 1 triệu", "chú Bảy"),
        ("tra chu bay 1tr", "chu bay"),
        ("mượn thím Sáu 500k", "thím Sáu"),
        ("muon thim sau 500k", "thim sau"),
        ("vay o Hoa 2 triệu", "o Hoa"),  # "o": an aunt, in the centre
        ("trả cậu Út 200k", "cậu Út"),
        ("trả bác Hùng 1 triệu", "bác Hùng"),
        ("vay ông Tám 10 triệu", "ông Tám"),
        ("vay anh Cả 5 triệu", "anh Cả"),
        ("vay chị Tư 1 triệu làm nước sạch", "chị Tư"),  # "làm" is not "lăm" (five)
        ("mượn người quen 1 triệu", "người quen"),
        ("muon nguoi quen 1 trieu", "nguoi quen"),
        ("nợ đại lý 2 triệu tiền phân", "đại lý"),
        ("trả tiệm 300k", "tiệm"),
    ],
)
def test_the_other_side(text: str, party: str) -> None:
    assert party_of(text) == party


@pytest.mark.parametrize(
    "text",
    [
        "vay ba mươi triệu",
        "vay ba muoi trieu",
        "đi vay 2 triệu",  # "đi" is not "dì"
        "trả nợ 1 triệu",
        "vay 5 triệu cho con đi học",  # one's child, not a lender
        "vay 5 triệu cho bé đi học",
        "bà con cho vay 1 triệu",
        "anh ấy trả 300k",
        "chị trả 500k",
        "em vay 5 triệu",
        "",
    ],
)
def test_no_other_side(text: str) -> None:
    assert party_of(text) is None


@pytest.mark.parametrize(
    ("text", "purpose", "categories"),
    [
        ("vay ngân hàng chính sách 30 triệu nuôi bò", "nuôi bò", "production"),
        ("vay ngan hang 30tr nuoi bo", "nuoi bo", "production"),
        ("vay 20 triệu để sửa nhà", "để sửa nhà", "household"),
        ("vay 20 trieu de sua nha", "de sua nha", "household"),
        ("vay 5 triệu đóng học phí cho con", "cho con", "education"),
        ("vay 3 triệu chữa bệnh", None, "health"),
        ("vay 3 trieu kham benh cho me", "cho me", "health"),
        ("vay 10 triệu làm nước sạch.", "làm nước sạch", "utilities"),
        ("vay 10 triệu mở tiệm tạp hóa", None, "production"),
        ("vay 30 triệu mua bò và sửa nhà", "mua bò và sửa nhà", "production,household"),
        ("vay 1 triệu", None, "production"),
        ("vay 2 triệu mua bao gạo", "mua bao gạo", "production"),
    ],
)
def test_the_purpose(text: str, purpose: str | None, categories: str) -> None:
    assert purpose_of(text) == (purpose, categories)


def test_parties_compare_folded_and_any_bank_is_a_bank() -> None:
    assert same_party("chi tu", "chị Tư")
    assert same_party("ngan hang", "Agribank") and same_party("Ngân hàng", "Quỹ tín dụng nhân dân")
    assert not same_party("ngân hàng", "Hội Nông dân") and not same_party("cô Tư", "chị Tư")
