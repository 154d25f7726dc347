"""Issue 16: the words of talk (bot/language/talk.toml) read as people write them, with
and without diacritics, and the false friends that must not be read so."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.answers import typed_answer
from bot.language.corrections import Value, read_correction
from bot.language.talk import talk

TODAY = date(2026, 11, 29)


@pytest.mark.parametrize(
    ("said", "meaning"),
    [
        *[
            (s, "yes")
            for s in [
                "có",
                "co",
                "dạ có",
                "có ạ",
                "ừ",
                "ừm",
                "được",
                "được rồi",
                "ok",
                "OK nha",
                "oke",
                "đồng ý",
                "dong y",
                "vâng",
                "sẽ đến",
                "se den",
                "tui đi",
                "tôi đi",
                "đi được",
                "có đi",
                "dạ",
                "yes",
            ]
        ],
        *[
            (s, "no")
            for s in [
                "không",
                "khong",
                "ko",
                "k",
                "hông",
                "không ạ",
                "dạ không",
                "không đồng ý",
                "ko dong y",
                "bận rồi",
                "bận",
                "không đi được",
                "ko đến được",
                "không đến",
                "chưa",
                "hong đi được",
                "không được",
            ]
        ],
        *[(s, "cancel") for s in ["huỷ", "hủy", "huy", "thôi", "thôi khỏi", "bỏ qua", "dừng lại"]],
        *[(s, "off") for s in ["tắt", "tat", "tắt nhắc", "không nhắc nữa", "đừng nhắc", "tắt đi"]],
        *[(s, "unknown") for s in ["chưa biết", "không biết", "ko biết", "chưa rõ"]],
        ("thu", "income"),
        ("tiền vào", "income"),
        ("bán", "income"),
        ("chi", "expense"),
        ("tiền ra", "expense"),
        ("mua", "expense"),
        ("vay", "borrow"),
        ("mượn", "borrow"),
        ("trả nợ", "repay"),
        ("tra no", "repay"),
    ],
)
def test_short_answers_mean_what_people_mean(said: str, meaning: str) -> None:
    assert meaning in talk().meanings_of(said), said


@pytest.mark.parametrize(
    "said", ["bán heo 3 triệu", "mai tôi đi chợ", "ban", "doi", "có ai không", "5 người", ""]
)
def test_sentences_are_no_short_answer(said: str) -> None:
    meanings = talk().meanings_of(said)
    assert not meanings & {"yes", "no", "income"}, (said, meanings)


INVITATION = {
    "options": [["Sẽ đến", "meet:yes:1", "yes"], ["Không đến được", "meet:no:1", "no"]],
    "question": "Thư mời họp",
}
DIRECTION = {
    "options": [
        ["Thu", "dir:income", None],
        ["Chi", "dir:expense", None],
        ["Vay", "dir:borrow", None],
        ["Trả nợ", "dir:repay", None],
    ],
    "question": "200.000 ₫ này là thu hay chi ạ?",
}
AFTER_ENTRY = {
    "options": [["Huỷ", "undo:5", None], ["Sửa loại", "cat:5", None]],
    "question": None,
}


@pytest.mark.parametrize(
    ("record", "said", "numbered", "payload"),
    [
        (INVITATION, "1", True, "meet:yes:1"),
        (INVITATION, "số 2", True, "meet:no:1"),
        (INVITATION, "chọn 1", True, "meet:yes:1"),
        (INVITATION, "1", False, None),  # buttons are not numbered on Telegram
        (INVITATION, "3", True, None),
        (INVITATION, "sẽ đến", False, "meet:yes:1"),
        (INVITATION, "Sẽ Đến", False, "meet:yes:1"),
        (INVITATION, "tui đi nha", False, "meet:yes:1"),
        (INVITATION, "bận rồi", False, "meet:no:1"),
        (INVITATION, "không đến được", False, "meet:no:1"),
        (INVITATION, "thôi", False, "meet:no:1"),  # a refusal picks the only "no"
        (INVITATION, "mai họp à", False, None),
        (DIRECTION, "chi", False, "dir:expense"),
        (DIRECTION, "Trả nợ", False, "dir:repay"),
        (DIRECTION, "tien vao", False, "dir:income"),
        (DIRECTION, "có", False, None),  # fits no option
        (AFTER_ENTRY, "huỷ", False, "undo:5"),
        (AFTER_ENTRY, "Hủy", False, "undo:5"),
        (AFTER_ENTRY, "sua loai", False, "cat:5"),
        (AFTER_ENTRY, "thôi", False, None),  # meanings only answer questions
        (AFTER_ENTRY, "2", True, "cat:5"),
    ],
)
def test_typed_answers_pick_the_option(
    record: dict[str, object], said: str, numbered: bool, payload: str | None
) -> None:
    assert typed_answer(said, record, numbered=numbered) == payload


@pytest.mark.parametrize(
    ("said", "kind"),
    [
        ("chồng tôi đánh tôi", "violence"),
        ("bị đánh", "violence"),
        ("bi danh", "violence"),
        ("ổng đánh em bầm mình", "violence"),
        ("bị bạo hành", "violence"),
        ("nó dọa giết cả nhà", "violence"),
        ("con tôi bị bắt cóc", "child"),
        ("có người sờ mó cháu", "child"),
        ("chồng bị tai nạn", "medical"),
        ("mẹ bệnh nặng lắm", "medical"),
        ("con bị sốt cao co giật", "medical"),
        ("ba bị đột quỵ", "medical"),
        ("không còn gì ăn", "hunger"),
        ("khong con gi an", "hunger"),
        ("nhà hết gạo", "hunger"),
        ("mấy đứa nhỏ đói", "hunger"),
        ("bị lừa mất tiền", "scam"),
        ("bi lua mat tien", "scam"),
        ("tín dụng đen", "scam"),
        ("xã hội đen tới nhà", "scam"),
        ("muốn chết", "self_harm"),
        ("muon chet", "self_harm"),
        ("chán sống lắm rồi", "self_harm"),
        ("tôi muốn tự tử", "self_harm"),
        ("cứu tôi với", "danger"),
        ("cuu toi voi", "danger"),
        ("Cứu em với!!", "danger"),
        ("nhà bị cháy", "danger"),
    ],
)
def test_trouble_read_by_kind(said: str, kind: str) -> None:
    found = talk().distress_of(said)
    assert found is not None and found.kind == kind, (said, found)


@pytest.mark.parametrize(
    "said",
    [
        "cứu cây lúa",
        "cuu cay lua",
        "bệnh heo",
        "heo bị bệnh nặng",
        "gà bị bệnh nặng",
        "đánh thuốc cho lúa",
        "lúa bị đánh thuốc",
        "heo chết",
        "chết máy",
        "bán lúa bị lỗ",
        "đổi giờ nhắc",
        "doi gio nhac",
        "bị đánh thuế",
        "mua thuốc cho heo",
        "bán 2 con heo",
        "tiền điện 230",
        "cảm ơn",
        "bò bị tai nạn",
        "cá chết",
        "đánh cá được 200k",
    ],
)
def test_farm_words_are_no_trouble(said: str) -> None:
    assert talk().distress_of(said) is None, said


def test_configured_words_add_to_the_data() -> None:
    assert talk().distress_of("bị quỵt lương") is None
    found = talk().distress_of("bị quỵt lương", ["quỵt lương"])
    assert found is not None and "113" in found.hotlines


@pytest.mark.parametrize(
    ("said", "kind"),
    [
        ("cảm ơn nhiều nha", "thanks"),
        ("cam on", "thanks"),
        ("thank you", "thanks"),
        ("Cám ơn bot nhiều lắm!", "thanks"),
        ("dạ cảm ơn em", "thanks"),
        ("chào bot", "greeting"),
        ("xin chào", "greeting"),
        ("alo", "greeting"),
        ("tạm biệt", "bye"),
        ("chúc ngủ ngon", "bye"),
        ("mệt quá", "feeling"),
        ("hihi", "laugh"),
        ("hahaha", "laugh"),
        ("kkk", "laugh"),
        ("hì hì", "laugh"),
        ("dạ", "ack"),
        ("ok", "ack"),
        ("dạ vâng", "ack"),
        ("😊", "emoji"),
        ("👍👍", "emoji"),
    ],
)
def test_small_talk(said: str, kind: str) -> None:
    assert talk().small_talk_of(said) == kind


@pytest.mark.parametrize(
    "said", ["bán heo 3 triệu", "chào, cho hỏi vay vốn", "ok bán heo", "cảm ơn, giúp tôi với", ""]
)
def test_no_small_talk(said: str) -> None:
    assert talk().small_talk_of(said) is None


@pytest.mark.parametrize(
    ("said", "new", "old"),
    [
        ("sửa lại 270k", Value(amount=270_000), Value()),
        ("sua thanh 300 nghin", Value(amount=300_000), Value()),
        ("không phải 250 mà 270", Value(amount=270_000), Value(amount=250_000)),
        ("250 là 270", Value(amount=270_000), Value(amount=250_000)),
        ("ghi nhầm rồi, 250 là 270", Value(amount=270_000), Value(amount=250_000)),
        ("270 chứ không phải 250", Value(amount=270_000), Value(amount=250_000)),
        ("k phai 2tr ma 2tr5", Value(amount=2_500_000), Value(amount=2_000_000)),
        ("nhầm, là chi chứ không phải thu", Value(kind="expense"), Value(kind="income")),
        ("không phải thu mà là chi", Value(kind="expense"), Value(kind="income")),
        ("hôm qua chứ không phải hôm nay", Value(day=date(2026, 11, 28)), Value(day=TODAY)),
        ("sửa ngày hôm kia", Value(day=date(2026, 11, 27)), Value()),
        ("sửa 270k", Value(amount=270_000), Value()),
        (
            "bán heo 3 triệu chứ không phải 2 triệu",
            Value(amount=3_000_000),
            Value(amount=2_000_000),
        ),
        ("nhầm rồi", Value(), Value()),
        ("ghi nhầm", Value(), Value()),
        ("sửa lại", Value(), Value()),
    ],
)
def test_corrections(said: str, new: Value, old: Value) -> None:
    correction = read_correction(said, today=TODAY)
    assert correction is not None and (correction.new, correction.old) == (new, old)


@pytest.mark.parametrize(
    "said",
    [
        "mua phân 500k",
        "tiền điện là 270",
        "bán heo 3 triệu",
        "hôm nay bán 2 con gà",
        "cảm ơn",
        "sửa nhà 9 triệu",
        "sửa xe 200k",
        "sua may bom 150k",
        "tháng này không phải trả lãi",
        "hai mươi nhăm nghìn tiền chợ",
        "không phải lo nữa",
    ],
)
def test_diary_lines_are_no_correction(said: str) -> None:
    assert read_correction(said, today=TODAY) is None


@pytest.mark.parametrize(
    ("said", "count"),
    [
        ("5", 5),
        ("5 người", 5),
        ("nhà có 5 người", 5),
        ("năm người", 5),
        ("sáu khẩu", 6),
        ("mười hai người", 12),
        ("4 hay 5", None),
        ("đông lắm", None),
    ],
)
def test_counts_of_people(said: str, count: int | None) -> None:
    assert talk().count_in(said) == count


@pytest.mark.parametrize(
    ("said", "asks"),
    [
        ("vay vốn thế nào?", True),
        ("đi Hàn Quốc cần gì", True),
        ("cho hỏi thủ tục", True),
        ("cảm ơn nhiều nha", False),
        ("nhà mình vui lắm", False),
    ],
)
def test_questions(said: str, asks: bool) -> None:
    assert talk().is_question(said) is asks
