"""Shared fixtures. Area-specific fixtures live beside their tests."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import settings

from rosxl.criteria import Criteria, load_criteria
from rosxl.workbook import cache

#: In CI (``CI`` set, as every CI service does) the fuzz tests are derandomised: the same examples on
#: every run, so a failure is reproducible and a pass means the same thing each time. Locally they
#: stay random, to keep finding new cases (the seeded mutation corpus covers the known ones).
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session", autouse=True)
def template_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The tests' own template cache: nothing is read from or written to the user's."""
    before = os.environ.get(cache.ENV)
    os.environ[cache.ENV] = str(tmp_path_factory.mktemp("template-cache"))
    yield
    if before is None:
        del os.environ[cache.ENV]
    else:
        os.environ[cache.ENV] = before


@pytest.fixture(scope="session")
def standard() -> Criteria:
    return load_criteria("standard")


@pytest.fixture(scope="session")
def luster() -> Criteria:
    return load_criteria("luster-2013")
