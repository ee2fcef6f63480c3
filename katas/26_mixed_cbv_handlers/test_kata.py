"""The city alerts view: GET shows the forecast and the alerts (both asked for at once, and
no page at all when a service fails), POST takes the provider's signed webhook on a site with
Django's CSRF protection on, and the class-based view stays async."""

import hashlib
import hmac
import json

import pytest
from asgiref.sync import iscoroutinefunction
from django.core.exceptions import ImproperlyConfigured
from django.urls import resolve

FORECAST_URL = "http://weather.example/forecast"
ALERTS_URL = "http://alerts.example/active"
WEBHOOK_SECRET = b"alerts-provider-shared-secret"
CITIES = ["oslo", "lima", "accra", "hanoi", "quito", "perth", "porto", "tunis", "tromsø"]
LEVELS = ["yellow", "orange", "red"]
GATEWAY_ERRORS = (502, 503, 504)


@pytest.fixture
def _dojo_kata_imports():
    """Replaces the harness's import check: Django refuses this kata's view class when the
    URLconf loads, which a server shows as a 500 for every request; so do these tests."""


@pytest.fixture
def site(server_app):
    """The alerts site, with Django's CSRF protection on as in every project made by
    startproject, answering as a server does (a 500) when Django cannot even load the view."""
    return server_app


# Failure tests run ten times faster: the healthy service answers in 0.06 s, three times the
# broken one's failure.
HEALTHY_WHILE_BROKEN = 0.6


def an_alert(rng):
    return {"id": rng.randint(1, 99_999), "level": rng.choice(LEVELS)}


def fake_services(upstream, rng):
    """A random city, with a random forecast and random alerts from the two services, each
    answering at its own speed."""
    city = rng.choice(CITIES)
    high = rng.randint(-5, 40)
    forecast = {"high": high, "low": high - rng.randint(2, 15), "sky": rng.choice(["sun", "rain"])}
    alerts = [an_alert(rng) for _ in range(rng.randint(0, 3))]
    services = {
        "forecast": upstream.get(FORECAST_URL, json=forecast, latency=rng.uniform(0.02, 0.06)),
        "alerts": upstream.get(ALERTS_URL, json=alerts, latency=rng.uniform(0.02, 0.06)),
    }
    return city, forecast, alerts, services


def provider_json(alert, rng):
    """The alert as the provider writes it: pretty-printed, its fields in its own order, a
    newline at the end. What it signs is these bytes, not the JSON they stand for."""
    fields = list(alert.items())
    rng.shuffle(fields)
    return (json.dumps(dict(fields), indent=rng.randint(1, 4)) + "\n").encode()


def signed(alert, rng, secret=WEBHOOK_SECRET):
    """A webhook call's body and headers, signed the way the alerts provider signs them."""
    body = provider_json(alert, rng)
    signature = hmac.new(secret, body, hashlib.sha256).hexdigest()
    return body, {"content-type": "application/json", "x-signature": signature}


def forged(alert, rng, how):
    """A webhook call that the provider did not send: signed with a guessed secret, not
    signed at all, with only the start of a signature, signed and then changed on the way,
    or a body that is not even JSON."""
    if how == "wrong_secret":
        return signed(alert, rng, secret=b"an-attacker-guess")
    body, headers = signed(alert, rng)
    if how == "no_signature":
        del headers["x-signature"]
        return body, headers
    if how == "truncated_signature":
        headers["x-signature"] = headers["x-signature"][:12]
        return body, headers
    if how == "not_json":
        return b"<alert id=" + str(alert["id"]).encode() + b">", headers
    return provider_json({**alert, "level": "red", "id": alert["id"] + 1}, rng), headers


async def test_get_shows_the_forecast_and_the_alerts(site, upstream, rng):
    city, forecast, _, services = fake_services(upstream, rng)
    # Most days a city has no alert at all; some days it has several.
    for alerts in rng.sample([[], [an_alert(rng) for _ in range(rng.randint(1, 3))]], k=2):
        services["alerts"].returns(alerts)
        response = await site.get(f"/alerts/{city}/")
        expected = {"city": city, "forecast": forecast, "alerts": alerts}
        none = " (no alert today: an empty list, not a failure)" if not alerts else ""
        response.assert_json(expected, f"the forecast and the alerts for {city}{none}")


