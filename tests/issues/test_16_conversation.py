"""Issue 16: a conversation, not a command parser.  Typed answers to the bot's questions
(buttons on Telegram, numbered options on Zalo and in the terminal chat), corrections in
words, small talk, people in trouble, and a fallback that helps."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.core.capabilities import CONSOLE, TELEGRAM, ZALO
from bot.core.contract import Incoming, Reply
from models import Alert, Case, Contact, Entry, Household
from tests.dialog import Dialog, MemoryChannel, joined_household, make_app, seed_programme

CHANNELS = {
    "telegram": MemoryChannel(name="telegram", capabilities=TELEGRAM),
    "zalo": MemoryChannel(name="zalo", capabilities=ZALO),
    "console": MemoryChannel(name="console", capabilities=CONSOLE),
}
ALL = pytest.mark.parametrize("channel_name", list(CHANNELS))


class Talk:
    """A joined household (and its officer) on one channel."""

    def __init__(self, home: Dialog, officer: Dialog, channel: MemoryChannel) -> None:
        self.home, self.officer, self.channel = home, officer, channel

    def to_officer(self, since: int) -> list[Reply]:
        return [r for a, r in self.channel.sent[since:] if a == self.officer.address]


async def start(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    channel_name: str = "telegram",
    *,
    join: bool = True,
) -> tuple[Talk, str]:
    template = CHANNELS[channel_name]
    channel = MemoryChannel(name=template.name, capabilities=template.capabilities)
    programme = await seed_programme(sessions)
    app = make_app(settings, sessions, channel)
    home = Dialog(app, channel, "301")
    officer = Dialog(app, channel, "901")
    await joined_household(officer, programme.officer.invite)
    if join:
        await joined_household(home, programme.households[0].invite)
    return Talk(home, officer, channel), programme.households[0].invite


async def text(dialog: Dialog, message: str) -> str:
    return "\n".join(r.text for r in await dialog.say(message))


async def entries(sessions: async_sessionmaker[AsyncSession]) -> list[Entry]:
    async with sessions() as session:
        return list(
            await session.scalars(
                select(Entry).where(Entry.deleted_at.is_(None)).order_by(Entry.id)
            )
        )


async def contact(sessions: async_sessionmaker[AsyncSession], address: str) -> Contact | None:
    async with sessions() as session:
        return await session.scalar(select(Contact).where(Contact.address == address))


# --- 1. the open question comes first ---------------------------------------------------


@ALL
@pytest.mark.parametrize("answer", ["đồng ý", "Đồng ý", "dong y", "ok", "dạ có", "có ạ", "ừ"])
async def test_consent_typed_in_words(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], channel_name: str, answer: str
) -> None:
    talk, invite = await start(settings, sessions, channel_name, join=False)
    await talk.home.say(f"/start {invite}")
    assert "Cảm ơn anh/chị" in await text(talk.home, answer)
    found = await contact(sessions, "301")
    assert found is not None and found.consent_at is not None


@ALL
@pytest.mark.parametrize("answer", ["không đồng ý", "không", "ko", "Không ạ", "thôi"])
async def test_refusal_typed_in_words(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], channel_name: str, answer: str
) -> None:
    talk, invite = await start(settings, sessions, channel_name, join=False)
    await talk.home.say(f"/start {invite}")
    assert "Bot không lưu gì" in await text(talk.home, answer)
    assert await contact(sessions, "301") is None


@pytest.mark.parametrize(
    ("channel_name", "answer"), [("zalo", "1"), ("console", "số 1"), ("zalo", "chọn 1")]
)
async def test_consent_by_number_where_options_are_numbered(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], channel_name: str, answer: str
) -> None:
    talk, invite = await start(settings, sessions, channel_name, join=False)
    [question] = await talk.home.say(f"/start {invite}")
    assert "1. Đồng ý  2. Không" in question.text
    assert "Cảm ơn anh/chị" in await text(talk.home, answer)


@ALL
@pytest.mark.parametrize("answer", ["không", "thôi", "không xóa", "ko", "dạ không"])
async def test_deletion_question_answered_no(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], channel_name: str, answer: str
) -> None:
    talk, _ = await start(settings, sessions, channel_name)
    await talk.home.say("bán heo 3 triệu")
    await talk.home.say("/xoadulieu")
    assert "Không xóa gì" in await text(talk.home, answer)
    assert len(await entries(sessions)) == 1


@ALL
@pytest.mark.parametrize("answer", ["có", "xóa hết", "Xóa hết", "xoa het", "dạ có"])
async def test_deletion_question_answered_yes(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], channel_name: str, answer: str
) -> None:
    talk, _ = await start(settings, sessions, channel_name)
    await talk.home.say("bán heo 3 triệu")
    await talk.home.say("/xoadulieu")
    assert "Đã xóa sổ" in await text(talk.home, answer)
    assert await entries(sessions) == []


@ALL
@pytest.mark.parametrize(
    "answer", ["tắt", "Tắt nhắc", "tat nhac", "không nhắc nữa", "thôi", "không"]
)
async def test_reminder_turned_off_in_words(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], channel_name: str, answer: str
) -> None:
    talk, _ = await start(settings, sessions, channel_name)
    await talk.home.say("/caidat")
    await talk.home.press("set:reminder")
    assert "Đã tắt nhắc" in await text(talk.home, answer)
    found = await contact(sessions, "301")
    assert found is not None and found.reminders_on is False


@ALL
@pytest.mark.parametrize(
    ("answer", "hour", "minute"),
    [
        ("7 giờ tối", 19, 0),
        ("19h", 19, 0),
        ("7h30 tối", 19, 30),
        ("nhắc tôi lúc 6 giờ sáng nhé", 6, 0),
    ],
)
async def test_reminder_time_typed(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    channel_name: str,
    answer: str,
    hour: int,
    minute: int,
) -> None:
    talk, _ = await start(settings, sessions, channel_name)
    await talk.home.say("/caidat")
    await talk.home.press("set:reminder")
    assert f"{hour:02d}:{minute:02d}" in await text(talk.home, answer)


@ALL
@pytest.mark.parametrize(
    "answer", ["5", "5 người", "nhà có 5 người", "năm người", "dạ nhà em 5 khẩu"]
)
async def test_members_typed_in_words(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], channel_name: str, answer: str
) -> None:
    talk, _ = await start(settings, sessions, channel_name)
    await talk.home.say("/caidat")
    await talk.home.press("set:members")
    assert "5 người" in await text(talk.home, answer)
    async with sessions() as session:
        assert await session.scalar(select(Household.members)) == 5
    assert await entries(sessions) == []


@ALL
@pytest.mark.parametrize(
    ("answer", "kind"),
    [
        ("chi", "expense"),
        ("Chi", "expense"),
        ("thu", "income"),
        ("tiền ra", "expense"),
        ("trả nợ", "repay"),
        ("tra no", "repay"),
        ("dạ thu ạ", "income"),
    ],
)
async def test_direction_question_answered_in_words(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    channel_name: str,
    answer: str,
    kind: str,
) -> None:
    talk, _ = await start(settings, sessions, channel_name)
    assert "thu hay chi" in await text(talk.home, "200k")
    await talk.home.say(answer)
    assert [(e.kind, e.amount) for e in await entries(sessions)] == [(kind, 200_000)]


@ALL
@pytest.mark.parametrize(
    ("answer", "recorded"),
    [
        ("đúng", True),
        ("đúng rồi", True),
        ("dạ đúng ạ", True),
        ("ok", True),
        ("không", False),
        ("ko", False),
        ("không, để nhắn lại", False),
    ],
)
async def test_a_large_sum_confirmed_in_words(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    channel_name: str,
    answer: str,
    recorded: bool,
) -> None:
    talk, _ = await start(settings, sessions, channel_name)
    assert "đúng không" in await text(talk.home, "bán đất 900 triệu")
    await talk.home.say(answer)
    assert [e.amount for e in await entries(sessions)] == ([900_000_000] if recorded else [])


@pytest.mark.parametrize("channel_name", ["zalo", "console"])
async def test_direction_question_answered_by_number(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], channel_name: str
) -> None:
    talk, _ = await start(settings, sessions, channel_name)
    await talk.home.say("200k")
    await talk.home.say("2")
    assert [(e.kind, e.amount) for e in await entries(sessions)] == [("expense", 200_000)]


@ALL
@pytest.mark.parametrize("label", ["hủy", "hủy", "Hủy", "huy", "dạ hủy ạ"])
async def test_a_button_label_typed_presses_it(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], channel_name: str, label: str
) -> None:
    talk, _ = await start(settings, sessions, channel_name)
    await talk.home.say("mua phân 500k")
    assert "Đã xóa" in await text(talk.home, label)
    assert await entries(sessions) == []


@ALL
async def test_an_answer_that_fits_nothing_asks_again_once(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], channel_name: str
) -> None:
    talk, _ = await start(settings, sessions, channel_name)
    await talk.home.say("/xoadulieu")
    [again] = await talk.home.say("để mình nghĩ đã")
    assert "chọn giúp một ý" in again.text
    if channel_name == "telegram":
        # the deletion's button carries when it was asked (it expires)
        assert [b.payload.rsplit(":", 1)[0] for b in again.flat_buttons()] == ["wipe:yes", "wipe"]
    else:
        assert "1. Xóa hết  2. Không xóa" in again.text
    # Asked once only: the next stray message gets the ordinary fallback.
    assert "chọn giúp" not in await text(talk.home, "để mình nghĩ đã")
    # Asked again, the question takes a plain answer.
    await talk.home.say("/xoadulieu")
    assert "chọn giúp một ý" in await text(talk.home, "hmm để xem")
    assert "Không xóa gì" in await text(talk.home, "không")


@ALL
async def test_a_typed_value_that_fits_nothing_asks_the_question_again(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], channel_name: str
) -> None:
    talk, _ = await start(settings, sessions, channel_name)
    await talk.home.say("/caidat")
    await talk.home.press("set:members")
    again = await text(talk.home, "để hỏi lại vợ đã")
    assert "chưa hiểu" in again and "mấy người" in again
    assert "4 người" in await text(talk.home, "4 người")


@ALL
async def test_something_else_under_a_question_is_handled_as_such(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], channel_name: str
) -> None:
    talk, _ = await start(settings, sessions, channel_name)
    await talk.home.say("/xoadulieu")
    assert "Đã ghi" in await text(talk.home, "bán heo 3 triệu")
    assert "Hôm nay" in await text(talk.home, "/homnay") or len(await entries(sessions)) == 1
    assert len(await entries(sessions)) == 1


@ALL
async def test_a_question_passed_by_is_not_asked_again(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], channel_name: str
) -> None:
    talk, _ = await start(settings, sessions, channel_name)
    assert "thu hay chi" in await text(talk.home, "200k")
    assert "Đã ghi" in await text(talk.home, "mua phân 500k")
    reply = await text(talk.home, "xyz qwerty")
    assert "chọn giúp" not in reply and "mua phân 500k" in reply


@pytest.mark.parametrize(
    ("answer", "coming"),
    [
        ("sẽ đến", True),
        ("tui đi", True),
        ("đi được", True),
        ("có", True),
        ("dạ có ạ", True),
        ("bận rồi", False),
        ("không đi được", False),
        ("không", False),
        ("ko đến được", False),
    ],
)
async def test_meeting_invitation_answered_in_words(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], answer: str, coming: bool
) -> None:
    from models import MeetingInvite
    from tests.handlers.test_meetings import Village, call_meeting

    village = Village(settings, sessions)
    await village.join(sessions)
    await call_meeting(village)
    reply = await text(village.first, answer)
    assert ("sẽ đến" in reply) if coming else ("không đến được" in reply)
    async with sessions() as session:
        answers = list(await session.scalars(select(MeetingInvite.answer)))
    assert ("yes" if coming else "no") in answers


# --- 2. corrections in words ------------------------------------------------------------


@ALL
@pytest.mark.parametrize(
    "correction",
    [
        "sửa lại 270k",
        "không phải 250 mà 270",
        "250 là 270",
        "ghi nhầm rồi, 250 là 270",
        "sua lai 270 nghin",
        "270 chứ không phải 250",
        "k phải 250k mà là 270k",
    ],
)
async def test_amount_corrected_in_words(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    channel_name: str,
    correction: str,
) -> None:
    talk, _ = await start(settings, sessions, channel_name)
    await talk.home.say("mua phân 250k")
    reply = await text(talk.home, correction)
    assert "Đã sửa" in reply and "250.000" in reply and "270.000" in reply
    assert [e.amount for e in await entries(sessions)] == [270_000]


@ALL
async def test_the_entry_whose_sum_is_named_is_corrected(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], channel_name: str
) -> None:
    talk, _ = await start(settings, sessions, channel_name)
    await talk.home.say("mua phân 250k")
    await talk.home.say("tiền điện 100k")
    await talk.home.say("250 là 270")
    assert [e.amount for e in await entries(sessions)] == [270_000, 100_000]
    assert "không thấy" in await text(talk.home, "không phải 999k mà 270k")


@ALL
@pytest.mark.parametrize(
    "correction", ["nhầm, là chi chứ không phải thu", "không phải thu mà là chi", "nham roi la chi"]
)
async def test_kind_corrected_in_words(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    channel_name: str,
    correction: str,
) -> None:
    talk, _ = await start(settings, sessions, channel_name)
    await talk.home.say("bán heo 3 triệu")
    reply = await text(talk.home, correction)
    assert "Thu → Chi" in reply
    [entry] = await entries(sessions)
    assert entry.kind == "expense" and entry.category == "other_expense"


@ALL
@pytest.mark.parametrize(
    "correction",
    ["hôm qua chứ không phải hôm nay", "ghi nhầm ngày, hôm qua mới đúng", "sửa ngày hôm qua"],
)
async def test_day_corrected_in_words(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    channel_name: str,
    correction: str,
) -> None:
    talk, _ = await start(settings, sessions, channel_name)
    await talk.home.say("mua phân 250k")
    await talk.home.say(correction)
    [entry] = await entries(sessions)
    assert entry.day == date(2026, 11, 28)


@ALL
@pytest.mark.parametrize("vague", ["ghi nhầm", "ghi nham roi", "sửa lại", "nhầm rồi"])
async def test_a_vague_correction_asks_what_to_fix(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], channel_name: str, vague: str
) -> None:
    talk, _ = await start(settings, sessions, channel_name)
    await talk.home.say("mua phân 250k")
    [question] = await talk.home.say(vague)
    assert "sai chỗ nào" in question.text
    assert len(await entries(sessions)) == 1
    # The options answered in words: "sửa số tiền", then the sum.
    await talk.home.say("sửa số tiền")
    await talk.home.say("300k")
    assert [e.amount for e in await entries(sessions)] == [300_000]


async def test_kind_fixed_through_the_buttons(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    talk, _ = await start(settings, sessions)
    await talk.home.say("mua phân 250k")
    [question] = await talk.home.say("ghi nhầm")
    kind_button = next(b for b in question.flat_buttons() if b.payload.startswith("fix:kind:"))
    [kinds] = await talk.home.press(kind_button.payload)
    income = next(b for b in kinds.flat_buttons() if b.payload.endswith(":income"))
    assert "Chi → Thu" in "\n".join(r.text for r in await talk.home.press(income.payload))


# --- 3. small talk ----------------------------------------------------------------------


@ALL
@pytest.mark.parametrize(
    "message",
    [
        "cảm ơn nhiều nha",
        "cam on",
        "thank you",
        "Cám ơn bot nhiều lắm!",
        "dạ",
        "ok",
        "hihi",
        "hahaha",
        "😊",
        "👍👍",
        "chào bot",
        "xin chào",
        "alo",
        "tạm biệt",
        "mệt quá",
        "kkk",
        "dạ vâng",
    ],
)
async def test_small_talk_gets_a_short_friendly_answer(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], channel_name: str, message: str
) -> None:
    talk, _ = await start(settings, sessions, channel_name)
    [reply] = await talk.home.say(message)
    assert not reply.buttons and len(reply.text) < 120
    assert "chưa hiểu" not in reply.text
    assert await entries(sessions) == []


async def test_a_sticker_gets_a_smile(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    talk, _ = await start(settings, sessions)
    replies = await talk.home._deliver(Incoming("telegram", "301", kind="sticker"))
    assert [r.text for r in replies] == ["😊"]


async def test_articles_answer_questions_not_every_sentence(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    talk, _ = await start(settings, sessions)
    for message in ("cảm ơn nhiều nha", "hôm nay trời mưa to", "nhà mình vui lắm"):
        [reply] = await talk.home.say(message)
        assert not reply.buttons and "bài" not in reply.text, message
    [answer, *_] = await talk.home.say("đi làm ở Hàn Quốc thì cần điều kiện gì?")
    assert "Hàn Quốc" in answer.text or answer.buttons


# --- 4. people in trouble ---------------------------------------------------------------

TROUBLE = [
    ("chồng tôi đánh tôi", "113"),
    ("chong toi danh toi", "113"),
    ("em bị đánh, đau lắm", "113"),
    ("ổng say rượu rồi đánh đập mẹ con tôi", "111"),
    ("không còn gì ăn", "cán bộ"),
    ("nhà hết gạo mấy ngày rồi", "cán bộ"),
    ("khong con gi an", "cán bộ"),
    ("bị lừa mất tiền rồi", "113"),
    ("tụi nó tới nhà đòi nợ dọa đánh", "113"),
    ("có người đòi nợ thuê tới nhà", "1800 1233"),
    ("muốn chết cho xong", "115"),
    ("tôi không muốn sống nữa", "115"),
    ("cứu tôi với", "113"),
    ("cuu toi voi", "113"),
    ("con tôi bị bắt cóc", "111"),
    ("chồng bị tai nạn xe máy", "115"),
    ("mẹ tôi bệnh nặng lắm", "115"),
    ("ba bị đột quỵ", "115"),
]
NOT_TROUBLE = [
    "cứu cây lúa",
    "bệnh heo",
    "đánh thuốc cho lúa",
    "lúa bị đánh thuốc rồi",
    "heo chết",
    "chết máy",
    "bán lúa bị lỗ",
    "heo bị bệnh nặng",
    "đổi giờ nhắc",
    "mua thuốc trị bệnh cho gà 50k",
    "bị đánh thuế 200k",
]


@ALL
@pytest.mark.parametrize(("message", "hotline"), TROUBLE)
async def test_people_in_trouble_are_answered_and_their_officer_alerted(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    channel_name: str,
    message: str,
    hotline: str,
) -> None:
    talk, _ = await start(settings, sessions, channel_name)
    since = len(talk.channel.sent)
    [reply] = await talk.home.say(message)
    assert "đã báo ngay cho cán bộ Cán bộ A" in reply.text and hotline in reply.text
    assert not reply.buttons
    [alert] = [r for r in talk.to_officer(since) if "Cảnh báo" in r.text]
    assert alert.text.startswith("🚨") and message in alert.text
    if channel_name == "telegram":
        assert any(b.payload.startswith("alert:call:") for b in alert.flat_buttons())
    else:
        assert "Gọi lại" in alert.text
    assert await entries(sessions) == []


@pytest.mark.parametrize("message", NOT_TROUBLE)
async def test_farm_trouble_is_not_an_emergency(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], message: str
) -> None:
    talk, _ = await start(settings, sessions)
    since = len(talk.channel.sent)
    replies = await talk.home.say(message)
    assert not any("đã báo ngay" in r.text for r in replies)
    assert talk.to_officer(since) == []
    async with sessions() as session:
        assert await session.scalar(select(func.count(Alert.id))) == 0


async def test_trouble_comes_before_a_pending_question(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    talk, _ = await start(settings, sessions)
    await talk.home.say("/caidat")
    await talk.home.press("set:members")
    assert "113" in await text(talk.home, "chồng tôi đánh tôi")


async def test_the_officer_calls_back_and_writes_to_the_household(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    talk, _ = await start(settings, sessions)
    async with sessions() as session, session.begin():
        household = await session.scalar(select(Household))
        assert household is not None
        household.phone = "0912 345 678"
    since = len(talk.channel.sent)
    await talk.home.say("cứu tôi với")
    [alert] = talk.to_officer(since)
    call = next(b for b in alert.flat_buttons() if b.payload.startswith("alert:call:"))
    reply = "\n".join(r.text for r in await talk.officer.press(call.payload))
    assert "0912 345 678" in reply and "nhắn ngay" in reply
    since = len(talk.channel.sent)
    await talk.officer.say("Chị ở yên đó, em tới ngay.")
    assert any("em tới ngay" in r.text for a, r in talk.channel.sent[since:] if a == "301")
    async with sessions() as session:
        assert await session.scalar(select(Alert.status)) == "acknowledged"


@ALL
@pytest.mark.parametrize(
    "message", ["giúp tôi với", "giup em voi", "nhờ cán bộ giúp", "cần giúp đỡ", "xin hỗ trợ"]
)
async def test_help_requests_open_a_case(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], channel_name: str, message: str
) -> None:
    talk, _ = await start(settings, sessions, channel_name)
    since = len(talk.channel.sent)
    assert "đã chuyển lời" in await text(talk.home, message)
    assert talk.to_officer(since)
    async with sessions() as session:
        assert await session.scalar(select(func.count(Case.id))) == 1


# --- 5. a fallback that helps -----------------------------------------------------------


@ALL
async def test_the_fallback_gives_examples(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], channel_name: str
) -> None:
    talk, _ = await start(settings, sessions, channel_name)
    household = await text(talk.home, "xyz qwerty")
    assert "mua phân 500k" in household and "tháng này" in household
    officer = await text(talk.officer, "xyz qwerty")
    assert "/canhbao" in officer and "mua phân" not in officer


# --- officers' questions answered in words ----------------------------------------------


@ALL
@pytest.mark.parametrize(
    ("target", "confirm", "sent"),
    [
        ("hộ nghèo", "gửi", True),
        ("Hộ nghèo", "ok", True),
        ("ho ngheo", "dạ có", True),
        ("hộ nghèo", "thôi", False),
        ("hộ nghèo", "hủy", False),
        ("hộ nghèo", "không", False),
    ],
)
async def test_an_officers_notice_answered_in_words(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    channel_name: str,
    target: str,
    confirm: str,
    sent: bool,
) -> None:
    from models import Broadcast

    talk, _ = await start(settings, sessions, channel_name)
    await talk.officer.say("/thongbao")
    await talk.officer.say("Thứ bảy họp dân lúc 19 giờ.")
    assert "Sẽ gửi tới" in await text(talk.officer, target)
    await talk.officer.say(confirm)
    async with sessions() as session:
        assert (await session.scalar(select(func.count(Broadcast.id))) == 1) is sent
