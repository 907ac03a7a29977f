"""``rosxl merge`` and ``rosxl.merge``: sources kept, ids unique, criteria mapped and flagged,
duplicates flagged, the merged workbook passes ``rosxl check`` apart from the listed review items."""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import rosxl
from rosxl.analysis import Analysis, Scenario, assess_scenario
from rosxl.cli import cli
from rosxl.conversion.values import rescale
from rosxl.criteria import Criteria, criteria_from_dict, criteria_to_dict, load_criteria
from rosxl.errors import OutputRefusedError
from rosxl.inputs import AnalysisInputError, analysis_from_json, find_analyses
from rosxl.merging import DUPLICATE_THRESHOLD, MergeError, merge, merge_files
from rosxl.workbook.check import check_workbook

LEGACY = Path(__file__).parent.parent / "examples" / "legacy"
THREE = ("heilskapleg-ros-2014.ods", "plan-ros-sjobakken.xlsx", "risikoregister-2012.csv")


@pytest.fixture(scope="module")
def converted() -> dict[str, Analysis]:
    """Three shipped legacy examples, converted in-process."""
    return {name: rosxl.convert(LEGACY / name)[0] for name in THREE}


def scenario(ident: str, title: str, p: int | None, ks: dict[str, int | None], criteria: Criteria,
             **fields: Any) -> Scenario:
    s = Scenario(id=ident, title=title, probability=p, consequences=dict(ks), measures="Tiltak", **fields)
    return assess_scenario(s, criteria)


def four_level(standard: Criteria) -> Criteria:
    """``standard`` cut to four probability and consequence classes (a smaller scale)."""
    data = json.loads(json.dumps(criteria_to_dict(standard)))
    data["name"] = "fire-nivåer"
    data["probability"] = data["probability"][:4]
    data["probability"][-1]["band"] = [data["probability"][-1]["band"][0], math.inf]
    data["consequence_levels"] = data["consequence_levels"][:4]
    for area in data["areas"]:
        area["classes"] = area["classes"][:4]
        if area["classes"][-1].get("band"):
            area["classes"][-1]["band"] = [area["classes"][-1]["band"][0], math.inf]
    for m in data["matrices"]:
        m["rows"] = [row[:4] for row in m["rows"][1:]]
    return criteria_from_dict(data, source="test")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_three_converted_examples_counts_sources_and_unique_ids(converted: dict[str, Analysis]) -> None:
    analyses = list(converted.values())
    merged = merge(analyses)
    assert len(merged.scenarios) == sum(len(a.scenarios) for a in analyses)
    ids = [s.id for s in merged.scenarios]
    assert len(set(ids)) == len(ids)
    originals = [(a.metadata["source"], s) for a in analyses for s in a.scenarios]
    for (name, before), after in zip(originals, merged.scenarios, strict=True):
        assert after.source["analysis"] == name
        assert after.source["id"] == before.id and after.source["category"] == before.category
        assert after.source["file"] == before.source["file"]
        assert after.id == f"{after.source['sector']}-{before.id}"
        assert after.title == before.title and after.raw == before.raw
        assert after.category == (before.category or Path(name).stem)
    assert [s["scenarios"] for s in merged.report["merge"]["sources"]] == [len(a.scenarios) for a in analyses]
    assert [s["code"] for s in merged.report["merge"]["sources"]] == ["HEI", "PLA", "RIS"]


def test_inputs_are_not_changed(converted: dict[str, Analysis]) -> None:
    a = next(iter(converted.values()))
    before = a.to_json()
    merge([a, a])
    assert a.to_json() == before


def test_id_codes_are_unique_per_source(standard: Criteria) -> None:
    one = Analysis(standard, [scenario("1", "Flom", 2, {"okonomi": 3}, standard)], {"source": "helse.xlsx"})
    two = Analysis(standard, [scenario("1", "Storm", 2, {"okonomi": 3}, standard)], {"source": "helse-2.xlsx"})
    nameless = Analysis(standard, [Scenario(title="Ras", probability=1, consequences={"okonomi": 1})])
    merged = merge([one, two, nameless])
    assert [s.id for s in merged.scenarios] == ["HEL-1", "HEL2-1", "ANA-1"]


