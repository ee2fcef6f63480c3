"""The grader's watchman inside each graded pytest run: no network, bounded reports, and a
second record of every verdict that pytest's own reporting cannot change.

The grader copies this file beside each run as ``dojo_grade_guard.py`` and loads it first
(``-p dojo_grade_guard``), before any learner code is imported. It uses the standard
library and pytest only, so it works whatever the trusted copy's harness looks like. It:

- turns network access off: connecting to, or looking up, anything but this machine fails;
- caps every string of a serialized report, so a test that prints a flood cannot flood the
  report log the grader reads;
- writes a log of its own (path in ``$DOJO_GUARD_LOG``): the tests collected, then each test
  phase's outcome judged from the exception pytest caught, not from the report it made;
- checks that the functions of pytest and its plugins (at every phase), of the harness and
  of the kata's own test modules and conftests (between tests, as a test may patch them for
  itself), their code (``__code__`` swapped keeps a function's identity), and the hook
  implementations that run and report tests, are the ones there were before any test ran,
  and that no phase that raised was reported as passed. It logs any difference as "tampered", and the grader then
  trusts nothing from that run.

Learner code runs in this process, so a determined author could defeat this too. What it
stops is forging a result by the usual means (patching reports or pytest's runner,
registering a hook, writing to the report log, exiting early), which the grader reading both
logs from outside then sees.
"""

from __future__ import annotations

import errno
import ipaddress
import json
import os
import socket
import sys
import types
from collections.abc import Callable, Generator
from typing import Any

import pytest

LOG_ENV = "DOJO_GUARD_LOG"
TARGET_ENV = "DOJO_GUARD_TARGET"
# Longest string kept in a serialized report (a failure message, captured output).
STRING_LIMIT = 20_000
# Modules whose functions and classes must not change while tests run.
CORE_PREFIXES = ("_pytest", "pytest", "pluggy", "pytest_")
# The harness: trusted tests may patch it for one test, so it is checked between tests.
HARNESS_PREFIXES = ("dojo",)
# Hooks that run a test and turn its outcome into a report.
WATCHED_HOOKS = (
    "pytest_runtestloop",
    "pytest_runtest_protocol",
    "pytest_runtest_setup",
    "pytest_runtest_call",
    "pytest_runtest_teardown",
    "pytest_runtest_makereport",
    "pytest_runtest_logreport",
    "pytest_report_to_serializable",
    "pytest_pyfunc_call",
)

_log_path = os.environ.pop(LOG_ENV, "")
_target = os.environ.pop(TARGET_ENV, "")
_log = open(_log_path, "a", encoding="utf-8", buffering=1) if _log_path else None  # noqa: SIM115
_functions: dict[tuple[str, ...], object] = {}
# The code of each function remembered: swapping a function's __code__ keeps its identity.
_codes: dict[tuple[str, ...], types.CodeType] = {}
# The trusted copy's root, and its test modules (by name) imported by the end of collection.
_root = ""
_test_modules: set[str] = set()
_hooks: dict[str, list[object]] = {}
_tampered = False


# Taken before any learner code runs: code that rewrites json's encoder later (to turn
# every "failed" into "passed") changes pytest's report log, not this one.
_quote = json.encoder.encode_basestring_ascii


def _write(event: str, **fields: Any) -> None:
    if _log is not None:
        _log.write(_json({"event": event, **fields}) + "\n")


