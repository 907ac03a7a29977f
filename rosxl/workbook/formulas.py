"""The formulas of the standard workbook, as text.

Formulas use only functions that Excel 2016/2019, LibreOffice and Gnumeric all know (INDEX, MATCH,
IFERROR, SUMPRODUCT, COUNTIF, TRIM, MID, …) and read the criteria through the defined names below,
which point into the criteria block on the Kriterier sheet.

Each class cell has a hidden helper that holds its class as a number: the number itself when it is
a class of the scale, the class of a dropdown entry (``"2 – Lav"``, compared with «=» to the
entries that Kriterier builds: without regard to case, and without MATCH's wildcards), empty for an
empty cell, and otherwise the text «ikke en klasse» (``native``) or, in the ``xlwings`` flavour,
what ``ros_sannsynlighet``/``ros_konsekvens`` read in the raw fact. That call sits in the last
branch of the IF chain, which Excel evaluates only when it is taken, so a class costs no call;
every call passes one cell and the criteria token ``ros_kriterier_token`` (one cell holding
``=ros_kriterier_last(ros_kriterier)``). After measures, a helper whose cell is empty takes the
before-measures class, once any after-measures cell of the row is filled. Zones, scores and the
risk matrix are native formulas on the helpers, the same in both flavours; a row whose helpers hold
text shows :func:`rosxl.workbook.classes.marker` (``native``) or the function's reason
(``xlwings``) instead of a zone, and no score.
``rosxl freeze`` evaluates the ``ros_*`` calls with its own grammar (:mod:`rosxl.excel.freeze`).
"""

from __future__ import annotations

from rosxl.workbook.classes import marker, not_a_class
from rosxl.workbook.layout import FIRST_ROW, PHASES, SHEET, Column, Layout, Phase

CRITERIA = "ros_kriterier"
TOKEN = "ros_kriterier_token"
SCORE = "krit_skaar"
ZONE_KEYS = "krit_sone_nokler"
ZONE_LABELS = "krit_sone_tekster"
ZONE_OTHER_LABELS = "krit_sone_tekster_andre"
PROBABILITY_CLASSES = "krit_sannsynlighet"
CONSEQUENCE_CLASSES = "krit_konsekvens"
PROBABILITY_CHOICES = "krit_sannsynlighet_valg"
CONSEQUENCE_CHOICES = "krit_konsekvens_valg"
#: Ids shown in one risk-matrix cell before «(+n)».
IDS_PER_CELL = 6


def zone_label(i: int) -> str:
    """Defined name of the label cell of the ``i``-th zone (1 = mildest)."""
    return f"krit_sone_{i}"


def zone_names(cell: str, i: int) -> str:
    """A condition: ``cell`` names the ``i``-th zone, by key or by label in either written form."""
    return f"OR({cell}={zone_key(i)},{cell}={zone_label(i)},{cell}=INDEX({ZONE_OTHER_LABELS},{i}))"


def zone_key(i: int) -> str:
    """Defined name of the key cell of the ``i``-th zone."""
    return f"krit_nokkel_{i}"


def matrix(j: int) -> str:
    """Defined name of the zone cells of the ``j``-th matrix (1-based)."""
    return f"krit_matrise_{j}"


def matrix_numbers(j: int) -> str:
    """Defined name of the ``j``-th matrix's zones as numbers (1 = mildest), beside the block."""
    return f"krit_matrise_{j}_nr"


