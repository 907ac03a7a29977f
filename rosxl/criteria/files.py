"""Criteria files: load and validate presets and municipal files (TOML or YAML), and write them.

The file format mirrors :mod:`rosxl.criteria.model` one to one (see ``rosxl/presets/standard.toml``),
so ``criteria_to_dict(criteria_from_dict(d)) == d`` for every valid, complete file. Validation
errors name the file and the field, e.g. ``standard.toml, felt «matrices[0].rows[2]»: ...``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from rosxl.criteria.model import (
    UNITS,
    Band,
    CasualtyRule,
    ConsequenceArea,
    ConsequenceClass,
    ConsequenceLevel,
    Criteria,
    ProbabilityClass,
    Provenance,
    Text,
    Zone,
    ZoneMatrix,
)
from rosxl.errors import CriteriaError, UnknownPresetError, reason

PRESET_PACKAGE = "rosxl.presets"
DEFAULT_PRESET = "standard"


@dataclass(frozen=True)
class PresetInfo:
    name: str
    title: str
    version: str


def list_presets() -> list[PresetInfo]:
    """The shipped presets, ``standard`` first."""
    names = sorted((p.name[:-5] for p in resources.files(PRESET_PACKAGE).iterdir()
                    if p.name.endswith(".toml")), key=lambda n: (n != DEFAULT_PRESET, n))
    result = []
    for name in names:
        c = load_criteria(name)
        result.append(PresetInfo(name, c.title.nb, c.version))
    return result


def load_criteria(name_or_path: str | Path | Criteria | None = None) -> Criteria:
    """Criteria from a preset name (``"standard"``, ``"luster-2013"``, …) or a TOML/YAML file."""
    if isinstance(name_or_path, Criteria):
        return name_or_path
    if name_or_path is None:
        name_or_path = DEFAULT_PRESET
    path = Path(name_or_path)
    if isinstance(name_or_path, str) and path.suffix == "" and not path.exists():
        resource = resources.files(PRESET_PACKAGE) / f"{name_or_path}.toml"
        if not resource.is_file():
            known = ", ".join(p.name[:-5] for p in resources.files(PRESET_PACKAGE).iterdir()
                              if p.name.endswith(".toml"))
            raise UnknownPresetError(f"ukjent kriteriesett «{name_or_path}» (kjente: {known})")
        return criteria_from_dict(tomllib.loads(resource.read_text("utf-8")), source=f"{name_or_path}.toml")
    if not path.is_file():
        raise UnknownPresetError("finner ikke kriteriefilen", file=path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):  # a standard workbook's Kriterier sheet, read guarded
        from rosxl.workbook.read import read_analysis

        return read_analysis(path).criteria
    return criteria_from_dict(_read_file(path), source=str(path))


def _read_file(path: Path) -> dict[str, Any]:
    text = path.read_text("utf-8-sig")
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            import yaml

            data = yaml.safe_load(text)
        else:
            data = tomllib.loads(text)
    except Exception as exc:  # the parsers' own errors say where the syntax broke
        raise CriteriaError(f"kan ikke lese kriteriefilen: {reason(exc)}", file=path) from exc
    if not isinstance(data, dict):
        raise CriteriaError("kriteriefilen må inneholde en tabell på øverste nivå", file=path)
    return data


def save_criteria(criteria: Criteria, path: str | Path) -> None:
    """Write criteria as TOML (``.toml``) or YAML (``.yaml``/``.yml``)."""
    path = Path(path)
    data = criteria_to_dict(criteria)
    if path.suffix.lower() in (".yaml", ".yml"):
        import yaml

        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    else:
        import tomli_w

        path.write_text(tomli_w.dumps(data), "utf-8")


# --- dict -> model, with validation ----------------------------------------------------------


class _Fields:
    """Typed access to a nested dict that names the file and field path in its errors."""

    def __init__(self, data: Any, source: str, path: str = "") -> None:
        self.data, self.source, self.path = data, source, path

    def fail(self, message: str, sub: str | None = None) -> CriteriaError:
        where = self._join(sub) if sub is not None else self.path
        return CriteriaError(message, file=self.source, field=where or None)

    def _join(self, sub: str) -> str:
        return f"{self.path}.{sub}" if self.path and not sub.startswith("[") else f"{self.path}{sub}"

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        if not isinstance(self.data, dict):
            raise self.fail("forventet en tabell")
        if key not in self.data:
            if default is ...:
                raise self.fail("mangler", key)
            return default
        value = self.data[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise self.fail(f"har feil type ({type(value).__name__})", key)
        return value

    def sub(self, key: str) -> _Fields:
        return _Fields(self.get(key, dict), self.source, self._join(key))

    def items(self, key: str) -> Iterator[_Fields]:
        for i, item in enumerate(self.get(key, list)):
            yield _Fields(item, self.source, self._join(f"{key}[{i}]"))

    def text(self, key: str, default: Any = ...) -> Text:
        value = self.get(key, (dict, str), default)
        if value is default and default is not ...:
            return Text("", "")
        if isinstance(value, str):
            return Text(value, value)
        t = _Fields(value, self.source, self._join(key))
        nb = t.get("nb", str)
        return Text(nb, t.get("nn", str, nb))

    def strings(self, key: str) -> tuple[str, ...]:
        values = self.get(key, list, [])
        if not all(isinstance(v, str) for v in values):
            raise self.fail("skal være en liste med tekster", key)
        return tuple(values)

    def band(self, key: str = "band") -> Band | None:
        value = self.get(key, list, None)
        if value is None:
            return None
        if len(value) != 2 or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
            raise self.fail("skal være [nedre, øvre]", key)
        low, high = float(value[0]), float(value[1])
        if not (0 <= low < high):
            raise self.fail(f"ugyldig intervall [{low}, {high}]: nedre må være ≥ 0 og under øvre", key)
        return Band(low, high)


def criteria_from_dict(data: dict[str, Any], source: str = "<dict>") -> Criteria:
    """Build and validate :class:`Criteria` from the file format."""
    f = _Fields(data, source)
    zones = tuple(Zone(z.get("key", str), z.text("label"), z.text("meaning", ""), _colour(z))
                  for z in f.items("zones"))
    probability = tuple(
        ProbabilityClass(p.get("value", int), p.text("label"), p.text("description", ""), p.band(),
                         p.strings("codes"), p.strings("synonyms"))
        for p in f.items("probability"))
    levels = tuple(ConsequenceLevel(lv.get("value", int), lv.text("label"), lv.strings("codes"),
                                    lv.strings("synonyms"))
                   for lv in f.items("consequence_levels"))
    areas = tuple(_area(a) for a in f.items("areas"))
    matrices = tuple(ZoneMatrix(m.get("key", str), m.text("label", ""), m.strings("areas"), _rows(m))
                     for m in f.items("matrices"))
    provenance = f.sub("provenance") if "provenance" in data else None
    criteria = Criteria(
        name=f.get("name", str), version=str(f.get("version", (str, int, float))), title=f.text("title"),
        probability=probability, consequence_levels=levels, areas=areas, zones=zones, matrices=matrices,
        score=f.get("score", str, "product"), language=f.get("language", str, "nb"),
        description=f.text("description", ""),
        provenance=Provenance(provenance.get("source", str, ""), provenance.get("decision", str, ""))
        if provenance else Provenance(),
    )
    _validate(criteria, f)
    return criteria


def _colour(z: _Fields) -> str:
    colour: str = z.get("colour", str).lstrip("#").upper()
    if len(colour) != 6 or any(ch not in "0123456789ABCDEF" for ch in colour):
        raise z.fail(f"ugyldig farge «{colour}» (forventet RRGGBB)", "colour")
    return colour


def _area(a: _Fields) -> ConsequenceArea:
    unit = a.get("unit", str, None)
    if unit is not None and unit not in UNITS:
        raise a.fail(f"ukjent enhet «{unit}» (kjente: {', '.join(UNITS)})", "unit")
    classes = []
    for c in a.items("classes"):
        rules = tuple(CasualtyRule(r.get("dead", int, None), r.get("serious", int, None), r.get("minor", int, None))
                      for r in c.items("casualties")) if "casualties" in c.data else ()
        classes.append(ConsequenceClass(c.get("value", int), c.text("description", ""), c.band(), rules,
                                        c.strings("synonyms")))
    return ConsequenceArea(a.get("key", str), a.text("label"), tuple(classes), unit, a.strings("synonyms"))


def _rows(m: _Fields) -> tuple[tuple[str, ...], ...]:
    rows = m.get("rows", list)
    if not all(isinstance(r, list) and all(isinstance(z, str) for z in r) for r in rows):
        raise m.fail("skal være en liste med rader av sonenavn", "rows")
    return tuple(tuple(r) for r in rows)


def _validate(c: Criteria, f: _Fields) -> None:
    if c.score not in ("product", "sum"):
        raise f.fail(f"ukjent skår «{c.score}» (product eller sum)", "score")
    if c.language not in ("nb", "nn"):
        raise f.fail(f"ukjent målform «{c.language}» (nb eller nn)", "language")
    if not c.zones:
        raise f.fail("minst én sone trengs", "zones")
    _unique([z.key for z in c.zones], f, "zones", "sone")
    _check_scale([p.value for p in c.probability], f, "probability")
    _check_bands([(p.value, p.band) for p in c.probability], f, "probability")
    _check_scale([lv.value for lv in c.consequence_levels], f, "consequence_levels")
    levels = len(c.consequence_levels)
    _unique([a.key for a in c.areas], f, "areas", "område")
    for i, a in enumerate(c.areas):
        values = [k.value for k in a.classes]
        if values and sorted(values) != list(range(1, levels + 1)):
            raise f.fail(f"klassene må være 1–{levels} som i consequence_levels", f"areas[{i}].classes")
        _check_bands([(k.value, k.band) for k in a.classes], f, f"areas[{i}].classes")
        if a.unit == "persons" and not any(k.casualties for k in a.classes):
            raise f.fail("område med enhet «persons» trenger casualties-regler", f"areas[{i}]")
    covered: dict[str, str] = {}
    zone_keys = {z.key for z in c.zones}
    for i, m in enumerate(c.matrices):
        for area in m.areas:
            if area not in c.area_keys:
                raise f.fail(f"ukjent område «{area}»", f"matrices[{i}].areas")
            if area in covered:
                raise f.fail(f"området «{area}» står også i matrisen «{covered[area]}»", f"matrices[{i}].areas")
            covered[area] = m.key
        if len(m.rows) != len(c.probability):
            raise f.fail(f"har {len(m.rows)} rader, men det er {len(c.probability)} sannsynlighetsklasser",
                         f"matrices[{i}].rows")
        for r, row in enumerate(m.rows):
            if len(row) != levels:
                raise f.fail(f"har {len(row)} celler, men det er {levels} konsekvensklasser (manglende celle?)",
                             f"matrices[{i}].rows[{r}]")
            for zone in row:
                if zone not in zone_keys:
                    raise f.fail(f"ukjent sone «{zone}» (kjente: {', '.join(sorted(zone_keys))})",
                                 f"matrices[{i}].rows[{r}]")
    missing = [a for a in c.area_keys if a not in covered]
    if missing:
        raise f.fail(f"ingen sonematrise for område: {', '.join(missing)}", "matrices")


def _unique(keys: list[str], f: _Fields, where: str, what: str) -> None:
    seen = set()
    for key in keys:
        if key in seen:
            raise f.fail(f"{what} «{key}» står to ganger", where)
        seen.add(key)


def _check_scale(values: list[int], f: _Fields, where: str) -> None:
    if not values:
        raise f.fail("skalaen er tom", where)
    if sorted(values) != list(range(1, len(values) + 1)):
        raise f.fail(f"klassene må være 1–{len(values)} uten hull, fant {sorted(values)}", where)


def _check_bands(bands: list[tuple[int, Band | None]], f: _Fields, where: str) -> None:
    """Bands, where given, must rise with the class and must not overlap (gaps are allowed)."""
    given = sorted((v, b) for v, b in bands if b is not None)
    for (v1, b1), (v2, b2) in zip(given, given[1:], strict=False):
        if b2.low < b1.high:
            raise f.fail(f"intervallene til klasse {v1} og {v2} overlapper", where)


# --- model -> dict ---------------------------------------------------------------------------


def _text(t: Text) -> dict[str, str]:
    return {"nb": t.nb, "nn": t.nn}


def _band(b: Band | None) -> dict[str, list[float]]:
    return {} if b is None else {"band": [b.low, b.high]}


def _opt(key: str, values: tuple[Any, ...]) -> dict[str, Any]:
    return {key: list(values)} if values else {}


def criteria_to_dict(c: Criteria) -> dict[str, Any]:
    """The file form of ``c`` (TOML/YAML-ready; ``inf`` stays a float)."""
    return {
        "name": c.name,
        "version": c.version,
        "title": _text(c.title),
        "description": _text(c.description),
        "language": c.language,
        "score": c.score,
        "provenance": {"source": c.provenance.source, "decision": c.provenance.decision},
        "zones": [{"key": z.key, "label": _text(z.label), "meaning": _text(z.meaning), "colour": z.colour}
                  for z in c.zones],
        "probability": [{"value": p.value, "label": _text(p.label), "description": _text(p.description),
                         **_band(p.band), **_opt("codes", p.codes), **_opt("synonyms", p.synonyms)}
                        for p in c.probability],
        "consequence_levels": [{"value": lv.value, "label": _text(lv.label), **_opt("codes", lv.codes),
                                **_opt("synonyms", lv.synonyms)} for lv in c.consequence_levels],
        "areas": [{"key": a.key, "label": _text(a.label), **({"unit": a.unit} if a.unit else {}),
                   **_opt("synonyms", a.synonyms),
                   "classes": [{"value": k.value, "description": _text(k.description), **_band(k.band),
                                **({"casualties": [_rule(r) for r in k.casualties]} if k.casualties else {}),
                                **_opt("synonyms", k.synonyms)} for k in a.classes]}
                  for a in c.areas],
        "matrices": [{"key": m.key, "label": _text(m.label), "areas": list(m.areas),
                      "rows": [list(r) for r in m.rows]} for m in c.matrices],
    }


def _rule(r: CasualtyRule) -> dict[str, int]:
    return {k: v for k, v in (("dead", r.dead), ("serious", r.serious), ("minor", r.minor)) if v is not None}


