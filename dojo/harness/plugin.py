"""The dojo's pytest plugin: which learner code runs, and the fixtures kata tests use.

Registered by the repository's ``conftest.py``, so ``pytest katas/04_missing_await`` works
from the repository root (and only there). It adds:

- ``--target`` (ini ``dojo_target``): run the tests against ``katas`` (the learner's
  code, the default), ``solutions`` (the reference fixes), or a folder laid out like
  ``katas/``;
- ``--dojo-seed`` (ini ``dojo_seed``): the seed of the random payloads, shown in the
  header so a failure can be replayed;
- ``--server`` (ini ``dojo_server``): the same tests against the kata served by uvicorn in
  a worker process, over real HTTP (see ``dojo.harness.servermode``);
- each kata's tests run with the kata's own URLconf at the root of the site;
- the fixtures ``upstream``, ``app``, ``burst`` and ``rng`` (see ``dojo.harness.fixtures``)
  and those of the other ``FIXTURE_MODULES``.
"""

from __future__ import annotations

import importlib
import secrets
from collections.abc import Generator
from pathlib import Path

import pytest

from dojo.harness import targets
from dojo.harness.config import DojoSettings, kata_folder, settings_key

# Modules whose fixtures every test can use; each is registered as a pytest plugin.
FIXTURE_MODULES = (
    "dojo.harness.fixtures",
    "dojo.harness.failures",
    "dojo.harness.costs",
    "dojo.harness.probes",
    "dojo.harness.db",
    "dojo.harness.viewcheck",
    "dojo.harness.plumbing",
    "dojo.harness.background",
    "dojo.harness.streaming",
    "dojo.harness.clients",
    "dojo.harness.houserules",
    "dojo.harness.servermode",
    "dojo.harness.quiet",
    "dojo.harness.tally",
)

TARGET_HELP = (
    "which learner code the kata tests run against: 'katas' (yours, the default), "
    "'solutions' (the reference fixes), or a folder laid out like katas/"
)
SERVER_HELP = (
    "run the kata tests against the kata served by uvicorn in a worker process, over real "
    "HTTP on 127.0.0.1; the test process never imports the learner's files"
)
SEED_HELP = "seed of the random upstream payloads (default: a new one each run)"
FIRST_FAILURE_HELP = (
    "skip the rest of a kata's tests once one fails: enough for a verdict on a fix, "
    "and much faster when judging many (the dojo's fair-fix proofs)"
)


SANDBOX_HELP = (
    "server mode, for grading: run each kata's worker in the grading sandbox, sharing only "
    "this folder with it (the fake upstream's Unix socket)"
)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("dojo", "Async Django Dojo")
    group.addoption("--target", dest="dojo_target", default=None, help=TARGET_HELP)
    group.addoption("--dojo-seed", dest="dojo_seed", type=int, default=None, help=SEED_HELP)
    group.addoption(
        "--dojo-first-failure", action="store_true", default=False, help=FIRST_FAILURE_HELP
    )
    group.addoption("--server", dest="dojo_server", action="store_true", help=SERVER_HELP)
    group.addoption(
        "--dojo-sandbox-worker", dest="dojo_sandbox_worker", default=None, help=SANDBOX_HELP
    )
    parser.addini("dojo_target", help=TARGET_HELP, default="katas")
    parser.addini("dojo_server", help=SERVER_HELP, default="")
    parser.addini("dojo_seed", help=SEED_HELP, default="")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    # Before any kata module is imported (the routes import them when a test first asks),
    # so the learner files load from the target. Django is set up by now: a kata's models
    # are not learner files, and load from the kata itself.
    dojo = _read_settings(config)
    config.stash[settings_key] = dojo
    if dojo.target_dir != dojo.root / "katas":
        targets.install(dojo.target_dir)
    # register(), not import_plugin(): these modules import each other, and import_plugin
    # would warn that an already imported one cannot have its asserts rewritten.
    for name in FIXTURE_MODULES:
        if config.pluginmanager.get_plugin(name) is None:
            config.pluginmanager.register(importlib.import_module(name), name)


def pytest_report_header(config: pytest.Config) -> str:
    dojo = config.stash[settings_key]
    from dojo.harness.servermode import server_mode

    where = " (served by a worker: server mode)" if server_mode(config) else ""
    return f"dojo: learner code from {dojo.target}/{where}, random seed {dojo.seed} (--dojo-seed)"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        kata = kata_folder(item.path)
        if kata is not None:
            # Each kata is served at the root of the site by its own URLconf.
            item.add_marker(pytest.mark.urls(f"katas.{kata.name}.urls"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.failed and item.config.getoption("dojo_first_failure"):
        kata = kata_folder(item.path)
        if kata is not None:
            first_failures(item.config).setdefault(kata, item.name)
    return report


def first_failures(config: pytest.Config) -> dict[Path, str]:
    """With --dojo-first-failure: each kata's first failing test, by kata folder."""
    return config.stash.setdefault(first_failures_key, {})


first_failures_key = pytest.StashKey[dict[Path, str]]()


def _read_settings(config: pytest.Config) -> DojoSettings:
    root = config.rootpath
    target = config.getoption("dojo_target") or str(config.getini("dojo_target"))
    target_dir = (root / target).resolve()
    if not target_dir.is_dir():
        raise pytest.UsageError(
            f"--target={target}: no such folder. Use 'katas' (your code), 'solutions' "
            "(the reference fixes), or a folder laid out like katas/."
        )
    seed = config.getoption("dojo_seed")
    if seed is None:
        ini_seed = str(config.getini("dojo_seed"))
        seed = int(ini_seed) if ini_seed.strip() else secrets.randbelow(1_000_000)
    return DojoSettings(root=root, target=target, target_dir=target_dir, seed=seed)
