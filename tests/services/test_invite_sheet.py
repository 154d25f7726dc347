"""Invites on paper: reissuing replaces unused codes, the sheet draws every card."""

from __future__ import annotations

import asyncio
import io
import math
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import typer
from PIL import Image
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from typer.testing import CliRunner, Result

from bot.cli import invites as invites_cli
from bot.cli.common import state
from bot.db import transaction
from bot.services.people.registry import Created, add_area, add_household, hash_invite
from bot.services.rendering.invite_sheet import (
    CARD_HEIGHT,
    HEADING,
    MARGIN,
    PNG_DPI,
    PNG_MAX_CARDS,
    InviteCard,
    deep_link,
    draw_sheet,
    reissue_invites,
)
from models import Audit, Contact, Invite
from tests.standins.telegram import DEFAULT_TOKEN, TelegramStandin

NOW = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)


async def _join(sessions: async_sessionmaker[AsyncSession], household_id: int) -> None:
    async with transaction(sessions) as session:
        session.add(
            Contact(
                channel="telegram",
                address="joined",
                household_id=household_id,
                consent_version="2026-11",
                consent_at=NOW,
            )
        )


async def _invite(sessions: async_sessionmaker[AsyncSession], code: str) -> Invite | None:
    async with sessions() as session:
        found: Invite | None = await session.scalar(
            select(Invite).where(Invite.code_hash == hash_invite(code))
        )
        return found


@pytest.fixture
async def programme(sessions: async_sessionmaker[AsyncSession]) -> list[Created]:
    """Commune C1 in province P1 with three households; the first has joined."""
    async with transaction(sessions) as session:
        await add_area(session, code="P1", name="Tỉnh Thử", kind="province")
        await add_area(session, code="C1", name="Xã Thử", kind="commune", parent="P1")
        households = [
            await add_household(session, name=f"Hộ {i}", members=4, area="C1", now=NOW, ttl_days=30)
            for i in range(1, 4)
        ]
    await _join(sessions, households[0].id)
    return households


async def test_reissue_replaces_the_unused_invites_of_households_not_joined(
    sessions: async_sessionmaker[AsyncSession], programme: list[Created]
) -> None:
    async with transaction(sessions) as session:
        issued = await reissue_invites(session, "P1", NOW, 30)
    joined, *waiting = programme
    assert [invite.household_code for invite in issued] == [h.code for h in waiting]
    assert [invite.name for invite in issued] == ["Hộ 2", "Hộ 3"]
    for old, new in zip(waiting, issued, strict=True):
        assert await _invite(sessions, old.invite) is None
        found = await _invite(sessions, new.code)
        assert found is not None and found.household_id == new.household_id
        assert (found.used_at, found.expires_at) == (None, NOW + timedelta(days=30))
    # The joined household's invite is left alone.
    assert await _invite(sessions, joined.invite) is not None


async def test_the_deep_link_carries_the_code_its_hash_finds(
    sessions: async_sessionmaker[AsyncSession], programme: list[Created]
) -> None:
    async with transaction(sessions) as session:
        issued = await reissue_invites(session, "C1", NOW, 30)
    link = issued[0].card("@sinhke_bot").link
    assert link == f"https://t.me/sinhke_bot?start={issued[0].code.replace('-', '')}"
    found = await _invite(sessions, link.split("?start=")[1])
    assert found is not None and found.household_id == programme[1].id


def _cards(count: int) -> list[InviteCard]:
    return [
        InviteCard(f"Nguyễn Thị Hộ {i}", f"HO{i:05d}", "ABCD-EFGH", deep_link("b_bot", "ABCDEFGH"))
        for i in range(1, count + 1)
    ]


@pytest.mark.parametrize("count", [1, 5])
def test_png_is_a4_wide_with_a_row_for_every_two_cards(count: int) -> None:
    image = Image.open(io.BytesIO(draw_sheet(_cards(count), fmt="png", heading="Xã Thử")))
    rows = math.ceil(count / 2)
    assert image.format == "PNG"
    assert image.size == (
        int(8.27 * PNG_DPI),
        int((2 * MARGIN + HEADING + rows * CARD_HEIGHT) * PNG_DPI),
    )


