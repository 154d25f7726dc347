"""The aiohttp application of the officers' web page: routes, the sign-in guard, forms.

Each request gets one database session and one commit (the chat's rule).  A page needs a
live session cookie; a form also needs the session's token (``csrf``), so another site
cannot post on an officer's behalf.  Whether the officer may see a household is
``people.may_see``, the chat's own check, and every view of one is audited as in /ho.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from aiohttp import web
from aiohttp.web_request import FileField
from multidict import MultiMapping
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.db import transaction
from bot.i18n import Translator, translator
from bot.services import broadcasts
from bot.services.alerts import alerts, cases
from bot.services.diary import poverty
from bot.services.diary.labels import category_label, kind_label
from bot.services.people import people
from bot.services.people.audit import audit
from bot.services.reports.reports import STATUS_LABELS
from bot.web import auth, pages
from handlers.cases import TOPIC_LABELS
from models import Alert, Area, Broadcast, Case, Household, Officer, WebSession, utcnow

HERE = Path(__file__).resolve().parent
COOKIE = "sinhke_web"
Clock = Callable[[], datetime]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

SETTINGS: web.AppKey[Settings] = web.AppKey("settings", Settings)
SESSIONS: web.AppKey[async_sessionmaker[AsyncSession]] = web.AppKey("sessions", async_sessionmaker)
CLOCK: web.AppKey[Clock] = web.AppKey("clock", object)  # type: ignore[arg-type]
TEMPLATES: web.AppKey[jinja2.Environment] = web.AppKey("templates", jinja2.Environment)
REPORTS: web.AppKey[pages.ReportCache] = web.AppKey("reports", pages.ReportCache)

OPEN_PATHS = ("/login/", "/static/")
PAGE_ROWS = 200  # households a page of the table (an old phone draws 2,000 rows slowly)
DUE_SHOWN = 150  # lines of the due list shown; the rest are counted


@dataclass
class Visit:
    """One request's database session, time, language, and (once checked) its officer."""

    db: AsyncSession
    now: datetime
    t: Translator
    web_session: WebSession | None = None
    officer_: Officer | None = None
    form: MultiMapping[str | bytes | bytearray | FileField] | None = None

    @property
    def officer(self) -> Officer:
        assert self.officer_ is not None  # every page but the open ones has one
        return self.officer_


VISIT: web.RequestKey[Visit] = web.RequestKey("visit", Visit)


def templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def web_app(
    *, settings: Settings, sessions: async_sessionmaker[AsyncSession], clock: Clock = utcnow
) -> web.Application:
    app = web.Application(middlewares=[_guard])
    app[SETTINGS], app[SESSIONS], app[CLOCK], app[TEMPLATES] = (
        settings,
        sessions,
        clock,
        templates(),
    )
    app[REPORTS] = pages.ReportCache(settings.web.figures_seconds)
    app.router.add_get("/login/{token}", login_page)
    app.router.add_post("/login/{token}", login)
    app.router.add_post("/logout", logout)
    app.router.add_get("/", overview)
    app.router.add_get("/due", due)
    app.router.add_get("/households", households)
    app.router.add_get("/households/{code}", household)
    app.router.add_post("/alerts/{id:\\d+}/{action:ack|done}", alert_action)
    app.router.add_get("/cases", case_list)
    app.router.add_post("/cases/{id:\\d+}/answer", case_answer)
    app.router.add_post("/cases/{id:\\d+}/{step:take|close}", case_step)
    app.router.add_get("/notices", notices)
    app.router.add_post("/notices", notice_post)
    app.router.add_get("/meetings", meeting_list)
    app.router.add_get("/report.xlsx", report)
    app.router.add_static("/static/", HERE / "static")
    return app


# --- the guard ----------------------------------------------------------------------------


