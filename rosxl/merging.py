"""Merge several analyses (the sectors' own, converted legacy sheets) into one: ``rosxl merge``.

Rules (the README's «Slå sammen analyser» says the same):

- **Sources kept.** Every scenario gets ``source["analysis"]`` (the input's name), ``source["id"]``
  (its original id), ``source["category"]`` (its original category) and ``source["sector"]``
  (the source's code); the converter's own ``source`` keys (file, sheet, row) stay.
- **Ids.** Every id becomes ``<KODE>-<original id>``: ``KODE`` is the first three letters of the
  input's name in capitals (``helse.xlsx`` → ``HEL``), with 2, 3, … added when two inputs give
  the same code; a scenario without an id gets its position. So the original id stays visible, and
  the id shows which analysis a scenario came from. A scenario without a category gets the input's
  name as category.
- **Criteria.** The target is ``criteria`` (default: the first input's). Scenarios of an input whose
  scales differ get their classes again, per class: from the original fact in ``raw`` where there
  is one the target can read («1 gang per 20 år», «2,5 mill»); else by the scale rule
  ``round(1 + (level − 1)(N − 1)/(n − 1))`` when the number of classes differs; else the class
  number is kept. Every such change is a review item. An area the target lacks is looked up by its
  label, else its class goes to the undivided area «samlet» (added to the target, as ``convert`` does).
- **Probable duplicates** are flagged, never merged: titles compared after :func:`rosxl.text.normalise`
  with rapidfuzz's ``token_set_ratio``; a pair at or above :data:`DUPLICATE_THRESHOLD` (so also
  «Flom» against «Flom i Sjøbakken»: the same hazard in another sector) is a review item on both.
- **Check.** What ``rosxl check`` will say about the merged workbook is listed as review items too.

Review items go to each scenario's ``review`` and to ``report["merge"]["review"]``
(``{"scenario", "code", "note"}``, as the converter's report); codes are in
``rosxl/data/problems/merge.toml``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rosxl import facts, problems
from rosxl.analysis import Analysis, Scenario
from rosxl.criteria import Criteria, load_criteria
from rosxl.criteria.model import Language
from rosxl.errors import RosxlError
from rosxl.text import normalise

#: rapidfuzz ``token_set_ratio`` (0–100) at or above which two titles are probable duplicates.
DUPLICATE_THRESHOLD = 90
UNDIVIDED = "samlet"
_WHAT = {"nb": {"probability": "sannsynlighet", "consequence": "konsekvens for «{area}»",
                "residual": " etter tiltak"},
         "nn": {"probability": "sannsyn", "consequence": "konsekvens for «{area}»", "residual": " etter tiltak"}}


class MergeError(RosxlError):
    """Nothing to merge, or an output that is an input; ``code`` is a registered problem code."""

    code = "merge-no-inputs"

    def __init__(self, code: str, **values: Any) -> None:
        super().__init__(problems.get(code).message(**values))
        self.code = code  # type: ignore[misc]


@dataclass
class _Source:
    name: str
    code: str
    analysis: Analysis


def merge(analyses: Sequence[Analysis | str | Path], criteria: Criteria | str | Path | None = None, *,
          language: Language | None = None, today: dt.date | None = None) -> Analysis:
    """One analysis from ``analyses`` (Analysis objects, or paths to workbooks or canonical JSON).

    ``criteria``: the target criteria (default: the first analysis's). ``language``: of the review
    notes (default: the target criteria's). The inputs are not changed.
    """
    from rosxl.inputs import load_analysis, reassess

    loaded = [(Path(a).name, load_analysis(a)) if isinstance(a, (str, Path)) else (_name(a, i), a)
              for i, a in enumerate(analyses)]
    if not loaded:
        raise MergeError("merge-no-inputs")
    target = load_criteria(criteria) if criteria is not None else loaded[0][1].criteria
    lang: Language = language or target.language
    sources = [_Source(name, code, a) for (name, a), code in zip(loaded, _codes([n for n, _ in loaded]), strict=True)]
    merger = _Merger(target, lang)
    scenarios = [merger.scenario(s, src, i) for src in sources for i, s in enumerate(src.analysis.scenarios, 1)]
    for s in scenarios:
        reassess(s, merger.criteria)
    merger.duplicates(scenarios)
    merger.checks(scenarios, today or dt.date.today())
    first = sources[0].analysis.metadata
    metadata: dict[str, Any] = {"source": [src.name for src in sources], "criteria": merger.criteria.name,
                                "merged": True, **({"kommune": first["kommune"]} if "kommune" in first else {})}
    report = {"merge": {"criteria": merger.criteria.name, "review": merger.review,
                        "sources": [{"file": src.name, "code": src.code, "scenarios": len(src.analysis.scenarios),
                                     "criteria": src.analysis.criteria.name} for src in sources]}}
    return Analysis(merger.criteria, scenarios, metadata, report)


def merge_files(inputs: Sequence[str | Path], output: str | Path, criteria: Criteria | str | Path | None = None, *,
                language: Language | None = None, overwrite: bool = False) -> Analysis:
    """``rosxl merge``: the analyses in ``inputs`` (files, folders recursed) merged and written to
    ``output`` (a standard workbook, or canonical JSON when it ends in ``.json``), atomically and
    never over an input. Returns the merged analysis."""
    from rosxl.inputs import find_analyses
    from rosxl.safety.outputs import atomic_output, check_output

    output = Path(output)
    paths = find_analyses(inputs)
    if not paths:
        raise MergeError("merge-no-inputs")
    check_output(output, inputs=paths, overwrite=overwrite)
    merged = merge(paths, criteria, language=language)
    with atomic_output(output, overwrite=overwrite) as temp:
        if output.suffix.lower() == ".json":
            temp.write_text(merged.to_json(indent=None), "utf-8")
        else:
            from rosxl.workbook import write_workbook

            write_workbook(merged, temp, language=language)
    return merged



def _name(analysis: Analysis, index: int) -> str:
    source = analysis.metadata.get("source")
    if isinstance(source, str) and source.strip():
        return source
    title = analysis.metadata.get("title")
    return title if isinstance(title, str) and title.strip() else f"analyse {index + 1}"


def _codes(names: list[str]) -> list[str]:
    """The id prefix of each input: three letters of its name in capitals, made unique with 2, 3, …"""
    codes: list[str] = []
    for name in names:
        letters = re.sub(r"[^A-Za-zÆØÅæøå]", "", Path(name).stem).upper()[:3] or "ANA"
        code, n = letters, 2
        while code in codes:
            code, n = f"{letters}{n}", n + 1
        codes.append(code)
    return codes


class _Merger:
    def __init__(self, target: Criteria, language: Language) -> None:
        self.criteria, self.language = target, language
        self.review: list[dict[str, str]] = []

    def item(self, scenario: str, code: str, note: str) -> None:
        """One review item of the merge report."""
        self.review.append({"scenario": scenario, "code": code, "note": note})

    def note(self, s: Scenario | None, code: str, *, listed: bool = True, **values: Any) -> None:
        """A review note on ``s`` (``None``: on the analysis), listed in the merge report unless told."""
        text = problems.get(code).message(self.language, **values)
        if s is not None:
            s.review.append(text)
        if listed:
            self.item(s.id or "" if s is not None else "", code, text)

    def scenario(self, original: Scenario, src: _Source, position: int) -> Scenario:
        s = Scenario.from_dict(original.to_dict())
        s.review = list(original.review)
        s.id = f"{src.code}-{original.id or position}"
        s.source = {**original.source, "analysis": src.name, "id": original.id, "category": original.category,
                    "sector": src.code}
        if not (s.category or "").strip():
            s.category = Path(src.name).stem
        for note in s.review:
            self.item(s.id, "merge-source-review", note)
        self._areas(s, src.analysis.criteria)
        self._reclass(s, src.analysis.criteria)
        return s

    # --- criteria ----------------------------------------------------------------------------

    def _areas(self, s: Scenario, source: Criteria) -> None:
        """Consequences of areas the target lacks: under the area with the same label, else «samlet»."""
        for phase in (s.consequences, s.residual.consequences):
            for key in [k for k in phase if k not in self.criteria.area_keys]:
                value = phase.pop(key)
                to = self._target_area(key, source)
                if value is not None:
                    phase[to] = max(value, phase.get(to) or 0)
                if key != UNDIVIDED or to != UNDIVIDED:
                    self.note(s, "merge-area-mapped", area=_label(source, key, self.language),
                              target=_label(self.criteria, to, self.language))

    def _target_area(self, key: str, source: Criteria) -> str:
        names = [key]
        if key in source.area_keys:
            label = source.area(key).label
            names += [label.nb, label.nn]
        for name in names:
            try:
                return self.criteria.area(name).key
            except RosxlError:
                continue
        if UNDIVIDED not in self.criteria.area_keys:
            from rosxl.conversion.pipeline import with_undivided_area

            self.criteria = with_undivided_area(self.criteria)
            self.note(None, "merge-area-added", matrix=self.criteria.matrix_for(UNDIVIDED).label(self.language))
        return UNDIVIDED

    def _reclass(self, s: Scenario, source: Criteria) -> None:
        """Classes on a scale the target does not share, re-derived from raw facts or mapped by the
        scale rule; a scale both criteria share (probability classes, or an area's classes and the
        consequence levels) is left alone."""
        t = self.criteria
        same_probability = source.probability == t.probability
        for prefix, holder in (("", s), ("residual.", s.residual)):
            if not same_probability:
                holder.probability = self._one(
                    s, prefix + "probability", holder.probability, source.probability_levels, t.probability_levels,
                    source, lambda raw: t.read_probability(raw).value
                    if not isinstance(facts.parse_frequency(raw), facts.Failure) else None)
            for area in [a for a in holder.consequences if not _same_area(source, t, a)]:
                holder.consequences[area] = self._one(
                    s, f"{prefix}consequences.{area}", holder.consequences[area], source.consequence_levels_count,
                    t.consequence_levels_count, source, lambda raw, area=area: _consequence_fact(t, area, raw))

    def _one(self, s: Scenario, key: str, value: int | None, n: int, target_n: int, source: Criteria,
             derive: Any) -> int | None:
        raw = s.raw.get(key)
        what = self._what(key)
        derived = derive(raw) if raw else None
        if derived is not None:
            self.note(s, "merge-class-rederived", what=what, old=_show(value), new=derived, raw=raw,
                      criteria=self.criteria.name)
            return int(derived)
        if value is None:
            return None
        if n != target_n:
            from rosxl.conversion.values import rescale

            new = rescale(value, n, target_n)
            self.note(s, "merge-class-rescaled", what=what, old=value, n=n, new=new, target_n=target_n,
                      source=source.name, criteria=self.criteria.name)
            return new
        self.note(s, "merge-class-kept", what=what, old=value, source=source.name, criteria=self.criteria.name)
        return value

    def _what(self, key: str) -> str:
        words = _WHAT[self.language]
        parts = key.split(".")
        text = (words["probability"] if parts[-1] == "probability"
                else words["consequence"].format(area=_label(self.criteria, parts[-1], self.language)))
        return text + (words["residual"] if parts[0] == "residual" else "")

    # --- duplicates and check ----------------------------------------------------------------

    def duplicates(self, scenarios: list[Scenario]) -> None:
        """Flag pairs of probable duplicates by their titles (see :data:`DUPLICATE_THRESHOLD`)."""
        import numpy as np
        from rapidfuzz import fuzz, process

        titled = [(s, normalise(s.title)) for s in scenarios if (s.title or "").strip()]
        if len(titled) < 2:
            return
        titles = [t for _, t in titled]
        scores = process.cdist(titles, titles, scorer=fuzz.token_set_ratio, score_cutoff=DUPLICATE_THRESHOLD,
                               dtype=np.uint8, workers=1)
        for i, j in np.argwhere(np.triu(scores, 1) >= DUPLICATE_THRESHOLD):
            (a, _), (b, _) = titled[i], titled[j]
            score = int(scores[i, j])
            self.note(a, "merge-duplicate", other=b.id, title=b.title, score=score)
            self.note(b, "merge-duplicate", listed=False, other=a.id, title=a.title, score=score)

    def checks(self, scenarios: list[Scenario], today: dt.date) -> None:
        """What ``rosxl check`` will say about the merged workbook, as review items."""
        from rosxl.workbook.check import check_analysis

        for finding in check_analysis(Analysis(self.criteria, scenarios), today):
            self.item("", finding.code, finding.message)


def _same_area(a: Criteria, b: Criteria, area: str) -> bool:
    """Both criteria have ``area`` with the same classes and the same consequence levels."""
    return (area in a.area_keys and area in b.area_keys and a.consequence_levels == b.consequence_levels
            and a.area(area).classes == b.area(area).classes)


def _consequence_fact(criteria: Criteria, area: str, raw: str) -> int | None:
    """The target's class for a measurable fact (money, days, casualties); ``None`` for words."""
    unit = criteria.area(area).unit
    parse = {"NOK": facts.parse_money, "days": facts.parse_duration, "persons": facts.parse_casualties}.get(unit or "")
    if parse is None or isinstance(parse(raw), facts.Failure):
        return None
    return criteria.read_consequence(area, raw).value


def _label(criteria: Criteria, key: str, language: Language) -> str:
    return criteria.area(key).label(language) if key in criteria.area_keys else key


def _show(value: int | None) -> str:
    return "–" if value is None else str(value)

