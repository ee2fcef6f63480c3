"""GET /news/?page=N pages through the shop's news, five articles a page, newest first,
with the page's metadata, from an async view that never blocks the event loop."""

import datetime
import math

from .models import Article

PER_PAGE = 5


async def publish_news(fake, rng):
    """Between 11 and 23 articles (three to five pages); returns them newest first."""
    first_day = datetime.date(2025, 1, 1)
    articles = [
        Article(title=fake.title(), published=first_day + datetime.timedelta(rng.randint(0, 300)))
        for _ in range(rng.randint(11, 23))
    ]
    articles.sort(key=lambda article: (-article.published.toordinal(), article.title))
    # Saved oldest first: the table's own order is never the order the page must show.
    for article in reversed(articles):
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
    response = await app.get("/news/?page=2")
    response.assert_json(expected_page(articles, 2), "page 2: articles 6 to 10")


async def test_the_last_page_has_the_rest_and_no_next(app, database, fake, rng):
    articles = await publish_news(fake, rng)
    last = math.ceil(len(articles) / PER_PAGE)
    response = await app.get(f"/news/?page={last}")
    response.assert_json(
        expected_page(articles, last), f"page {last}, the last: the oldest articles"
    )


async def test_a_page_past_the_end_is_404(app, database, fake, rng):
    articles = await publish_news(fake, rng)
    past = math.ceil(len(articles) / PER_PAGE) + rng.randint(1, 5)
    response = await app.get(f"/news/?page={past}")
    response.assert_status(404, f"Not Found: {len(articles)} articles make no page {past}")


async def test_queries_do_not_block_the_event_loop(app, database, fake, rng):
    await publish_news(fake, rng)
    await app.get("/news/?page=2")
    database.assert_no_query_on_loop()


def test_the_view_is_async(assert_async_view):
    assert_async_view("/news/")
