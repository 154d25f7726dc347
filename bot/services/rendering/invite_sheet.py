"""Invites on paper (issue 5, item 6): fresh one-time codes for an area's households that
have not joined yet, printed as cards with a QR code of the bot's deep link.

Invite codes are stored hashed, so a code cannot be printed twice: :func:`reissue_invites`
replaces each household's unused invites with a new one, and :func:`draw_sheet` draws the
cards (A4 pages of a PDF, or one tall PNG) with matplotlib and ``qrcode``.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Literal

from qrcode import QRCode
from qrcode.constants import ERROR_CORRECT_M
from sqlalchemy import delete, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator, translator
from bot.services.people.registry import hash_invite, new_invite_code, normalise_invite
from bot.services.reports.reports import area_tree
from models import Contact, Household, Invite

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SheetFormat = Literal["pdf", "png"]

# A4 portrait in inches: a heading, then 2 × 4 cards a page.
PAGE_WIDTH, PAGE_HEIGHT = 8.27, 11.69
MARGIN, HEADING = 0.4, 0.5
COLUMNS, ROWS_PER_PAGE = 2, 4
CARD_WIDTH = (PAGE_WIDTH - 2 * MARGIN) / COLUMNS
CARD_HEIGHT = (PAGE_HEIGHT - 2 * MARGIN - HEADING) / ROWS_PER_PAGE
QR_SIZE = 1.6  # inches: about 1.2 mm a module for a deep link
PNG_DPI = 150
PNG_MAX_CARDS = 48  # six pages' worth; a PNG taller than that is not printable


@dataclass(frozen=True, slots=True)
class InviteCard:
    """What one card shows."""

    name: str
    household_code: str
    invite_code: str
    link: str


@dataclass(frozen=True, slots=True)
class IssuedInvite:
    """A new invite; ``code`` exists only here, the database keeps its hash."""

    household_id: int
    name: str
    household_code: str
    code: str

    def card(self, bot_username: str) -> InviteCard:
        return InviteCard(
            self.name, self.household_code, self.code, deep_link(bot_username, self.code)
        )


def deep_link(bot_username: str, code: str) -> str:
    """``https://t.me/<bot>?start=<code without dash>``: Telegram's /start payload."""
    return f"https://t.me/{bot_username.lstrip('@')}?start={normalise_invite(code)}"


async def reissue_invites(
    session: AsyncSession, area_code: str, now: datetime, ttl_days: int, *, secret: str = ""
) -> list[IssuedInvite]:
    """New invites for the households of the area (and the areas below) that have not
    joined, replacing their unused invites; ordered by area, hamlet and code."""
    area_ids = [node.id for node in await area_tree(session, area_code)]
    joined = exists().where(Contact.household_id == Household.id, Contact.consent_at.is_not(None))
    rows = await session.execute(
        select(
            Household.id, Household.head_name, Household.code, Household.area_id, Household.hamlet
        ).where(Household.area_id.in_(area_ids), ~joined)
    )
    households = sorted(rows, key=lambda row: (row.area_id, row.hamlet or "", row.code))
    await session.execute(
        delete(Invite).where(
            Invite.household_id.in_([row.id for row in households]), Invite.used_at.is_(None)
        )
    )
    issued = []
    for row in households:
        code = new_invite_code()
        session.add(
            Invite(
                code_hash=hash_invite(code, secret),
                household_id=row.id,
                expires_at=now + timedelta(days=ttl_days),
            )
        )
        issued.append(IssuedInvite(row.id, row.head_name, row.code, code))
    await session.flush()
    return issued


def sheet_heading(area_name: str, expires_on: date, *, locale: str = "vi") -> str:
    t = translator(locale)
    return t._("{area}: mã mời tham gia sổ thu chi, mỗi mã dùng một lần, đến hết {date}").format(
        area=area_name, date=t.date(expires_on)
    )


