"""This repository's pytest setup: the dojo's plugin, for the katas, the solutions and the
dojo's own tests. It is registered here, not as an entry point, so that it loads in this
repository only, never in another project that shares the Python environment.

Run from a Python without the dojo's tools (pytest from the system, before
``. .venv/bin/activate``), pytest stops with one sentence that says what to run instead.
"""

import sys

try:
    import django  # noqa: F401
    import httpx  # noqa: F401
    import pytest_asyncio  # noqa: F401
    import pytest_django  # noqa: F401
    import pytest_timeout  # noqa: F401
except ModuleNotFoundError as missing:
    sys.exit(
        f"This Python ({sys.executable}) lacks the dojo's tools ({missing.name} is not "
        "installed): use the dojo's own environment, `. .venv/bin/activate` then pytest "
        "again (no .venv yet? `make kata N=1` creates it), or run a kata with `make kata N=4`."
    )

pytest_plugins = ["dojo.harness.plugin"]
