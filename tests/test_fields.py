"""The field table and typed field paths: names parsed once, paths, labels, and checked header data."""

from __future__ import annotations

import pytest

from rosxl.conversion.headers import parse_table, table
from rosxl.fields import FIELDS, FieldPath, label


@pytest.mark.parametrize(("name", "field", "path"), [
    ("title", FieldPath("title"), "title"),
    ("consequence", FieldPath("consequence"), "consequences.samlet"),
    ("consequence:okonomi", FieldPath("consequence", "okonomi"), "consequences.okonomi"),
    ("residual.probability", FieldPath("probability", residual=True), "residual.probability"),
    ("residual.consequence:liv_og_helse", FieldPath("consequence", "liv_og_helse", True),
     "residual.consequences.liv_og_helse"),
    ("residual.risk", FieldPath("risk", residual=True), "residual.risk"),
    ("area", FieldPath("area"), "area"),
])
def test_names_and_paths(name: str, field: FieldPath, path: str) -> None:
    assert FieldPath.parse(name) == field and str(field) == name and field.path == path
    assert FieldPath.of_path(path) == field


@pytest.mark.parametrize("name", ["tittel", "residual.title", "title:okonomi", "consequences", ""])
def test_unknown_names_are_refused(name: str) -> None:
    with pytest.raises(ValueError):
        FieldPath.parse(name)


@pytest.mark.parametrize("path", ["extra", "zone", "residual.id", "title.x", "tittel"])
def test_paths_without_a_converter_field(path: str) -> None:
    assert FieldPath.of_path(path) is None


def test_every_canonical_field_has_a_label_in_both_forms() -> None:
    for f in FIELDS:
        field = FieldPath.of_path(f.path)
        if field is not None:
            assert field.label("nb") == f.nb and field.label("nn") == f.nn
    assert label("consequence:okonomi") == "konsekvens (okonomi)"
    assert label(FieldPath("probability", residual=True), "nn") == "sannsyn etter tiltak"
    assert label(None) == "tatt vare på uten felt"


def test_header_data_names_known_fields() -> None:
    assert {str(FieldPath.parse(name)) for name in table()["fields"]} == set(table()["fields"])
    with pytest.raises(ValueError, match=r"\[fields\.tittel\]: ukjent felt «tittel»"):
        parse_table('[fields.tittel]\nexact = ["tittel"]\n')
    with pytest.raises(ValueError, match=r"\[fields\.title:okonomi\]: bare konsekvens har et område"):
        parse_table('[fields."title:okonomi"]\nexact = ["x"]\n')