def draw_sheet(
    cards: Sequence[InviteCard], *, fmt: SheetFormat, heading: str, locale: str = "vi"
) -> bytes:
    """The cards as a PDF (A4 pages) or one PNG (all cards, A4 wide)."""
    # matplotlib is imported when a sheet is drawn: it costs a running bot ~40 MB.
    from matplotlib.backends.backend_pdf import PdfPages

    t = translator(locale)
    buffer = io.BytesIO()
    if fmt == "pdf":
        per_page = COLUMNS * ROWS_PER_PAGE
        pages = [cards[i : i + per_page] for i in range(0, len(cards), per_page)]
        with PdfPages(buffer, metadata={"Title": heading}) as pdf:
            for number, page in enumerate(pages, start=1):
                footer = t._("Trang {page}/{pages}").format(page=number, pages=len(pages))
                pdf.savefig(_figure(page, heading, footer, ROWS_PER_PAGE, t))
    else:
        if len(cards) > PNG_MAX_CARDS:
            raise ValueError(
                f"{len(cards)} invites are too many for one PNG (at most {PNG_MAX_CARDS}): "
                "write a .pdf"
            )
        rows = max(1, math.ceil(len(cards) / COLUMNS))
        _figure(cards, heading, "", rows, t).savefig(buffer, format="png", dpi=PNG_DPI)
    return buffer.getvalue()


def _figure(
    cards: Sequence[InviteCard], heading: str, footer: str, rows: int, t: Translator
) -> Figure:
    """A page of ``rows`` rows of cards under a heading."""
    from matplotlib.figure import Figure

    height = 2 * MARGIN + HEADING + rows * CARD_HEIGHT
    figure = Figure(figsize=(PAGE_WIDTH, height))
    figure.text(
        MARGIN / PAGE_WIDTH,
        1 - MARGIN / height,
        "\n".join(textwrap.wrap(heading, 95)),
        fontsize=10,
        weight="bold",
        va="top",
    )
    if footer:
        figure.text(1 - MARGIN / PAGE_WIDTH, MARGIN / 2 / height, footer, fontsize=8, ha="right")
    for index, card in enumerate(cards):
        row, column = divmod(index, COLUMNS)
        left = MARGIN + column * CARD_WIDTH
        bottom = height - MARGIN - HEADING - (row + 1) * CARD_HEIGHT
        _card(figure, card, left, bottom, height, t)
    return figure


def _card(
    figure: Figure, card: InviteCard, left: float, bottom: float, height: float, t: Translator
) -> None:
    """One card at (left, bottom) inches: a dashed cutting frame, the QR code, the texts."""
    from matplotlib.patches import Rectangle

    def box(x: float, y: float, width: float, tall: float) -> tuple[float, float, float, float]:
        return (left + x) / PAGE_WIDTH, (bottom + y) / height, width / PAGE_WIDTH, tall / height

    frame = figure.add_axes(box(0, 0, CARD_WIDTH, CARD_HEIGHT))
    frame.set_axis_off()
    frame.set_xlim(0, CARD_WIDTH)
    frame.set_ylim(0, CARD_HEIGHT)
    frame.add_patch(
        Rectangle(
            (0, 0),
            CARD_WIDTH,
            CARD_HEIGHT,
            fill=False,
            linestyle=(0, (4, 3)),
            linewidth=0.6,
            edgecolor="#888888",
            clip_on=False,
        )
    )
    pad = (CARD_HEIGHT - QR_SIZE) / 2
    qr = figure.add_axes(box(0.2, pad, QR_SIZE, QR_SIZE))
    qr.set_axis_off()
    qr.imshow(_qr_matrix(card.link), cmap="binary", interpolation="nearest")

    x, top = 0.2 + QR_SIZE + 0.15, CARD_HEIGHT - pad
    name = "\n".join(textwrap.wrap(card.name, 19)[:2])
    frame.text(x, top, name, fontsize=10.5, weight="bold", va="top", linespacing=1.1)
    code_line = t._("Mã hộ: {code}").format(code=card.household_code)
    frame.text(x, top - 0.62, code_line, fontsize=9, va="top")
    frame.text(x, top - 1.08, card.invite_code, fontsize=19, weight="bold", family="monospace")
    help_text = t._("Quét mã QR bằng điện thoại để mở bot, hoặc gửi mã trên cho bot.")
    frame.text(x, top - 1.2, "\n".join(textwrap.wrap(help_text, 28)), fontsize=7, va="top")
    # The link goes under the QR code, in the card's bottom margin: beside it, the help
    # text's last line ("cho bot.") ran into it.
    frame.text(0.2, pad / 2, card.link.removeprefix("https://"), fontsize=6, color="#444444")


def _qr_matrix(link: str) -> list[list[bool]]:
    code = QRCode(error_correction=ERROR_CORRECT_M, border=2)
    code.add_data(link)
    code.make(fit=True)
    matrix: list[list[bool]] = code.get_matrix()
    return matrix
