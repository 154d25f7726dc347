"""/huongdan: what the bot can do, for households and for officers."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.router import Router
from handlers.common import NOT_JOINED, joined


def register(router: Router) -> None:
    router.command(show_help, "huongdan", "help")
    router.command(cancel, "huy", "cancel")
    router.phrase(show_help, "hướng dẫn", "giúp tôi dùng", "menu")


async def show_help(ctx: Context) -> None:
    if not joined(ctx):
        ctx.reply(ctx._(NOT_JOINED))
    elif ctx.contact is not None and ctx.contact.officer_id is not None:
        ctx.reply(
            ctx._(
                "Các lệnh cho cán bộ:\n"
                "/canhbao – cảnh báo đang mở\n/cacho – các hộ của địa bàn\n"
                "/ho MÃ – xem một hộ\n/baocao – báo cáo tháng\n/thongbao – gửi thông báo\n"
                "/hop – mời họp đối thoại\n/ketquahop – ghi kết quả buổi họp\n"
                "/nhom – các nhóm liên kết (/nhom SỐ – xem một nhóm)\n"
                "/taonhom – tạo nhóm\n/moinhom – mời hộ vào nhóm\n"
                "/bonhom – đưa hộ ra khỏi nhóm\n/hopnhom – hẹn họp nhóm"
            )
        )
    else:
        ctx.reply(
            ctx._(
                'Cách ghi sổ: nhắn như nói chuyện, ví dụ "bán heo 3 triệu", "mua phân 500k".\n'
                "/homnay – hôm nay\n/tuan – tuần này\n/thang – tháng này\n"
                "/vay – các khoản vay\n/xoa – xóa dòng vừa ghi\n"
                "/thongtin – thông tin hữu ích\n/giupdo – cần giúp đỡ\n"
                "hỏi: … – gửi câu hỏi trước buổi họp\n"
                "/nhom – nhóm liên kết của mình\n/chiase – chia sẻ kinh nghiệm với nhóm\n"
                "/caidat – cài đặt\n/toi – dữ liệu của tôi"
            )
        )


async def cancel(ctx: Context) -> None:
    """/huy: drop whatever question is pending."""
    ctx.clear_state()
    ctx.reply(ctx._("Đã hủy. Anh/chị cần gì cứ nhắn tiếp."))
