"""kobling.toml: the mapping a conversion used, fed back, gives the same scenarios (issue 10, item 6)."""

from __future__ import annotations

from pathlib import Path

import pytest

import rosxl
from rosxl.conversion.mapping import MappingError, parse, render
from tests.generated_corpus import cached_corpus
from tests.sheets import new_sheet


def test_the_written_mapping_reproduces_every_generated_file(tmp_path: Path) -> None:
    folder, cases = cached_corpus(40, 7, root=tmp_path)
    for case in cases:
        path = folder / case.name
        analysis, report = rosxl.convert(path)
        again, _ = rosxl.convert(path, mapping=parse(render([report.to_dict()])))
        assert [s.to_dict() for s in again.scenarios] == [s.to_dict() for s in analysis.scenarios], case.name
        assert again.criteria.area_keys == analysis.criteria.area_keys, case.name


def test_a_sheet_can_be_skipped_and_a_column_ignored(tmp_path: Path) -> None:

    wb, ws = new_sheet()
    ws.title = "ROS"
    ws.append(["Nr", "Hendelse", "S", "K", "Intern merknad"])
    ws.append([1, "Flom", 3, 4, "ikke til politikerne"])
    other = wb.create_sheet("Gammel")
    other.append(["Nr", "Hendelse", "S", "K"])
    other.append([9, "Utgått", 1, 1])
    wb.save(tmp_path / "to-ark.xlsx")
    mapping = parse('[[fil]]\nnavn = "to-*.xlsx"\n[[fil.ark]]\nnavn = "Gammel"\nbruk = false\n'
                    '[[fil.ark]]\nnavn = "R*"\n[[fil.ark.tabell]]\noverskriftsrader = [1]\n'
                    '[fil.ark.tabell.kolonner]\nE = "ignore"\n')
    analysis, report = rosxl.convert(tmp_path / "to-ark.xlsx", mapping=mapping)
    assert [s.title for s in analysis.scenarios] == ["Flom"] and "Intern merknad" not in analysis.scenarios[0].extra
    assert [s["role"] for s in report.sheets] == ["scenariotabell", "ikke brukt (koblingsfilen)"]


def test_scale_words_from_the_mapping(tmp_path: Path) -> None:

    wb, ws = new_sheet()
    ws.append(["Nr", "Hendelse", "Sannsynlighet", "Konsekvens"])
    ws.append([1, "Flom", "ofte", "alvorlig nok"])
    wb.save(tmp_path / "ord.xlsx")
    mapping = parse('[[fil]]\nnavn = "*"\n[fil.skala.sannsynlighet]\n"sjelden" = 1\n"av og til" = 2\n"ofte" = 3\n'
                    '[fil.skala.konsekvens]\n"lite" = 1\n"alvorlig nok" = 2\n"svært alvorlig" = 3\n')
    s = rosxl.convert(tmp_path / "ord.xlsx", mapping=mapping)[0].scenarios[0]
    assert (s.probability, s.consequences["samlet"]) == (5, 3)  # 3 of 3 → 5, 2 of 3 → 3 (the scale rule)


@pytest.mark.parametrize(("text", "says"), [
    ('[[fil]]\nnavn = "*"\n[[fil.ark]]\nnavn = "A"\n[[fil.ark.tabell]]\nomrade = "A1-C9"\n', "linje 6: «omrade»"),
    ('[[fil]]\nnavn = "*"\n[fil.skala.sannsynlighet]\n"ofte" = 0\n', "linje 4: nivået for «ofte»"),
    ('[[fil]]\n[[fil.ark]]\nnavn = "A"\n', "«fil» mangler «navn"),
])
def test_bad_values_name_their_line(text: str, says: str) -> None:
    with pytest.raises(MappingError) as caught:
        parse(text, "kobling.toml")
    assert says in str(caught.value) and str(caught.value).startswith("kobling.toml")
