"""The seeded corpus of mutated real files (:mod:`corpus.mutation`) through the guard and both
readers: every file either reads or is refused with a registered code; nothing else escapes."""

from __future__ import annotations

import io
import random
import zipfile
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from corpus import mutation as mc
from rosxl.conversion.pipeline import convert
from rosxl.errors import RosxlError
from rosxl.problems import registry
from rosxl.safety.reading import read_guarded
from rosxl.workbook.read import read_workbook


def convert_standard(path: Path) -> Any:
    return convert(path, "standard")


@pytest.fixture(scope="module")
def mutants(tmp_path_factory: pytest.TempPathFactory) -> list[mc.Mutant]:
    return mc.build(tmp_path_factory.mktemp("mutanter"), per_source=12)


def test_mutation_corpus_is_regenerated_by_its_seed(tmp_path: Path, mutants: list[mc.Mutant]) -> None:
    again = mc.build(tmp_path, per_source=12)
    assert [m.path.read_bytes() for m in again] == [m.path.read_bytes() for m in mutants]
    assert {m.kind for m in mutants} == set(mc.ZIP_KINDS)


def test_every_mutant_reads_or_is_refused_with_a_registered_code(mutants: list[mc.Mutant]) -> None:
    codes: dict[str, int] = {}
    for m in mutants:
        for read in (partial(read_guarded, reader=convert_standard, formats=None), read_workbook):
            try:
                read(m.path)
            except RosxlError as exc:
                assert exc.code in registry(), f"{m.path.name}: {exc.code} is not registered"
                assert "Traceback" not in str(exc)
                codes[exc.code] = codes.get(exc.code, 0) + 1
    assert len(codes) >= 4  # the mutants reach several layers, not just the first check


def test_mutate_is_reproducible_and_shuffled_zips_stay_valid() -> None:
    data = mc.SOURCES[0].read_bytes()
    assert mc.mutate(data, "swap", random.Random(1)) == mc.mutate(data, "swap", random.Random(1))
    with zipfile.ZipFile(io.BytesIO(mc.mutate(data, "shuffle", random.Random(2)))) as zf:
        assert zf.testzip() is None
