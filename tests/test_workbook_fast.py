"""The stamped workbook (:mod:`rosxl.workbook.stamp`) is the workbook openpyxl builds, part by part."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from rosxl.analysis import Analysis, Residual, Scenario, assess_scenario
from rosxl.criteria import Criteria, load_criteria
from rosxl.workbook import read_analysis
from rosxl.workbook.layout import FIRST_ROW, SHEET, Layout
from rosxl.workbook.ooxml import save_workbook
from rosxl.workbook.stamp import stamp, template
from rosxl.workbook.write import JSON_CHUNK, build_workbook, table_rows, write_workbook
from tests.libreoffice import convert

HOSTILE = ["=SUM(A1:A2)", "=", "+47 99", "-ukjent", "@brukar", "#N/A", "  mellomrom  ", "linje 1\nlinje 2",
           "a\r\nb", "<b>&amp;</b> \"sitat\" 'enkel'", "Flaum i Sogndal – høg vasstand æøå", "\t"]


def hostile(c: Criteria, n: int = 14) -> Analysis:
    areas = c.area_keys
    scenarios = []
    for i in range(n):
        text = HOSTILE[i % len(HOSTILE)]
        s = Scenario(id=f"N{i + 1}" if i % 3 else str(i), title=text, category="Naturhendingar",
                     description=None if i % 4 == 0 else f"Skildring {i}: {text}", causes=HOSTILE[(i + 1) % 12],
                     probability=i % c.probability_levels + 1 if i % 5 else None,
                     consequences={a: (i + j) % c.consequence_levels_count + 1 for j, a in enumerate(areas)},
                     uncertainty=("lav", "middels", "hoy", "litt", None)[i % 5], measures=HOSTILE[(i + 2) % 12],
                     deadline="2026-06-30", residual=Residual(probability=1, consequences={areas[0]: 1}),
                     raw={"probability": "av og til"} if i % 5 == 0 else {}, review=["Sjekk", "x\ny"][: i % 3],
                     source={"file": "gammal.xls", "row": i}, extra={"=kolonne": "=verdi", "Tal": 4.5})
        scenarios.append(assess_scenario(s, c))
    return Analysis(c, scenarios, metadata={"kommune": "Luster", "tittel": "=ROS"}, report={"rows": n})


def parts(path: Path) -> dict[str, bytes]:
    """The parts of an .xlsx, with the save time and the optional xml:space marker taken out."""
    with zipfile.ZipFile(path) as zf:
        out = {i.filename: zf.read(i).replace(b' xml:space="preserve"', b"") for i in zf.infolist()}
    del out["docProps/core.xml"]
    return out


CASES = [(name, language, flavour) for name in ("standard", "luster-2013", "risc") for language in ("nb", "nn")
         for flavour in ("native", "xlwings")]


@pytest.mark.parametrize(("name", "language", "flavour"), CASES)
def test_stamped_equals_openpyxl_build(tmp_path: Path, name: str, language: str, flavour: str) -> None:
    c = load_criteria(name)
    a = hostile(c)
    fast, slow = tmp_path / "fast.xlsx", tmp_path / "slow.xlsx"
    assert stamp(a, language, flavour, fast)  # type: ignore[arg-type]
    save_workbook(build_workbook(a, language, flavour), slow)  # type: ignore[arg-type]
    got, want = parts(fast), parts(slow)
    assert list(got) == list(want)
    for part in want:  # every cell, style id, formula, name, rule, validation and table, byte for byte
        assert got[part] == want[part], part
    assert read_analysis(fast).to_dict() == read_analysis(slow).to_dict()


def test_text_stays_text_and_numbers_stay_numbers(tmp_path: Path, standard: Criteria) -> None:
    a = hostile(standard, n=len(HOSTILE))
    path = write_workbook(a, tmp_path / "t.xlsx")
    layout = Layout(standard, "nb")
    ws = load_workbook(path)[SHEET]
    for i, s in enumerate(a.scenarios):
        title = ws.cell(FIRST_ROW + i, layout["title"].index)
        assert (title.value, title.data_type) == (s.title, "s")  # exactly, line breaks included
        cell = ws.cell(FIRST_ROW + i, layout["consequences.okonomi"].index)
        assert (cell.value, cell.data_type) == (s.consequences["okonomi"], "n")
    assert ws.cell(FIRST_ROW, layout["zone"].index).data_type == "f"


def test_control_characters_become_spaces(tmp_path: Path, standard: Criteria) -> None:
    """Legacy text may carry characters an .xlsx cannot hold: both writers replace them, none refuses."""
    s = Scenario(id="N1", title="linje\x0bto\x00\x1f", description="ok\ttab", probability=1,
                 consequences={"okonomi": 1})
    a = Analysis(standard, [assess_scenario(s, standard)])
    fast, slow = tmp_path / "fast.xlsx", tmp_path / "slow.xlsx"
    assert stamp(a, "nb", "native", fast)
    build_workbook(a, "nb", "native").save(slow)
    for path in (fast, slow):
        back = read_analysis(path).scenarios[0]
        assert (back.title, back.description) == ("linje to  ", "ok\ttab")


def test_unusual_values_fall_back_to_openpyxl(tmp_path: Path, standard: Criteria) -> None:
    huge = Analysis(standard, [Scenario(id="N1")], metadata={"notat": "x" * (JSON_CHUNK + 10)})
    assert not stamp(huge, "nb", "native", tmp_path / "huge.xlsx")
    assert not (tmp_path / "huge.xlsx").exists()
    assert read_analysis(write_workbook(huge, tmp_path / "huge.xlsx")).metadata == huge.metadata
    flag = Analysis(standard, [Scenario(id="N1", status=True)])  # type: ignore[arg-type]
    assert not stamp(flag, "nb", "native", tmp_path / "flag.xlsx")
    ws = load_workbook(write_workbook(flag, tmp_path / "flag.xlsx"))[SHEET]
    assert ws.cell(FIRST_ROW, Layout(standard)["status"].index).value is True


def test_table_sizes_and_template_reuse(tmp_path: Path, luster: Criteria) -> None:
    assert [table_rows(n) for n in (0, 10, 11, 30, 31, 80, 81, 980, 981, 5000)] == [30, 30, 50, 50, 100, 100, 200,
                                                                                      1000, 1001, 5020]
    a = hostile(luster, n=31)
    ws = load_workbook(write_workbook(a, tmp_path / "a.xlsx"))[SHEET]
    assert ws.tables["Scenarier"].ref == f"A1:{Layout(luster, 'nn').last.letter}101"
    before = template.cache_info()
    for n in (32, 60, 80):
        write_workbook(hostile(luster, n), tmp_path / f"{n}.xlsx")
    after = template.cache_info()
    assert (after.hits - before.hits, after.misses - before.misses) == (3, 0)


@pytest.mark.libreoffice
@pytest.mark.slow
def test_libreoffice_computes_the_zones_of_stamped_workbooks(tmp_path: Path) -> None:
    """Classes written by the stamp (not retyped by openpyxl) are what LibreOffice computes from."""
    pairs = [(p, k) for p in range(1, 6) for k in range(1, 6)]
    cases = {"standard-nb": ("standard", "nb"), "luster-nn": ("luster-2013", "nn"), "risc-nb": ("risc", "nb")}
    files = []
    for stem, (name, language) in cases.items():
        c = load_criteria(name)
        scenarios = [assess_scenario(Scenario(id=f"=N{i}", title="+Flaum", probability=p,
                                              consequences=dict.fromkeys(c.area_keys, k)), c)
                     for i, (p, k) in enumerate(pairs, start=1)]
        files.append(write_workbook(Analysis(c, scenarios), tmp_path / f"{stem}.xlsx", language=language))  # type: ignore[arg-type]
    out = convert(files, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo")
    for path, (name, language) in zip(out, cases.values(), strict=True):
        c = load_criteria(name)
        layout = Layout(c, language)  # type: ignore[arg-type]
        ws = load_workbook(path, data_only=True)[SHEET]
        for r, (p, k) in enumerate(pairs, start=FIRST_ROW):
            worst = c.worst_zone([c.zone(p, k, a) for a in c.area_keys])
            assert ws.cell(r, layout["zone"].index).value == c.zone_def(worst).label(language), (name, p, k)  # type: ignore[arg-type]
            assert ws.cell(r, layout["score"].index).value == c.risk_score(p, k)
            assert ws.cell(r, layout["id"].index).value == f"=N{r - 1}"


def test_a_row_without_some_of_its_cells_gets_them_in_column_order() -> None:
    """A template row that lacks cells the analysis fills (before, between and after the cells it has)
    gets them where Excel expects them; a row with every cell is filled in place."""
    from rosxl.workbook.stamp import _sheet

    xml = ('<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Nr</t></is></c></row>'
           '<row r="2" spans="1:5"><c r="B2" s="3"/><c r="D2" s="4"><f>B2</f><v></v></c></row>'
           '<row r="3"><c r="A3" s="3"/><c r="B3" s="3"/></row></sheetData>')
    sheet = _sheet(xml, {2: [1, 2, 3, 5], 3: [1, 2]})
    filled, rest = sheet.fill({(2, 1): "x", (2, 3): 7, (2, 5): "<&>", (3, 2): 1.5}, {2: 30.0})
    assert filled + xml[rest:] == (
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Nr</t></is></c></row>'
        '<row r="2" ht="30" customHeight="1" spans="1:5">'
        '<c r="A2" t="inlineStr"><is><t xml:space="preserve">x</t></is></c>'
        '<c r="B2" s="3"/><c r="C2" t="n"><v>7</v></c><c r="D2" s="4"><f>B2</f><v></v></c>'
        '<c r="E2" t="inlineStr"><is><t xml:space="preserve">&lt;&amp;&gt;</t></is></c></row>'
        '<row r="3"><c r="A3" s="3"/><c r="B3" s="3" t="n"><v>1.5</v></c></row></sheetData>')
    assert sheet.fill({(2, 2): "y"}) == (xml[:xml.index('<row r="2"')] + '<row r="2" spans="1:5">'
                                         '<c r="B2" s="3" t="inlineStr"><is><t xml:space="preserve">y</t></is></c>'
                                         '<c r="D2" s="4"><f>B2</f><v></v></c></row>',
                                         xml.index('<row r="3"'))
