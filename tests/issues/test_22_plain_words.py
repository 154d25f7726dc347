"""Issue 22: words a farmer understands at a glance.  Every reply of every dialog test is
read against docs/style.md by tests/conftest.py; here: the reader's own rules, the
catalogs, answer-first articles, lists cut to what matters on each channel, and charts a
farmer reads (saved under artifacts/charts/ to be looked at)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.core.capabilities import CONSOLE, TELEGRAM, ZALO
from bot.core.contract import Button, Capabilities, Reply
from bot.i18n import Translator
from bot.services.content.checks import check
from bot.services.diary.ledger import Period
from bot.services.rendering.charts import bar_chart
from bot.textutil import READING_LINES, shown_lines
from handlers.summary import chart_weeks
from tests.dialog import (
    Dialog,
    FixedClock,
    MemoryChannel,
    joined_household,
    make_app,
    seed_joined_households,
    seed_programme,
)
from tests.replies import Heard, style_problems

ROOT = Path(__file__).resolve().parents[2]
CHARTS = ROOT / "artifacts" / "charts"
CHANNELS = {"telegram": TELEGRAM, "zalo": ZALO, "console": CONSOLE}
ALL = pytest.mark.parametrize("channel_name", list(CHANNELS))
HOUSEHOLD, OFFICER = (False, "vi"), (True, "vi")


def heard(text: str, buttons: tuple[tuple[Button, ...], ...] = ()) -> Heard:
    return Heard("telegram", "1", Reply(text, buttons), text)


# ------------------------------------------------------------------- the reader's rules


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Còn lại: -820.000\xa0₫", "minus sign"),
        ("Số dư −1.950.000 ₫", "minus sign"),
        ("Cài đặt: ngôn ngữ vi, 4 người", "raw code"),
        ("Chi nhiều nhất: other_expense 200.000 ₫", "raw code"),
        ("Khoản income đã ghi", "raw code"),
        ("Chuẩn theo Nghị định 07/2021/NĐ-CP", "decree"),
        ("Chào bạn! Gõ mã mời.", "pronoun"),
        ("\n".join(f"dòng {n}" for n in range(READING_LINES + 1)), "lines"),
    ],
)
def test_the_reader_finds_what_the_guide_forbids(text: str, problem: str) -> None:
    assert any(problem in found for found in style_problems(heard(text), HOUSEHOLD))


@pytest.mark.parametrize(
    "text",
    [
        "Thiếu 820.000\xa0₫: chi nhiều hơn thu",
        "Cài đặt: Tiếng Việt, 4 người trong nhà, giờ nhắc 19:00.",
        "Trong phạm vi được hưởng; hành vi vi phạm.",  # "vi" is a Vietnamese word too
        "Gõ /tietkiem để xem; 8-10 giờ sáng; 1800 1233",
        "Nguồn: Quyết định 16/2023/QĐ-TTg · Cập nhật: 29/11/2026",  # an article's source line
    ],
)
def test_the_reader_lets_plain_words_be(text: str) -> None:
    assert style_problems(heard(text), HOUSEHOLD) == []


def test_an_officer_list_may_be_long_only_with_xem_them() -> None:
    long = "\n".join(f"HO{n:05d}: 1.000.000 ₫" for n in range(12))
    assert style_problems(heard(long), OFFICER)
    more = ((Button("Xem thêm", "list:area:1"),),)
    assert style_problems(heard(long, more), OFFICER) == []
    assert style_problems(heard(long, more), HOUSEHOLD)  # a household's never
    assert style_problems(heard(long + "\n1. Xem thêm"), OFFICER) == []  # numbered on Zalo
    # An officer may read the decree a figure uses; a household may not.
    assert style_problems(heard("Chuẩn nghèo: Nghị định 07/2021/NĐ-CP"), OFFICER) == []


# ---------------------------------------------------------------------------- catalogs


def test_every_catalog_entry_exists_and_is_translated_in_both_languages() -> None:
    catalogs = {}
    for language in ("vi", "en"):
        with (ROOT / "locales" / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
            catalogs[language] = read_po(handle, locale=language)
    ids = {language: {m.id for m in catalog if m.id} for language, catalog in catalogs.items()}
    assert ids["vi"] - ids["en"] == set(), "in vi only"
    assert ids["en"] - ids["vi"] == set(), "in en only"
    for language, catalog in catalogs.items():
        untranslated = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
        assert untranslated == [], f"{language}: not translated"


# ---------------------------------------------------------------------- answer first


async def _household(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], channel_name: str
) -> Dialog:
    channel = MemoryChannel(name=channel_name, capabilities=CHANNELS[channel_name])
    programme = await seed_programme(sessions)
    dialog = Dialog(make_app(settings, sessions, channel), channel, "2201")
    await joined_household(dialog, programme.households[0].invite)
    return dialog


@ALL
async def test_a_question_gets_the_answer_lines_and_the_article_behind_xem_them(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], channel_name: str
) -> None:
    dialog = await _household(settings, sessions, channel_name)
    [answer] = await dialog.say("đi Hàn Quốc tốn bao nhiêu")
    assert answer.text.startswith("Đi làm việc ở Hàn Quốc theo chương trình EPS\n")
    assert "1.000 USD" in answer.text.splitlines()[1]  # the cost, on the first line
    assert "1800 1233" in answer.text and len(answer.text) < 500
    if CHANNELS[channel_name].buttons:
        assert [b.label for b in answer.flat_buttons()] == ["Xem thêm"]
        whole = await dialog.press(answer.flat_buttons()[0].payload)
    else:
        assert answer.text.endswith("1. Xem thêm")
        whole = await dialog.say("1")
    assert len(whole) > 2 and "Nguồn:" in whole[-2].text
    assert all(shown_lines(part.text) <= READING_LINES for part in whole)


def test_content_check_refuses_an_article_without_its_answer(tmp_path: Path) -> None:
    original = (ROOT / "content" / "vi" / "di-han-quoc-eps.md").read_text(encoding="utf-8")
    (tmp_path / "vi").mkdir()
    article = tmp_path / "vi" / "di-han-quoc-eps.md"
    article.write_text(
        "".join(line for line in original.splitlines(True) if not line.startswith("answer:")),
        encoding="utf-8",
    )
    assert "required key 'answer' missing from the front matter" in map(
        lambda p: p.message, check(tmp_path)
    )
    article.write_text(original.replace("answer: ", "answer: Một dòng thôi\nx: ", 1))
    assert any("answer has 1 line(s)" in p.message for p in check(tmp_path))


# ------------------------------------------------------------------ lists cut to size


@ALL
async def test_four_loans_answer_first_with_the_rest_behind_xem_them(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], channel_name: str
) -> None:
    dialog = await _household(settings, sessions, channel_name)
    for lender, due in (("ngân hàng chính sách 30 triệu", "due:12"), ("chị Tư 5 triệu", "due:6")):
        await dialog.say(f"vay {lender}")
        await dialog.press(due)
    for lender in ("anh Hai 2 triệu", "hội phụ nữ 3 triệu"):
        await dialog.say(f"vay {lender}")
        await dialog.press("due:0")
    await dialog.say("mua phân 500k")
    [glance] = await dialog.say("/vay")
    lines = glance.text.splitlines()
    assert lines[0] == "Hộ mình còn nợ 40.000.000\xa0₫ (4 khoản vay)."
    assert lines[1].startswith("• chị Tư: còn nợ 5.000.000\xa0₫, hạn trả")  # due soonest
    assert "… và 1 khoản khác." in lines
    assert "Từ khi vay" not in glance.text and "Khác" not in lines[1]
    if CHANNELS[channel_name].buttons:
        full = await dialog.press(glance.flat_buttons()[0].payload)
    else:
        assert lines[-1] == "1. Xem thêm"
        full = await dialog.say("1")
    assert len(full) == 4 and all(shown_lines(r.text) <= READING_LINES for r in full)
    assert all(len(r.text) < 2000 for r in [glance, *full])  # Zalo's limit never reached


@ALL
async def test_an_area_of_thirteen_households_shows_five_then_pages_of_seven(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], channel_name: str
) -> None:
    channel = MemoryChannel(name=channel_name, capabilities=CHANNELS[channel_name])
    programme = await seed_programme(sessions)
    await seed_joined_households(sessions, 12, channel=channel_name)
    clock = FixedClock(datetime(2026, 11, 29, 3, 0, tzinfo=UTC))
    officer = Dialog(make_app(settings, sessions, channel, clock), channel, "2299")
    await joined_household(officer, programme.officer.invite)
    pages = [await officer.say("/cacho")]
    while (more := _more(pages[-1][0], CHANNELS[channel_name])) is not None:
        pages.append(
            await officer.press(more) if more.startswith("list:") else await officer.say(more)
        )
    shown = [line for [page] in pages for line in page.text.splitlines()[1:]]
    household_lines = [line for line in shown if " một người" in line]
    assert len(pages) == 3 and len(household_lines) == 13  # 5, then 7, then 1
    assert shown_lines(pages[0][0].text) <= READING_LINES + 1


def _more(reply: Reply, capabilities: Capabilities) -> str | None:
    if capabilities.buttons:
        return next((b.payload for b in reply.flat_buttons() if b.label == "Xem thêm"), None)
    return "1" if reply.text.endswith("1. Xem thêm") else None


# ----------------------------------------------------------------------------- charts


def test_no_stub_weeks_at_the_month_edges() -> None:
    november = chart_weeks(Period.month_of(date(2026, 11, 1)))  # Sunday 1st, Monday 30th
    assert [(w.start.day, w.end.day) for w in november] == [(1, 8), (9, 15), (16, 22), (23, 30)]
    march = chart_weeks(Period.month_of(date(2027, 3, 1)))  # Monday 1st … Wednesday 31st
    assert [(w.start.day, w.end.day) for w in march] == [(1, 7), (8, 14), (15, 21), (22, 31)]


async def test_the_month_chart_is_saved_to_be_looked_at(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    dialog = await _household(settings, sessions, "telegram")
    for line in (
        "1/11 bán lúa 12tr5",
        "3/11 mua phân 1tr2",
        "10/11 bán heo 3 triệu",
        "18/11 tiền điện 230k",
        "25/11 học phí 1tr5",
        "30/11 bán dừa 800k",
    ):
        await dialog.say(line)
    replies = await dialog.say("/thang 11/2026")
    [chart] = [r.attachment for r in replies if r.attachment is not None]
    assert chart.data.startswith(b"\x89PNG")
    CHARTS.mkdir(parents=True, exist_ok=True)
    (CHARTS / "thang-11-2026.png").write_bytes(chart.data)


def test_the_plan_chart_is_saved_to_be_looked_at() -> None:
    t = Translator("vi")
    chart = bar_chart(
        "Thu chi từng mô hình",
        ["Nuôi heo", "Nuôi gà vịt", "Rau màu"],
        {"Thu": [18_500_000, 2_300_000, 640_000], "Chi": [11_200_000, 2_750_000, 180_000]},
        unit="triệu đồng",
        number=t.number,
    )
    CHARTS.mkdir(parents=True, exist_ok=True)
    (CHARTS / "ke-hoach.png").write_bytes(chart)
