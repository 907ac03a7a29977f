"""The package writer (:mod:`rosxl.workbook.package`): archives zipfile reads back, CRCs checked."""

from __future__ import annotations

import io
import zipfile

from hypothesis import given
from hypothesis import strategies as st

from rosxl.criteria import Criteria
from rosxl.workbook.package import AHEAD_LEVEL, Part, Run, package
from rosxl.workbook.stamp import template

names = st.text(st.sampled_from("abcxyz_/[].0123"), min_size=1, max_size=30).filter(lambda n: not n.startswith("/"))


@given(st.dictionaries(names, st.binary(max_size=3000), min_size=1, max_size=8), st.sampled_from([1, AHEAD_LEVEL]))
def test_zipfile_reads_back_every_part_in_order(parts: dict[str, bytes], level: int) -> None:
    data = package([Part.of(name, content, level) for name, content in parts.items()])
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None  # every CRC and size as stored
        assert [i.filename for i in zf.infolist()] == list(parts)
        assert {i.filename: zf.read(i) for i in zf.infolist()} == parts
        assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in zf.infolist())


def test_the_template_parts_compressed_ahead_are_smaller_and_read_the_same(standard: Criteria) -> None:
    tpl = template(standard, "nb", "native", 50)
    assert tpl.packed.keys() < tpl.parts.keys()  # the parts filled per workbook are compressed per file
    per_file = [Part.of(name, tpl.parts[name]) for name in tpl.packed]
    assert sum(len(p.data) for p in tpl.packed.values()) < sum(len(p.data) for p in per_file)
    with zipfile.ZipFile(io.BytesIO(package(list(tpl.packed.values())))) as zf:
        assert {name: zf.read(name) for name in tpl.packed} == {name: tpl.parts[name] for name in tpl.packed}


@given(st.lists(st.tuples(st.binary(max_size=2000), st.booleans()), max_size=6))
def test_a_part_joined_from_runs_and_bytes_reads_as_their_concatenation(pieces: list[tuple[bytes, bool]]) -> None:
    part = Part.joined("xl/worksheets/sheet3.xml", [Run.of(b) if ahead else b for b, ahead in pieces])
    with zipfile.ZipFile(io.BytesIO(package([part]))) as zf:
        assert zf.testzip() is None
        assert zf.read(part.name) == b"".join(b for b, _ in pieces)
