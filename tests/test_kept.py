"""What a kata's own code keeps at module level, as the tests of katas 16, 17, 29 and 35 look
for it: module globals, the attributes of module-level objects and classes, live instances
of the kata's classes; the kata's tests and modules of other folders are not its code."""

from __future__ import annotations

import sys
import types
from collections import deque
from pathlib import Path

import pytest

from dojo.harness.kept import holds, kept_values


class Store:
    pass


@pytest.fixture
def kata(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A kata folder whose views module keeps things, and whose tests keep things too."""
    folder = tmp_path / "99_keeps"
    views = types.ModuleType("katas.99_keeps.views")
    views.__file__ = str(folder / "views.py")
    views.by_user = {"ada": 1}
    views.store = Store()
    views.store.recent = deque([("task", "bob")])
    views.Registry = type("Registry", (), {"seen": ["cy"]})
    views.json = types  # a module it imports is not what it keeps
    tests = types.ModuleType("katas.99_keeps.test_kata")
    tests.__file__ = str(folder / "test_kata.py")
    tests.users = ["dee"]
    elsewhere = types.ModuleType("dojo_elsewhere")
    elsewhere.__file__ = str(tmp_path / "other" / "views.py")
    elsewhere.users = ["eve"]
    for module in (views, tests, elsewhere):
        monkeypatch.setitem(sys.modules, module.__name__, module)
    return folder


def named(name: str):
    return lambda item: item == name


def test_globals_and_attributes_of_objects_and_classes_are_kept(kata: Path) -> None:
    kept = [value for _, value in kept_values(kata)]
    assert any(holds(value, named("ada")) for value in kept)
    assert any(holds(value, named("bob")) for value in kept)  # a tuple in a deque, on an object
    assert any(holds(value, named("cy")) for value in kept)  # a class attribute
    assert not any(isinstance(value, types.ModuleType) for value in kept)


def test_the_katas_tests_and_other_folders_are_not_its_code(kata: Path) -> None:
    kept = [value for _, value in kept_values(kata)]
    assert not any(holds(value, named("dee")) or holds(value, named("eve")) for value in kept)


def test_holds_looks_only_as_deep_as_asked() -> None:
    nested = {"a": [("b", {"c"})]}
    assert holds(nested, named("c"), depth=4)
    assert not holds(nested, named("c"))
    assert holds(nested, named("a"), depth=1)
