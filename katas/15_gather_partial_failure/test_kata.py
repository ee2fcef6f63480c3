"""The dashboard: every widget that loads is shown, a broken one is named unavailable, and no
widget's call is left running behind the answer."""

import pytest

WIDGETS = {
    "weather": "http://weather.example/today",
    "news": "http://news.example/headlines",
    "portfolio": "http://stocks.example/portfolio",
}
USERS = ["ana", "bo", "chen", "dara", "emil", "farah"]
HEADLINES = ["Rates hold steady", "Rail strike ends", "New bridge opens", "Heatwave ahead"]
# How a widget's service can fail: an error status, or no connection at all.
FAILURES = {
    "status_503": lambda service: service.fails(503),
    "unreachable": lambda service: service.raises(),
}


@pytest.fixture
def user(rng):
    return rng.choice(USERS)


@pytest.fixture
def widget_data(rng):
    """What each widget's service answers; new values on every run."""
    return {
        "weather": {"temp_c": rng.randint(-10, 35), "sky": rng.choice(["sun", "rain", "snow"])},
        "news": {"headlines": rng.sample(HEADLINES, k=2)},
        "portfolio": {"value_eur": rng.randint(1_000, 90_000), "change_pct": rng.randint(-9, 9)},
    }


@pytest.fixture
def services(upstream, widget_data):
    """The service behind each widget, 0.2 s per answer."""
    return {
        name: upstream.get(url, json=widget_data[name], latency=0.2)
        for name, url in WIDGETS.items()
    }


async def test_the_dashboard_shows_every_widget(app, services, widget_data, user):
    response = await app.get(f"/dashboard/?user={user}")
    response.assert_json(
        {"widgets": widget_data, "unavailable": []}, "every widget's data, none unavailable"
    )


@pytest.mark.parametrize("failure", FAILURES)
async def test_one_broken_widget_leaves_the_rest_of_the_page(
    app, services, widget_data, user, rng, failure
):
    broken = rng.choice(sorted(WIDGETS))
    FAILURES[failure](services[broken])
    response = await app.get(f"/dashboard/?user={user}")
    response.assert_json(
        {"widgets": {**widget_data, broken: None}, "unavailable": [broken]},
        f"the other widgets' data, with {broken} null and named unavailable",
    )


async def test_no_widget_call_is_left_running_when_the_page_answers(
    app, upstream, services, user, rng
):
    broken = rng.choice(sorted(WIDGETS))
    # The broken service fails fast; the others are slow today, so none of their calls can
    # have finished by the time an abandoned page has answered.
    for service in services.values():
        service.latency = 1.0
    services[broken].fails(503).latency = 0.02
    response = await app.get(f"/dashboard/?user={user}")
    running = [
        name
        for name, service in services.items()
        if any(not call.finished for call in service.calls)
    ]
    if running:
        pytest.fail(
            f"GET /dashboard/?user={user} answered {response.outcome()} after "
            f"{response.elapsed:.2f} s, while the calls for {' and '.join(running)} were still "
            "running: nothing waited for them, and nothing cancelled them.\n"
            "Expected every widget's call to be finished (or cancelled) when the page "
            f"answers.\n\n{upstream.timeline()}",
            pytrace=False,
        )


def test_the_view_is_async(assert_async_view):
    assert_async_view("/dashboard/")
