"""The dojo's own tests: warnings are errors here (the katas keep Python's defaults), and
the time limit is wider than a kata's, since many of these run pytest in a child process."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(pytest.mark.filterwarnings("error"))
        if item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(300))