def test_different_criteria_rederived_from_raw_or_mapped_and_flagged(standard: Criteria) -> None:
    dsb = load_criteria("dsb-2014")
    with_fact = scenario("1", "Flom", 2, {"okonomi": 4}, standard)
    with_fact.raw = {"probability": "1 gang per 20 år", "consequences.okonomi": "2,5 mill"}
    without = scenario("2", "Storm", 3, {"liv_og_helse": 2}, standard)
    small = four_level(standard)
    four = scenario("1", "Ras", 3, {"okonomi": 4}, small)
    merged = merge([Analysis(standard, [with_fact, without], {"source": "plan.xlsx"}),
                    Analysis(small, [four], {"source": "teknisk.xlsx"})], criteria=dsb)
    assert merged.criteria.name == "dsb-2014"
    fact, kept, mapped = merged.scenarios
    assert fact.probability == dsb.probability_class("1 gang per 20 år") == 4 != with_fact.probability
    assert fact.consequences["okonomi"] == dsb.consequence_class("okonomi", "2,5 mill")
    assert any("avledet på nytt fra «1 gang per 20 år»" in note for note in fact.review)
    assert kept.probability == 3 and any("er beholdt" in note for note in kept.review)
    assert mapped.probability == rescale(3, 4, 5) == 4 and mapped.consequences["okonomi"] == rescale(4, 4, 5) == 5
    assert any("3 av 4 → 4 av 5 etter skalaregelen" in note for note in mapped.review)
    codes = {r["code"] for r in merged.report["merge"]["review"]}
    assert {"merge-class-rederived", "merge-class-kept", "merge-class-rescaled"} <= codes
    for s in merged.scenarios:  # zones follow the target criteria
        assert s.zone == dsb.worst_zone([dsb.zone(s.probability, k, a) for a, k in s.consequences.items()])


def test_area_missing_in_target_goes_to_samlet_flagged(standard: Criteria) -> None:
    dsb = load_criteria("dsb-2014")
    s = scenario("1", "Strømbrudd", 3, {"tjenester": 4}, standard)
    merged = merge([Analysis(standard, [s])], criteria=dsb)
    assert merged.scenarios[0].consequences == {"samlet": 4}
    assert "samlet" in merged.criteria.area_keys
    codes = [r["code"] for r in merged.report["merge"]["review"]]
    assert "merge-area-mapped" in codes and "merge-area-added" in codes


def test_only_the_scale_that_differs_is_mapped(standard: Criteria) -> None:
    data = json.loads(json.dumps(criteria_to_dict(standard)))
    data["name"] = "andre-grenser"
    data["probability"][1]["band"] = [0.01, 0.05]
    data["probability"][2]["band"] = [0.05, 1]
    other = criteria_from_dict(data, source="test")
    s = scenario("1", "Flom", 3, {"okonomi": 4}, standard)
    merged = merge([Analysis(standard, [s])], criteria=other)
    codes = [r["code"] for r in merged.report["merge"]["review"] if r["code"].startswith("merge-class")]
    assert codes == ["merge-class-kept"]
    assert "sannsynlighet 3 er beholdt" in merged.scenarios[0].review[0]


def test_same_scales_are_not_flagged(standard: Criteria) -> None:
    merged = merge([Analysis(standard, [scenario("1", "Flom", 2, {"okonomi": 3}, standard)])])
    assert not [r for r in merged.report["merge"]["review"] if r["code"].startswith("merge-class")]


@pytest.mark.parametrize(("a", "b", "flagged"), [
    ("Flom i sentrum", "Flom i  sentrum.", True),
    ("Flom", "Flom i Sjøbakken", True),          # the same hazard in another sector
    ("Brann i sykehjem", "sykehjem, brann i", True),
    ("Brann i skole", "Brann i sykehjem", False),
    ("Dataangrep", "Kvikkleireskred", False),
])
def test_near_duplicates_flagged_not_merged(standard: Criteria, a: str, b: str, flagged: bool) -> None:
    merged = merge([Analysis(standard, [scenario("1", a, 2, {"okonomi": 2}, standard)], {"source": "helse"}),
                    Analysis(standard, [scenario("1", b, 2, {"okonomi": 2}, standard)], {"source": "teknisk"})])
    assert len(merged.scenarios) == 2
    duplicates = [r for r in merged.report["merge"]["review"] if r["code"] == "merge-duplicate"]
    assert bool(duplicates) == flagged
    if flagged:
        assert duplicates[0]["scenario"] == "HEL-1" and "TEK-1" in duplicates[0]["note"]
        assert any("HEL-1" in note for note in merged.scenarios[1].review)
    assert DUPLICATE_THRESHOLD == 90


