"""The log of `sinhke run`: one line per event, a traceback included (folded), so that
journald, Docker and grep see one event as one line."""

from __future__ import annotations

import logging

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# A traceback's lines, joined: the line breaks are shown as " ⏎ ".
FOLD = " ⏎ "


class OneLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace("\r\n", "\n").replace("\n", FOLD)


def configure(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(OneLineFormatter(FORMAT))
    logging.basicConfig(level=level, handlers=[handler])
