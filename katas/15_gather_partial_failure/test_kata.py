"""The dashboard: its widgets load at the same time, every widget that loads is shown, a
broken one is named unavailable, and a failure neither cancels nor abandons the others."""

from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

WIDGETS = {
    "weather": "http://weather.example/today",
    "news": "http://news.example/headlines",
    "portfolio": "http://stocks.example/portfolio",
}
USERS = ["ana", "bo", "chen", "dara", "emil", "farah", "zoë", "o'neil"]
HEADLINES = ["Rates hold steady", "Rail strike ends", "New bridge opens", "Heatwave ahead"]
# Each service answers at its own speed, and never in the order the calls went out, so
# answers matched to widgets by their place in line land on the wrong widget.
USUAL_LATENCIES = (0.03, 0.07, 0.11)
# A failing service answers within 0.02 s (see dojo.harness.failures); on a slow day the others take
# far longer than that, so a view that cancels them when one fails cannot get lucky.
SLOW_DAY = (0.3, 0.4)


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
def services(upstream, widget_data, rng):
    """The service behind each widget, each at its own speed: the answers never come back
    in the order the calls went out."""
    latencies = list(USUAL_LATENCIES)
    while latencies == sorted(latencies):
        rng.shuffle(latencies)
    return {
        name: upstream.get(url, json=widget_data[name], latency=latency)
        for (name, url), latency in zip(WIDGETS.items(), latencies, strict=True)
    }


def dashboard_path(user):
    return f"/dashboard/?{urlencode({'user': user})}"


async def test_the_dashboard_shows_every_widget_loaded_at_the_same_time(
    app, upstream, services, widget_data, user
):
    response = await app.get(dashboard_path(user))
    response.assert_json(
        {"widgets": widget_data, "unavailable": []}, "every widget's data, none unavailable"
    )
    # One widget after another would make the page as slow as all three together.
    upstream.assert_calls_overlapped(len(WIDGETS))
    for name, service in services.items():
        asked_for = [parse_qs(urlsplit(call.url).query).get("user") for call in service.calls]
        if asked_for != [[user]]:
            pytest.fail(
                f"GET {dashboard_path(user)} asked the {name} service for "
                f"{', '.join(f'user={who[0]!r}' if who else 'no user' for who in asked_for)}.\n"
                f"Expected one call asking for user={user!r}: the widgets must show this "
                "user's data, not somebody else's.",
                pytrace=False,
            )


async def test_one_broken_widget_leaves_the_rest_of_the_page(
    app, services, widget_data, user, rng, upstream_failure
):
    broken = rng.choice(sorted(WIDGETS))
    services[broken].breaks(upstream_failure)
    response = await app.get(dashboard_path(user))
    response.assert_json(
        {"widgets": {**widget_data, broken: None}, "unavailable": [broken]},
        f"the other widgets' data, with {broken} null and named unavailable "
        f"(its service {upstream_failure})",
    )


async def test_a_widget_that_fails_at_once_neither_cancels_nor_abandons_the_slower_ones(
    app, upstream, services, widget_data, user, rng
):
    broken = rng.choice(sorted(WIDGETS))
    healthy = [name for name in WIDGETS if name != broken]
    for name in healthy:
        services[name].latency = rng.uniform(*SLOW_DAY)
    # The broken service fails fast, long before the others answer.
    services[broken].breaks("status_503_json")
    response = await app.get(dashboard_path(user))

    running = [name for name in healthy if any(not c.finished for c in services[name].calls)]
    if running:
        pytest.fail(
            f"GET {dashboard_path(user)} answered {response.outcome()} after "
            f"{response.elapsed:.2f} s, while the calls for {' and '.join(running)} were still "
            "running: nothing waited for them, and nothing cancelled them.\n"
            "Expected the page to wait for every widget's call before it answers.\n\n"
            f"{upstream.timeline()}",
            pytrace=False,
        )
    response.assert_status(200, f"the dashboard, with {broken} unavailable")
    widgets = response.json().get("widgets") or {}
    lost = [name for name in healthy if widgets.get(name) != widget_data[name]]
    if lost:
        pytest.fail(
            f"The {broken} service answered 503 at once; the {' and '.join(lost)} "
            f"service{'s' if len(lost) > 1 else ''} would have answered within "
            f"{max(services[name].latency for name in lost):.2f} s, but GET "
            f"{dashboard_path(user)} shows {' and '.join(lost)} as {widgets.get(lost[0])!r}: "
            f"the view gave up on {'them' if len(lost) > 1 else 'it'} when {broken} failed.\n"
            f"Expected every other widget's data, with only {broken} unavailable.\n\n"
            f"{upstream.timeline()}",
            pytrace=False,
        )
    response.assert_json(
        {"widgets": {**widget_data, broken: None}, "unavailable": [broken]},
        f"the other widgets' data, with {broken} null and named unavailable",
    )