@web.middleware
async def _guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """One transaction per request; a signed-in officer for every page but the sign-in
    link and the static files; the form token on every POST."""
    app = request.app
    async with transaction(app[SESSIONS]) as session:
        visit = Visit(session, app[CLOCK](), translator(app[SETTINGS].programme.default_locale))
        request[VISIT] = visit
        if request.path.startswith(OPEN_PATHS):
            return await handler(request)
        found = await auth.current(session, request.cookies.get(COOKIE), visit.now)
        if found is None:
            return _page(request, "signed_out.html", status=401)
        visit.web_session, visit.officer_ = found
        visit.t = translator(found[0].locale)
        if request.method == "POST":
            form = await request.post()
            sent = form.get("csrf")
            if not auth.csrf_ok(found[0], sent if isinstance(sent, str) else None):
                await audit(session, f"officer:{found[1].id}", "web.forged_form", path=request.path)
                return _page(request, "refused.html", status=403)
            visit.form = form
        return await handler(request)


def _db(request: web.Request) -> AsyncSession:
    return request[VISIT].db


def _officer(request: web.Request) -> Officer:
    return request[VISIT].officer


def _form(request: web.Request, name: str) -> str:
    form = request[VISIT].form
    value = form.get(name) if form is not None else None
    return value if isinstance(value, str) else ""


def _settings(request: web.Request) -> Settings:
    return request.app[SETTINGS]


def _today(request: web.Request) -> date:
    now: datetime = request[VISIT].now
    return now.astimezone(ZoneInfo(_settings(request).programme.timezone)).date()


def _page(request: web.Request, name: str, *, status: int = 200, **values: Any) -> web.Response:
    t = request[VISIT].t
    zone = ZoneInfo(_settings(request).programme.timezone)

    def when(moment: datetime | date | None) -> str:
        if moment is None:
            return "–"
        if isinstance(moment, datetime):
            return t.datetime(moment.astimezone(zone))
        return t.date(moment)

    web_session = request[VISIT].web_session
    html = (
        request.app[TEMPLATES]
        .get_template(name)
        .render(
            _=t._,
            t=t,
            money=t.money,
            number=lambda value: t.number(value),
            when=when,
            kind_label=lambda kind: kind_label(t, kind),
            category_label=lambda category: category_label(t, category),
            status_label=lambda status: _label(t, STATUS_LABELS, status),
            topic_label=lambda topic: _label(t, TOPIC_LABELS, topic),
            describe_alert=lambda alert: _describe(t, alert),
            officer=request[VISIT].officer_,
            csrf=web_session.csrf if web_session else "",
            path=request.path,
            today=_today(request),
            programme=_settings(request).programme.name,
            **values,
        )
    )
    response = web.Response(text=html, status=status, content_type="text/html")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'"
    )
    return response


def _describe(t: Translator, alert: Alert) -> str:
    try:
        return alerts.describe(t, alert)
    except (KeyError, IndexError):  # details the label does not fit: say at least the rule
        return (
            t._(alerts.RULE_LABELS[alert.rule]) if alert.rule in alerts.RULE_LABELS else alert.rule
        )


def _label(t: Translator, labels: dict[str, str], key: str) -> str:
    return t._(labels[key]) if key in labels else key


def _redirect(location: str) -> web.Response:
    # Returned, not raised: an exception would roll the request's transaction back.
    return web.Response(status=302, headers={"Location": location})


def _back(request: web.Request, default: str) -> web.Response:
    """After a form, back where it was sent from (a path of this site only)."""
    back = _form(request, "back")
    return _redirect(back if back.startswith("/") and not back.startswith("//") else default)


# --- signing in and out -------------------------------------------------------------------


async def login_page(request: web.Request) -> web.StreamResponse:
    """Opening the link only shows a button: a chat app that fetches links to preview
    them (Telegram does) must not spend it."""
    if not await auth.usable(_db(request), request.match_info["token"], request[VISIT].now):
        return _page(request, "link_refused.html", status=403)
    return _page(request, "login.html", token=request.match_info["token"])


