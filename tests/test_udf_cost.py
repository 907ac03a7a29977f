"""The cost model of benchmarks/bench_udfs.py: the counting harness, and the bound on the template's calls.

The harness recalculates a workbook in the `formulas` engine with the ``ros_*`` functions
registered and counts the calls Excel would make (only the branch of ``IF``/``IFERROR`` that is
taken). The bound — at 20 % raw facts, at most 0.2 × class cells + 5 calls, none with more than
16 cells — holds for a template whose calls pass the one-cell criteria token
(``ros_kriterier_token``); a template without the token is the old one, and the bound is skipped.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from benchmarks.udf_cost import FACTS, LOADER, TOKEN_NAME, Cost, lazy, measure, recalculate
from rosxl.analysis import Analysis, Residual, Scenario
from rosxl.criteria import load_criteria
from rosxl.workbook import write_workbook
from rosxl.workbook.layout import FIRST_ROW, SHEET, layout_for


@pytest.mark.parametrize(("formula", "expected"), [
    ("=ros_sone(G2,I2,\"liv_og_helse\",ros_kriterier)",
     '=ROSXL_CALL("ros_sone",FALSE,G2,I2,"liv_og_helse",ros_kriterier)'),
    ("=IF(ISNUMBER(G2),G2,ros_sannsynlighet(G2,ros_kriterier_token))",
     '=IF(ISNUMBER(G2),G2,ROSXL_CALL("ros_sannsynlighet",ISNUMBER(G2),G2,ros_kriterier_token))'),
    ("=IF(G2=\"\",\"\",IF(ISNUMBER(G2),G2,_xludf.ros_sannsynlighet(G2,'Krit (2)'!A1)))",
     "=IF(G2=\"\",\"\",IF(ISNUMBER(G2),G2,ROSXL_CALL(\"ros_sannsynlighet\",OR(G2=\"\",ISNUMBER(G2)),G2,"
     "'Krit (2)'!A1)))"),
    ("=IFERROR(MATCH(G2,liste,0),ros_konsekvens(\"okonomi\",G2))",
     '=IFERROR(MATCH(G2,liste,0),ROSXL_CALL("ros_konsekvens",NOT(ISERROR(MATCH(G2,liste,0))),"okonomi",G2))'),
    ("=SUM(A1:A3)&\"ros_sone(x)\"", "=SUM(A1:A3)&\"ros_sone(x)\""),
])
def test_lazy_makes_excels_untaken_branches_explicit(formula: str, expected: str) -> None:
    assert lazy(formula) == expected


@pytest.mark.slow
def test_the_harness_counts_only_the_calls_excel_makes(tmp_path: Path) -> None:
    """A guarded call costs nothing for a class; a fact costs one call with one cell plus the token."""
    from openpyxl.workbook.defined_name import DefinedName

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Ark"
    sheet["D1"] = '=ros_kriterier_last("risc")'  # RiSc scores p + k
    book.defined_names[TOKEN_NAME] = DefinedName(TOKEN_NAME, attr_text="Ark!$D$1")
    for row, value in enumerate([3, "1 gang per 20 år", None, "årlig"], start=1):
        sheet.cell(row, 1).value = value
        sheet.cell(row, 2).value = (f'=IF(A{row}="","",IF(ISNUMBER(A{row}),A{row},'
                                    f'ros_sannsynlighet(A{row},{TOKEN_NAME})))')
    sheet["C1"] = f"=ros_risiko(B1,3,{TOKEN_NAME})"
    path = tmp_path / "liten.xlsx"
    book.save(path)
    cost = Cost(rows=4, fact_share=0.5, class_cells=4, facts=2)
    solution = recalculate(path, cost, tmp_path)
    assert cost.has_token
    assert sorted((c.name, c.cells) for c in cost.calls) == [
        (LOADER, 1), ("ros_risiko", 3), ("ros_sannsynlighet", 2), ("ros_sannsynlighet", 2)]
    values = cell_values(solution, "Ark")
    assert values["D1"].startswith("rosxl-krit:")
    risc = load_criteria("risc")
    assert [values[f"B{r}"] for r in (1, 2, 4)] == [
        3, risc.read_probability("1 gang per 20 år").value, risc.read_probability("årlig").value]
    assert values["C1"] == 6


@pytest.fixture(scope="module")
def cost_at_20_percent(tmp_path_factory: pytest.TempPathFactory) -> Cost:
    return measure(50, 0.2, tmp_path_factory.mktemp("kost"))


@pytest.mark.slow
def test_the_filled_workbook_has_the_facts_it_claims(cost_at_20_percent: Cost) -> None:
    cost = cost_at_20_percent
    assert cost.rows == 50 and cost.class_cells == 30 * 12 and cost.facts == 72
    assert cost.calls, "the harness saw no ros_* call at all"


@pytest.mark.slow
def test_calls_are_few_and_light_at_20_percent_facts(cost_at_20_percent: Cost) -> None:
    cost = cost_at_20_percent
    if not cost.has_token:
        pytest.skip(f"the template has no «{TOKEN_NAME}» cell yet: every call still passes the whole criteria "
                    f"block ({len(cost.calls)} calls, {cost.cells} cells); the bound applies to the new formulas")
    assert len(cost.calls) <= 0.2 * cost.class_cells + 5, cost.by_function()
    assert cost.max_cells <= 16  # every call but the token cell's, which passes the block once
    assert cost.by_function().get(LOADER) == 1


def cell_values(solution: Any, sheet: str) -> dict[str, Any]:
    """The engine's single-cell results of one sheet, by coordinate."""
    found = {}
    for key, value in solution.items():
        book_sheet, _, ref = str(key).rpartition("!")
        if book_sheet.strip("'").upper().endswith(f"]{sheet.upper()}") and ":" not in ref and hasattr(value, "value"):
            found[ref] = value.value[0, 0]
    return found


