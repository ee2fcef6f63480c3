"""The dojo room's dashboard in a real headless browser (Chromium from the OS packages,
driven by Playwright): a pair's run makes a light appear without a reload, a click shows
its diff, and the controls need the facilitator's token."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from dojo.room import screenshot
from dojo.room.load import RunningRoom, running_room

CHROMIUM = screenshot.chromium()
if CHROMIUM is None:
    pytest.skip(
        "the dashboard's browser tests need Chromium: apt-get install chromium",
        allow_module_level=True,
    )
sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="the dashboard's browser tests need Playwright: pip install -e '.[test]'",
)

DIFF = "--- a/katas/08_blocking_sleep/views.py (shipped)\n+++ b/katas/08_blocking_sleep/views.py\n-    time.sleep(0.3)\n+    await asyncio.sleep(0.3)\n"
WAIT_MS = 10_000
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def room() -> Iterator[RunningRoom]:
    with running_room() as started:
        yield started


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    yield context.new_page()
    context.close()


def send(room: RunningRoom, pair: str, sent_id: str, colour: str = "red") -> int:
    light = {
        "code": room.code, "pair": pair, "key": pair, "id": sent_id, "kata": "08_blocking_sleep",
        "colour": colour, "passed": 1, "failed": 2, "duration": 0.6, "diff": DIFF,
    }  # fmt: skip
    answer = httpx.post(f"{room.base}/api/lights", json=light, trust_env=False)
    assert answer.status_code == 201, answer.text
    return int(answer.json()["id"])


def open_dashboard(page: Any, room: RunningRoom, *, token: bool) -> None:
    page.goto(room.url + (f"#token={room.token}" if token else ""))
    sync_api.expect(page.locator("#status")).to_have_text("live", timeout=WAIT_MS)


def test_a_pairs_run_makes_a_light_appear_without_a_reload(page: Any, room: RunningRoom) -> None:
    open_dashboard(page, room, token=False)
    page.evaluate("window.notReloaded = true")
    light_id = send(room, "otter", "browser-1")
    light = page.locator(f"tr[data-pair=otter] .light[data-id='{light_id}']")
    sync_api.expect(light).to_be_visible(timeout=WAIT_MS)
    assert "red" in (light.get_attribute("class") or "")
    assert page.evaluate("window.notReloaded") is True
    sync_api.expect(page.locator("tr[data-pair=otter] td.kata")).to_contain_text(
        "A nap for the whole shop"
    )


def test_a_click_on_a_light_shows_that_pairs_diff(page: Any, room: RunningRoom) -> None:
    light_id = send(room, "badger", "browser-2")
    open_dashboard(page, room, token=False)
    page.locator(f".light[data-id='{light_id}']").click()
    sync_api.expect(page.locator("#review")).to_be_visible(timeout=WAIT_MS)
    sync_api.expect(page.locator("#review-diff")).to_contain_text("+    await asyncio.sleep(0.3)")
    sync_api.expect(page.locator("#review-title")).to_contain_text("badger")
    sync_api.expect(page.locator("#review-reference-column")).to_be_hidden()


def test_the_facilitators_review_shows_the_reference_fix_beside_the_diff(
    page: Any, room: RunningRoom
) -> None:
    light_id = send(room, "heron", "browser-3")
    open_dashboard(page, room, token=True)
    page.locator(f".light[data-id='{light_id}']").click()
    sync_api.expect(page.locator("#review-reference")).to_contain_text(
        "solutions/08_blocking_sleep/views.py", timeout=WAIT_MS
    )
    sync_api.expect(page.locator("#review-diff")).to_contain_text("await asyncio.sleep(0.3)")


def test_the_controls_need_the_token(page: Any, browser: Any, room: RunningRoom) -> None:
    open_dashboard(page, room, token=False)
    sync_api.expect(page.locator("#controls")).to_be_hidden()
    refused = page.evaluate(
        """async (code) => (await fetch(`/${code}/control`, {method: "POST",
             headers: {"Content-Type": "application/json"},
             body: JSON.stringify({kata: "04_missing_await"})})).status""",
        room.code,
    )
    assert refused == 403
    facilitator = browser.new_page()
    try:
        open_dashboard(facilitator, room, token=True)
        sync_api.expect(facilitator.locator("#controls")).to_be_visible()
        facilitator.locator("#kata-select").select_option("04_missing_await")
        # The pairs' dashboard follows the room's kata, live.
        sync_api.expect(page.locator("#room-kata")).to_have_text(
            "04 · The missing await", timeout=WAIT_MS
        )
    finally:
        facilitator.close()
    state = httpx.get(f"{room.base}/api/room", params={"code": room.code}, trust_env=False).json()
    assert state["room"]["kata"] == "04_missing_await"


def test_the_readmes_screenshot_is_taken_by_the_tool_it_names(browser: Any, tmp_path: Path) -> None:
    shipped = Path(__file__).parents[1] / "docs" / "room-dashboard.png"
    assert shipped.read_bytes().startswith(PNG), "the README shows docs/room-dashboard.png"
    taken = tmp_path / "dashboard.png"
    screenshot.take(browser, taken)
    header = taken.read_bytes()[:24]
    assert header.startswith(PNG)
    width, height = struct.unpack(">II", header[16:24])
    assert (width, height) == (screenshot.WIDTH, screenshot.HEIGHT)