async def login(request: web.Request) -> web.StreamResponse:
    session = _db(request)
    config = _settings(request).web
    opened = await auth.redeem(
        session,
        request.match_info["token"],
        request[VISIT].now,
        hours=config.session_hours,
        default_locale=_settings(request).programme.default_locale,
    )
    if opened is None:
        return _page(request, "link_refused.html", status=403)
    response = _redirect("/")
    response.set_cookie(
        COOKIE,
        opened.cookie,
        max_age=config.session_hours * 3600,
        path="/",
        secure=config.public_url.startswith("https://"),
        httponly=True,
        samesite="Lax",
    )
    return response


async def logout(request: web.Request) -> web.StreamResponse:
    web_session = request[VISIT].web_session
    assert web_session is not None
    await auth.sign_out(_db(request), web_session, request[VISIT].now)
    response = _page(request, "signed_out.html", bye=True)
    response.del_cookie(COOKIE, path="/")
    return response


# --- pages --------------------------------------------------------------------------------


async def _rows(request: web.Request) -> tuple[Any, list[pages.Row]]:
    session, officer = _db(request), _officer(request)
    visible = await people.visible_household_ids(session, officer)
    return await pages.area_rows(
        session,
        officer,
        visible,
        settings=_settings(request),
        today=_today(request),
        cache=request.app[REPORTS],
    )


async def overview(request: web.Request) -> web.StreamResponse:
    report, rows = await _rows(request)
    whole, places = pages.overview(rows)
    session, officer = _db(request), _officer(request)
    area = await pages.officer_area(session, officer)
    meetings = await pages.area_meetings(session, area, coming_after=request[VISIT].now)
    await audit(session, f"officer:{officer.id}", "web.overview", count=whole.households)
    return _page(
        request,
        "overview.html",
        area=area,
        report=report,
        whole=whole,
        places=places,
        meetings=meetings,
    )


def _filters(request: web.Request) -> pages.Filters:
    query = request.query
    sort = query.get("sort", "code")
    return pages.Filters(
        place=query.get("place", ""),
        status=query.get("status", ""),
        activity=query.get("activity", ""),
        writing=query.get("writing", ""),
        line=query.get("line", ""),
        alerts=query.get("alerts") == "1",
        cases=query.get("cases") == "1",
        joined=query.get("joined", ""),
        q=query.get("q", "").strip(),
        sort=sort.lstrip("-"),
        descending=sort.startswith("-"),
    )


