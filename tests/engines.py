"""Workbooks for the engine and print tests, and what the engines make of them.

:func:`sample_workbooks` writes the workbooks every such test looks at: the shipped templates, the
converted examples of ``examples/legacy``, every preset filled in both written forms, and a
workbook with long texts. :func:`expected_cells` says what each computed cell of a workbook must
show, from rosxl's own reading and assessment of it (so formula changes are followed on both
sides); :func:`compare` checks a recalculated copy against that. :func:`gnumeric_recalculate`
recalculates with Gnumeric (``ssconvert --recalc``); LibreOffice is in :mod:`tests.libreoffice`.
:func:`pdf_words` reads the words and their boxes from a PDF (``pdftotext -bbox``).
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from openpyxl.utils import get_column_letter

from rosxl.analysis import Analysis, Residual, Scenario, assess_scenario
from rosxl.conversion.batch import convert_batch
from rosxl.criteria import list_presets, load_criteria
from rosxl.criteria.model import Language
from rosxl.workbook.templates import DEFAULT_DIR
from rosxl.workbook.write import write_workbook

LANGUAGES: tuple[Language, ...] = ("nb", "nn")
ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "legacy"
SSCONVERT = shutil.which("ssconvert")
LONG = ("Langvarig strømbrudd i store deler av kommunen etter uvær, med bortfall av mobilnett, vannforsyning "
        "og varme i sykehjem og private hjem; mange innbyggere kan ikke varsle nødetatene. ")


def converted_examples(outdir: Path) -> list[Path]:
    """The legacy examples converted into ``outdir`` (bokmål workbooks, criteria «standard»)."""
    convert_batch([EXAMPLES], outdir)
    return sorted(outdir.glob("*.xlsx"))


def filled(preset: str, n: int = 6) -> Analysis:
    """An analysis with ``n`` scenarios over every class and zone, some with measures, for ``preset``."""
    c = load_criteria(preset)
    areas = c.area_keys
    scenarios = []
    for i in range(n):
        consequences: dict[str, int | None] = {a: (i + j) % c.consequence_levels_count + 1
                                               for j, a in enumerate(areas) if (i + j) % 4}
        residual = Residual(probability=1, consequences={areas[0]: 1}) if i % 2 else Residual()
        scenarios.append(assess_scenario(Scenario(
            id=f"H{i + 1}", title=f"Hending {i + 1}", category="Natur",
            probability=i % c.probability_levels + 1 if i % 5 != 4 else None, consequences=consequences,
            residual=residual), c))
    return Analysis(c, scenarios)


def long_texts() -> Analysis:
    """Scenarios whose texts wrap over many lines, and a review note of several lines."""
    c = load_criteria("standard")
    s = Scenario(id="L1", title="Langvarig strømbrudd i hele kommunen", category="Kritisk infrastruktur",
                 description=LONG * 3, causes=LONG, measures=LONG * 2, responsible="Beredskapskoordinator",
                 probability=3, consequences=dict.fromkeys(c.area_keys, 4),
                 review=["Sjekk sannsynligheten mot DSBs nasjonale risikobilde", "Mangler ansvarlig for tiltak 2"])
    return Analysis(c, [assess_scenario(s, c), assess_scenario(Scenario(id="L2", title="Kort", probability=1,
                                                                         consequences={"okonomi": 1}), c)])


def sample_workbooks(outdir: Path, *, templates: bool = True, presets: bool = True) -> list[Path]:
    """The workbooks the engine and print tests check, written into ``outdir``."""
    outdir.mkdir(parents=True, exist_ok=True)
    paths = converted_examples(outdir / "konvertert")
    if templates:
        for template in sorted(DEFAULT_DIR.glob("*.xlsx")):
            paths.append(Path(shutil.copy(template, outdir / f"mal-{template.name}")))
    if presets:
        for info in list_presets():
            for language in LANGUAGES:
                paths.append(write_workbook(filled(info.name), outdir / f"fylt-{info.name}-{language}.xlsx",
                                            language=language))
    paths.append(write_workbook(long_texts(), outdir / "lange-tekster.xlsx"))
    return paths


# --- PDF words -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: tuple[Word, ...]

    @property
    def sheet(self) -> str:
        """The sheet printed on this page: the page header's right-hand word."""
        top = [w for w in self.words if w.y1 < 45]
        return max(top, key=lambda w: w.x1).text if top else ""


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>')


