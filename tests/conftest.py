"""Shared fixtures. Area-specific fixtures live beside their tests."""

from __future__ import annotations

import pytest

from rosxl.criteria import Criteria, load_criteria


@pytest.fixture(scope="session")
def standard() -> Criteria:
    return load_criteria("standard")


@pytest.fixture(scope="session")
def luster() -> Criteria:
    return load_criteria("luster-2013")