class Formulas:
    """Formula text for one Scenarier row, and for the risk-matrix picture."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.criteria = layout.criteria
        self._matrix_index = {m.key: j for j, m in enumerate(self.criteria.matrices, start=1)}

    def row(self, r: int) -> dict[int, str]:
        """All formulas of sheet row ``r``, by column index."""
        lay, out = self.layout, {}
        for phase in PHASES:
            p_in, k_in = lay.inputs(phase)
            p_cls, k_cls = lay.classes(phase)
            for cell, helper in zip([p_in, *k_in], [p_cls, *k_cls], strict=True):
                out[helper.index] = self._class(cell, helper, r)
            for area_class, zone in zip(k_cls, lay.zones(phase), strict=True):
                out[zone.index] = self._zone(p_cls, area_class, r)
            zones = lay.zones(phase)
            shown = f'"{marker(self.criteria, lay.language)}"' if lay.flavour == "native" else self._reason(phase, r)
            out[lay.overall(phase).index] = (f"=IF({self._flag(f'unread.{phase}', r)},{shown},"
                                             f"{self._worst(f'{zones[0].letter}{r}:{zones[-1].letter}{r}')})")
            for m in self.criteria.matrices:
                out.update(self._placement(phase, m.key, m.areas, r))
            out[lay[f"flag.unread.{phase}"].index] = "=" + self._unread(phase, r)
        out[lay["flag.used"].index] = "=" + self._used(r)
        p, ks = lay.classes("before")
        cons = f"{ks[0].letter}{r}:{ks[-1].letter}{r}"
        out[lay["score"].index] = (f'=IF(OR({self._flag("unread.before", r)},NOT(ISNUMBER({p.letter}{r})),'
                                   f'COUNT({cons})=0),"",IF({SCORE}="sum",{p.letter}{r}+MAX({cons}),'
                                   f'{p.letter}{r}*MAX({cons})))')
        out[lay["residual.unchanged"].index] = self._unchanged(r)
        return out

    def _class(self, cell: Column, helper: Column, r: int) -> str:
        """The helper of one class cell: its class as a number, empty, or why it is none."""
        x = f"{cell.letter}{r}"
        probability = cell.kind == "probability"
        classes = PROBABILITY_CLASSES if probability else CONSEQUENCE_CLASSES
        entries = PROBABILITY_CHOICES if probability else CONSEQUENCE_CHOICES
        other = f'"{not_a_class(self.layout.language)}"'
        if self.layout.flavour == "xlwings":
            other = (f"ros_sannsynlighet({x},{TOKEN})" if probability
                     else f'ros_konsekvens("{cell.field}",{x},{TOKEN})')
        entry = f"SUMPRODUCT(({entries}={x})*{classes})"  # «=» ignores case, and unlike MATCH has no wildcards
        read = (f'IF(ISNUMBER({x}),IF(COUNTIF({classes},{x})>0,{x},"{not_a_class(self.layout.language)}"),'
                f"IF({entry}>0,{entry},{other}))")
        if helper.phase == "before":
            return f'=IF(TRIM({x})="","",{read})'
        before = self.layout[helper.key.replace("class.after.", "class.before.")]
        return f'=IF(TRIM({x})="",IF({self._flag("used", r)},{before.letter}{r},""),{read})'

    def _used(self, r: int) -> str:
        """Whether any after-measures class cell of row ``r`` is filled (cell by cell: Gnumeric does not
        apply TRIM to a range inside SUMPRODUCT)."""
        p, ks = self.layout.inputs("after")
        return "OR(" + ",".join(f'TRIM({c.letter}{r})<>""' for c in [p, *ks]) + ")"

    def _unread(self, phase: Phase, r: int) -> str:
        """Whether a class cell of ``phase`` (after measures: or the before-measures class it takes) holds no
        class: more filled helpers than numbers among them."""
        p, ks = self.layout.classes(phase)
        filled = "+".join(f'({c.letter}{r}<>"")' for c in [p, *ks])
        return f"{filled}-COUNT({p.letter}{r}:{ks[-1].letter}{r})>0"

    def _flag(self, name: str, r: int, anchor: str = "") -> str:
        """The hidden TRUE/FALSE cell ``flag.<name>`` of row ``r``: ``used`` (an after-measures class cell is
        filled), ``unread.before``/``unread.after`` (a class cell of that phase holds no class)."""
        return f"{anchor}{self.layout[f'flag.{name}'].letter}{r}"

    def unread_rule(self) -> str:
        """A conditional-format formula: the first table row holds a class cell without a class, before measures."""
        return self._flag("unread.before", FIRST_ROW, "$")

    def _reason(self, phase: Phase, r: int) -> str:
        """The first helper text of ``phase``: what the worksheet function said about the raw fact."""
        p, ks = self.layout.classes(phase)
        formula = '""'
        for c in reversed([p, *ks]):
            formula = f'IF(AND(ISTEXT({c.letter}{r}),{c.letter}{r}<>""),{c.letter}{r},{formula})'
        return formula

    def _zone(self, p_cls: Column, k_cls: Column, r: int) -> str:
        area = k_cls.field or ""
        p, k = f"{p_cls.letter}{r}", f"{k_cls.letter}{r}"
        m = matrix_numbers(self._matrix_index[self.criteria.matrix_for(area).key])
        return (f'=IF(OR(NOT(ISNUMBER({p})),NOT(ISNUMBER({k}))),"",'
                f'IFERROR(INDEX({ZONE_LABELS},INDEX({m},ROWS({m})+1-{p},{k})),""))')

    def _worst(self, cells: str) -> str:
        """The most severe zone label found among ``cells``, else empty."""
        formula = '""'
        for i in range(1, len(self.criteria.zones) + 1):
            formula = f"IF(SUMPRODUCT(--({cells}={zone_label(i)}))>0,{zone_label(i)},{formula})"
        return formula

    def _unchanged(self, r: int) -> str:
        """After measures: the fields without an after-measures class that keep their before-measures class."""
        lay = self.layout
        p_before, k_before = lay.inputs("before")
        p_after, k_after = lay.inputs("after")
        names = ["Sannsyn" if lay.language == "nn" else "Sannsynlighet",
                 *(self.criteria.area(c.field or "").label(lay.language) for c in k_before)]
        parts = "&".join(
            f'IF(AND(TRIM({a.letter}{r})="",TRIM({b.letter}{r})<>""),", {name.replace(chr(34), chr(34) * 2)}","")'
            for b, a, name in zip([p_before, *k_before], [p_after, *k_after], names, strict=True))
        return f'=IF({self._flag("used", r)},MID({parts},3,1000),"")'

    def _placement(self, phase: Phase, key: str, areas: tuple[str, ...], r: int) -> dict[int, str]:
        """Helpers that place the row in matrix ``key``: ``p3k4`` (worst consequence) and ``p3k4n2``."""
        lay = self.layout
        p, ks = lay.classes(phase)
        cells = ",".join(f"{c.letter}{r}" for c in ks if c.field in areas)
        pos, rank = lay[f"position.{phase}.{key}"], lay[f"key.{phase}.{key}"]
        return {
            pos.index: (f'=IF(OR({self._flag(f"unread.{phase}", r)},NOT(ISNUMBER({p.letter}{r})),COUNT({cells})=0),"",'
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