def pdf_words(pdf: Path) -> list[Page]:
    """Every page of ``pdf`` with its words and their boxes (points, origin top left)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True,
                         timeout=120).stdout
    return [Page(float(w), float(h), tuple(Word(html.unescape(m[5]), *map(float, m.groups()[:4]))
                                           for m in _WORD.finditer(body)))
            for w, h, body in _PAGE.findall(out)]


# --- engines ---------------------------------------------------------------------------------


def gnumeric_recalculate(paths: list[Path], outdir: Path) -> list[Path]:
    """Copies of ``paths`` recalculated by Gnumeric (read them with openpyxl ``data_only=True``)."""
    if SSCONVERT is None:
        pytest.fail("Gnumeric (ssconvert) is required for this test; scripts/install.sh installs it")
    outdir.mkdir(parents=True, exist_ok=True)
    outputs = []
    for path in paths:  # ssconvert takes one file per call
        target = outdir / path.name
        subprocess.run([SSCONVERT, "--recalc", str(path), str(target)], check=True, capture_output=True,
                       timeout=120)
        outputs.append(target)
    return outputs


def expected_cells(path: Path) -> dict[str, Any]:
    """What every zone, score and risk-matrix cell of the workbook at ``path`` must show (``Ark!A1`` → value).

    The values come from rosxl reading the workbook (:func:`rosxl.workbook.read.read_workbook`) and
    assessing it; an empty cell is ``None``.
    """
    from openpyxl import load_workbook

    from rosxl.analysis import after_measures, has_unread
    from rosxl.workbook.classes import marker
    from rosxl.workbook.formulas import IDS_PER_CELL
    from rosxl.workbook.layout import SHEET
    from rosxl.workbook.read import read_workbook
    from rosxl.workbook.write import MATRIX_SHEET

    result = read_workbook(path)
    analysis, layout = result.analysis, result.layout
    c, language = analysis.criteria, layout.language
    out: dict[str, Any] = {}
    for r, s in zip(result.rows, analysis.scenarios, strict=True):
        zones = {**{col.letter: s.zones.get(col.field or "") for col in layout.zones("before")},
                 **{col.letter: s.residual.zones.get(col.field or "") for col in layout.zones("after")},
                 layout.overall("before").letter: s.zone, layout.overall("after").letter: s.residual.zone}
        for letter, zone in zones.items():
            out[f"{SHEET}!{letter}{r}"] = c.zone_def(zone).label(language) if zone else None
        for phase in ("before", "after"):  # a class cell without a class: the marker instead of a zone
            if has_unread(s, phase) and layout.flavour == "native":
                out[f"{SHEET}!{layout.overall(phase).letter}{r}"] = marker(c, language)
        out[f"{SHEET}!{layout['score'].letter}{r}"] = s.score
    # the matrix pictures: each «S \\ K» corner, before then after measures, per zone matrix in order
    wb = load_workbook(path, read_only=True)
    corners = [(cell.row, cell.column) for row in wb[MATRIX_SHEET].iter_rows() for cell in row
               if cell.value == "S \\ K"]
    wb.close()
    pictures = [(m, phase) for m in c.matrices for phase in ("before", "after")]
    assert len(corners) == len(pictures), path
    n = c.probability_levels
    for (top, left), (m, phase) in zip(corners, pictures, strict=True):
        cells: dict[tuple[int, int], list[str]] = {}
        for s in analysis.scenarios:  # after measures, a field without a class keeps its before-measures one
            after = {a: x.value for a, x in after_measures(s).items()}
            p = s.probability if phase == "before" else after.get("probability")
            ks = [k for a, k in (s.consequences if phase == "before" else after).items()
                  if a in m.areas and k is not None]
            if s.id and p is not None and ks and not has_unread(s, phase):
                cells.setdefault((p, max(ks)), []).append(str(s.id))
        for p in range(1, n + 1):
            for k in range(1, c.consequence_levels_count + 1):
                ids = cells.get((p, k), [])
                text = ", ".join(ids[:IDS_PER_CELL]) + (f" (+{len(ids) - IDS_PER_CELL})" if len(ids) > IDS_PER_CELL
                                                        else "")
                out[f"{MATRIX_SHEET}!{get_column_letter(left + k)}{top + 1 + n - p}"] = text or None
    return out


def compare(recalculated: Path, expected: dict[str, Any]) -> list[str]:
    """The cells of ``recalculated`` that differ from ``expected``, as readable lines."""
    from openpyxl import load_workbook

    with warnings.catch_warnings():  # Gnumeric writes no default cell style; the values are all we read
        warnings.filterwarnings("ignore", "Workbook contains no default style", UserWarning)
        wb = load_workbook(recalculated, data_only=True)
    wrong = []
    for key, want in expected.items():
        sheet, coordinate = key.split("!")
        got = wb[sheet][coordinate].value
        if got == "":
            got = None
        if isinstance(got, float) and got.is_integer():
            got = int(got)
        if got != want:
            wrong.append(f"{recalculated.name} {key}: {got!r}, rosxl: {want!r}")
    return wrong
