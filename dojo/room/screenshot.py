"""Take the README's picture of the dashboard: a room of its own with a few pairs' lights,
photographed by headless Chromium at a projector's size.

    python -m dojo.room.screenshot docs/room-dashboard.png

It needs Chromium from the OS packages (``apt-get install chromium``) and Playwright.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import httpx

from dojo.room.load import RunningRoom, running_room

# A projector's size.
WIDTH, HEIGHT = 1280, 720
COLOURS = {"r": "red", "a": "amber", "g": "green", "t": "timeout"}
# Each pair's runs, in order: r red, a amber, g green, t timeout.
RUNS = {
    "panda": ("08_blocking_sleep", "rrarrgg"),
    "otter": ("08_blocking_sleep", "rrrtrrr"),
    "koala": ("08_blocking_sleep", "arrrrg"),
    "heron": ("08_blocking_sleep", "rrrrrrrrr"),
    "lynx": ("09_sync_http_client", "rrg"),
    "wombat": ("08_blocking_sleep", "ar"),
}


def fill(room: RunningRoom) -> None:
    with httpx.Client(base_url=room.base, trust_env=False) as client:
        for pair, (kata, runs) in RUNS.items():
            for number, run in enumerate(runs):
                green = run == "g"
                client.post(
                    "/api/lights",
                    json={
                        "code": room.code, "pair": pair, "key": pair, "id": f"{pair}-{number}",
                        "kata": kata, "colour": COLOURS[run], "passed": 3 if green else 1,
                        "failed": 0 if green else 2, "duration": 0.9, "diff": "",
                    },
                )  # fmt: skip
        client.post(
            f"/{room.code}/control",
            json={"kata": "08_blocking_sleep", "rotation_minutes": 7},
            headers={"X-Room-Token": room.token},
        )


def chromium() -> str | None:
    """The OS's Chromium, if installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def take(browser: Any, path: Path) -> None:
    """Photograph a room of its own, filled with the sample pairs, in ``browser`` (a
    Playwright Chromium)."""
    with running_room() as room:
        fill(room)
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        page.goto(f"{room.url}#token={room.token}")
        page.wait_for_selector("tr[data-pair=wombat] .light")
        page.wait_for_timeout(800)  # the newest light's pop has settled
        page.screenshot(path=str(path))
        page.close()


def main(path: Path) -> None:
    from playwright.sync_api import sync_playwright

    executable = chromium()
    if executable is None:
        raise SystemExit("The screenshot needs Chromium: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable)
        try:
            take(browser, path)
        finally:
            browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
