"""Local stand-ins of the Telegram Bot API and the Zalo Bot API, and the network guard.

* ``tests.standins.telegram.TelegramStandin`` — what aiogram 3 talks to in end-to-end tests.
* ``tests.standins.zalo.ZaloStandin`` — the Zalo Bot API (2025), for the Zalo channel.
* ``tests.standins.network_guard`` — a pytest plugin that fails a test reaching past loopback.

Both stand-ins are aiohttp servers on 127.0.0.1 with an ephemeral port, controlled in-process
(``push_text``, ``sent``, ``wait_for``, ``fail_next`` …) or over HTTP (``/_control/…``).
"""
