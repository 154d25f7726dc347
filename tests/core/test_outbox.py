from bot.core.answers import numbered_choice
from bot.core.capabilities import TELEGRAM, ZALO
from bot.core.contract import Attachment, Button, Reply
from bot.core.outbox import shape
from bot.textutil import split_message


def test_buttons_become_numbered_options_without_buttons() -> None:
    reply = Reply("Thu hay chi?", ((Button("Thu", "dir:income"), Button("Chi", "dir:expense")),))
    [shaped] = shape(reply, ZALO)
    assert shaped.text == "Thu hay chi?\n1. Thu  2. Chi"
    assert shaped.buttons == ()
    [kept] = shape(reply, TELEGRAM)
    assert kept.buttons == reply.buttons


def test_long_text_split_with_buttons_and_file_on_the_last_part() -> None:
    sentence = "Câu này nói về sổ nhật ký hộ gia đình. "
    reply = Reply(sentence * 120, ((Button("OK", "ok"),),), Attachment("a.png", b"x", "photo"))
    parts = shape(reply, ZALO)
    assert len(parts) > 1
    assert all(len(part.text) <= ZALO.text_limit for part in parts)
    assert all(part.text.endswith(".") or part.text.endswith("OK") for part in parts)
    assert parts[-1].attachment is not None and parts[0].attachment is None


def test_numbered_answers() -> None:
    assert numbered_choice("1") == 1
    assert numbered_choice("số 2") == 2
    assert numbered_choice("so 2") == 2
    assert numbered_choice("chọn 3") == 3
    assert numbered_choice("Chon 3.") == 3
    assert numbered_choice("bán heo 2") is None
    assert numbered_choice("200k") is None


def test_split_never_cuts_a_sentence_when_it_fits() -> None:
    text = "Một câu ngắn. " * 50 + "Câu cuối!"
    parts = split_message(text, 100)
    assert "".join(p.replace(" ", "") for p in parts) == text.replace(" ", "")
    assert all(p.endswith((".", "!")) for p in parts)