async def test_two_broken_widgets_are_both_named_unavailable(app, services, widget_data, user, rng):
    first, second = rng.sample(sorted(WIDGETS), k=2)
    # A moment ago every widget loaded: data the services gave then is not theirs to show now.
    (await app.get(dashboard_path(user))).assert_status(200, "the dashboard, all widgets up")
    # One service fails at once; the other takes its time and then fails too.
    services[first].breaks(rng.choice(["connect_refused", "status_503_json", "malformed_json"]))
    services[second].latency = rng.uniform(0.15, 0.2)
    if rng.random() < 0.5:
        services[second].fails(rng.choice([500, 502, 503]))
    else:
        services[second].raises(httpx.RemoteProtocolError)
    response = await app.get(dashboard_path(user))
    response.assert_status(200, f"the dashboard, with {first} and {second} unavailable")
    body = response.json()
    expected_widgets = {**widget_data, first: None, second: None}
    if body.get("widgets") != expected_widgets or sorted(body.get("unavailable") or []) != sorted(
        [first, second]
    ):
        pytest.fail(
            f"The {first} service failed at once and the {second} service failed a little "
            f"later; GET {dashboard_path(user)} answered {body}.\n"
            f"Expected {expected_widgets} as the widgets, with both {first} and {second} "
            "named unavailable (in any order): every failure counts, not only the first, and "
            "a failed widget is null, not the data its service gave a moment before.",
            pytrace=False,
        )


async def test_a_widget_with_nothing_to_show_is_shown_empty_not_unavailable(
    app, services, widget_data, user, rng
):
    quiet = rng.choice(sorted(WIDGETS))
    # The service is up and answers that there is nothing to show today: an empty object.
    services[quiet].returns({})
    response = await app.get(dashboard_path(user))
    response.assert_json(
        {"widgets": {**widget_data, quiet: {}}, "unavailable": []},
        f"every widget's data, {quiet} empty ({{}}) as its service answered, none unavailable: "
        "an answer with nothing in it is not a failure",
    )


async def test_a_user_who_leaves_stops_the_dashboard(stream, upstream, services, user, rng):
    for service in services.values():
        service.latency = rng.uniform(*SLOW_DAY)
    # The user closes the page while all three widgets are still loading.
    report = await stream(
        dashboard_path(user), disconnect_when=lambda: len(upstream.calls) == len(WIDGETS)
    )
    report.assert_view_stopped()
    if report.sent_after_disconnect:
        pytest.fail(
            f"The user left GET {dashboard_path(user)} while its widgets loaded, and the view "
            "still sent a dashboard afterwards, to nobody: the cancellation Django sent it was "
            "caught and taken for a failed widget.\n"
            "Expected the view to let the cancellation through (only an Exception makes a "
            f"widget unavailable, never a CancelledError).\n\n{report.timeline()}",
            pytrace=False,
        )


def test_the_view_is_async(assert_async_view):
    assert_async_view("/dashboard/")
