"""The field table and typed field paths: names parsed once, paths, labels, and checked header data."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import fields as dataclass_fields
from dataclasses import make_dataclass
from pathlib import Path

import pytest

from rosxl import fields as fields_module
from rosxl.analysis import Analysis, Residual, Scenario, assess_scenario
from rosxl.conversion.headers import parse_table, table
from rosxl.criteria import Criteria
from rosxl.fields import (
    BY_PATH,
    DERIVED,
    FIELDS,
    PLACES,
    TEXT_PATHS,
    Field,
    FieldPath,
    SheetColumn,
    label,
    sheet_fields,
)
from rosxl.workbook import read_analysis, write_workbook
from rosxl.workbook.export import excel_rows, export_text
from rosxl.workbook.layout import layout_for


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


# --- one table behind the JSON, the workbook, the CSV exports and the header data ------------------


def test_the_scenario_dataclass_and_the_table_agree() -> None:
    """Every stored field is an attribute of ``Scenario`` (or ``Residual``) of the kind's type, and every
    attribute is a stored field or derived: a field added to one without the other fails here."""
    types = {f.name: f.type for f in dataclass_fields(Scenario) if f.name != "residual"}
    types |= {f"residual.{f.name}": f.type for f in dataclass_fields(Residual)}
    stored = {f.path: f for f in FIELDS if f.stored}
    assert set(types) - set(DERIVED) == set(stored)
    assert set(DERIVED) <= set(types)
    expected = {"text": "str | None", "zone": "str | None", "keep": "dict[str, Any]"}
    for path, f in stored.items():
        wanted = "int | None" if path.endswith("probability") else "dict[str, int | None]"
        assert types[path] == expected.get(f.kind, wanted), path


def test_every_text_field_has_synonyms_in_the_header_data() -> None:
    data = table()["fields"]
    for path in TEXT_PATHS:
        entry = data.get(str(FieldPath(path)), {})
        assert entry.get("exact") or entry.get("words"), f"headers.toml: [fields.{path}] mangler synonymer"


def test_every_text_field_reaches_the_sheet_the_exports_and_back(tmp_path: Path, standard: Criteria) -> None:
    """One value per text field: its Scenarier column (header and width from the table), the CSV for
    Excel, the machine CSV, the JSON, and a workbook read back."""
    values = {p: (BY_PATH[p].choices[-1].key if BY_PATH[p].choices else f"«{p}»\nlinje 2") for p in TEXT_PATHS}
    analysis = Analysis(standard, [assess_scenario(Scenario.from_dict(values), standard)])
    for language in ("nb", "nn"):
        layout = layout_for(standard, language)
        header, row = excel_rows(analysis, language)
        excel = dict(zip(header, row, strict=True))
        for f in FIELDS:
            if f.column is None:
                continue
            col = layout[f.path]
            assert (col.header, col.field, col.kind) == (f.column.nn if language == "nn" else f.column.nb, f.path,
                                                           "choice" if f.choices else "text")
            assert col.width >= f.column.width
            assert excel[col.header] == (f.choice_label(values[f.path], language) or values[f.path])
    assert [c.field for c in layout_for(standard).columns if c.kind in ("text", "choice")] == \
        [f.path for place in PLACES for f in sheet_fields(place)]
    machine = next(csv.DictReader(io.StringIO(export_text(analysis, "csv-data"))))
    json_form = json.loads(analysis.to_json())["scenarios"][0]
    back = read_analysis(write_workbook(analysis, tmp_path / "a.xlsx")).scenarios[0]
    for path, value in values.items():
        assert machine[path] == json_form[path] == getattr(back, path) == value, path


@pytest.fixture
def new_field(monkeypatch: pytest.MonkeyPatch) -> Iterator[Field]:
    """A text field that exists only as a line of the table (layouts built before and after are dropped)."""
    added = Field("priority", "text", "prioritet", "prioritet", SheetColumn("Prioritet", "Prioritet", 10, "assessment"))
    monkeypatch.setattr(fields_module, "FIELDS", (*FIELDS, added))
    layout_for.cache_clear()
    yield added
    layout_for.cache_clear()


def test_a_new_text_field_is_one_line_of_the_table(new_field: Field, standard: Criteria) -> None:
    """A line in the table gives the field its Scenarier column, at its place and with its header, and a
    column of the CSV for Excel. (The JSON and the machine CSV need the ``Scenario`` attribute as well,
    and the converter its synonyms: the two tests above fail until both are there.)"""
    layout = layout_for(standard, "nn")
    col = layout["priority"]
    assert (col.header, col.kind, col.hidden) == ("Prioritet", "text", False)
    assert layout.columns[col.index - 2].key == "status" and layout.columns[col.index].key == "residual.probability"
    scenario = make_dataclass("WithPriority", [("priority", "str | None", None)], bases=(Scenario,))(
        id="N1", title="Flaum", priority="høg")
    header, row = excel_rows(Analysis(standard, [scenario]), "nn")
    assert dict(zip(header, row, strict=True))["Prioritet"] == "høg"