def test_merged_workbook_passes_check_apart_from_review_items(converted: dict[str, Analysis], tmp_path: Path) -> None:
    sources = []
    for name, a in converted.items():
        path = tmp_path / "inn" / f"{Path(name).stem}.xlsx"
        path.parent.mkdir(exist_ok=True)
        rosxl.write_workbook(a, path)
        (path.with_suffix(".json")).write_text(a.to_json(), "utf-8")  # the JSON twin is skipped
        sources.append(path)
    hashes = {p: sha(p) for p in (tmp_path / "inn").iterdir()}
    out = tmp_path / "samlet.xlsx"
    merged = merge_files([tmp_path / "inn"], out)
    assert [s["file"] for s in merged.report["merge"]["sources"]] == sorted(p.name for p in sources)
    findings = check_workbook(out)
    assert findings, "the examples have findings (no vedtak, red without measures)"
    listed = {(r["code"], r["note"]) for r in merged.report["merge"]["review"]}
    assert {(f.code, f.message) for f in findings} <= listed
    back = rosxl.read_analysis(out)
    assert [s.id for s in back.scenarios] == [s.id for s in merged.scenarios]
    assert back.scenarios[0].source["analysis"] == sources[0].name
    assert back.report["merge"]["sources"] == merged.report["merge"]["sources"]
    assert hashes == {p: sha(p) for p in hashes}


def test_merge_to_json_and_refusals(converted: dict[str, Analysis], tmp_path: Path) -> None:
    src = tmp_path / "helse.json"
    src.write_text(next(iter(converted.values())).to_json(), "utf-8")
    out = tmp_path / "samlet.json"
    merge_files([src], out)
    assert json.loads(out.read_text("utf-8"))["rosxl"] == rosxl.__version__
    with pytest.raises(OutputRefusedError) as refused:
        merge_files([src], src, overwrite=True)
    assert refused.value.code == "output-is-input"
    (tmp_path / "tom").mkdir()
    with pytest.raises(MergeError) as err:
        merge_files([tmp_path / "tom"], tmp_path / "x.xlsx")
    assert err.value.code == "merge-no-inputs"


@pytest.mark.parametrize(("text", "code"), [
    ('{"a": 1}', "analysis-json-not-rosxl"),
    ("[1, 2]", "analysis-json-not-rosxl"),
    ('{"rosxl": "0.1.0", "criteria": {', "analysis-json-invalid"),
    ('{"rosxl": "0.1.0", "criteria": {"x": ' + "[" * 100_000 + "]" * 100_000 + "}}", "analysis-json-invalid"),
    ('{"rosxl": "0.1.0", "criteria": {"name": 3}}', "criteria-invalid"),
    ("\xff\xfe", "analysis-json-invalid"),
    ('{"rosxl": "0.1.0", "criteria": CRIT, "scenarios": [{"probability": "abc"}]}', "analysis-json-invalid"),
    ('{"rosxl": "0.1.0", "criteria": CRIT, "scenarios": [{"consequences": {"okonomi": 9}}]}', "analysis-json-invalid"),
    ('{"rosxl": "0.1.0", "criteria": CRIT, "scenarios": [{"title": ["x"]}]}', "analysis-json-invalid"),
    ('{"rosxl": "0.1.0", "criteria": CRIT, "scenarios": 3}', "analysis-json-invalid"),
])
def test_hostile_json_is_refused_with_a_code(tmp_path: Path, text: str, code: str) -> None:
    path = tmp_path / "x.json"
    text = text.replace("CRIT", json.dumps(Analysis(load_criteria("standard")).to_dict()["criteria"]))
    path.write_bytes(text.encode("latin-1") if text.startswith("\xff") else text.encode("utf-8"))
    with pytest.raises(rosxl.RosxlError) as err:
        analysis_from_json(path)
    assert err.value.code == code
    assert str(path) in str(err.value)


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=20)
ANALYSIS_KEYS = st.fixed_dictionaries({"rosxl": st.just("0.1.0")}, optional={
    "criteria": JSON | st.just(criteria_to_dict(load_criteria("standard"))),
    "scenarios": st.lists(JSON | st.dictionaries(st.sampled_from(["id", "title", "probability", "consequences",
                                                                   "residual", "raw", "review"]), JSON), max_size=3),
    "metadata": JSON})


