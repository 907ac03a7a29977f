"""The template cache on disk (:mod:`rosxl.workbook.cache`): a hit is the build, a bad file is rebuilt,
the install step fills it with what conversions then use."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from corpus.legacy import form_sheets, legend_sheet, nynorsk_helhetleg, semicolon_cp1252, several_sheets, two_row_header
from rosxl.conversion.batch import Job, convert_job
from rosxl.criteria import Criteria, list_presets
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


def test_the_install_step_fills_the_cache_that_conversions_then_hit(folder: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert cache.main(["--warm"]) == 0
    ready = len(list(folder.iterdir()))
    assert f"{ready} maler klare" in capsys.readouterr().out
    assert ready > len(list_presets()) * 2 * len(stamp.INSTALL_ROWS)  # both forms, some also with «samlet»
    assert cache.main(["--warm"]) == 0 and "(0 bygd nå)" in capsys.readouterr().out
    stamp.template.cache_clear()  # as in a new process after the install
    _forbid_building(monkeypatch)
    misses: list[str] = []
    load = cache.load

    def counted(key: str) -> bytes | None:
        data = load(key)
        if data is None:
            misses.append(key)
        return data
    monkeypatch.setattr(cache, "load", counted)
    (tmp_path / "src").mkdir()
    builders = (two_row_header, nynorsk_helhetleg, semicolon_cp1252, legend_sheet, several_sheets, form_sheets)
    for build in builders:
        source = build(tmp_path / "src")
        report = convert_job(Job(str(source), str(tmp_path / "out" / source.stem), "standard", False))
        assert not report.get("error"), report
    assert stamp.template.cache_info().misses >= 2  # nynorsk and bokmål at least, all read from the cache
    assert misses == []


def test_a_batch_prepares_its_common_template_once(folder: Path, standard: Criteria) -> None:
    assert stamp.prepare(standard, ("nb", "nb")) == 1
    assert stamp.template.cache_info().currsize == 1
    assert stamp.prepare(standard) == 0
    assert stamp.template.cache_info().hits == 1  # in memory: a forked worker inherits it


def test_warming_with_the_cache_off_or_wrong_arguments(monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert cache.main([]) == 2
    assert "bruk: python -m rosxl.workbook.cache --warm" in capsys.readouterr().err
    monkeypatch.setenv(cache.ENV, "off")
    assert cache.main(["--warm"]) == 0
    assert "slått av" in capsys.readouterr().out
