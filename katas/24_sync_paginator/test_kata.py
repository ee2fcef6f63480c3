"""GET /news/?page=N pages through the shop's news, five articles a page, newest first,
with the page's metadata, from an async view that never blocks the event loop."""

import datetime
import math

from .models import Article

PER_PAGE = 5
# Real titles hold quotes, ampersands, angle brackets and accents.
FLOURISHES = ["", "", " & Sons", ' "Redux"', " <Vol. 2>", " — Ærø", "'s Tale", " (Édition)"]


async def publish_news(fake, rng):
    """Between 11 and 23 articles (three to five pages); returns them newest first.

    Articles come two or three to a day, so every page has some published on the same day,
    whose order (by title) is put to the test."""
    count = rng.randint(11, 23)
    days = sorted(rng.sample(range(300), count // 2), reverse=True)
    first_day = datetime.date(2025, 1, 1)
    articles = [
        Article(
            title=fake.title() + rng.choice(FLOURISHES),
            published=first_day + datetime.timedelta(days[min(n // 2, len(days) - 1)]),
        )
        for n in range(count)
    ]
    articles.sort(key=lambda article: (-article.published.toordinal(), article.title))
    # Saved in a random order: neither the table's own order nor the order of posting (or
    # its reverse) is the order the page must show.
    for article in rng.sample(articles, len(articles)):
        await article.asave()
    return articles


def expected_page(articles, number):
    pages = math.ceil(len(articles) / PER_PAGE)
    shown = articles[(number - 1) * PER_PAGE : number * PER_PAGE]
    return {
        "page": number,
        "pages": pages,
        "count": len(articles),
        "has_next": number < pages,
        "has_previous": number > 1,
        "articles": [
            {"title": article.title, "published": article.published.isoformat()}
            for article in shown
        ],
    }


async def test_the_first_page_shows_the_newest_articles(app, database, fake, rng):
    articles = await publish_news(fake, rng)
    response = await app.get("/news/")
    response.assert_json(
        expected_page(articles, 1), f"page 1 of {len(articles)} articles: the 5 newest"
    )


async def test_a_page_in_the_middle(app, database, fake, rng):
    articles = await publish_news(fake, rng)
    page = rng.randint(2, math.ceil(len(articles) / PER_PAGE) - 1)
    first = (page - 1) * PER_PAGE + 1
    response = await app.get(f"/news/?page={page}")
    response.assert_json(
        expected_page(articles, page), f"page {page}: articles {first} to {first + 4}"
    )


async def test_the_last_page_has_the_rest_and_no_next(app, database, fake, rng):
    articles = await publish_news(fake, rng)
    # The full pages before the last article: at least one article always lies past them.
    whole = (len(articles) - 1) // PER_PAGE * PER_PAGE
    # The oldest articles are taken down: first all but one or two past the full pages (a
    # short last page), then all past them (a full last page).
    for keep in (whole + rng.randint(1, 2), whole):
        for article in articles[keep:]:
            await article.adelete()
        del articles[keep:]
        last = math.ceil(len(articles) / PER_PAGE)
        shown = len(articles) - (last - 1) * PER_PAGE
        response = await app.get(f"/news/?page={last}")
        response.assert_json(
            expected_page(articles, last),
            f"page {last} of {len(articles)} articles, the last: the {shown} oldest",
        )
    # The page right after a full last page would start just past the oldest article.
    response = await app.get(f"/news/?page={last + 1}")
    response.assert_status(
        404, f"Not Found: {len(articles)} articles fill {last} pages exactly, so no page {last + 1}"
    )


async def test_news_posted_since_comes_first(app, database, fake, rng):
    articles = await publish_news(fake, rng)
    last = math.ceil(len(articles) / PER_PAGE)
    for page in (1, last):
        (await app.get(f"/news/?page={page}")).assert_status(200, f"page {page}, before the news")
    # Fresh news, posted after the pages were first shown, moves every article along.
    fresh = [
        await Article.objects.acreate(title=fake.title(), published=datetime.date(2026, 1, day))
        for day in rng.sample(range(1, 29), PER_PAGE + 1)
    ]
    articles = sorted(fresh, key=lambda article: article.published, reverse=True) + articles
    for page in (1, math.ceil(len(articles) / PER_PAGE)):
        response = await app.get(f"/news/?page={page}")
        response.assert_json(
            expected_page(articles, page),
            f"page {page} of {len(articles)} articles, with the {len(fresh)} posted since",
        )


async def test_a_page_past_the_end_is_404(app, database, fake, rng):
    articles = await publish_news(fake, rng)
    past = math.ceil(len(articles) / PER_PAGE) + rng.randint(1, 5)
    response = await app.get(f"/news/?page={past}")
    response.assert_status(404, f"Not Found: {len(articles)} articles make no page {past}")


async def test_a_page_number_that_is_no_page_is_404(app, database, fake, rng):
    await publish_news(fake, rng)
    for page in ("0", "-1", "1.5", "two", rng.choice(["last", "1e3", "0x2", "½"])):
        response = await app.get(f"/news/?page={page}")
        response.assert_status(404, f"Not Found: there is no page {page!r}")


async def test_news_without_articles_is_one_empty_page(app, database):
    response = await app.get("/news/")
    response.assert_json(
        {
            "page": 1,
            "pages": 1,
            "count": 0,
            "has_next": False,
            "has_previous": False,
            "articles": [],
        },
        "page 1 of 1, empty: no news yet",
    )
    response = await app.get("/news/?page=2")
    response.assert_status(404, "Not Found: no news makes no page 2")


async def test_queries_do_not_block_the_event_loop(app, database, fake, rng):
    await publish_news(fake, rng)
    await app.get("/news/?page=2")
    database.assert_no_query_on_loop()


def test_the_view_is_async(assert_async_view):
    assert_async_view("/news/")
