"""What a kata's own code keeps for the life of the server: for tests that check a view lets go.

A view that keeps a piece of every request (a lock per query string, a record per task, a
client per event loop) grows for as long as the server runs. A kata's test finds it by
looking through what the kata's modules keep at module level, and on the objects and
classes kept there; ``holds`` looks into nested containers for what the test is after.
(The garbage collector does not track a dict of plain strings and numbers, so it cannot be
asked for one.)
"""

from __future__ import annotations

import collections
import gc
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import MappingProxyType, ModuleType

CONTAINERS = (dict, list, set, frozenset, tuple, collections.deque)


def kept_values(kata: Path, *, instances: bool = False) -> Iterator[tuple[str, object]]:
    """``(name, value)`` for each value the modules of the ``kata`` folder keep at module
    level, and for each attribute of those values (objects, classes); with ``instances``,
    also every live instance of a class the kata defines (a middleware Django made), and its
    attributes. The kata's modules are those in a folder of its name (its learner files may
    come from another copy: ``--target``); its tests are not its code."""
    modules = []
    for module in list(sys.modules.values()):
        path = Path(getattr(module, "__file__", None) or "")
        if path.parent.name == kata.name and not path.name.startswith("test_"):
            modules.append(module)
    found: list[tuple[str, object]] = [
        (name, value)
        for module in modules
        for name, value in list(vars(module).items())
        if not isinstance(value, ModuleType)
    ]
    if instances:
        names = {module.__name__ for module in modules}
        found += [
            (type(obj).__name__, obj) for obj in gc.get_objects() if type(obj).__module__ in names
        ]
    for name, value in found:
        yield name, value
        for attribute in _attributes(value):
            yield name, attribute


def holds(obj: object, match: Callable[[object], bool], depth: int = 3) -> bool:
    """Whether the container ``obj``, or one it holds (``depth`` levels down), holds an item
    (a key or a value) that ``match``es."""
    if depth == 0 or not isinstance(obj, CONTAINERS):
        return False
    items = [*obj.keys(), *obj.values()] if isinstance(obj, dict) else list(obj)
    return any(match(item) or holds(item, match, depth - 1) for item in items)


def _attributes(value: object) -> list[object]:
    """The values of an object's (or a class's) own attributes, where it keeps them in a
    plain ``__dict__`` (never through code of its own)."""
    try:
        attributes = object.__getattribute__(value, "__dict__")
    except AttributeError:
        return []
    return list(attributes.values()) if type(attributes) in (dict, MappingProxyType) else []