def _json(value: object) -> str:
    """``value`` (dicts, lists, strings, None) as JSON, by the guard's own hand."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_quote(str(k))}: {_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_json(item) for item in value) + "]"
    return "null" if value is None else _quote(str(value))


def _tamper(detail: str) -> None:
    global _tampered
    if not _tampered:
        _tampered = True
        _write("tampered", detail=detail)


# ---------------------------------------------------------------- no network


def _is_local(host: object) -> bool:
    if host is None:
        return True
    text = host.decode(errors="replace") if isinstance(host, bytes) else str(host)
    text = text.strip("[]").split("%")[0].lower()
    if text in ("localhost", "") or text.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(text).is_loopback
    except ValueError:
        return False


def _refused(host: object, port: object = None) -> OSError:
    where = f"{host}:{port}" if port is not None else str(host)
    return OSError(
        errno.ENETUNREACH, f"network access is off while the dojo grades: {where} was not reached"
    )


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_sendto = socket.socket.sendto
_real_getaddrinfo = socket.getaddrinfo


def _remote(sock: socket.socket, address: object) -> bool:
    inet = sock.family in (socket.AF_INET, socket.AF_INET6)
    return inet and isinstance(address, tuple) and not _is_local(address[0])


def _connect(self: socket.socket, address: Any) -> None:
    if _remote(self, address):
        raise _refused(*address[:2])
    _real_connect(self, address)


def _connect_ex(self: socket.socket, address: Any) -> int:
    if _remote(self, address):
        return errno.ENETUNREACH
    return _real_connect_ex(self, address)


def _sendto(self: socket.socket, data: Any, *args: Any) -> int:
    if args and _remote(self, args[-1]):
        raise _refused(*args[-1][:2])
    return _real_sendto(self, data, *args)


def _getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
    if not _is_local(host):
        raise socket.gaierror(socket.EAI_NONAME, str(_refused(host, port).strerror))
    return _real_getaddrinfo(host, port, *args, **kwargs)


socket.socket.connect = _connect  # type: ignore[method-assign,assignment]
socket.socket.connect_ex = _connect_ex  # type: ignore[method-assign,assignment]
socket.socket.sendto = _sendto  # type: ignore[method-assign,assignment]
socket.getaddrinfo = _getaddrinfo


# ---------------------------------------------------------------- snapshots


def _defined_in(module: str, value: object) -> bool:
    return isinstance(value, types.FunctionType | type) and value.__module__ == module


def _take_functions(wanted: Callable[[str, types.ModuleType], bool]) -> None:
    """Remember the functions, classes and methods of the modules ``wanted`` accepts, and
    the code of each function (those not remembered yet: a module imported later is
    added, never replaced)."""
    for name, module in list(sys.modules.items()):
        if module is None or name == __name__ or not wanted(name, module):
            continue
        for attr, value in list(vars(module).items()):
            if not _defined_in(name, value):
                continue
            _remember((name, attr), value)
            if isinstance(value, type):
                for key, member in list(vars(value).items()):
                    if isinstance(
                        member, types.FunctionType | classmethod | staticmethod | property
                    ):
                        _remember((name, attr, key), member)


def _remember(key: tuple[str, ...], value: object) -> None:
    if key in _functions:
        return
    _functions[key] = value
    code = _code_of(value)
    if code is not None:
        _codes[key] = code


def _code_of(value: object) -> types.CodeType | None:
    function = getattr(value, "__func__", value)  # a classmethod's or staticmethod's
    code = getattr(function, "__code__", None) if isinstance(function, types.FunctionType) else None
    return code if isinstance(code, types.CodeType) else None


def _by_prefix(prefixes: tuple[str, ...]) -> Callable[[str, types.ModuleType], bool]:
    return lambda name, module: name.startswith(prefixes)


def _trusted_test_module(name: str, module: types.ModuleType) -> bool:
    """A module of the trusted copy that is not pytest's or the harness's: the kata's
    tests and conftests, whose helpers decide what a test sees (never a learner's file)."""
    path = os.path.realpath(str(getattr(module, "__file__", "") or ""))
    if not _root or not path.startswith(_root + os.sep) or name.startswith(CORE_PREFIXES):
        return False
    return not (_target and path.startswith(_target))


def _check_functions(prefixes: tuple[str, ...], *, test_modules: bool = False) -> None:
    for key, value in _functions.items():
        if not (key[0].startswith(prefixes) or (test_modules and key[0] in _test_modules)):
            continue
        current: object = vars(sys.modules.get(key[0]) or types).get(key[1])
        if len(key) == 3:
            current = vars(current).get(key[2]) if isinstance(current, type) else None
        if current is not value:
            _tamper(f"{'.'.join(key)} was replaced while the tests ran")
            return
        if key in _codes and _code_of(current) is not _codes[key]:
            _tamper(f"the code of {'.'.join(key)} was replaced while the tests ran")
            return


def _take_hooks(config: pytest.Config) -> None:
    for hook in WATCHED_HOOKS:
        _hooks[hook] = [impl.function for impl in getattr(config.hook, hook).get_hookimpls()]


def _from_target(function: object) -> bool:
    module = sys.modules.get(getattr(function, "__module__", "") or "")
    path = str(getattr(module, "__file__", "") or "")
    return bool(_target) and os.path.realpath(path).startswith(_target)


def _check_hooks(config: pytest.Config) -> None:
    for hook in WATCHED_HOOKS:
        functions = [impl.function for impl in getattr(config.hook, hook).get_hookimpls()]
        learner = [f for f in functions if _from_target(f)]
        if learner or (hook in _hooks and functions != _hooks[hook]):
            _tamper(f"the implementations of pytest's hook {hook} changed while the tests ran")
            return


def _check(config: pytest.Config, *, between_tests: bool) -> None:
    _check_functions(CORE_PREFIXES)
    if between_tests:
        _check_functions(HARNESS_PREFIXES, test_modules=True)
    _check_hooks(config)


# ---------------------------------------------------------------- hooks


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> Generator[None, None, None]:
    result = yield
    # Every plugin is configured by now (some patch pytest as they do), and no test has run.
    global _root
    _root = os.path.realpath(str(session.config.rootpath))
    _functions.clear()
    _take_functions(_by_prefix(CORE_PREFIXES + HARNESS_PREFIXES))
    _take_hooks(session.config)
    return result


def pytest_collection_finish(session: pytest.Session) -> None:
    _take_functions(_by_prefix(CORE_PREFIXES + HARNESS_PREFIXES))
    _test_modules.update(
        name
        for name, module in list(sys.modules.items())
        if module is not None and _trusted_test_module(name, module)
    )
    _take_functions(lambda name, module: name in _test_modules)
    _write("collected", nodeids=[item.nodeid for item in session.items])


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    seen = _judge(call)
    _write("phase", nodeid=item.nodeid, when=call.when, outcome=seen)
    if report.passed and seen != "passed":
        _tamper(f"{item.nodeid} raised in its {call.when}, yet its report says it passed")
    _check(item.config, between_tests=call.when == "teardown")
    return report


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_report_to_serializable(report: object) -> Generator[None, Any, Any]:
    return _capped((yield))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_sessionfinish(session: pytest.Session) -> Generator[None, None, None]:
    _check(session.config, between_tests=True)
    result = yield
    _write("finished")  # the report log is complete: the grader may stop a process that hangs on
    return result


def _judge(call: pytest.CallInfo[None]) -> str:
    if call.excinfo is None:
        return "passed"
    if call.excinfo.errisinstance(pytest.skip.Exception):
        return "skipped"
    return "failed"


def _capped(data: Any) -> Any:
    if isinstance(data, str):
        if len(data) <= STRING_LIMIT:
            return data
        return data[: STRING_LIMIT // 2] + "\n[... cut ...]\n" + data[-STRING_LIMIT // 2 :]
    if isinstance(data, dict):
        return {key: _capped(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_capped(value) for value in data]
    return data
