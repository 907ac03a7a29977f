"""Atomic outputs: whole file or nothing, no silent overwrite, no temporary files left behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from rosxl.errors import OutputExistsError
from rosxl.safety.outputs import atomic_output, remove_stale_temporaries


def test_written_under_the_real_name_only_on_success(tmp_path: Path) -> None:
    target = tmp_path / "ut" / "analyse.xlsx"
    with atomic_output(target) as tmp:
        assert tmp.parent == target.parent and tmp.name.startswith(".analyse.xlsx.tmp-")
        tmp.write_bytes(b"data")
        assert not target.exists()
    assert target.read_bytes() == b"data"
    assert [p.name for p in target.parent.iterdir()] == ["analyse.xlsx"]


@pytest.mark.parametrize("exc", [ValueError, KeyboardInterrupt])
def test_failure_leaves_nothing(tmp_path: Path, exc: type[BaseException]) -> None:
    target = tmp_path / "analyse.json"
    with pytest.raises(exc), atomic_output(target) as tmp:
        tmp.write_text("halv")
        raise exc()
    assert list(tmp_path.iterdir()) == []


def test_existing_output_is_kept_without_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "analyse.json"
    target.write_text("gammel")
    with pytest.raises(OutputExistsError) as info, atomic_output(target) as tmp:
        tmp.write_text("ny")
    assert info.value.code == "output-exists" and "--overwrite" in info.value.message
    assert target.read_text() == "gammel"
    with atomic_output(target, overwrite=True) as tmp:
        tmp.write_text("ny")
    assert target.read_text() == "ny"
    assert list(tmp_path.iterdir()) == [target]


def test_output_that_appears_meanwhile_is_not_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "analyse.json"
    with pytest.raises(OutputExistsError), atomic_output(target) as tmp:
        tmp.write_text("ny")
        target.write_text("en annen prosess")
    assert target.read_text() == "en annen prosess"
    assert list(tmp_path.iterdir()) == [target]


def test_writer_that_writes_nothing_fails(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError), atomic_output(tmp_path / "a.json"):
        pass
    assert list(tmp_path.iterdir()) == []


def test_stale_temporaries_of_an_interrupted_run_are_removed(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    stale = [tmp_path / ".a.xlsx.tmp-0123abcd", tmp_path / "sub" / ".b.json.tmp-99"]
    keep = [tmp_path / "a.xlsx", tmp_path / ".hidden", tmp_path / "sub" / "b.json"]
    for p in stale + keep:
        p.write_text("x")
    assert sorted(remove_stale_temporaries(tmp_path)) == sorted(stale)
    assert all(p.exists() for p in keep) and not any(p.exists() for p in stale)
