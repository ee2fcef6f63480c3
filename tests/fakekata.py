"""Write small fake katas into a temporary dojo checkout, for the dojo's own tests."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

URLS = """\
from django.urls import path

from . import views

urlpatterns = [path("hello/", views.hello)]
"""

BUGGY_VIEW = """\
from django.http import HttpResponse, JsonResponse


async def hello(request):
    # TODO: what does the client expect?
    return HttpResponse("hello")
"""

FIXED_VIEW = """\
from django.http import JsonResponse


async def hello(request):
    return JsonResponse({"greeting": "hello"})
"""

TESTS = """\
async def test_answers_json(app):
    response = await app.get("/hello/")
    response.assert_json({"greeting": "hello"})


async def test_answers_200(app):
    response = await app.get("/hello/")
    response.assert_status(200)
"""

KATA_TOML = """\
title = "Say hello"
level = 1
concepts = ["json"]
files = ["views.py"]
failing = ["test_answers_json"]
hints = ["one", "two", "three"]
"""


def write_kata(
    root: Path,
    name: str,
    *,
    view: str = BUGGY_VIEW,
    solution: str | None = FIXED_VIEW,
    tests: str = TESTS,
    toml: str = KATA_TOML,
    readme: str | None = "# Say hello\n\n## Your task\n\nAnswer with JSON.\n",
) -> Path:
    """A kata folder katas/<name> (and its solution, unless ``solution`` is None)."""
    kata = root / "katas" / name
    kata.mkdir(parents=True)
    (kata / "views.py").write_text(textwrap.dedent(view))
    (kata / "urls.py").write_text(URLS)
    (kata / "test_kata.py").write_text(textwrap.dedent(tests))
    (kata / "kata.toml").write_text(toml)
    if readme is not None:
        (kata / "README.md").write_text(readme)
    if solution is not None:
        (root / "solutions" / name).mkdir(parents=True)
        (root / "solutions" / name / "views.py").write_text(textwrap.dedent(solution))
    return kata


def copy_project(root: Path) -> Path:
    """Make ``root`` an empty dojo checkout: the project's config and Django project."""
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    shutil.copy(REPO / "conftest.py", root / "conftest.py")
    shutil.copytree(REPO / "kata_project", root / "kata_project")
    (root / "katas").mkdir()
    (root / "solutions").mkdir()
    return root
