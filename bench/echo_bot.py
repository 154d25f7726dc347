"""A bare aiogram 3 echo bot (long polling): the baseline the benchmarks compare the real bot with.

    python bench/echo_bot.py --api-base http://127.0.0.1:PORT --token 123456:TEST-standin-token

It answers every text with the same text and nothing else: no database, no outbox, no rate
limiting, so it shows what aiogram and the Bot API stand-in cost by themselves. Stops on
SIGINT / SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import logging

from aiogram import Bot, Dispatcher, F
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Message


def build_dispatcher() -> Dispatcher:
    dp = Dispatcher()

    @dp.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    return dp


async def main(api_base: str, token: str, polling_timeout: int) -> None:
    bot = Bot(token, session=AiohttpSession(api=TelegramAPIServer.from_base(api_base)))
    await build_dispatcher().start_polling(bot, polling_timeout=polling_timeout)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api-base", required=True, help="Bot API base URL, e.g. the stand-in's")
    parser.add_argument("--token", required=True)
    parser.add_argument("--polling-timeout", type=int, default=10, help="getUpdates timeout, s")
    return parser.parse_args()


if __name__ == "__main__":
    args = parse_args()
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(main(args.api_base, args.token, args.polling_timeout))
