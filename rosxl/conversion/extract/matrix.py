"""A risk matrix's placed ids: each fills or checks a known scenario, or becomes a new one."""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from rosxl.analysis import Scenario
from rosxl.conversion.extract import Extracted, Log
from rosxl.conversion.extract.assign import Assigner
from rosxl.conversion.layout import Layout
from rosxl.conversion.report import Skipped
from rosxl.conversion.values import Scale
from rosxl.fields import FieldPath
from rosxl.text import normalise

_AXES = {"rows": "radene", "columns": "kolonnene"}
_PROBABILITY = FieldPath("probability").path


def extract_matrix(file: str, layout: Layout, assigner: Assigner, by_id: dict[str, Scenario]) -> Extracted:
    """Each id in the matrix, one outcome each: a known scenario (``by_id``, by normalised id) gets the
    matrix's classes when it has none, or a review note when they differ; an unknown id is a new
    scenario (added to ``by_id``)."""
    matrix = layout.matrix
    assert matrix is not None
    sheet = layout.sheet
    log = Log(sheet)
    log.keep_context({r for r, _ in matrix.cells}, "risikomatrise")
    log.context += [{"sheet": sheet.name, "row": row + 1, "role": f"risikomatrise, akse langs {_AXES[axis]}",
                     "text": " | ".join(texts)} for axis, (row, texts) in matrix.labels.items()]
    ps, ks = Scale(matrix.levels[0], origin="matrisen"), Scale(matrix.levels[1], origin="matrisen")
    area = assigner.undivided(log)
    mapper = assigner.mapper
    for e in matrix.entries:
        for ident in e.ids:
            p, k = mapper.probability(e.probability, ps), mapper.consequence(area, e.consequence, ks)
            cell = f"{get_column_letter(e.col + 1)}{e.row + 1}"
            known = by_id.get(normalise(ident))
            if known is None:
                labels = {_PROBABILITY: e.probability_label, FieldPath("consequence", area).path: e.consequence_label}
                s = Scenario(id=ident, source={"file": file, "sheet": sheet.name, "cell": cell},
                             raw={"matrix": e.text, **{k: v for k, v in labels.items() if v}})
                s.probability, s.consequences = p.value if isinstance(p.value, int) else None, \
                    {area: k.value if isinstance(k.value, int) else None}
                s.review.append(f"scenario {ident} finnes bare i risikomatrisen (celle {cell}); "
                                "tittel og vurdering mangler")
                s.review += [x for x in (p.review, k.review) if x]
                log.outcomes.append(s)
                by_id[normalise(ident)] = s
                continue
            log.outcomes.append(Skipped(sheet.name, e.row + 1, f"plassering av {ident} i matrisen (celle {cell}) "
                                        "sammenholdt med scenarioet", e.text))
            if known.probability is None:
                known.probability = p.value if isinstance(p.value, int) else None
                known.consequences.setdefault(area, k.value if isinstance(k.value, int) else None)
                known.review.append(f"sannsynlighet og konsekvens er hentet fra risikomatrisen (celle {cell})")
            elif known.probability != p.value:
                msg = f"matrisen plasserer {ident} i sannsynlighet {p.value}, tabellen sier {known.probability}"
                known.review.append(msg)
                log.add("matrix-conflict", sheet=sheet.name, message=msg)
    return log.freeze(f"risikomatrise (sannsynlighet langs {_AXES[matrix.probability_on]})")