async def test_get_asks_both_services_at_once(site, upstream, rng):
    city, _, _, _ = fake_services(upstream, rng)
    response = await site.get(f"/alerts/{city}/")
    response.assert_status(200, "the forecast and the alerts")
    upstream.assert_calls_overlapped(2)


async def test_a_broken_weather_service_is_a_502_not_a_crash(site, upstream, rng, upstream_failure):
    city, forecast, alerts, services = fake_services(upstream, rng)
    answers = {"forecast": forecast, "alerts": alerts}
    # Each service in turn, so that neither one is taken for optional.
    for broken, healthy in rng.sample([("forecast", "alerts"), ("alerts", "forecast")], k=2):
        services[broken].breaks(upstream_failure)
        # The other service is still answering when this one fails: a page that answers
        # 502 then must not leave that call running behind it.
        latency = services[healthy].latency
        services[healthy].latency = HEALTHY_WHILE_BROKEN
        response = await site.get(f"/alerts/{city}/")
        services[broken].returns(answers[broken])
        services[healthy].latency = latency
        if response.status not in GATEWAY_ERRORS:
            what = response.explain()
            if response.status == 200:
                what += f"\nIts body: {response.text[:300]!r}"
            pytest.fail(
                f"The {broken} service {upstream_failure}.\n{what}\n"
                "Expected 502 Bad Gateway (503 or 504 would do): never a 500, and never a "
                "page that shows the city without its forecast or its alerts.",
                pytrace=False,
            )


async def test_post_accepts_a_signed_alert(site, rng):
    city = rng.choice(CITIES)
    alert = an_alert(rng)
    body, headers = signed(alert, rng)
    # The provider's servers call, not a page of the site: no CSRF cookie, no token.
    response = await site.post(f"/alerts/{city}/", data=body, headers=headers, browser=False)
    if response.status == 403 and "CSRF" in response.text:
        pytest.fail(
            f"{response.request_line}, signed by the provider, was refused by Django's CSRF "
            "protection (403): the provider cannot send a CSRF token.\n"
            "Expected the webhook to stay exempt from CSRF checks (csrf_exempt), as it was: "
            "its signature is what proves who sent it.",
            pytrace=False,
        )
    if response.status == 403:
        pytest.fail(
            f"{response.request_line}, signed by the provider, was refused (403).\n"
            f"The provider signed these bytes, exactly as sent: {body!r}\n"
            "Expected 202: the signature is of request.body as it came, byte for byte.",
            pytrace=False,
        )
    response.assert_status(202, "the signed webhook call accepted")
    expected = {"accepted": alert["id"], "city": city}
    if response.json() != expected:
        pytest.fail(
            f"{response.request_line} answered {response.text}; expected {json.dumps(expected)}.",
            pytrace=False,
        )


@pytest.mark.parametrize(
    "how", ["wrong_secret", "no_signature", "truncated_signature", "tampered_body", "not_json"]
)
async def test_post_refuses_a_call_the_provider_did_not_sign(site, rng, how):
    city = rng.choice(CITIES)
    body, headers = forged(an_alert(rng), rng, how)
    response = await site.post(f"/alerts/{city}/", data=body, headers=headers, browser=False)
    # A body that is not JSON may be refused as malformed too; it must never crash the view.
    refusals = (400, 403) if how == "not_json" else (403,)
    if response.status not in refusals:
        pytest.fail(
            f"{response.request_line}: a webhook call with {how.replace('_', ' ')}, which the "
            f"provider did not sign.\n{response.explain()}\n"
            "Expected 403 Forbidden: check the signature of the bytes received before "
            "anything else reads them.",
            pytrace=False,
        )


def test_the_view_stays_async():
    try:
        view = resolve("/alerts/oslo/").func
        problem = None
    except ImproperlyConfigured as error:
        problem = f"Django refuses the view class: {error}"
    except Exception as error:
        problem = f"Django could not load the view: {type(error).__name__}: {error}"
    if problem is None and not iscoroutinefunction(view):
        problem = (
            f"{view.view_class.__name__} has only sync handlers now: Django runs it in a "
            "worker thread for every request, and its GET no longer awaits on the event loop.\n"
            "Expected an async class-based view: every handler an `async def`."
        )
    if problem:
        pytest.fail(problem, pytrace=False)
