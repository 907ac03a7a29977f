"""The formulas of the standard workbook, as text.

Native formulas use only functions that Excel 2016/2019 and LibreOffice both know (INDEX, MATCH,
IFERROR, SUMPRODUCT, COUNTIF, MID, …) and read the criteria through the defined names below, which
point into the criteria block on the Kriterier sheet. The xlwings flavour uses plain
``=ros_<name>(arg, …)`` calls whose arguments are cell references, ``ros_kriterier``, string
literals or numbers (the grammar ``rosxl freeze`` evaluates).
"""

from __future__ import annotations

from rosxl.workbook.layout import FIRST_ROW, SHEET, Column, Layout, Phase

CRITERIA = "ros_kriterier"
SCORE = "krit_skaar"
ZONE_KEYS = "krit_sone_nokler"
ZONE_LABELS = "krit_sone_tekster"
PROBABILITY_CLASSES = "krit_sannsynlighet"
CONSEQUENCE_CLASSES = "krit_konsekvens"
#: Ids shown in one risk-matrix cell before «(+n)».
IDS_PER_CELL = 6


def zone_label(i: int) -> str:
    """Defined name of the label cell of the ``i``-th zone (1 = mildest)."""
    return f"krit_sone_{i}"


def zone_key(i: int) -> str:
    """Defined name of the key cell of the ``i``-th zone."""
    return f"krit_nokkel_{i}"


def matrix(j: int) -> str:
    """Defined name of the zone cells of the ``j``-th matrix (1-based)."""
    return f"krit_matrise_{j}"


class Formulas:
    """Formula text for one Scenarier row, and for the risk-matrix picture."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.criteria = layout.criteria
        self._matrix_index = {m.key: j for j, m in enumerate(self.criteria.matrices, start=1)}

    def row(self, r: int) -> dict[int, str]:
        """All formulas of sheet row ``r``, by column index."""
        lay, out = self.layout, {}
        for phase in ("before", "after"):
            p_in, k_in = lay.inputs(phase)
            p_cls, k_cls = lay.classes(phase)
            if lay.flavour == "xlwings":
                out[p_cls.index] = f"=ros_sannsynlighet({p_in.letter}{r},{CRITERIA})"
                for k_input, k_class in zip(k_in, k_cls, strict=True):
                    out[k_class.index] = f'=ros_konsekvens("{k_input.field}",{k_input.letter}{r},{CRITERIA})'
            for area_input, area_class, zone in zip(k_in, k_cls, lay.zones(phase), strict=True):
                out[zone.index] = self._zone(p_in, p_cls, area_input, area_class, r)
            zones = lay.zones(phase)
            out[lay.overall(phase).index] = self._worst(f"{zones[0].letter}{r}:{zones[-1].letter}{r}")
            for m in self.criteria.matrices:
                out.update(self._placement(phase, m.key, m.areas, r))
        p, ks = lay.classes("before")
        cons = f"{ks[0].letter}{r}:{ks[-1].letter}{r}"
        out[lay["score"].index] = (f'=IF(OR(NOT(ISNUMBER({p.letter}{r})),COUNT({cons})=0),"",'
                                   f'IF({SCORE}="sum",{p.letter}{r}+MAX({cons}),{p.letter}{r}*MAX({cons})))')
        return out

    def _zone(self, p_in: Column, p_cls: Column, k_in: Column, k_cls: Column, r: int) -> str:
        area = k_in.field or ""
        if self.layout.flavour == "xlwings":
            return f'=ros_sone({p_in.letter}{r},{k_in.letter}{r},"{area}",{CRITERIA})'
        p, k = f"{p_cls.letter}{r}", f"{k_cls.letter}{r}"
        m = matrix(self._matrix_index[self.criteria.matrix_for(area).key])
        cell = f"INDEX({m},ROWS({m})+1-{p},{k})"
        return (f'=IF(OR(NOT(ISNUMBER({p})),NOT(ISNUMBER({k}))),"",IFERROR(INDEX({ZONE_LABELS},'
                f'IFERROR(MATCH({cell},{ZONE_KEYS},0),MATCH({cell},{ZONE_LABELS},0))),""))')

    def _worst(self, cells: str) -> str:
        """The most severe zone label found among ``cells``, else empty."""
        formula = '""'
        for i in range(1, len(self.criteria.zones) + 1):
            formula = f"IF(SUMPRODUCT(--({cells}={zone_label(i)}))>0,{zone_label(i)},{formula})"
        return "=" + formula

    def _placement(self, phase: Phase, key: str, areas: tuple[str, ...], r: int) -> dict[int, str]:
        """Helpers that place the row in matrix ``key``: ``p3k4`` (worst consequence) and ``p3k4n2``."""
        lay = self.layout
        p, ks = lay.classes(phase)
        cells = ",".join(f"{c.letter}{r}" for c in ks if c.field in areas)
        pos, rank = lay[f"position.{phase}.{key}"], lay[f"key.{phase}.{key}"]
        return {
            pos.index: (f'=IF(OR(NOT(ISNUMBER({p.letter}{r})),COUNT({cells})=0),"",'
                        f'"p"&{p.letter}{r}&"k"&MAX({cells}))'),
            rank.index: (f'=IF({pos.letter}{r}="","",{pos.letter}{r}&"n"&'
                         f'COUNTIF({pos.letter}${FIRST_ROW}:{pos.letter}{r},{pos.letter}{r}))'),
        }

    def matrix_cell(self, phase: Phase, key: str, probability: int, consequence: int, last_row: int) -> str:
        """Ids of the scenarios in one cell of the risk-matrix picture, comma separated."""
        lay = self.layout
        ids = _absolute(lay["id"], last_row)
        keys = _absolute(lay[f"key.{phase}.{key}"], last_row)
        positions = _absolute(lay[f"position.{phase}.{key}"], last_row)
        tag = f"p{probability}k{consequence}"
        parts = "&".join(f'IFERROR(", "&INDEX({ids},MATCH("{tag}n{n}",{keys},0)),"")'
                         for n in range(1, IDS_PER_CELL + 1))
        count = f'COUNTIF({positions},"{tag}")'
        return f'=MID({parts},3,2000)&IF({count}>{IDS_PER_CELL}," (+"&({count}-{IDS_PER_CELL})&")","")'


def _absolute(column: Column, last_row: int) -> str:
    return f"{SHEET}!${column.letter}${FIRST_ROW}:${column.letter}${last_row}"
