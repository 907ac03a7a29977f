"""The template cache on disk (:mod:`rosxl.workbook.cache`): a hit is the build, a bad file is rebuilt."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from rosxl.criteria import Criteria
from rosxl.workbook import cache, stamp


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    stamp.template.cache_clear()
    yield tmp_path / "cache"
    stamp.template.cache_clear()


def _forbid_building(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the template was built, not read from the cache")
    monkeypatch.setattr(stamp, "build_workbook", refuse)


def test_a_new_process_reads_the_template_instead_of_building_it(folder: Path, standard: Criteria,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    built = stamp.template(standard, "nb", "native", 50)
    assert [p.suffix for p in folder.iterdir()] == [".xlsx"]
    assert folder.stat().st_mode & 0o077 == 0  # the owner's only
    stamp.template.cache_clear()  # as in a new process
    _forbid_building(monkeypatch)
    read = stamp.template(standard, "nb", "native", 50)
    assert read.parts == built.parts and read.table == built.table and read.data == built.data


def test_everything_a_template_is_built_from_is_in_its_key(standard: Criteria, luster: Criteria) -> None:
    base = cache.template_key(standard, "nb", "native", 50)
    renamed = replace(standard, zones=(replace(standard.zones[0], colour="00FF00"), *standard.zones[1:]))
    others = [cache.template_key(luster, "nb", "native", 50), cache.template_key(renamed, "nb", "native", 50),
              cache.template_key(standard, "nn", "native", 50), cache.template_key(standard, "nb", "xlwings", 50),
              cache.template_key(standard, "nb", "native", 100)]
    assert len({base, *others}) == 1 + len(others)
    assert cache.template_key(standard, "nb", "native", 50) == base


def _timeless(parts: dict[str, bytes]) -> dict[str, bytes]:
    """The parts without the build time (``docProps/core.xml``), which stamping replaces anyway."""
    return {k: v for k, v in parts.items() if k != "docProps/core.xml"}


@pytest.mark.parametrize("damage", [b"", b"PK\x03\x04 not a zip", b"<html/>"])
def test_a_damaged_cache_file_is_rebuilt(folder: Path, standard: Criteria, damage: bytes) -> None:
    built = stamp.template(standard, "nb", "native", 50)
    (entry,) = folder.iterdir()
    entry.write_bytes(damage)
    stamp.template.cache_clear()
    rebuilt = stamp.template(standard, "nb", "native", 50)
    assert _timeless(rebuilt.parts) == _timeless(built.parts)
    assert stamp._cached_parts(cache.template_key(standard, "nb", "native", 50)) == rebuilt.parts


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to give a file away")
def test_a_cache_file_owned_by_someone_else_is_not_used(folder: Path, standard: Criteria,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    stamp.template(standard, "nb", "native", 50)
    (entry,) = folder.iterdir()
    os.chown(entry, 12345, 12345)
    stamp.template.cache_clear()
    _forbid_building(monkeypatch)
    with pytest.raises(AssertionError, match="was built"):
        stamp.template(standard, "nb", "native", 50)


def test_off_or_unwritable_cache_still_writes_workbooks(tmp_path: Path, standard: Criteria,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.ENV, "off")
    stamp.template.cache_clear()
    assert stamp.template(standard, "nb", "native", 50).parts
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(cache.ENV, str(blocker / "cache"))
    stamp.template.cache_clear()
    assert stamp.template(standard, "nb", "native", 50).parts
    stamp.template.cache_clear()


def test_old_entries_are_pruned(folder: Path, standard: Criteria, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "MAX_FILES", 2)
    folder.mkdir(mode=0o700)
    for n in range(3):
        (folder / f"old{n}.xlsx").write_bytes(b"x")
        os.utime(folder / f"old{n}.xlsx", (n, n))
    stamp.template(standard, "nb", "native", 50)
    new = f"{cache.template_key(standard, 'nb', 'native', 50)}.xlsx"
    assert {p.name for p in folder.iterdir()} == {"old2.xlsx", new}