async def households(request: web.Request) -> web.StreamResponse:
    report, rows = await _rows(request)
    filters = _filters(request)
    shown = pages.table(rows, filters)
    raw = request.query.get("page", "1")
    pages_count = max(1, -(-len(shown) // PAGE_ROWS))
    number = min(int(raw), pages_count) if raw.isdigit() and int(raw) > 0 else 1
    officer = _officer(request)
    await audit(_db(request), f"officer:{officer.id}", "households.list", count=len(shown))
    return _page(
        request,
        "households.html",
        report=report,
        rows=shown[(number - 1) * PAGE_ROWS : number * PAGE_ROWS],
        matching=len(shown),
        page_number=number,
        pages_count=pages_count,
        total=len(rows),
        filters=filters,
        query=dict(request.query),
        places=sorted({pages.place_of(row) for row in rows}),
        activities=sorted({a for row in rows for a in row.activities}),
        statuses=list(STATUS_LABELS),
        row_place=pages.place_of,
    )


async def _visible_household(request: web.Request, household_id: int | None) -> Household | None:
    """The household if this officer may see it (the chat's rule); refusals are audited."""
    session, officer = _db(request), _officer(request)
    household = await session.get(Household, household_id) if household_id else None
    if household is None or not await people.may_see(session, officer, household):
        await audit(
            session,
            f"officer:{officer.id}",
            "household.refused",
            household_id=household.id if household else None,
        )
        return None
    return household


async def household(request: web.Request) -> web.StreamResponse:
    session, officer = _db(request), _officer(request)
    code = request.match_info["code"].strip().upper()
    found_id = await session.scalar(select(Household.id).where(Household.code == code))
    found = await _visible_household(request, found_id)
    if found is None:
        return _page(request, "not_found.html", status=404, code=code)
    await audit(session, f"officer:{officer.id}", "household.view", household_id=found.id)
    today = _today(request)
    page = await pages.household_page(session, found, today=today)
    standing = poverty.standing(
        page.month,
        members=found.members,
        urban=found.urban,
        month=today,
        lines=_settings(request).programme.poverty_lines,
    )
    plan = await _plan_lines(request, found)
    verdict = pages.judged_month(today, _settings(request)) == today.replace(day=1)
    top = max([1, *(max(bar.income, bar.spending) for bar in page.bars)])
    return _page(
        request,
        "household.html",
        page=page,
        h=found,
        standing=standing,
        verdict=verdict,
        plan=plan,
        top=top,
        area=await session.get(Area, found.area_id),
    )


async def _plan_lines(request: web.Request, household: Household) -> list[str]:
    from bot.plans import catalogue as catalogues
    from bot.plans import views
    from bot.plans.plans import progress

    t = request[VISIT].t
    view = await progress(
        _db(request),
        household,
        catalogue=catalogues.default(),
        lines=_settings(request).programme.poverty_lines,
        today=_today(request),
        locale=t.locale,
    )
    return [] if view is None else views.officer_lines(t, view)


async def due(request: web.Request) -> web.StreamResponse:
    session, officer = _db(request), _officer(request)
    visible = await people.visible_household_ids(session, officer)
    items = await pages.due_list(
        session, visible, settings=_settings(request), now=request[VISIT].now, today=_today(request)
    )
    await audit(session, f"officer:{officer.id}", "web.due", count=len(items))
    return _page(
        request,
        "due.html",
        items=items[:DUE_SHOWN],
        more=max(0, len(items) - DUE_SHOWN),
        total=len(items),
        counts=pages.counts(items),
    )


async def alert_action(request: web.Request) -> web.StreamResponse:
    session, officer = _db(request), _officer(request)
    alert = await session.get(Alert, int(request.match_info["id"]))
    found = await _visible_household(request, alert.household_id if alert else None)
    if alert is None or found is None:
        return _page(request, "not_found.html", status=404, code="")
    action = request.match_info["action"]
    if action == "ack":
        alerts.acknowledge(alert, officer.id, request[VISIT].now)
    else:
        alerts.resolve(alert, officer.id, request[VISIT].now)
    await audit(
        session,
        f"officer:{officer.id}",
        f"alert.{action}",
        household_id=found.id,
        alert_id=alert.id,
    )
    return _back(request, "/due")


async def case_list(request: web.Request) -> web.StreamResponse:
    session, officer = _db(request), _officer(request)
    visible = await people.visible_household_ids(session, officer)
    show = request.query.get("show", "waiting")
    query = (
        select(Case, Household)
        .join(Household, Household.id == Case.household_id)
        .where(Case.household_id.in_(visible))
        .order_by(Case.opened_at.desc())
        .limit(200)
    )
    if show == "waiting":
        query = query.where(Case.status.in_(pages.WAITING_CASES))
    elif show == "answered":
        query = query.where(Case.status == "answered")
    found = list((await session.execute(query)).tuples())
    await audit(session, f"officer:{officer.id}", "web.cases", count=len(found))
    return _page(request, "cases.html", found=found, show=show)


async def _case(request: web.Request) -> tuple[Case, Household] | None:
    case = await _db(request).get(Case, int(request.match_info["id"]))
    found = await _visible_household(request, case.household_id if case else None)
    return None if case is None or found is None else (case, found)


async def case_answer(request: web.Request) -> web.StreamResponse:
    found = await _case(request)
    if found is None:
        return _page(request, "not_found.html", status=404, code="")
    case, _household = found
    text = _form(request, "answer").strip()
    if text:
        now: datetime = request[VISIT].now
        await cases.answer(
            _db(request),
            case,
            _officer(request),
            text,
            now,
            key=f"case:{case.id}:answer-web{now.timestamp():.6f}",
        )
    return _back(request, "/cases")


CASE_STEPS = {"take": cases.take, "close": cases.close}


async def case_step(request: web.Request) -> web.StreamResponse:
    """Take a case on or close it (the services the chat uses)."""
    found = await _case(request)
    if found is None:
        return _page(request, "not_found.html", status=404, code="")
    step = CASE_STEPS[request.match_info["step"]]
    await step(_db(request), found[0], _officer(request), request[VISIT].now)
    return _back(request, "/cases")


NOTICE_TARGETS = {"area": "", "poor": "status:poor", "near_poor": "status:near_poor"}


async def _notice_target(request: web.Request, choice: str) -> broadcasts.Target:
    area = await pages.officer_area(_db(request), _officer(request))
    # An officer's notice never leaves the officer's own area (as /thongbao).
    return broadcasts.Target.parse([f"area:{area.code}", NOTICE_TARGETS.get(choice, "")])


async def _sent_notices(request: web.Request) -> list[broadcasts.Progress]:
    session = _db(request)
    found = await session.scalars(
        select(Broadcast)
        .where(Broadcast.author_officer_id == _officer(request).id)
        .order_by(Broadcast.id.desc())
        .limit(10)
    )
    return [await broadcasts.progress(session, item) for item in found]


async def notices(request: web.Request) -> web.StreamResponse:
    return _page(request, "notices.html", sent=await _sent_notices(request), preview=None)


async def notice_post(request: web.Request) -> web.StreamResponse:
    text = _form(request, "text").strip()
    choice = _form(request, "target") or "area"
    session, officer = _db(request), _officer(request)
    target = await _notice_target(request, choice)
    if not text:
        return _page(request, "notices.html", sent=await _sent_notices(request), preview=None)
    if _form(request, "send") != "1":
        found = await broadcasts.audience(session, target)
        return _page(
            request,
            "notices.html",
            sent=await _sent_notices(request),
            preview=found,
            text=text,
            choice=choice,
            at=_form(request, "at"),
        )
    item = await broadcasts.create(
        session, text=text, target=target, now=request[VISIT].now, at=_when(request), author=officer
    )
    await audit(
        session,
        f"officer:{officer.id}",
        "broadcast.create",
        broadcast_id=item.id,
        target=item.target,
    )
    return _redirect("/notices")


def _when(request: web.Request) -> datetime | None:
    """The time a notice is scheduled for (the form's local date and time), or now."""
    try:
        local = datetime.fromisoformat(_form(request, "at"))
    except ValueError:
        return None
    zone = ZoneInfo(_settings(request).programme.timezone)
    at = local.replace(tzinfo=zone).astimezone(UTC)
    return at if at > request[VISIT].now else None


async def meeting_list(request: web.Request) -> web.StreamResponse:
    from bot.services import meetings

    session = _db(request)
    area = await pages.officer_area(session, _officer(request))
    found = await pages.area_meetings(session, area)
    summaries = [(meeting, await meetings.summary(session, meeting)) for meeting in found]
    return _page(request, "meetings.html", summaries=summaries)


async def report(request: web.Request) -> web.StreamResponse:
    from bot.services.rendering.report_book import monthly_workbook  # openpyxl: loaded when needed

    session, officer = _db(request), _officer(request)
    area = await pages.officer_area(session, officer)
    month = _today(request).replace(day=1)
    raw = request.query.get("month", "")
    if len(raw) == 7 and raw[:4].isdigit() and raw[5:].isdigit() and 1 <= int(raw[5:]) <= 12:
        month = date(int(raw[:4]), int(raw[5:]), 1)
    t = request[VISIT].t
    _report, book = await monthly_workbook(
        session,
        area_code=area.code,
        month=month,
        settings=_settings(request),
        now=request[VISIT].now,
        locale=t.locale,
    )
    await audit(
        session, f"officer:{officer.id}", "report.monthly", area=area.code, month=month.isoformat()
    )
    return web.Response(
        body=book,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "Content-Disposition": f'attachment; filename="bao-cao-{area.code}-{month:%Y-%m}.xlsx"'
        },
    )
