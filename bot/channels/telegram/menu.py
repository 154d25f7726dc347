"""The bot's face in Telegram, set by the bot itself at start: its command menu per role
and language (``setMyCommands``) and its descriptions (``setMyDescription``,
``setMyShortDescription``), so nothing of it is left to type into @BotFather.

Households get the default menu; each officer's chat gets the officers' menu (a scope of
one chat: Telegram has no scope for "these people" in private chats).  Vietnamese is the
default language; English is set with ``language_code="en"`` for phones in English.
"""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault

from bot.i18n import LOCALES, N_, translator

log = logging.getLogger(__name__)

HOUSEHOLD_COMMANDS = (
    ("homnay", N_("Thu chi hôm nay")),
    ("tuan", N_("Thu chi tuần này")),
    ("thang", N_("Thu chi tháng này")),
    ("vay", N_("Các khoản vay")),
    ("xoa", N_("Xóa mục vừa ghi")),
    ("thongtin", N_("Thông tin hữu ích")),
    ("nhom", N_("Nhóm liên kết của mình")),
    ("chiase", N_("Chia sẻ với nhóm")),
    ("giupdo", N_("Nhờ cán bộ giúp")),
    ("caidat", N_("Giờ nhắc, số người, ngôn ngữ")),
    ("toi", N_("Thông tin mình giữ")),
    ("xuatdulieu", N_("Tải sổ của mình về")),
    ("xoadulieu", N_("Xóa dữ liệu của mình")),
    ("huongdan", N_("Cách dùng")),
    ("huy", N_("Hủy câu đang hỏi dở")),
    ("start", N_("Bắt đầu, nhập mã mời")),
)
OFFICER_COMMANDS = (
    ("canhbao", N_("Cảnh báo đang mở")),
    ("cacho", N_("Các hộ trong địa bàn")),
    ("ho", N_("Xem một hộ: /ho MÃ")),
    ("baocao", N_("Báo cáo tháng (Excel)")),
    ("thongbao", N_("Gửi thông báo cho địa bàn")),
    ("hop", N_("Hẹn buổi họp đối thoại")),
    ("ketquahop", N_("Ghi kết quả buổi họp")),
    ("nhom", N_("Các nhóm liên kết: /nhom SỐ")),
    ("taonhom", N_("Tạo nhóm liên kết")),
    ("moinhom", N_("Mời hộ vào nhóm")),
    ("bonhom", N_("Đưa hộ ra khỏi nhóm")),
    ("hopnhom", N_("Hẹn họp nhóm")),
    ("web", N_("Mở trang web cho cán bộ")),
    ("huongdan", N_("Cách dùng")),
    ("huy", N_("Hủy câu đang hỏi dở")),
)
DESCRIPTION = N_(
    "Sổ nhật ký hộ gia đình: nhắn như nói chuyện (bán heo 3 triệu, mua phân 500k), mình ghi "
    "lại, cộng thu chi theo ngày, tuần, tháng và nhắc anh/chị khi cần. Cần mã mời của cán bộ "
    "xã để bắt đầu."
)
SHORT_DESCRIPTION = N_("Sổ thu chi của hộ gia đình, ghi bằng tin nhắn.")

# The source language is the default (no language_code); the others are set by code.
DEFAULT_LOCALE = LOCALES[0]


def commands(pairs: tuple[tuple[str, str], ...], locale: str) -> list[BotCommand]:
    t = translator(locale)
    return [BotCommand(command=name, description=t._(text)) for name, text in pairs]


def _language(locale: str) -> str | None:
    return None if locale == DEFAULT_LOCALE else locale


async def set_profile(bot: Bot) -> None:
    """The default (households') menu and the descriptions, in every language."""
    for locale in LOCALES:
        t, language = translator(locale), _language(locale)
        await bot.set_my_commands(
            commands(HOUSEHOLD_COMMANDS, locale),
            scope=BotCommandScopeDefault(),
            language_code=language,
        )
        await bot.set_my_description(t._(DESCRIPTION), language_code=language)
        await bot.set_my_short_description(t._(SHORT_DESCRIPTION), language_code=language)


async def set_officer_menu(bot: Bot, chat_id: int) -> None:
    """The officers' menu in one officer's chat, in every language."""
    for locale in LOCALES:
        await bot.set_my_commands(
            commands(OFFICER_COMMANDS, locale),
            scope=BotCommandScopeChat(chat_id=chat_id),
            language_code=_language(locale),
        )
