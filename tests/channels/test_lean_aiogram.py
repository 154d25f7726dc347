"""aiogram imported through bot.channels.telegram builds its Telegram types when first
used, and every type still works (in a fresh interpreter: this one may hold aiogram)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import bot.channels.telegram
    from aiogram import methods, types
    from aiogram.methods.base import Response

    assert not types.Giveaway.__pydantic_complete__, "built at import"
    update = types.Update.model_validate({
        "update_id": 7,
        "callback_query": {
            "id": "q", "chat_instance": "c", "data": "undo:1",
            "from": {"id": 5, "is_bot": False, "first_name": "Ba"},
            "message": {"message_id": 3, "date": 0, "chat": {"id": 5, "type": "private"},
                        "text": "Đã ghi"},
        },
    })
    assert update.callback_query.message.text == "Đã ghi"
    keyboard = types.InlineKeyboardMarkup(
        inline_keyboard=[[types.InlineKeyboardButton(text="Hủy", callback_data="undo:1")]]
    )
    methods.SendMessage(chat_id=5, text="x", reply_markup=keyboard)
    methods.SendDocument(chat_id=5, document=types.BufferedInputFile(b"a", "a.csv"))
    sent = Response[types.Message].model_validate(
        {"ok": True, "result": {"message_id": 9, "date": 0,
                                "chat": {"id": 5, "type": "private"}, "text": "x"}}
    )
    assert sent.result.message_id == 9
    types.Giveaway.model_validate({
        "chats": [{"id": 1, "type": "channel"}], "winners_selection_date": 0,
        "winner_count": 1,
    })
    print("ok")
    """
)


def test_types_are_built_when_first_used_and_all_work() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