@settings(max_examples=150, deadline=None, derandomize=True)
@given(value=JSON | ANALYSIS_KEYS)
def test_any_json_gives_an_analysis_or_a_coded_refusal(tmp_path_factory: pytest.TempPathFactory, value: Any) -> None:
    path = tmp_path_factory.mktemp("json") / "x.json"
    path.write_text(json.dumps(value, default=str), "utf-8")
    try:
        result = analysis_from_json(path)
    except rosxl.RosxlError as exc:
        assert exc.code and str(path) in str(exc)
    else:
        assert isinstance(result, Analysis)


def test_json_zones_are_recomputed_not_trusted(standard: Criteria, tmp_path: Path) -> None:
    data = Analysis(standard, [scenario("1", "Flom", 5, {"okonomi": 5}, standard),
                               Scenario(id="2", title="Farge", zone="red")]).to_dict()
    data["scenarios"][0]["zone"] = data["scenarios"][0]["zones"]["okonomi"] = "green"
    path = tmp_path / "a.json"
    path.write_text(json.dumps(data), "utf-8")
    first, colour_only = analysis_from_json(path).scenarios
    assert first.zone == "red" and first.zones == {"okonomi": "red"}
    assert colour_only.zone == "red"


def test_large_json_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "stor.json"
    path.write_text('{"rosxl": "0.1.0"}' + " " * 2048, "utf-8")
    with pytest.raises(AnalysisInputError) as err:
        analysis_from_json(path, max_bytes=1024)
    assert err.value.code == "analysis-json-too-large"


def test_legacy_sheet_is_refused_with_advice(tmp_path: Path) -> None:
    with pytest.raises(AnalysisInputError) as err:
        merge([LEGACY / "risikoregister-2012.csv"])
    assert err.value.code == "analysis-format-unsupported" and "rosxl convert" in str(err.value)


def test_cli_lists_probable_duplicates(standard: Criteria, tmp_path: Path) -> None:
    for name, title in (("helse", "Flom"), ("teknisk", "Flom i sentrum")):
        a = Analysis(standard, [scenario("1", title, 2, {"okonomi": 2}, standard)])
        (tmp_path / f"{name}.json").write_text(a.to_json(), "utf-8")
    result = CliRunner().invoke(cli, ["merge", str(tmp_path / "helse.json"), str(tmp_path / "teknisk.json"),
                                      "-o", str(tmp_path / "ut" / "samlet.json")])
    assert result.exit_code == 0, result.output
    assert "1 mulig duplikat" in result.output
    assert "  HEL-1: mulig samme hendelse som TEK-1 («Flom i sentrum», likhet 100 %)" in result.output


def test_find_analyses_skips_lock_files_reports_and_json_twins(tmp_path: Path) -> None:
    for name in ("a.xlsx", "a.json", "b.json", "~$a.xlsx", ".skjult.json", "rapport.json", "notat.txt"):
        (tmp_path / name).write_text("x")
    (tmp_path / "under").mkdir()
    (tmp_path / "under" / "c.xlsx").write_text("x")
    assert [p.relative_to(tmp_path).as_posix() for p in find_analyses([tmp_path])] == ["a.xlsx", "b.json",
                                                                                        "under/c.xlsx"]


def test_cli_merge(converted: dict[str, Analysis], tmp_path: Path) -> None:
    (tmp_path / "inn").mkdir()
    for name, a in converted.items():
        (tmp_path / "inn" / f"{Path(name).stem}.json").write_text(a.to_json(), "utf-8")
    out = tmp_path / "ut" / "samlet.xlsx"
    result = CliRunner().invoke(cli, ["merge", str(tmp_path / "inn"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("3 analyser slått sammen: 10 scenarioer")
    assert "HEI: heilskapleg-ros-2014.json (3 scenarioer, kriterier standard)" in result.output
    again = CliRunner().invoke(cli, ["merge", str(tmp_path / "inn"), "-o", str(out)])
    assert again.exit_code == 1 and "finnes fra før" in again.output
    into_input = CliRunner().invoke(cli, ["merge", str(tmp_path), "-o", str(out), "--overwrite"])
    assert into_input.exit_code == 1 and "[output-is-input]" in into_input.output
    assert rosxl.merge is merge