def test_pdf_has_a4_pages_of_eight_cards() -> None:
    data = draw_sheet(_cards(9), fmt="pdf", heading="Xã Thử")
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", data)) == 2


def test_png_refuses_more_cards_than_it_can_print() -> None:
    with pytest.raises(ValueError, match=r"write a \.pdf"):
        draw_sheet(_cards(PNG_MAX_CARDS + 1), fmt="png", heading="Xã Thử")


def _household_app() -> typer.Typer:
    app = typer.Typer()
    household_app = typer.Typer()
    app.add_typer(household_app, name="household")
    invites_cli.add_to(household_app)
    return app


async def test_cli_prints_the_sheet(
    sessions: async_sessionmaker[AsyncSession],
    database_url: str,
    programme: list[Created],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = tmp_path / "config.toml"
    out = tmp_path / "invites.png"

    def invoke(*args: str) -> Result:
        # The command runs its own event loop, so it gets a thread of its own.
        return CliRunner().invoke(_household_app(), ["household", "invites", *args])

    # The QR codes open the bot the configured token belongs to (Telegram's getMe).
    async with TelegramStandin() as telegram:
        config.write_text(
            f'[database]\nurl = "{database_url}"\n[telegram]\ntoken = "{DEFAULT_TOKEN}"\n'
            f'api_base = "{telegram.base_url}"\n',
            encoding="utf-8",
        )
        monkeypatch.setattr(state, "config", str(config))
        result = await asyncio.to_thread(invoke, "--area", "C1", "--out", str(out))
    assert result.exit_code == 0, result.output
    local_now = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))
    expires = (local_now + timedelta(days=60)).strftime("%d/%m/%Y")
    assert result.output.strip() == (
        f"{out}: 2 invites for C1 (t.me/{telegram.bot_user['username']}), valid until {expires}"
    )
    assert Image.open(out).size[0] == int(8.27 * PNG_DPI)
    assert await _invite(sessions, programme[1].invite) is None
    async with sessions() as session:
        audited = await session.scalars(
            select(Audit.household_id)
            .where(Audit.action == "invite.reissue")
            .order_by(Audit.household_id)
        )
        assert list(audited) == [h.id for h in programme[1:]]

    config.write_text(f'[database]\nurl = "{database_url}"\n', encoding="utf-8")  # no token
    for args, problem in (
        (("--area", "C1", "--out", str(tmp_path / "x.jpg")), "name it *.pdf"),
        (("--area", "C1", "--out", str(out), "--bot-username", "x"), "not a Telegram bot"),
        (("--area", "NOPE", "--out", str(out), "--bot-username", "xa_tho_bot"), "no area with"),
        (("--area", "C1", "--out", str(out)), "no [telegram] token to ask Telegram"),
    ):
        result = await asyncio.to_thread(invoke, *args)
        assert problem in str(result.exception)


async def test_cli_with_everyone_joined_prints_nothing(
    sessions: async_sessionmaker[AsyncSession],
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with transaction(sessions) as session:
        await add_area(session, code="C9", name="Xã Chín", kind="commune")
        created = await add_household(
            session, name="Ba", members=2, area="C9", now=NOW, ttl_days=30
        )
    await _join(sessions, created.id)
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "{database_url}"\n', encoding="utf-8")
    monkeypatch.setattr(state, "config", str(config))
    out = tmp_path / "none.pdf"
    result = await asyncio.to_thread(
        CliRunner().invoke,
        _household_app(),
        ["household", "invites", "--area", "C9", "--out", str(out), "--bot-username", "xa_tho_bot"],
    )
    assert result.output.strip() == "C9: every household has joined; nothing to print"
    assert not out.exists()