@pytest.mark.slow
def test_facts_in_the_xlwings_template_give_what_classes_give_in_the_native_one(tmp_path: Path) -> None:
    """Same scenarios: the native workbook holds classes, the xlwings one the raw facts those classes come
    from (read as `rosxl classify` reads them); zones, overall zones, scores and the risk matrix agree."""
    criteria = load_criteria("standard")
    rng = random.Random(7)
    scenarios = [Scenario(id=str(n), title=f"S{n}", probability=rng.randint(1, 5),
                          consequences={a: rng.randint(1, 5) for a in criteria.area_keys},
                          residual=Residual(probability=rng.randint(1, 5),
                                            consequences={a: rng.randint(1, 5) for a in criteria.area_keys}))
                 for n in range(1, 13)]
    facts: dict[tuple[int, str], str] = {}  # (row, column letter) -> fact, in the xlwings workbook
    layout = layout_for(criteria, criteria.language, "xlwings")
    for n, scenario in enumerate(scenarios):
        probability, consequences = layout.inputs("before")
        fact = FACTS["probability"][n % len(FACTS["probability"])]
        scenario.probability = criteria.read_probability(fact).value
        facts[(FIRST_ROW + n, probability.letter)] = fact
        column = consequences[n % len(consequences)]
        area = criteria.area(column.field or "")
        fact = FACTS[area.unit][n % len(FACTS[area.unit])]
        scenario.consequences[area.key] = criteria.read_consequence(area.key, fact).value
        facts[(FIRST_ROW + n, column.letter)] = fact
    results = {}
    for flavour in ("native", "xlwings"):
        path = write_workbook(Analysis(criteria, scenarios), tmp_path / f"{flavour}.xlsx", flavour=flavour)
        if flavour == "xlwings":
            book = openpyxl.load_workbook(path)
            for (row, letter), fact in facts.items():
                book[SHEET][f"{letter}{row}"].value = fact
            book.save(path)
        solution = recalculate(path, Cost(12, 0.0, 144, len(facts)), tmp_path)
        table, matrix = cell_values(solution, SHEET), cell_values(solution, "Risikomatrise")
        lay = layout_for(criteria, criteria.language, flavour)
        columns = [*lay.zones("before"), lay.overall("before"), lay["score"], *lay.zones("after"),
                   lay.overall("after")]
        results[flavour] = ({(c.key, row): table.get(f"{c.letter}{row}") for c in columns
                             for row in range(FIRST_ROW, FIRST_ROW + len(scenarios))}, matrix)
    assert results["xlwings"] == results["native"]
    assert any(v for v in results["native"][0].values()) and results["native"][1]


@pytest.mark.slow
def test_an_edited_criteria_block_moves_every_zone(tmp_path: Path) -> None:
    """Recolour the matrices' cell S=1, K=1 on the Kriterier sheet: every zone of a 1/1 scenario follows.

    Through the token where the template has one (the token cell changes with the block), through the
    block itself in the old template.
    """
    criteria = load_criteria("standard")
    layout = layout_for(criteria, criteria.language, "xlwings")
    scenarios = [Scenario(id=str(n), title=f"S{n}", probability=1, consequences=dict.fromkeys(criteria.area_keys, 1))
                 for n in range(1, 4)]
    path = write_workbook(Analysis(criteria, scenarios), tmp_path / "ros.xlsx", flavour="xlwings")
    zone_cells = [f"{c.letter}{row}" for c in layout.zones("before") for row in range(FIRST_ROW, FIRST_ROW + 3)]

    def zones(book: Path) -> set[Any]:
        values = cell_values(recalculate(book, Cost(3, 0.0, 36, 0), tmp_path), SHEET)
        return {values.get(ref) for ref in zone_cells}

    green, red = (criteria.zone_def(z).label(criteria.language) for z in (criteria.zone(1, 1) or "", "red"))
    assert zones(path) == {green}
    book = openpyxl.load_workbook(path)
    sheet = book["Kriterier"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    for matrix in criteria.matrices:
        heading = next(i for i, row in enumerate(rows) if row[0] == matrix.key) + 1  # the «S \ K» row
        last = heading + criteria.probability_levels + 1  # 1-based row of probability class 1
        assert sheet.cell(last, 1).value == 1
        sheet.cell(last, 2).value = "red"
    edited = tmp_path / "endret.xlsx"
    book.save(edited)
    assert zones(edited) == {red}


def test_every_fact_of_the_harness_reads_as_a_class() -> None:
    criteria = load_criteria("standard")
    assert all(criteria.read_probability(f).value for f in FACTS["probability"])
    for area in criteria.area_keys:
        assert all(criteria.read_consequence(area, f).value for f in FACTS[criteria.area(area).unit]), area
