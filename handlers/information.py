"""Information households can trust: /thongtin by topic, and free questions answered
from the articles under content/ (with or without diacritics).  An article is answered
by its two or three answer lines first; the whole of it is behind "Xem thêm"."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.contract import Button, buttons_in_rows
from bot.core.router import Router
from bot.language.talk import talk
from bot.services.content.display import render, render_answer
from bot.services.content.library import ContentLibrary
from bot.services.content.search import SearchHit
from handlers.common import more_button

# Parts of an article are split again at each channel's own limit by the outbox.
ARTICLE_PART = 4000


def register(router: Router) -> None:
    router.command(menu, "thongtin", "info")
    router.phrase(menu, "thông tin", "thong tin huu ich")
    router.button(topic, "info:topic:")
    router.button(read, "info:read:")
    router.button(read_all, "info:all:")


def _library(ctx: Context) -> ContentLibrary:
    library: ContentLibrary = ctx.services.content
    return library


async def menu(ctx: Context) -> None:
    topics = _library(ctx).topics(ctx.t.locale)
    ctx.reply(
        ctx._("Anh/chị muốn xem thông tin gì?"),
        tuple((Button(t.label, f"info:topic:{t.code}"),) for t in topics),
    )


async def topic(ctx: Context) -> None:
    code = (ctx.incoming.payload or "").removeprefix("info:topic:")
    articles = _library(ctx).articles(code, ctx.t.locale)
    if not articles:
        ctx.reply(ctx._("Chủ đề này chưa có bài. Gõ /thongtin để chọn chủ đề khác."))
        return
    ctx.reply(
        ctx._("Chọn bài muốn đọc:"),
        tuple((Button(a.title, f"info:read:{a.slug}"),) for a in articles),
    )


async def read(ctx: Context) -> None:
    slug = (ctx.incoming.payload or "").removeprefix("info:read:")
    article = _library(ctx).get(slug, ctx.t.locale)
    if article is None:
        ctx.reply(ctx._("Bài này không còn nữa. Gõ /thongtin để xem các bài khác."))
        return
    _send_answer(ctx, article.slug)


async def read_all(ctx: Context) -> None:
    slug = (ctx.incoming.payload or "").removeprefix("info:all:")
    article = _library(ctx).get(slug, ctx.t.locale)
    if article is None:
        ctx.reply(ctx._("Bài này không còn nữa. Gõ /thongtin để xem các bài khác."))
        return
    for part in render(article, ARTICLE_PART):
        ctx.reply(part)
    ctx.reply(ctx._("Cần cán bộ giúp thêm? Gõ /giupdo."))


def _send_answer(ctx: Context, slug: str) -> None:
    """The answer lines, the whole article one press away."""
    article = _library(ctx).get(slug, ctx.t.locale)
    assert article is not None
    ctx.reply(render_answer(article), ((more_button(ctx, f"info:all:{slug}"),),))


async def answer_question(ctx: Context) -> bool:
    """A free question: the article when one clearly fits, the nearest ones when unsure.
    A message that asks nothing (no question mark or word) is answered only by an
    article its words clearly name: "cảm ơn nhiều nha" is not a question."""
    if ctx.incoming.kind != "text" or len(ctx.incoming.text) > 500:
        return False
    hits: list[SearchHit] = _library(ctx).search(ctx.incoming.text, ctx.t.locale)
    if not hits or not (hits[0].confident or talk().is_question(ctx.incoming.text)):
        return False
    if hits[0].confident:
        _send_answer(ctx, hits[0].article.slug)
        return True
    ctx.reply(
        ctx._("Có phải anh/chị muốn hỏi một trong các bài này?"),
        buttons_in_rows([Button(h.article.title, f"info:read:{h.article.slug}") for h in hits], 1),
    )
    return True
