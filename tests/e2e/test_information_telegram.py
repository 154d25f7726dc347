"""Issue 7 end to end: the /thongtin menu, a free question, and a request for help that
goes from a household to its officer and back."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.dialog import seed_programme
from tests.e2e.botprocess import BotProcess
from tests.e2e.test_telegram_diary import join, payloads, say, to_chat
from tests.standins.telegram import TelegramStandin

HOME, OFFICER = 6001, 6100


async def press(
    telegram: TelegramStandin, chat: int, message_id: int | str | None, data: str, expect: str
) -> str:
    since = len(telegram.sent)
    assert message_id is not None
    telegram.push_callback(chat, data, message_id=int(message_id))
    return (await telegram.wait_for(to_chat(chat, expect), since=since)).text or ""


async def test_menu_search_and_a_case(
    bot: BotProcess, telegram: TelegramStandin, sessions: async_sessionmaker[AsyncSession]
) -> None:
    programme = await seed_programme(sessions)
    await bot.start()
    telegram.push_text(OFFICER, f"/start {programme.officer.invite}")
    consent = await telegram.wait_for(to_chat(OFFICER, "đồng ý"), timeout=30)
    await press(telegram, OFFICER, consent.message_id, "consent:yes", "cán bộ")
    await join(telegram, HOME, programme.households[0].invite)

    # The menu by topic, then an article.
    menu = await say(telegram, HOME, "/thongtin", "thông tin gì")
    legal = next(p for p in payloads(menu) if p.endswith("legal_aid"))
    since = len(telegram.sent)
    await press(telegram, HOME, menu.message_id, legal, "Chọn bài")
    articles = telegram.sent[since:][-1]
    first = payloads(articles)[0]
    # The answer lines first; the whole article, ending with its sources and the date it
    # was reviewed, behind "Xem thêm".
    since = len(telegram.sent)
    await press(telegram, HOME, articles.message_id, first, "1800 1233")
    answer_first = telegram.sent[since:][-1]
    assert payloads(answer_first) == [first.replace("info:read:", "info:all:")]
    more = payloads(answer_first)[0]
    assert "Nguồn:" in await press(telegram, HOME, answer_first.message_id, more, "Nguồn:")

    # A free question without diacritics finds the legal-aid article.
    answer = await say(telegram, HOME, "tro giup phap ly mien phi", "1800 1233")
    assert answer.chat_id == HOME

    # A request for help reaches the officer, who takes it and answers.
    await say(telegram, HOME, "tôi cần luật sư vì bị quỵt lương", "chuyển lời")
    request = await telegram.wait_for(to_chat(OFFICER, "bị quỵt lương"))
    take, reply = payloads(request)
    await press(telegram, OFFICER, request.message_id, take, "đã nhận")
    await telegram.wait_for(to_chat(HOME, "đã nhận lời nhờ giúp"))
    await press(telegram, OFFICER, request.message_id, reply, "Nhắn câu trả lời")
    await say(
        telegram,
        OFFICER,
        "Mai 8 giờ anh ra xã, em dẫn đi trung tâm trợ giúp pháp lý.",
        "Đã gửi câu trả lời",
    )
    answered = await telegram.wait_for(to_chat(HOME, "Mai 8 giờ anh ra xã"))
    assert "trả lời" in (answered.text or "")
    # The case shows in the officer's view of the household.
    await say(telegram, OFFICER, f"/ho {programme.households[0].code}", "bị quỵt lương")
    assert await bot.stop() == 0
