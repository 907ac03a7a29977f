"""Shared fixtures. Area-specific fixtures live beside their tests."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from rosxl.criteria import Criteria, load_criteria
from rosxl.workbook import cache


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
