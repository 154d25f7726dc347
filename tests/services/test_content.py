"""The information content and the service that loads, checks, searches and renders it."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.language.folding import fold
from bot.services.content.articles import LANGUAGES, TOPICS, Article, Problem
from bot.services.content.checks import check, overdue
from bot.services.content.display import render
from bot.services.content.library import ContentLibrary
from bot.textutil import READING_LINES, shown_lines

CONTENT = Path(__file__).resolve().parents[2] / "content"
SENTENCE_END = tuple(".!?…:;")


@pytest.fixture(scope="module")
def library() -> ContentLibrary:
    return ContentLibrary(CONTENT)


def write_article(
    root: Path,
    language: str,
    slug: str,
    *,
    title: str = "Trợ giúp pháp lý",
    topic: str = "legal_aid",
    valid_from: str = "2026-01-01",
    review_by: str = "2026-06-30",
    keywords: str = "trợ giúp pháp lý, luật sư miễn phí",
    body: str = "Gọi 1800 1233. Hỏi cán bộ tư pháp của xã.",
    answer: str | None = "Hộ nghèo được giúp miễn phí. | Gọi 1800 1233.",
) -> Path:
    path = root / language / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "---\n"
        f"title: {title}\n"
        f"topic: {topic}\n"
        f"language: {language}\n"
        f"valid_from: {valid_from}\n"
        f"review_by: {review_by}\n"
        "source: Luật Trợ giúp pháp lý số 11/2017/QH14 | Bộ Tư pháp\n"
        "reviewed_by: Cán bộ Sở Tư pháp\n"
        f"keywords: {keywords}\n"
        + (f"answer: {answer}\n" if answer is not None else "")
        + "---\n\n"
        f"{body}\n",
        encoding="utf-8",
    )
    return path


# ------------------------------------------------------------------- the real content


def test_the_real_content_has_no_problem() -> None:
    problems = check(CONTENT)
    assert problems == [], "\n".join(map(str, problems))


def test_every_article_exists_in_both_languages_under_every_topic(
    library: ContentLibrary,
) -> None:
    articles = library.all_articles()
    slugs = {article.slug for article in articles}
    assert 10 <= len(slugs) <= 12
    assert len(articles) == len(slugs) * len(LANGUAGES)
    for language in LANGUAGES:
        assert [topic.code for topic in library.topics(language)] == list(TOPICS)
        for topic in TOPICS:
            found = library.articles(topic, language)
            assert len(found) >= 2
            assert {article.language for article in found} == {language}


def test_topic_labels_follow_the_reader_language(library: ContentLibrary) -> None:
    labels = {topic.code: topic.label for topic in library.topics("vi")}
    assert labels["legal_aid"] == "Trợ giúp pháp lý miễn phí"
    assert {topic.label for topic in library.topics("en")} >= {"Working abroad"}


def test_vietnamese_articles_are_short_enough_to_read_in_a_chat(
    library: ContentLibrary,
) -> None:
    for article in library.all_articles():
        if article.language == "vi":
            assert 150 <= len(article.body.split()) <= 500, article.slug


def test_every_article_ends_with_who_to_ask_and_is_dated_and_sourced(
    library: ContentLibrary,
) -> None:
    lead = {"vi": "Hỏi ai?", "en": "Who to ask?"}
    for article in library.all_articles():
        last_paragraph = article.body.split("\n\n")[-1]
        assert last_paragraph.startswith(lead[article.language]), article.path
        assert "xã" in last_paragraph or "commune" in last_paragraph, article.path
        assert article.source and article.keywords and article.reviewed_by
        assert article.valid_from < article.review_by
        assert article.local_check, f"{article.path}: say what an officer must confirm"


def test_the_national_legal_aid_hotline_is_given(library: ContentLibrary) -> None:
    for language in LANGUAGES:
        article = library.get("tro-giup-phap-ly-mien-phi", language)
        assert article is not None
        assert "1800 1233" in article.body


# ----------------------------------------------------------------------------- search

VI_QUESTIONS = [
    ("đi Hàn Quốc tốn bao nhiêu", "di-han-quoc-eps"),
    ("di han quoc ton bao nhieu", "di-han-quoc-eps"),
    ("thi tiếng Hàn ở đâu", "di-han-quoc-eps"),
    ("EPS là gì", "di-han-quoc-eps"),
    ("muốn đi Nhật làm thực tập sinh", "di-nhat-ban"),
    ("di nhat ban can gi", "di-nhat-ban"),
    ("đi Đài Loan có tốn nhiều không", "di-dai-loan"),
    ("di dai loan", "di-dai-loan"),
    ("xin vay đi xuất khẩu lao động", "vay-von-di-lam-viec-nuoc-ngoai"),
    ("vay von di xkld", "vay-von-di-lam-viec-nuoc-ngoai"),
    ("tiền môi giới tối đa bao nhiêu", "lam-viec-nuoc-ngoai-dung-luat"),
    ("XKLĐ", "lam-viec-nuoc-ngoai-dung-luat"),
    ("có người rủ đi Campuchia việc nhẹ lương cao", "canh-bao-lua-dao-viec-lam-nuoc-ngoai"),
    ("cò đòi đặt cọc đi visa du lịch", "canh-bao-lua-dao-viec-lam-nuoc-ngoai"),
    (
        "kiem tra cong ty xuat khau lao dong co giay phep khong",
        "canh-bao-lua-dao-viec-lam-nuoc-ngoai",
    ),
    ("con tôi bị tai nạn lao động bên Hàn phải về nước", "quy-ho-tro-viec-lam-ngoai-nuoc"),
    ("quy ho tro viec lam ngoai nuoc", "quy-ho-tro-viec-lam-ngoai-nuoc"),
    ("tro giup phap ly", "tro-giup-phap-ly-mien-phi"),
    ("luật sư miễn phí cho hộ nghèo", "tro-giup-phap-ly-mien-phi"),
    ("số tổng đài pháp lý", "tro-giup-phap-ly-mien-phi"),
    ("hộ cận nghèo có được trợ giúp pháp lý không", "tro-giup-phap-ly-mien-phi"),
    ("1800 1233", "tro-giup-phap-ly-mien-phi"),
    ("bị quỵt lương thì sao", "vu-viec-thuong-gap"),
    ("bi quyt luong", "vu-viec-thuong-gap"),
    ("hàng xóm lấn đất", "vu-viec-thuong-gap"),
    ("chồng đánh vợ thì báo ai", "vu-viec-thuong-gap"),
    ("vay nặng lãi bị đòi nợ", "vu-viec-thuong-gap"),
    ("bị lừa chuyển tiền qua mạng", "vu-viec-thuong-gap"),
    ("bảo hiểm y tế hộ nghèo", "bao-hiem-y-te-ho-ngheo"),
    ("bao hiem y te can ngheo", "bao-hiem-y-te-ho-ngheo"),
    ("mất thẻ BHYT", "bao-hiem-y-te-ho-ngheo"),
    ("đi bệnh viện có phải trả tiền không", "bao-hiem-y-te-ho-ngheo"),
    ("học phí cho con", "hoc-phi-ho-tro-hoc-tap"),
    ("hoc phi cho con", "hoc-phi-ho-tro-hoc-tap"),
    ("con đi học có được miễn tiền học không", "hoc-phi-ho-tro-hoc-tap"),
    ("hỗ trợ làm nhà cho hộ nghèo", "nha-o-nuoc-sach-tien-dien"),
    ("vay làm nhà vệ sinh", "nha-o-nuoc-sach-tien-dien"),
    ("ho tro tien dien", "nha-o-nuoc-sach-tien-dien"),
    ("nhà dột muốn sửa", "nha-o-nuoc-sach-tien-dien"),
]

EN_QUESTIONS = [
    ("how much does it cost to go to Korea", "di-han-quoc-eps"),
    ("free lawyer", "tro-giup-phap-ly-mien-phi"),
    ("my employer will not pay my wages", "vu-viec-thuong-gap"),
    ("health insurance for poor households", "bao-hiem-y-te-ho-ngheo"),
    ("school fees", "hoc-phi-ho-tro-hoc-tap"),
    ("loan to work abroad", "vay-von-di-lam-viec-nuoc-ngoai"),
    ("electricity bill", "nha-o-nuoc-sach-tien-dien"),
]

# Right article first, but two articles answer nearly as well: the bot offers both.
CLOSE_CALLS = [
    ("không có tiền đi nước ngoài làm thì vay ở đâu", "vay-von-di-lam-viec-nuoc-ngoai"),
    (
        "công ty xuất khẩu lao động thu phí dịch vụ bao nhiêu là đúng",
        "lam-viec-nuoc-ngoai-dung-luat",
    ),
]

NOT_A_QUESTION_FOR_US = [
    "giá heo hôm nay bao nhiêu",
    "mai trời mưa không",
    "cảm ơn nhiều",
    "tiền",
    "hỗ trợ",
    "hộ nghèo",
    "ký quỹ",
    "bán 2 con heo 6 triệu",
    "bán lúa 1 500 000 đồng",
    "con gửi về 3 triệu",
    "3 triệu",
]


@pytest.mark.parametrize(("question", "slug"), VI_QUESTIONS)
def test_vietnamese_questions_find_their_article(
    library: ContentLibrary, question: str, slug: str
) -> None:
    hits = library.search(question, "vi")
    assert [hit.article.slug for hit in hits][:1] == [slug]
    assert hits[0].confident, [(hit.article.slug, hit.score) for hit in hits]


@pytest.mark.parametrize(("question", "slug"), EN_QUESTIONS)
def test_english_questions_find_their_article(
    library: ContentLibrary, question: str, slug: str
) -> None:
    hits = library.search(question, "en")
    assert hits[0].article.slug == slug
    assert hits[0].article.language == "en"
    assert hits[0].confident


@pytest.mark.parametrize(("question", "slug"), CLOSE_CALLS)
def test_close_calls_rank_the_right_article_first_without_claiming_certainty(
    library: ContentLibrary, question: str, slug: str
) -> None:
    hits = library.search(question, "vi")
    assert hits[0].article.slug == slug
    assert not any(hit.confident for hit in hits)


@pytest.mark.parametrize("text", NOT_A_QUESTION_FOR_US)
def test_vague_or_unrelated_text_is_never_answered_with_confidence(
    library: ContentLibrary, text: str
) -> None:
    assert not any(hit.confident for hit in library.search(text, "vi"))


def test_search_ignores_diacritics_and_case(library: ContentLibrary) -> None:
    with_marks = library.search("Bị QUỴT lương thì sao", "vi")
    without = library.search(fold("Bị QUỴT lương thì sao"), "vi")
    assert [(h.article.slug, h.score) for h in with_marks] == [
        (h.article.slug, h.score) for h in without
    ]


def test_search_respects_the_limit_and_orders_by_score(library: ContentLibrary) -> None:
    hits = library.search("hỗ trợ hộ nghèo vay vốn", "vi", limit=5)
    assert len(hits) == 5
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    assert sum(hit.confident for hit in hits) <= 1
    assert library.search("", "vi") == []
    assert library.search("?!", "vi") == []


def test_an_unknown_language_is_a_programming_error(library: ContentLibrary) -> None:
    with pytest.raises(ValueError, match="unknown language"):
        library.search("học phí", "fr")


# ------------------------------------------------------------------------- get, list


def test_get_falls_back_to_vietnamese_when_the_translation_is_missing(tmp_path: Path) -> None:
    write_article(tmp_path, "vi", "chi-co-tieng-viet")
    write_article(tmp_path, "vi", "co-ca-hai", title="Bản tiếng Việt")
    write_article(tmp_path, "en", "co-ca-hai", title="English version")
    library = ContentLibrary(tmp_path)

    fallback = library.get("chi-co-tieng-viet", "en")
    assert fallback is not None and fallback.language == "vi"
    translated = library.get("co-ca-hai", "en")
    assert translated is not None and translated.title == "English version"
    assert library.get("khong-co", "vi") is None
    assert [a.slug for a in library.articles("legal_aid", "en")] == [
        "co-ca-hai",
        "chi-co-tieng-viet",
    ]
    assert library.articles("overseas_work", "en") == []
    assert [topic.code for topic in library.topics("en")] == ["legal_aid"]


def test_a_missing_content_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        ContentLibrary(tmp_path / "nowhere")
    assert check(tmp_path / "nowhere") == [
        Problem(tmp_path / "nowhere", 0, "content folder not found")
    ]


# ---------------------------------------------------------------------------- render


def _sentence_safe(part: str, whole: str) -> bool:
    """A part ends a sentence, or ends where the text has a line break."""
    return part.endswith(SENTENCE_END) or f"{part}\n" in whole


@pytest.mark.parametrize("limit", [4096, 2000, 700, 300])
def test_render_splits_at_sentences_and_keeps_every_word(
    library: ContentLibrary, limit: int
) -> None:
    for article in library.all_articles():
        (whole,) = render(article, 100_000, lines=1000)
        parts = render(article, limit)
        assert all(len(part) <= limit for part in parts)
        assert " ".join(parts).split() == whole.split()
        assert all(_sentence_safe(part, whole) for part in parts[:-1]), article.path
        assert parts[0].startswith(article.title)


def test_a_long_article_takes_several_messages_at_2000_characters(
    library: ContentLibrary,
) -> None:
    article = library.get("di-han-quoc-eps", "vi")
    assert article is not None
    assert len(render(article, 2000)) >= 2
    # Each message within the style guide's eight lines, so none scrolls its top away.
    assert all(shown_lines(part) <= READING_LINES for part in render(article, 4096))


def test_render_ends_with_sources_and_date_in_the_reader_language(
    library: ContentLibrary,
) -> None:
    vi = library.get("tro-giup-phap-ly-mien-phi", "vi")
    en = library.get("tro-giup-phap-ly-mien-phi", "en")
    assert vi is not None and en is not None
    assert re.search(
        r"Nguồn: Luật Trợ giúp pháp lý số 11/2017/QH14.*· Cập nhật: 29/11/2026$",
        render(vi, 4096)[-1],
    )
    assert render(en, 4096)[-1].endswith("· Updated: 29/11/2026")


def test_render_writes_links_and_lists_as_plain_chat_text(tmp_path: Path) -> None:
    body = (
        "Xem danh sách:\n"
        "- Trang [dolab.gov.vn](https://dolab.gov.vn).\n"
        "- Trang [của Bộ](https://moj.gov.vn/tgpl)."
    )
    write_article(tmp_path, "vi", "lien-ket", body=body)
    article = ContentLibrary(tmp_path).get("lien-ket", "vi")
    assert article is not None
    text = "\n".join(render(article, 4096))
    assert "• Trang dolab.gov.vn." in text
    assert "• Trang của Bộ (https://moj.gov.vn/tgpl)." in text
    assert "](" not in text


@settings(max_examples=60, deadline=None)
@given(index=st.integers(min_value=0), limit=st.integers(min_value=80, max_value=5000))
def test_render_never_exceeds_any_limit(index: int, limit: int) -> None:
    articles = ContentLibrary(CONTENT).all_articles()
    article = articles[index % len(articles)]
    parts = render(article, limit)
    assert all(0 < len(part) <= limit for part in parts)
    assert " ".join(parts).split() == render(article, 100_000, lines=1000)[0].split()


# ----------------------------------------------------------------------------- check


def problems_by_file(root: Path) -> dict[str, list[tuple[int, str]]]:
    found: dict[str, list[tuple[int, str]]] = {}
    for problem in check(root):
        name = f"{problem.path.parent.name}/{problem.path.name}"
        found.setdefault(name, []).append((problem.line, problem.message))
    return found


def test_check_names_the_file_and_line_of_each_mistake(tmp_path: Path) -> None:
    write_article(tmp_path, "vi", "tot")
    write_article(tmp_path, "en", "tot")
    vi = tmp_path / "vi"
    (vi / "khong-front-matter.md").write_text("Chỉ có nội dung.\n", encoding="utf-8")
    (vi / "chua-dong.md").write_text("---\ntitle: Thiếu dòng đóng\n", encoding="utf-8")
    sai = write_article(tmp_path, "vi", "nhieu-loi", topic="health", review_by="2025-12-31")
    sai.write_text(
        sai.read_text(encoding="utf-8")
        .replace("reviewed_by:", "titel: Sai tên khóa\nreviewed_by:")
        .replace("source: ", "ghi chú không có dấu hai chấm\nsource: ")
        .replace("Gọi 1800 1233.", "Xem [trang này](www.example.com) và [đây](https://ok.vn)."),
        encoding="utf-8",
    )
    write_article(tmp_path, "vi", "ngay-sai", valid_from="29/11/2026", review_by="2026-13-01")
    write_article(tmp_path, "vi", "sai-ngon-ngu").write_text(
        (vi / "tot.md").read_text(encoding="utf-8").replace("language: vi", "language: en"),
        encoding="utf-8",
    )
    thieu = write_article(tmp_path, "vi", "thieu-nguon", body="")
    thieu.write_text(
        "\n".join(
            line
            for line in thieu.read_text(encoding="utf-8").splitlines()
            if not line.startswith("source:")
        )
        + "\n",
        encoding="utf-8",
    )
    write_article(tmp_path, "vi", "Ten Sai")
    write_article(tmp_path, "en", "mo-coi")

    found = problems_by_file(tmp_path)

    assert "vi/tot.md" not in found and "en/tot.md" not in found
    assert found["vi/khong-front-matter.md"] == [
        (1, "front matter missing: the file must start with a line '---'")
    ]
    assert found["vi/chua-dong.md"] == [
        (1, "front matter not closed: add a line '---' after the last key")
    ]
    assert found["vi/nhieu-loi.md"] == [
        (3, "topic 'health' is not one of: overseas_work, legal_aid, social_services"),
        (6, "review_by is earlier than valid_from"),
        (7, "expected 'key: value', got 'ghi chú không có dấu hai chấm'"),
        (9, "unknown key 'titel' (did you mean 'title'?)"),
        (15, "link '[trang này](www.example.com)': the address must be http(s)://…"),
    ]
    assert found["vi/ngay-sai.md"] == [
        (5, "valid_from '29/11/2026' is not a date written YYYY-MM-DD"),
        (6, "review_by '2026-13-01' is not a date written YYYY-MM-DD"),
    ]
    assert found["vi/sai-ngon-ngu.md"] == [(4, "language 'en' does not match the folder 'vi'")]
    assert found["vi/thieu-nguon.md"] == [
        (1, "required key 'source' missing from the front matter"),
        (10, "the article has no text after the front matter"),
    ]
    assert (0, "file name 'Ten Sai.md': use lower-case letters, digits and '-' only") in found[
        "vi/Ten Sai.md"
    ]
    assert found["en/mo-coi.md"] == [(0, "no vi original vi/mo-coi.md")]
    for slug in ("ngay-sai", "nhieu-loi", "sai-ngon-ngu", "thieu-nguon"):
        assert (0, f"translation of vi/{slug}.md missing") in found[f"en/{slug}.md"]


def test_check_reports_duplicate_and_empty_keys_and_stray_folders(tmp_path: Path) -> None:
    path = write_article(tmp_path, "vi", "lap-khoa")
    write_article(tmp_path, "en", "lap-khoa")
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "topic: legal_aid\n", "topic: legal_aid\ntopic: social_services\nreviewed_by:\n"
        ),
        encoding="utf-8",
    )
    write_article(tmp_path, "fr", "bonjour")

    problems = check(tmp_path)

    assert Problem(path, 4, "key 'topic' given twice (first on line 3)") in problems
    assert Problem(path, 5, "key 'reviewed_by' has no value") in problems
    assert Problem(tmp_path / "fr", 0, "folder 'fr' is not a language: ('vi', 'en')") in problems
    assert str(Problem(path, 4, "x")) == f"{path}:4: x"
    assert str(Problem(path, 0, "x")) == f"{path}: x"


def test_quoted_values_are_accepted_and_editor_files_ignored(tmp_path: Path) -> None:
    write_article(tmp_path, "vi", "ngoac", title='"Đi Hàn: hỏi đáp"')
    write_article(tmp_path, "en", "ngoac")
    (tmp_path / "vi" / ".#ngoac.md").write_text("lock file of an editor", encoding="utf-8")
    (tmp_path / "README.md").write_text("Hướng dẫn cho cán bộ.", encoding="utf-8")

    assert check(tmp_path) == []
    article = ContentLibrary(tmp_path).get("ngoac", "vi")
    assert article is not None and article.title == "Đi Hàn: hỏi đáp"


def test_the_library_leaves_out_a_broken_file_but_serves_the_rest(tmp_path: Path) -> None:
    write_article(tmp_path, "vi", "tot")
    write_article(tmp_path, "vi", "hong", topic="health")
    library = ContentLibrary(tmp_path)
    assert library.get("hong", "vi") is None
    assert [article.slug for article in library.all_articles()] == ["tot"]


# -------------------------------------------------------------------------- reloading


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def touch_later(path: Path, seconds: int = 5) -> None:
    """Move the file's modification time forward, as an editor's save would."""
    stat = path.stat()
    later = stat.st_mtime_ns + seconds * 1_000_000_000
    os.utime(path, ns=(later, later))


def test_an_edited_file_is_served_without_a_restart(tmp_path: Path) -> None:
    path = write_article(tmp_path, "vi", "sua", title="Tiêu đề cũ")
    clock = FakeClock()
    library = ContentLibrary(tmp_path, refresh_interval=2.0, clock=clock)
    assert library.search("nghêu sò ốc hến", "vi") == []

    path.write_text(
        path.read_text(encoding="utf-8")
        .replace("Tiêu đề cũ", "Tiêu đề mới")
        .replace("keywords: ", "keywords: nghêu sò ốc hến, "),
        encoding="utf-8",
    )
    touch_later(path)
    clock.now += 1.0  # within the interval: files are not looked at yet
    old = library.get("sua", "vi")
    assert old is not None and old.title == "Tiêu đề cũ"

    clock.now += 1.0
    new = library.get("sua", "vi")
    assert new is not None and new.title == "Tiêu đề mới"
    assert library.search("ngheu so oc hen", "vi")[0].article.slug == "sua"


def test_new_deleted_and_broken_files_are_noticed(tmp_path: Path) -> None:
    kept = write_article(tmp_path, "vi", "giu", title="Bản tốt")
    gone = write_article(tmp_path, "vi", "xoa")
    clock = FakeClock()
    library = ContentLibrary(tmp_path, refresh_interval=2.0, clock=clock)

    write_article(tmp_path, "vi", "moi")
    gone.unlink()
    kept.write_text(
        kept.read_text(encoding="utf-8").replace("Bản tốt", "Bản hỏng").replace("---\n", "", 1),
        encoding="utf-8",
    )
    touch_later(kept)
    clock.now += 2.0

    assert library.get("moi", "vi") is not None
    assert library.get("xoa", "vi") is None
    survivor = library.get("giu", "vi")
    assert survivor is not None and survivor.title == "Bản tốt"  # the last good version


def test_files_are_not_looked_at_on_every_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_article(tmp_path, "vi", "mot")
    clock = FakeClock()
    library = ContentLibrary(tmp_path, refresh_interval=2.0, clock=clock)
    scans = 0
    real_rescan = library._rescan

    def counting_rescan() -> None:
        nonlocal scans
        scans += 1
        real_rescan()

    monkeypatch.setattr(library, "_rescan", counting_rescan)
    for _ in range(50):
        library.search("trợ giúp pháp lý", "vi")
    assert scans == 0
    clock.now += 2.0
    library.search("trợ giúp pháp lý", "vi")
    library.get("mot", "vi")
    assert scans == 1


# --------------------------------------------------------------------------- overdue


def test_overdue_lists_articles_past_their_review_date(tmp_path: Path) -> None:
    write_article(tmp_path, "vi", "cu", review_by="2026-03-31")
    write_article(tmp_path, "en", "cu", review_by="2026-02-28")
    write_article(tmp_path, "vi", "moi", review_by="2026-12-31")

    late = overdue(tmp_path, date(2026, 4, 1))

    assert [(a.language, a.slug) for a in late] == [("en", "cu"), ("vi", "cu")]
    assert overdue(tmp_path, date(2026, 3, 31)) == [late[0]]  # due today is not late
    assert overdue(ContentLibrary(tmp_path), date(2027, 1, 1))[-1].slug == "moi"


def test_the_real_content_is_current_today_and_due_for_review_by_mid_2027(
    library: ContentLibrary,
) -> None:
    assert overdue(library, date(2026, 11, 29)) == []
    everything: list[Article] = library.all_articles()
    assert sorted(overdue(CONTENT, date(2027, 6, 1)), key=lambda a: a.path) == sorted(
        everything, key=lambda a: a.path
    )
