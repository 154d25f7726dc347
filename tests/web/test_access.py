"""Issue 18: every access rule of the web page, over HTTP (aiohttp's test client)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db import transaction
from bot.services.people.access import remove_officer
from models import Alert, Audit, Case, Officer, WebLogin, WebSession
from tests.web.conftest import Browser, Commune


async def _audits(commune: Commune, action: str) -> list[Audit]:
    async with commune.sessions() as session:
        return list(await session.scalars(select(Audit).where(Audit.action == action)))


async def test_a_link_signs_in_once_and_is_stored_hashed(commune: Commune) -> None:
    token = await commune.link(commune.officer_a)
    async with commune.sessions() as session:
        stored = list(await session.scalars(select(WebLogin.token_hash)))
    assert len(stored) == 1 and token not in stored[0]
    browser = Browser(commune.client)
    response = await browser.open_link(token)
    assert response.status == 302 and response.headers["Location"] == "/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # an http public_url: a Secure cookie would never come back
    status, html = await browser.get("/")
    assert status == 200 and "Tổng quan" in html and "Cán bộ A" in html
    # The same link again, in another browser: refused.
    again = Browser(commune.client)
    assert (await again.open_link(token)).status == 403
    assert (await again.get("/"))[0] == 401


@pytest.mark.parametrize("public_url", ["https://sinhke.example"])
async def test_an_https_site_gets_a_secure_cookie(commune: Commune) -> None:
    replies = await commune.officer_a.say("/web")
    assert "https://sinhke.example/login/" in replies[0].text
    response = await Browser(commune.client).open_link(replies[0].text.rsplit("/", 1)[-1])
    assert "Secure" in response.headers["Set-Cookie"]


async def test_a_link_preview_does_not_spend_the_link(commune: Commune) -> None:
    token = await commune.link(commune.officer_a)
    for _ in range(2):  # a chat app's preview, then the officer's own opening
        response = await commune.client.get(f"/login/{token}", allow_redirects=False)
        assert response.status == 200 and f'action="/login/{token}"' in await response.text()
    assert (await Browser(commune.client).open_link(token)).status == 302
    assert (await Browser(commune.client).open_link(token)).status == 403


async def test_an_expired_link_is_refused(commune: Commune) -> None:
    token = await commune.link(commune.officer_a)
    commune.clock.advance(minutes=commune.settings.web.link_minutes + 1)
    browser = Browser(commune.client)
    assert (await browser.open_link(token)).status == 403
    assert (await browser.get("/"))[0] == 401


async def test_a_new_link_cancels_the_unused_one(commune: Commune) -> None:
    first = await commune.link(commune.officer_a)
    await commune.link(commune.officer_a)
    assert (await Browser(commune.client).open_link(first)).status == 403


@pytest.mark.parametrize(
    "path", ["/", "/due", "/households", "/households/HO00001", "/cases", "/notices", "/meetings"]
)
async def test_no_session_no_page(commune: Commune, path: str) -> None:
    status, html = await Browser(commune.client).get(path)
    assert status == 401 and "/web" in html


async def test_a_forged_cookie_is_no_session(commune: Commune) -> None:
    assert (await Browser(commune.client, cookie="made-up").get("/"))[0] == 401


async def test_a_household_chat_gets_no_link(commune: Commune) -> None:
    replies = await commune.household_1.say("/web")
    assert "chỉ dành cho cán bộ" in replies[0].text and "/login/" not in replies[0].text
    async with commune.sessions() as session:
        assert list(await session.scalars(select(WebLogin))) == []
    assert await _audits(commune, "officer_command.refused")


async def test_an_officer_of_another_area_sees_nothing_of_it(commune: Commune) -> None:
    alert_id, case_id = await commune.alert_and_case(commune.codes[0])
    other = await commune.signed_in(commune.officer_b)
    token = await other.csrf()
    status, html = await other.get("/households")
    assert status == 200 and commune.codes[2] in html
    assert commune.codes[0] not in html and commune.codes[1] not in html
    assert (await other.get(f"/households/{commune.codes[0]}"))[0] == 404
    assert (await other.post(f"/alerts/{alert_id}/ack", {"csrf": token}))[0] == 404
    assert (await other.post(f"/cases/{case_id}/answer", {"csrf": token, "answer": "x"}))[0] == 404
    assert (await other.post(f"/cases/{case_id}/close", {"csrf": token}))[0] == 404
    async with commune.sessions() as session:
        alert = await session.get(Alert, alert_id)
        case = await session.get(Case, case_id)
        assert alert is not None and alert.status == "open"
        assert case is not None and case.status == "open" and case.answer is None
    assert not [text for text in await commune.delivered("101") if "trả lời:" in text]
    assert len(await _audits(commune, "household.refused")) == 4
    # Nor does the due list or the case list name them.
    assert commune.codes[0] not in (await other.get("/due"))[1]
    assert commune.codes[0] not in (await other.get("/cases"))[1]


async def test_a_form_without_the_sessions_token_is_refused(commune: Commune) -> None:
    alert_id, _case_id = await commune.alert_and_case(commune.codes[0])
    browser = await commune.signed_in(commune.officer_a)
    assert (await browser.post(f"/alerts/{alert_id}/ack", {}))[0] == 403
    assert (await browser.post(f"/alerts/{alert_id}/ack", {"csrf": "guessed"}))[0] == 403
    # Another officer's token is not this session's either.
    other = await commune.signed_in(commune.officer_b)
    assert (await browser.post(f"/alerts/{alert_id}/ack", {"csrf": await other.csrf()}))[0] == 403
    async with commune.sessions() as session:
        alert = await session.get(Alert, alert_id)
        assert alert is not None and alert.status == "open"
    assert len(await _audits(commune, "web.forged_form")) == 3
    status, _html = await browser.post(
        f"/alerts/{alert_id}/ack", {"csrf": await browser.csrf(), "back": "/due"}
    )
    assert status == 302
    async with commune.sessions() as session:
        alert = await session.get(Alert, alert_id)
        assert alert is not None and alert.status == "acknowledged"


async def test_every_household_view_is_audited(commune: Commune) -> None:
    browser = await commune.signed_in(commune.officer_a)
    status, html = await browser.get(f"/households/{commune.codes[0].lower()}")
    assert status == 200 and "Hộ 1" in html
    views = await _audits(commune, "household.view")
    assert [(row.actor, row.household_id) for row in views] == [
        (views[0].actor, await commune.household_id(commune.codes[0]))
    ]
    assert views[0].actor.startswith("officer:")


async def test_an_answer_reaches_the_household_through_the_outbox(commune: Commune) -> None:
    _alert_id, case_id = await commune.alert_and_case(commune.codes[0])
    browser = await commune.signed_in(commune.officer_a)
    token = await browser.csrf()
    status, _html = await browser.post(
        f"/cases/{case_id}/answer", {"csrf": token, "answer": "Chiều mai tôi ghé nhà."}
    )
    assert status == 302
    sent = [text for text in await commune.delivered("101") if "Chiều mai" in text]
    async with commune.sessions() as session:
        case = await session.get(Case, case_id)
    assert sent == ["Cán bộ Cán bộ A trả lời:\nChiều mai tôi ghé nhà."]
    assert case is not None and case.status == "answered"
    assert (await browser.post(f"/cases/{case_id}/close", {"csrf": token}))[0] == 302
    async with commune.sessions() as session:
        case = await session.get(Case, case_id)
    assert case is not None and case.status == "closed"


async def test_sign_out_and_expiry_end_the_session(commune: Commune) -> None:
    browser = await commune.signed_in(commune.officer_a)
    status, html = await browser.post("/logout", {"csrf": await browser.csrf()})
    assert status == 200 and "Đã đăng xuất" in html
    assert (await browser.get("/"))[0] == 401
    later = await commune.signed_in(commune.officer_a)
    commune.clock.advance(hours=commune.settings.web.session_hours, seconds=1)
    assert (await later.get("/"))[0] == 401
    async with commune.sessions() as session:
        assert len(list(await session.scalars(select(WebSession)))) == 2


async def test_a_removed_officer_is_signed_out(commune: Commune) -> None:
    browser = await commune.signed_in(commune.officer_a)
    assert (await browser.get("/"))[0] == 200
    async with transaction(commune.sessions) as session:
        code = await session.scalar(select(Officer.code).where(Officer.name == "Cán bộ A"))
        assert code is not None
        await remove_officer(session, code, actor="cli")
    assert (await browser.get("/"))[0] == 401


async def test_taking_a_case_tells_the_household(commune: Commune) -> None:
    _alert_id, case_id = await commune.alert_and_case(commune.codes[0])
    browser = await commune.signed_in(commune.officer_a)
    assert f'action="/cases/{case_id}/take"' in (await browser.get("/cases"))[1]
    status, _html = await browser.post(f"/cases/{case_id}/take", {"csrf": await browser.csrf()})
    assert status == 302
    assert [text for text in await commune.delivered("101") if "đã nhận lời nhờ giúp" in text] == [
        "Cán bộ Cán bộ A đã nhận lời nhờ giúp của anh/chị và sẽ liên hệ sớm."
    ]
    async with commune.sessions() as session:
        case = await session.get(Case, case_id)
    assert case is not None and case.status == "taken"
