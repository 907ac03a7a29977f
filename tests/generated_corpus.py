"""A generated corpus of legacy ROS sheets, each with its truth: the converter's acceptance instrument.

:func:`generate` builds ``n`` files from a seed (``random.Random``), reproducibly, and returns one
:class:`Case` per file: the expected canonical scenarios (:class:`Expected`) and the generator
features the file combines. Every variation is drawn independently: header wording (the researched
vocabulary below, including words ``rosxl/data/headers.toml`` lacks), column order, title rows,
one- and two-row headers with merged groups, section/blank/note rows, legends and colour keys beside
and below tables, colour-only zones (fills, cell-value and expression conditional formats), several
tables per sheet, transposed and long tables, description rows, areas outside the criteria, value
forms, 3/4/5-level scales, bokmål and nynorsk, verbatim-sensitive texts and formats (.xlsx, .csv,
.ods and .xls through one LibreOffice call per format).

The truth is what a careful person reads from the sheet with the ``standard`` criteria; only cases
whose truth is unambiguous are generated (no band edges, no words on non-5-level scales, colours
only where the format keeps them). A source level ``l`` of an ``n``-level scale is class
``round(1 + (l - 1) * 4 / (n - 1))``. A text column under a header the reader cannot place (category,
description, causes, measures) must be kept verbatim but is not judged as that field. :func:`cached_corpus`
keeps a generated corpus per seed in a temporary folder keyed by this module's source.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import os
import random
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, cast

import openpyxl
from openpyxl.formatting.rule import Rule
from openpyxl.styles import Alignment, PatternFill
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.utils import get_column_letter

from corpus.legacy import as_xlsm

# --------------------------------------------------------------------------------------------------
# Vocabulary (data). Sources, read through the project's `search` tool (public pages):
# - DSB, «Veileder til helhetlig risiko- og sårbarhetsanalyse i kommunen» (2014, revidert 2022) and its
#   «Utfyllbart analyseskjema»: uønsket hendelse, beskrivelse, årsaker, eksisterende/forslag til tiltak,
#   sannsynlighet (svært lav … svært høy, «1 gang i løpet av 10–50 år», % per år), konsekvenstyper
#   liv og helse, natur og kultur, økonomi, samfunnsstabilitet, styringsevne; usikkerhet, styrbarhet.
# - KMD reguleringsplanveileder 2011, vedlegg 1 (regjeringen.no): «Lite sannsynlig/ ingen tilfeller» …
#   «Svært sannsynlig /kontinuerlig», «Ubetydelig», «Mindre alvorlig/ en viss fare», «Betydelig/ kritisk»,
#   «Alvorlig/ farlig», «Svært alvorlig/ katastrofalt»; «Rødt indikerer uakseptabel risiko» (colour keys).
# - Municipal and consultant plan-ROS reports (docplayer.me: Eidsvoll «Områderegulering Holmenga»,
#   «Risikoanalyse (Grovanalyse)»; asker.kommune.no sjekkliste; helsebiblioteket.no ROS-analyse):
#   «Hva kan gå galt?», «Risikoreduserende tiltak», «Anbefalte tiltak», «Vurdering», «Kommentar»,
#   «Forutsetninger», sjekkliste «Forhold/hendelse», «Aktuelt?», «Merknad».
# - DSB fylkesROS guide (2020) and county analyses quoted in /work/shared/domain.md (A–E, % per år).
# - Nynorsk: heilskapleg ROS (Luster 2013, domain.md), nynorsk municipal pages: hending, sannsyn,
#   konsekvens, tenesteproduksjon, omdøme, framlegg til tiltak, moglege årsaker, skildring.
# Entries marked "unknown" are deliberately absent from rosxl/data/headers.toml: content must decide.
# --------------------------------------------------------------------------------------------------

HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "id": {"nb": ("Nr", "Nr.", "ID", "Løpenr."), "nn": ("Nr", "Nr.", "ID"), "unknown": ()},
    "title": {"nb": ("Uønsket hendelse", "Hendelse", "Scenario", "Mulig uønsket hendelse"),
              "nn": ("Uønskt hending", "Hending", "Uønska hending", "Mogleg uønskt hending"),
              "unknown": ("Hva kan gå galt?", "Kva kan gå gale?", "Situasjon", "Trussel/fare"),
              "score_like": ("Risiko", "Risikoelement")},  # words headers.toml gives to the risk score
    "category": {"nb": ("Kategori", "Hovedtema", "Hendelsestype"), "nn": ("Kategori", "Hovudtema"),
                 "unknown": ("Sektor", "Emne")},
    "description": {"nb": ("Beskrivelse", "Utdyping", "Forklaring"), "nn": ("Skildring", "Omtale"),
                    "unknown": ("Forløp", "Detaljer")},
    "causes": {"nb": ("Årsak", "Årsaker", "Mulige årsaker"), "nn": ("Årsak", "Moglege årsaker"),
               "unknown": ("Bakenforliggende forhold", "Drivere")},
    "measures": {"nb": ("Tiltak", "Forslag til tiltak", "Risikoreduserende tiltak", "Anbefalte tiltak"),
                 "nn": ("Tiltak", "Framlegg til tiltak", "Moglege tiltak"),
                 "unknown": ("Oppfølgingspunkter", "Anbefalinger", "Handlingsplan")},
    "responsible": {"nb": ("Ansvarlig", "Ansvar", "Ansvarlig enhet"), "nn": ("Ansvarleg", "Ansvar"),
                    "unknown": ("Hvem følger opp?", "Eier")},
    "deadline": {"nb": ("Frist", "Tidsfrist"), "nn": ("Frist",), "unknown": ()},
    "probability": {"nb": ("Sannsynlighet", "S", "Sannsynlighet (S)", "Frekvens"),
                    "nn": ("Sannsyn", "S", "Sannsynlegheit", "Sannsyn (S)"),
                    "unknown": ("Hyppighet", "Hvor ofte?", "Kor ofte?", "Gjentaksintervall", "Returperiode",
                                "Forventet hyppighet")},
    "consequence": {"nb": ("Konsekvens", "K", "Kons."), "nn": ("Konsekvens", "K"), "unknown": ()},
    "combined": {"nb": ("Risiko (S/K)", "S/K", "Vurdering S/K"), "nn": ("Risiko (S/K)", "S/K"), "unknown": ()},
    "colour": {"nb": ("Risiko", "Risikonivå", "Sone"), "nn": ("Risiko", "Risikonivå"), "unknown": ()},
    "score": {"nb": ("Risikoverdi", "S×K", "R"), "nn": ("Risikotal", "S×K"), "unknown": ()},
    "priority": {"nb": ("Prioritet",), "nn": ("Prioritet",), "unknown": ()},
}

#: Area column headers; "unknown" ones only carry typed values (amounts, days, casualties).
AREA_HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "liv_og_helse": {"nb": ("Liv og helse", "Liv/helse", "Personskade"), "nn": ("Liv og helse",),
                     "unknown": ("Tap av liv", "Skadde og døde")},
    "miljo": {"nb": ("Miljø", "Natur og kultur", "Ytre miljø"), "nn": ("Miljø", "Natur og kultur"), "unknown": ()},
    "okonomi": {"nb": ("Økonomi", "Materielle verdier", "Økonomiske verdier"), "nn": ("Økonomi",
                "Materielle verdiar"), "unknown": ("Skadeomfang (kr)", "Anslått tap", "Kostnad ved hendelse")},
    "tjenester": {"nb": ("Tjenesteproduksjon", "Stans i tjenester"), "nn": ("Tenesteproduksjon",),
                  "unknown": ("Nedetid", "Varighet av bortfall", "Utfallstid")},
    "omdomme": {"nb": ("Omdømme", "Tillit"), "nn": ("Omdøme",), "unknown": ()},
    "stabilitet": {"nb": ("Samfunnsstabilitet",), "nn": ("Samfunnsstabilitet",), "unknown": ()},
    "styringsevne": {"nb": ("Styringsevne",), "nn": ("Styringsevne",), "unknown": ()},
}
CRITERIA_AREAS = ("liv_og_helse", "miljo", "okonomi", "tjenester", "omdomme")
OUTSIDE_AREAS = ("stabilitet", "styringsevne")

GROUPS: dict[str, dict[str, tuple[str, ...]]] = {
    "consequence": {"nb": ("Konsekvens", "Konsekvenser"), "nn": ("Konsekvens", "Konsekvensar")},
    "before": {"nb": ("Før tiltak", "Risiko før tiltak"), "nn": ("Før tiltak",)},
    "after": {"nb": ("Etter tiltak", "Restrisiko"), "nn": ("Etter tiltak", "Gjenverande risiko")},
}
LONG_AREA_HEADER = {"nb": ("Konsekvensområde", "Konsekvenstype"), "nn": ("Konsekvensområde", "Konsekvenstype")}
AREA_NAMES = {"liv_og_helse": "Liv og helse", "miljo": "Miljø", "okonomi": "Økonomi",
              "tjenester": "Tjenesteproduksjon", "omdomme": "Omdømme", "stabilitet": "Samfunnsstabilitet",
              "styringsevne": "Styringsevne"}

#: Scale words per class (standard criteria, and the KMD/DSB words the standard reads the same way).
PROBABILITY_WORDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "nb": (("Svært lav", "Lite sannsynlig"), ("Lav", "Mindre sannsynlig"), ("Middels", "Sannsynlig"),
           ("Høy", "Meget sannsynlig"), ("Svært høy", "Svært sannsynlig")),
    "nn": (("Svært låg", "Lite sannsynleg"), ("Låg", "Mindre sannsynleg"), ("Middels", "Sannsynleg"),
           ("Høg", "Meget sannsynleg"), ("Svært høg", "Svært sannsynleg")),
}
CONSEQUENCE_WORDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "nb": (("Ufarlig", "Ubetydelig", "Svært små"), ("En viss fare", "Mindre alvorlig", "Små"),
           ("Farlig", "Betydelig"), ("Kritisk", "Store"), ("Katastrofal", "Katastrofalt", "Svært store")),
    "nn": (("Ufarleg", "Svært små"), ("Ein viss fare", "Mindre alvorleg"), ("Farleg", "Betydeleg"),
           ("Kritisk", "Store"), ("Katastrofal", "Svært store")),
}
PROBABILITY_LABELS = {"nb": ("Svært lav", "Lav", "Middels", "Høy", "Svært høy"),
                      "nn": ("Svært låg", "Låg", "Middels", "Høg", "Svært høg")}
CONSEQUENCE_LABELS = {"nb": ("Ufarlig", "En viss fare", "Farlig", "Kritisk", "Katastrofal"),
                      "nn": ("Ufarleg", "Ein viss fare", "Farleg", "Kritisk", "Katastrofal")}

#: Frequencies strictly inside the standard's bands (no band edge), per class.
FREQUENCIES: dict[int, tuple[str, ...]] = {
    1: ("1 gang per 200 år", "hvert 500. år", "sjeldnere enn hvert 100. år", "0,5 % per år", "1/500",
        "ein gong per 300 år", "kvart 1000. år", "< 0,1 %"),
    2: ("1 gang per 20 år", "hvert 50. år", "5 % per år", "1/25", "2 % per år", "ein gong per 30 år",
        "kvart 40. år", "1 gang i løpet av 20–50 år", "1 gong i løpet av 20 år", "én gang per 20 år",
        "en gang hvert 30. år", "hvert 20.–50. år", "2 % sannsynlighet per år", "kvart 25. år"),
    3: ("hvert 5. år", "1 gang per 3 år", "20 % per år", "hvert 2.–5. år", "kvart 4. år", "ein gong per 5 år",
        "1 gang i løpet av 5 år"),
    4: ("2 ganger i året", "3 ganger per år", "5 ganger i året", "to gonger i året", "fire gonger i året",
        "flere ganger i året"),
    5: ("månedlig", "ukentlig", "1 gang i måneden", "20 ganger i året", "kvar veke", "dagleg", "ein gong i månaden"),
}
#: Typed consequence facts per area and class, strictly inside the bands. Hedges ("cirka", "omkring",
#: "anslagsvis") are read as the amount they hedge.
TYPED: dict[str, dict[int, tuple[str, ...]]] = {
    "okonomi": {1: ("20 000,-", "5 000 kr", "kr 10 000", "under 20 000 kr"),
                2: ("50 000 kr", "150 000,-", "omkring 100 000 kr", "kr 150.000", "NOK 50 000"),
                3: ("kr 500 000", "1,5 mill", "800 000,-", "omkring 250 000 kr", "anslagsvis 1,5 MNOK",
                    "om lag 500 000 kr"),
                4: ("2,5 mill", "kr 5 mill.", "cirka 4 mill.", "10 MNOK", "ca. 3 mill"),
                5: ("30 MNOK", "50 mill", "over 25 mill.", "1,2 mrd")},
    "tjenester": {1: ("under en dag", "4 timer", "12 timar"), 2: ("3 døgn", "2 dager", "stans i 3 døgn", "2-3 dagar"),
                  3: ("7 dager", "8 døgn", "9 dager", "1 veke"), 4: ("2 uker", "3 veker", "20 dager"),
                  5: ("6 veker", "2 måneder", "40 døgn", "over 30 døgn")},
    "liv_og_helse": {1: ("ingen skadde", "ingen personskadar"), 2: ("få og små skader", "3 lettere skadd"),
                     3: ("1 alvorlig skadd", "1 alvorleg skadd"), 4: ("1 død", "flere alvorlig skadde"),
                     5: ("2 døde", "flere døde", "fleire døde")},
}
HEDGES = ("cirka ", "omkring ", "anslagsvis ", "ca. ", "om lag ")

# Value forms found on unseen-like sheets (red team «values», issue 10). Each is drawn on the Builder's own
# ``values`` stream, so adding one leaves every other draw of a seed unchanged. Sources as above: KMD 2011
# words under question headers («Hvor ofte?»), NVE/TEK17 return periods («gjentaksintervall», «200-årsflom»),
# county analyses in % per year, combined cells that repeat their score or zone, hedged and ranged facts.
#: A header naming the unit of bare numbers, and numbers strictly inside the standard's bands per class
#: (classes the unit cannot express sensibly are written as frequency texts instead).
UNSEEN_UNIT_HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "percent": {"nb": ("Årlig sannsynlighet (%)", "Sannsynlighet, % per år"),
                "nn": ("Årleg sannsyn (%)", "Sannsyn, % per år")},
    "years": {"nb": ("Gjentaksintervall (år)", "Returperiode, år", "Sannsynlighet (gjentaksintervall i år)"),
              "nn": ("Gjentaksintervall (år)", "Returperiode, år")},
}
UNSEEN_UNIT_VALUES: dict[str, dict[int, tuple[Value, ...]]] = {
    "percent": {1: ("0,5", "0,2"), 2: (2, 5, "3"), 3: (20, 50, "25")},
    "years": {1: (200, 500, 1000), 2: (20, 50, "30"), 3: (2, 5, "4")},
}
#: Probability words under a header in no synonym list: the words alone say it is the probability.
UNSEEN_LIKELIHOOD_HEADERS = ("Hyppighet", "Hvor ofte?", "Kor ofte?", "Forventet hyppighet")
#: A combined cell's tail that repeats its score or zone ("2/3 (gul)", "S=5 K=5 (R=25)", "3 x 4 = 12").
UNSEEN_COMBINED_FORMS = ("{p}/{k} ({zone})", "S={p} K={k} (R={score})", "S{p} K{k} – {zone}", "{p} x {k} = {score}",
                         "S{p}xK{k}", "({p},{k})")
UNSEEN_ZONE_WORDS = {"nb": ("grønn", "gul", "rød"), "nn": ("grøn", "gul", "raud")}
#: A consequence header that names the unit of its bare numbers, and numbers strictly inside each class's band
#: (all above 5, so a column of them can never be taken for classes).
UNSEEN_UNIT_CONSEQUENCES: dict[str, tuple[str, dict[int, tuple[int, ...]]]] = {
    "okonomi": (" (1000 kr)", {1: (8, 15), 2: (50, 150), 3: (500, 1500), 4: (5000, 15000), 5: (50000, 250000)}),
    "tjenester": (" (timer)", {1: (6, 12), 2: (48, 72), 3: (168, 200), 4: (480, 600), 5: (1000, 2000)}),
}
#: Ranged and counted facts strictly inside one class.
UNSEEN_TYPED: dict[str, dict[int, tuple[str, ...]]] = {
    "okonomi": {2: ("fra 50 000 til 100 000 kr",), 4: ("mellom 3 og 5 mill",)},
    "tjenester": {5: ("flere måneder", "fleire månader")},
    "liv_og_helse": {5: ("2–5 døde", "3-4 døde")},
}

#: Events (title, category) in bokmål and nynorsk; some texts carry an en dash, NBSP or line break.
EVENTS: dict[str, tuple[tuple[str, str], ...]] = {
    "nb": (("Flom i Storelva", "Naturhendelser"), ("Kvikkleireskred – Nedre Bakken", "Naturhendelser"),
           ("Ekstremvær med orkan", "Naturhendelser"), ("Skogbrann", "Naturhendelser"),
           ("Snøskred over E16", "Naturhendelser"), ("Stormflo i sentrum", "Naturhendelser"),
           ("Tørke og vannmangel", "Naturhendelser"), ("Jordskjelv", "Naturhendelser"),
           ("Langvarig strømbrudd", "Kritisk infrastruktur"), ("Bortfall av ekom", "Kritisk infrastruktur"),
           ("Svikt i drikkevannsforsyningen", "Kritisk infrastruktur"), ("Brann i sykehjem", "Storulykker"),
           ("Brann i tunnel", "Storulykker"), ("Bussulykke på fv.\u00a055", "Storulykker"),
           ("Utslipp av farlig gods", "Storulykker"), ("Eksplosjon ved industriområdet", "Storulykker"),
           ("Pandemi", "Helse"), ("Matbåren smitte", "Helse"), ("Dataangrep – løsepengevirus", "Tilsiktede hendelser"),
           ("Skoleskyting", "Tilsiktede hendelser"), ("Terror mot arrangement", "Tilsiktede hendelser"),
           ("Sabotasje av vannverk", "Tilsiktede hendelser"), ("Brudd i avløpsnettet", "Kritisk infrastruktur"),
           ("Isgang i elva", "Naturhendelser"), ("Steinsprang mot boliger", "Naturhendelser"),
           ("Havari på kommunens servere", "Kritisk infrastruktur"), ("Atomulykke", "Storulykker"),
           ("Ulykke i fritidsbåt", "Storulykker"), ("Radon i skolebygg", "Helse"),
           ("Mangel på helsepersonell", "Helse")),
    "nn": (("Flaum i Storelva", "Naturhendingar"), ("Kvikkleireskred – Nedre Bakken", "Naturhendingar"),
           ("Ekstremvêr med orkan", "Naturhendingar"), ("Skogbrann", "Naturhendingar"),
           ("Snøskred over E16", "Naturhendingar"), ("Stormflod i sentrum", "Naturhendingar"),
           ("Tørke og vassmangel", "Naturhendingar"), ("Jordskjelv", "Naturhendingar"),
           ("Langvarig straumbrot", "Kritisk infrastruktur"), ("Bortfall av ekom", "Kritisk infrastruktur"),
           ("Svikt i drikkevassforsyninga", "Kritisk infrastruktur"), ("Brann i sjukeheim", "Storulukker"),
           ("Brann i tunnel", "Storulukker"), ("Bussulukke på fv.\u00a055", "Storulukker"),
           ("Utslepp av farleg gods", "Storulukker"), ("Eksplosjon ved industriområdet", "Storulukker"),
           ("Pandemi", "Helse"), ("Matboren smitte", "Helse"), ("Dataåtak – løysepengevirus", "Tilsikta hendingar"),
           ("Skuleskyting", "Tilsikta hendingar"), ("Terror mot arrangement", "Tilsikta hendingar"),
           ("Sabotasje av vassverk", "Tilsikta hendingar"), ("Brot i avløpsnettet", "Kritisk infrastruktur"),
           ("Isgang i elva", "Naturhendingar"), ("Steinsprang mot bustader", "Naturhendingar"),
           ("Havari på kommunen sine tenarar", "Kritisk infrastruktur"), ("Atomulukke", "Storulukker"),
           ("Ulukke i fritidsbåt", "Storulukker"), ("Radon i skulebygg", "Helse"),
           ("Mangel på helsepersonell", "Helse")),
}
PLACES = ("Sjøbakken", "Fossen", "Eidsvika", "Brekke", "Nordre Li", "Holmenga", "Skarvet", "Øvre Dal")
DESCRIPTIONS = {"nb": ("Rammer flere boliger og kommunal vei", "Kan gi\u00a0brudd i forsyningen i flere døgn",
                       "Erfaring fra 2011 – hendelsen rammet 40 husstander", "Særlig sårbart om vinteren",
                       "Lite kjent risiko; ingen registrerte hendelser"),
                "nn": ("Rammar fleire bustader og kommunal veg", "Kan gi\u00a0brot i forsyninga i fleire døgn",
                       "Erfaring frå 2011 – hendinga ramma 40 hushald", "Særleg sårbart om vinteren",
                       "Lite kjend risiko; ingen registrerte hendingar")}
CAUSES = {"nb": ("Mye nedbør", "Teknisk svikt", "Menneskelig svikt", "Grunnarbeid i området", "Tilsiktet handling"),
          "nn": ("Mykje nedbør", "Teknisk svikt", "Menneskeleg svikt", "Grunnarbeid i området", "Tilsikta handling")}
MEASURES = {"nb": ("Varsling\nEvakueringsplan", "Flomvoll langs elva", "Reserveaggregat – testes årlig",
                   "Beredskapsplan oppdateres", "Øvelse med nødetatene\nInformasjon til innbyggere",
                   "Geoteknisk vurdering før\u00a0tiltak"),
            "nn": ("Varsling\nEvakueringsplan", "Flaumvoll langs elva", "Reserveaggregat – testast årleg",
                   "Beredskapsplan vert oppdatert", "Øving med naudetatane\nInformasjon til innbyggjarar",
                   "Geoteknisk vurdering før\u00a0tiltak")}
RESPONSIBLE = {"nb": ("Teknisk etat", "Kommunalsjef helse", "Beredskapskoordinator", "Rådmannen", "Plan og bygg"),
               "nn": ("Teknisk eining", "Kommunalsjef helse", "Beredskapskoordinator", "Kommunedirektøren")}
DEADLINES = ("2025", "Innen 2026", "Løpende", "Q3 2025", "31.12.2025", "Før byggestart")
TITLE_ROWS = {"nb": ("Risiko- og sårbarhetsanalyse", "Helhetlig ROS-analyse for {place} kommune",
                     "Reguleringsplan {place} – ROS-analyse", "Utarbeidet av Konsulent AS, 12.03.2016",
                     "Revidert 2019", "Unntatt offentlighet, jf. offl. § 24"),
              "nn": ("Risiko- og sårbarheitsanalyse", "Heilskapleg ROS-analyse for {place} kommune",
                     "Reguleringsplan {place} – ROS-analyse", "Utarbeidd av Konsulent AS, 12.03.2016",
                     "Revidert 2019")}
NOTES = {"nb": ("Merknad: tallene er hentet fra rapport 2015", "Merknad: vurderingene gjøres på nytt i 2025",
                "NB: sannsynlighet er vurdert for dagens klima", "Kilde: NVE og DSB"),
         "nn": ("Merknad: tala er henta frå rapport 2015", "Merknad: vurderingane vert gjort på nytt i 2025",
                "NB: sannsyn er vurdert for dagens klima", "Kjelde: NVE og DSB")}
COLOURS = {"red": ("FF0000", "C00000"), "yellow": ("FFFF00", "FFC000"), "green": ("00B050", "92D050")}
ZONE_WORDS = {"nb": {"green": "Akseptabel risiko", "yellow": "Tolerabel – vurder tiltak",
                     "red": "Uakseptabel – tiltak nødvendig"},
              "nn": {"green": "Akseptabel risiko", "yellow": "Tolerabel – vurder tiltak",
                     "red": "Uakseptabel – tiltak naudsynt"}}
SCORES = {"green": (2, 3, 4), "yellow": (6, 8, 9), "red": (12, 15, 16, 20, 25)}
FORMATS = (("xlsx", 0.51), ("xlsm", 0.04), ("csv;", 0.1), ("csv,", 0.07), ("ods", 0.14), ("xls", 0.14))
COLOUR_FORMATS = ("xlsx", "xlsm")
MERGE_FORMATS = ("xlsx", "xlsm", "ods", "xls")

Value = str | int | float | None
TEXT_KINDS = ("id", "title", "category", "description", "causes", "measures", "responsible", "deadline")


def level_class(level: int, levels: int) -> int:
    """The standard's class (1–5) of level ``level`` on a source scale of ``levels`` levels."""
    return round(1 + (level - 1) * 4 / (levels - 1))


def classes_of(levels: int) -> dict[int, int]:
    """Class → source level for the classes an ``levels``-level scale can express."""
    return {level_class(lv, levels): lv for lv in range(1, levels + 1)}


# --------------------------------------------------------------------------------------------------
# Truth
# --------------------------------------------------------------------------------------------------


@dataclass
class Expected:
    """One scenario as a careful reader takes it from the sheet (``None``: the sheet does not say)."""

    title: str
    id: str | None = None
    category: str | None = None
    description: str | None = None
    causes: str | None = None
    measures: str | None = None
    responsible: str | None = None
    deadline: str | None = None
    probability: int | None = None
    consequences: dict[str, int] = field(default_factory=dict)
    residual_probability: int | None = None
    residual_consequences: dict[str, int] = field(default_factory=dict)
    zone: str | None = None  # only where the zone comes from colour or a bare score
    texts: list[str] = field(default_factory=list)  # source texts that must appear verbatim in the output
    uncounted: list[str] = field(default_factory=list)  # text fields under an unknown header: kept, not judged

    def facts(self) -> dict[str, Any]:
        """Every fact by a path such as ``consequences.okonomi`` or ``residual.probability``."""
        out: dict[str, Any] = {k: getattr(self, k) for k in (*TEXT_KINDS, "probability", "zone")}
        out.update({f"consequences.{a}": k for a, k in self.consequences.items()})
        out["residual.probability"] = self.residual_probability
        out.update({f"residual.consequences.{a}": k for a, k in self.residual_consequences.items()})
        return {k: v for k, v in out.items() if v is not None and k not in self.uncounted}


@dataclass
class Case:
    """One generated file: its name, the features it combines, and its expected scenarios."""

    name: str
    features: list[str]
    scenarios: list[Expected]
    texts: list[str] = field(default_factory=list)  # title rows, headings and notes: kept verbatim as context

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Case:
        return cls(data["name"], list(data["features"]), [Expected(**s) for s in data["scenarios"]],
                   list(data.get("texts", [])))


# --------------------------------------------------------------------------------------------------
# A sheet being built: values, merges, fills and conditional formats, 0-based
# --------------------------------------------------------------------------------------------------


@dataclass
class Grid:
    name: str
    cells: dict[tuple[int, int], Value] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    fills: dict[tuple[int, int], str] = field(default_factory=dict)
    rules: list[tuple[str, str, str, str]] = field(default_factory=list)  # (range, kind, formula, colour)
    hidden: bool = False

    @property
    def height(self) -> int:
        return max((r for r, _ in self.cells), default=-1) + 1

    @property
    def width(self) -> int:
        return max((c for _, c in self.cells), default=-1) + 1

    def put_row(self, r: int, values: Sequence[Value], col: int = 0) -> None:
        for c, v in enumerate(values):
            if v is not None and v != "":
                self.cells[(r, col + c)] = v

    def rows(self) -> list[list[Value]]:
        w = self.width
        return [[self.cells.get((r, c)) for c in range(w)] for r in range(self.height)]


# --------------------------------------------------------------------------------------------------
# Columns: what a column is and how it renders a scenario
# --------------------------------------------------------------------------------------------------


@dataclass
class Column:
    kind: str  # id, title, category, description, causes, measures, probability, area, undivided, combined,
    #            colour, score, priority
    header: str
    group: str | None = None  # two-row header: the merged group cell above
    area: str | None = None
    residual: bool = False
    form: str = "digit"  # digit, letter, word, word_num, freq, typed
    levels: int = 5


@dataclass
class Draft:
    """A scenario before rendering: its truth and what only the rendering needs."""

    truth: Expected
    colour_zone: str | None = None
    score: int | None = None  # a bare S×K score (colour tables)
    category_shown: bool = True  # False: the category is written only on its group's first row


class Builder:
    """Builds one file's sheets and truth from its random generator."""

    def __init__(self, rng: random.Random, name: str) -> None:
        self.rng, self.name = rng, name
        self.lang = "nn" if rng.random() < 0.3 else "nb"
        self.features: set[str] = {self.lang}
        self.fmt = self._pick_format()
        self.features.add(f"format:{self.fmt}")
        self.text_digits = not self.fmt.startswith("csv") and self.chance(0.1, "digits-as-text")
        self.expected: list[Expected] = []
        self.texts: list[str] = []
        self.header_breaks = self.chance(0.15, "header-line-breaks")
        self._shown: dict[str, str] = {}
        self.extent = Extent()  # table-structure variations, drawn apart (:func:`draw_extent`)
        self.values = random.Random(repr(rng.getstate()[1][:8]))  # the «values» red team's own stream

    def shown(self, header: str) -> str:
        """A header as the sheet shows it: where the file wraps headers by hand, some get a line break for
        a space (the same header always the same way)."""
        if header not in self._shown:
            wrap = self.header_breaks and " " in header and self.chance(0.6)
            self._shown[header] = header.replace(" ", "\n", 1) if wrap else _hyphenated(self, header)
        return self._shown[header]

    def context(self, text: str) -> str:
        """A text outside the scenarios (title row, heading, note) that the output must keep verbatim."""
        if text not in self.texts:
            self.texts.append(text)
        return text

    # --- choices ---------------------------------------------------------------------------------

    def _pick_format(self) -> str:
        x, acc = self.rng.random(), 0.0
        for fmt, share in FORMATS:
            acc += share
            if x < acc:
                return fmt
        return "xlsx"

    def chance(self, p: float, feature: str | None = None) -> bool:
        hit = self.rng.random() < p
        if hit and feature:
            self.features.add(feature)
        return hit

    def pick(self, options: Sequence[Any]) -> Any:
        return options[self.rng.randrange(len(options))]

    def header(self, vocab: dict[str, tuple[str, ...]], unknown_ok: bool) -> str:
        if unknown_ok and vocab["unknown"] and self.chance(0.35, "unknown-header"):
            return str(self.pick(vocab["unknown"]))
        return str(self.pick(vocab[self.lang]))

    @property
    def merges_ok(self) -> bool:
        return self.fmt in MERGE_FORMATS

    @property
    def colour_ok(self) -> bool:
        return self.fmt in COLOUR_FORMATS

    # --- scenarios -------------------------------------------------------------------------------

    def drafts(self, count: int, id_style: str = "digits") -> list[Draft]:
        events = self.rng.sample(EVENTS[self.lang], min(count, len(EVENTS[self.lang])))
        out = []
        for n, (title, category) in enumerate(events, start=1):
            if self.chance(0.25):
                title = f"{title} ved {self.pick(PLACES)}"
            ident = {"digits": str(n), "prefixed": f"{category[0]}{n}", "dotted": f"{n}.{self.rng.randint(1, 9)}"}[
                id_style]
            truth = Expected(title=title, id=ident, category=category)
            out.append(Draft(truth))
        return out

    # --- value forms -------------------------------------------------------------------------------

    def probability_value(self, col: Column, cls: int) -> tuple[Value, str | None]:
        """The cell for class ``cls`` in ``col``'s form, and the raw text that must be kept (if any)."""
        if col.form.startswith("unseen-"):
            return _unseen_probability_value(self, col, cls)
        if col.form == "freq":
            text = str(self.pick(FREQUENCIES[cls]))
            return text, text
        if col.form == "letter":
            return "ABCDE"[cls - 1], None
        if col.form == "word":
            word = _unseen_noun(self, str(self.pick(PROBABILITY_WORDS[self.lang][cls - 1])), "probability")
            return _unseen_word_and_fact(self, word, cls)
        if col.form == "word_num":
            return f"{PROBABILITY_LABELS[self.lang][cls - 1]} ({cls})", None
        return self.digit(classes_of(col.levels)[cls]), None

    def consequence_value(self, col: Column, cls: int) -> tuple[Value, str | None]:
        if col.form == "unseen-unit" and col.area in UNSEEN_UNIT_CONSEQUENCES:
            number = self.values.choice(UNSEEN_UNIT_CONSEQUENCES[col.area][1][cls])
            return (str(number) if self.fmt.startswith("csv") else number), None
        if col.form == "typed" and col.area in TYPED:
            text = _unseen_typed(self, col.area, cls, str(self.pick(TYPED[col.area][cls])))
            return text, text
        if col.form == "word":
            return _unseen_noun(self, str(self.pick(CONSEQUENCE_WORDS[self.lang][cls - 1])), "consequence"), None
        if col.form == "word_num":
            return f"{CONSEQUENCE_LABELS[self.lang][cls - 1]} ({cls})", None
        if col.form == "letter":
            return "ABCDE"[cls - 1], None
        return self.digit(classes_of(col.levels)[cls]), None

    def digit(self, level: int) -> Value:
        return _unseen_decimal(self, str(level)) if self.fmt.startswith("csv") or self.text_digits else level


# --------------------------------------------------------------------------------------------------
# Layouts
# --------------------------------------------------------------------------------------------------


def _choose_columns(b: Builder, *, long: bool = False, plain: bool = False) -> list[Column]:
    """The columns of one table, in the order they will appear, with header wording and value forms."""
    rng = b.rng
    cols: list[Column] = []
    if b.chance(0.7):
        cols.append(Column("id", b.header(HEADERS["id"], False)))
    cols.append(Column("title", b.header(HEADERS["title"], True)))
    optional = [("category", 0.3), ("description", 0.35), ("causes", 0.3)]
    for kind, p in optional:
        if b.chance(p):
            cols.append(Column(kind, b.header(HEADERS[kind], True)))
    if long:
        cols.append(Column("probability", b.header(HEADERS["probability"], False), form="digit"))
        cols.append(Column("measures", b.header(HEADERS["measures"], False)))
        return cols
    modes = ("areas",) if plain else ("areas", "areas", "areas", "undivided", "combined") + (
        ("colour", "colour") if b.colour_ok else ())
    mode = b.pick(modes)
    b.features.add(f"consequence:{mode}")
    assessed: list[Column] = []
    if mode == "colour":
        assessed += _colour_columns(b)
    elif mode == "combined":
        assessed.append(Column("combined", b.header(HEADERS["combined"], False)))
    else:
        assessed.append(_probability_column(b))
        if mode == "undivided":
            assessed.append(_consequence_column(b, None))
        else:
            areas = rng.sample(CRITERIA_AREAS, rng.randint(1, 4))
            if b.chance(0.3, "area-outside-criteria"):
                areas.append(b.pick(OUTSIDE_AREAS))
            assessed += [_consequence_column(b, a) for a in areas]
    if b.chance(0.85):
        cols.append(Column("measures", b.header(HEADERS["measures"], True)))
    trailing = [Column(kind, b.header(HEADERS[kind], True)) for kind, p in (("responsible", 0.15), ("deadline", 0.12))
                if b.chance(p, "follow-up-columns")]
    if mode in ("areas", "undivided") and b.chance(0.12, "title-under-score-header"):
        title = next(c for c in cols if c.kind == "title")
        title.header, title.form = str(b.pick(HEADERS["title"]["score_like"])), "score-like"
        for c in cols + trailing:  # the other text columns then carry headers a reader knows
            if c.kind in _JUDGED_BY_HEADER and c.header in HEADERS[c.kind]["unknown"]:
                c.header = str(b.pick(HEADERS[c.kind][b.lang]))
    # column order: the identifying columns first (mostly), the rest shuffled a little
    if b.chance(0.3, "column-order-shuffled"):
        body = cols[1:] + assessed
        rng.shuffle(body)
        return ([cols[0], *body] if cols[0].kind in ("id", "title") else body) + trailing
    ordered = cols[:-1] + assessed + cols[-1:] if cols[-1].kind == "measures" else cols + assessed
    return ordered + trailing


def _probability_column(b: Builder, residual: bool = False) -> Column:
    forms = ("digit", "digit", "letter", "word", "word_num", "freq")
    form = str(b.pick(forms))
    levels = 5
    if form == "digit" and b.chance(0.3):
        levels = b.pick((3, 4))
        b.features.add(f"scale:{levels}")
    b.features.add(f"probability:{form}")
    unknown_ok = form == "freq"
    header = b.header(HEADERS["probability"], unknown_ok)
    if header in HEADERS["probability"]["unknown"]:
        b.features.add("probability-unknown-header")
    if levels != 5:
        header += b.pick((f" (1-{levels})", f" (1–{levels})", f" 1–{levels}"))
    else:
        form, header = _unseen_probability(b, form, header)
    return Column("probability", header, levels=levels, form=form, residual=residual)


def _consequence_column(b: Builder, area: str | None, residual: bool = False) -> Column:
    forms = ["digit", "digit", "word", "word_num", "letter"]
    if area in TYPED:
        forms += ["typed", "typed"]
    form = str(b.pick(forms))
    levels = 5
    if form == "digit" and b.chance(0.2):
        levels = b.pick((3, 4))
        b.features.add(f"scale:{levels}")
    b.features.add(f"consequence:{form}")
    if area is None:
        header = b.header(HEADERS["consequence"], False)
        kind = "undivided"
    else:
        header = b.header(AREA_HEADERS[area], form == "typed")
        if header in AREA_HEADERS[area]["unknown"]:
            b.features.add("area-unknown-header")
        kind = "area"
    if levels != 5:
        header += f" (1-{levels})"
    elif area is not None:
        form, header = _unseen_consequence(b, area, form, header)
    return Column(kind, header, area=area, form=form, levels=levels, residual=residual)


def _colour_columns(b: Builder) -> list[Column]:
    style = b.pick(("fill", "fill-mixed", "cf-value", "cf-expression", "cf-row"))
    b.features.add(f"colour:{style}")
    if style in ("cf-value", "cf-row"):
        return [Column("score", b.header(HEADERS["score"], False), form=style)]
    if style == "cf-expression":
        return [Column("priority", HEADERS["priority"][b.lang][0], form="cf-expression"),
                Column("colour", b.header(HEADERS["colour"], False), form="cf-expression")]
    return [Column("colour", b.header(HEADERS["colour"], False), form=style)]


def _fill_truth(b: Builder, drafts: list[Draft], cols: list[Column]) -> None:
    """Draw the classes every assessed column needs, into the truth."""
    for d in drafts:
        t = d.truth
        if any(c.kind == "title" and c.form == "score-like" for c in cols) and " " not in t.title:
            t.title = f"{t.title} ved {b.pick(PLACES)}"  # a score-like header over texts of several words
        for col in cols:
            if col.kind == "probability":
                if col.residual:
                    t.residual_probability = _lower(b, col, t.probability)
                else:
                    t.probability = b.pick(sorted(classes_of(col.levels)))
            elif col.kind in ("area", "undivided"):
                key = col.area or "samlet"
                if col.residual:
                    t.residual_consequences[key] = _lower(b, col, t.consequences.get(key))
                else:
                    t.consequences[key] = b.pick(sorted(classes_of(col.levels)))
            elif col.kind == "combined":
                t.probability, t.consequences["samlet"] = b.rng.randint(1, 5), b.rng.randint(1, 5)
            elif col.kind in ("colour", "score"):
                zone = b.pick(("green", "yellow", "red"))
                d.colour_zone = t.zone = zone
                if col.form in ("cf-value", "cf-row") or (col.form == "fill-mixed" and b.chance(0.5)):
                    d.score = b.pick(SCORES[zone])
        t.uncounted += [c.kind for c in cols if c.kind in _JUDGED_BY_HEADER and c.header in HEADERS[c.kind]["unknown"]]
        if any(c.kind == "description" for c in cols):
            t.description = str(b.pick(DESCRIPTIONS[b.lang]))
        if any(c.kind == "causes" for c in cols):
            t.causes = str(b.pick(CAUSES[b.lang]))
        if any(c.kind == "measures" for c in cols):
            t.measures = str(b.pick(MEASURES[b.lang]))
        if any(c.kind == "responsible" for c in cols):
            t.responsible = str(b.pick(RESPONSIBLE[b.lang]))
        if any(c.kind == "deadline" for c in cols):
            t.deadline = str(b.pick(DEADLINES))
        if not any(c.kind == "id" for c in cols):
            t.id = None


def _lower(b: Builder, col: Column, before: int | None) -> int:
    """A residual class: at most the class before measures, on the column's scale."""
    return int(b.pick([k for k in sorted(classes_of(col.levels)) if before is None or k <= before]))


_JUDGED_BY_HEADER = ("category", "description", "causes", "measures", "responsible")


def _cell(b: Builder, d: Draft, col: Column) -> Value:
    """One scenario's cell in ``col``; raw texts are recorded in the truth's ``texts``."""
    t = d.truth
    value: Value
    raw: str | None = None
    if col.kind == "category" and not d.category_shown:
        value = None
    elif col.kind in TEXT_KINDS:
        value = getattr(t, col.kind)
        raw = value if isinstance(value, str) and col.kind != "id" else None
        if col.kind == "id" and isinstance(value, str) and value.isdigit() and not b.fmt.startswith("csv"):
            value = int(value)
    elif col.kind == "probability":
        cls = t.residual_probability if col.residual else t.probability
        value, raw = b.probability_value(col, cls) if cls is not None else (None, None)
    elif col.kind in ("area", "undivided"):
        cls = (t.residual_consequences if col.residual else t.consequences).get(col.area or "samlet")
        value, raw = b.consequence_value(col, cls) if cls is not None else (None, None)
    elif col.kind == "combined":
        p, k = t.probability, t.consequences["samlet"]
        value = _unseen_combined(b, str(b.pick((f"S{p} K{k}", f"{p}/{k}", f"S:{p} K:{k}", f"S{p}K{k}"))), p, k)
        if b.fmt != "csv," and b.chance(0.2, "combined-with-note"):
            value = f"{value}\n{b.pick(('merknad', 'usikker vurdering', 'sjå NVE-kart'))}"
        raw = value
    elif col.kind == "score":
        value = d.score if not b.fmt.startswith("csv") else str(d.score)
    elif col.kind == "colour":
        value = d.score if col.form == "fill-mixed" and d.score is not None else None
    elif col.kind == "priority":
        value = {"red": 1, "yellow": 2, "green": 3}[d.colour_zone or "green"]
    else:
        value = None
    if raw is not None and any(ch.isalpha() for ch in raw):
        t.texts.append(raw)
    return value


# --- value forms of unseen-like sheets (red team «values»; drawn on ``b.values`` only) ---------------------


def _unseen_probability(b: Builder, form: str, header: str) -> tuple[str, str]:
    """Now and then, a 5-level probability column becomes one of the unseen forms: bare numbers under a
    header that names their unit (% per year, years between events), or probability words under a
    header in no synonym list."""
    x = b.values.random()
    if form == "freq" and x < 0.3:
        unit = "percent" if b.values.random() < 0.5 else "years"
        b.features.add(f"unseen:unit-{unit}")
        return f"unseen-{unit}", str(b.values.choice(UNSEEN_UNIT_HEADERS[unit][b.lang]))
    if form == "word" and x < 0.3:
        b.features.add("unseen:likelihood-unknown-header")
        return "unseen-likelihood", str(b.values.choice(UNSEEN_LIKELIHOOD_HEADERS))
    return form, header


def _unseen_consequence(b: Builder, area: str, form: str, header: str) -> tuple[str, str]:
    """Now and then, a typed consequence column of a measurable area holds bare numbers in the unit its
    (known) header names: «Økonomi (1000 kr)», «Tjenesteproduksjon (timer)»."""
    if form != "typed" or area not in UNSEEN_UNIT_CONSEQUENCES or header not in AREA_HEADERS[area][b.lang] or \
            b.values.random() >= 0.3:
        return form, header
    b.features.add("unseen:consequence-unit")
    return "unseen-unit", header + UNSEEN_UNIT_CONSEQUENCES[area][0]


UNSEEN_SCALE_NOTES = {"nb": ("skjer nesten aldri", "kan skje", "har skjedd andre steder", "skjer av og til",
                             "skjer jevnlig"),
                      "nn": ("skjer nesten aldri", "kan skje", "har skjedd andre stader", "skjer av og til",
                             "skjer jamleg")}


def _unseen_scale_rows(b: Builder, words: Sequence[str]) -> list[list[Value]]:
    """A scale legend's rows as sheets write them: "level | word" (the usual), or a description after the
    word ("Lav – kan skje"), the whole scale across one row, or in one cell ("1 = Lav, 2 = Middels, …")."""
    style = b.values.choice(("rows", "rows", "described", "across", "one-cell")) if len(words) >= 3 else "rows"
    if style != "rows":
        b.features.add(f"unseen:legend-{style}")
    if style == "described":
        notes = UNSEEN_SCALE_NOTES[b.lang]
        return [[b.digit(i), f"{w} – {notes[min(i, len(notes)) - 1]}"] for i, w in enumerate(words, start=1)]
    if style == "across":
        return [[f"{i} {w}" for i, w in enumerate(words, start=1)]]
    if style == "one-cell":
        return [[", ".join(f"{i} = {w}" for i, w in enumerate(words, start=1))]]
    return [[b.digit(i), w] for i, w in enumerate(words, start=1)]


def _unseen_probability_value(b: Builder, col: Column, cls: int) -> tuple[Value, str | None]:
    if col.form == "unseen-likelihood":  # the KMD word of the class, which the standard reads the same
        return PROBABILITY_WORDS[b.lang][cls - 1][1], None
    numbers = UNSEEN_UNIT_VALUES[col.form.removeprefix("unseen-")].get(cls)
    if numbers is None:  # the unit cannot say it: a frequency text, as sheets mix them
        text = str(b.values.choice(FREQUENCIES[cls]))
        return text, text
    value = b.values.choice(numbers)
    return (str(value) if b.fmt.startswith("csv") else value), None


#: The noun DSB-style cells put after a class word ("Store konsekvenser", "Høg sannsyn"), for the words it suits.
UNSEEN_NOUNS = {"probability": ({"nb": " sannsynlighet", "nn": " sannsyn"},
                                {"Svært lav", "Lav", "Middels", "Høy", "Svært høy", "Svært låg", "Låg", "Høg",
                                 "Svært høg"}),
                "consequence": ({"nb": " konsekvenser", "nn": " konsekvensar"},
                                {"Svært små", "Små", "Store", "Svært store"})}


def _unseen_noun(b: Builder, word: str, kind: str) -> str:
    nouns, words = UNSEEN_NOUNS[kind]
    if word in words and b.values.random() < 0.3:
        b.features.add("unseen:class-word-with-noun")
        return word + nouns[b.lang]
    return word


def _unseen_word_and_fact(b: Builder, word: str, cls: int) -> tuple[Value, str | None]:
    """A class word with the frequency it stands for ("Middels (hvert 5. år)", "Lav – 1 gang per 20 år")."""
    if b.values.random() >= 0.15:
        return word, None
    b.features.add("unseen:word-and-fact")
    text = str(b.values.choice(("{w} ({f})", "{w} – {f}", "{w}, {f}"))).format(
        w=word, f=b.values.choice(FREQUENCIES[cls]))
    return text, text


def _unseen_typed(b: Builder, area: str, cls: int, text: str) -> str:
    ranged = UNSEEN_TYPED.get(area, {}).get(cls)
    if ranged and b.values.random() < 0.3:
        b.features.add("unseen:typed-range")
        return str(b.values.choice(ranged))
    return text


def _unseen_combined(b: Builder, value: str, p: int | None, k: int | None) -> str:
    if b.values.random() >= 0.3 or p is None or k is None:
        return value
    b.features.add("unseen:combined-tail")
    score = p * k
    zone = UNSEEN_ZONE_WORDS[b.lang][0 if score <= 4 else 1 if score <= 9 else 2]
    return str(b.values.choice(UNSEEN_COMBINED_FORMS)).format(p=p, k=k, score=score, zone=zone)


def _unseen_decimal(b: Builder, digits: str) -> str:
    """A class written as a whole number with a decimal comma ("3,0"), as a CSV export writes 3.0."""
    if b.fmt.startswith("csv") and b.values.random() < 0.1:
        b.features.add("unseen:decimal-class")
        return f"{digits},0"
    return digits


def _render_table(b: Builder, g: Grid, top: int, drafts: list[Draft], cols: list[Column], *,
                  left: int = 0, sections: bool = False, description_rows: bool = False) -> int:
    """Write a header (one or two rows) and the scenario rows from row ``top``; return the next free row."""
    two_rows = any(c.group for c in cols)
    repeat_at = b.rng.randint(2, len(drafts) - 1) if len(drafts) > 3 and not two_rows and b.chance(
        0.1, "repeated-header") else None
    r = top
    if two_rows:
        i = 0
        while i < len(cols):
            c = cols[i]
            if not c.group:
                g.cells[(r, left + i)] = b.shown(c.header)
                g.merges.append((r, left + i, r + 1, left + i))
                i += 1
                continue
            end = i
            while end + 1 < len(cols) and cols[end + 1].group == c.group:
                end += 1
            g.cells[(r, left + i)] = b.shown(c.group)
            if end > i:
                g.merges.append((r, left + i, r, left + end))
            for j in range(i, end + 1):
                g.cells[(r + 1, left + j)] = b.shown(cols[j].header)
            i = end + 1
        r += 2
    else:
        g.put_row(r, [b.shown(c.header) for c in cols], left)
        r += 1
    _blank_title_header(b, g, r - 1, cols, left)
    r = _units_row(b, g, r, cols, left)
    header_rows = r - top
    category = None
    numbered = sections and _numbered_ids(b, drafts, cols)
    for n, d in enumerate(drafts):
        if n == repeat_at:
            g.put_row(r, [b.shown(c.header) for c in cols], left)
            r += 1
        if numbered and d.truth.category != category:
            category = _numbered_section(b, g, r, d, cols, left)
            r += 1
        if sections and d.truth.category != category:
            category = d.truth.category
            g.cells[(r, left)] = category
            if b.merges_ok:
                g.merges.append((r, left, r, left + len(cols) - 1))
            r += 1
        if b.chance(0.05, "blank-rows"):
            r += 1
        for i, col in enumerate(cols):
            v = _cell(b, d, col)
            if v is not None:
                g.cells[(r, left + i)] = v
            _colour_cell(b, g, r, left + i, col, d)
        r += 1
        if description_rows and d.truth.description:
            ti = next(i for i, c in enumerate(cols) if c.kind == "title")
            g.cells[(r, left + ti)] = d.truth.description
            if ti < len(cols) - 1:
                g.merges.append((r, left + ti, r, left + len(cols) - 1))
            r += 1
        r = _labelled_row(b, g, r, d, cols, left)
    _conditional_rules(b, g, top + header_rows, r - 1, cols, left)
    return r


def _colour_cell(b: Builder, g: Grid, r: int, c: int, col: Column, d: Draft) -> None:
    if col.kind == "colour" and col.form in ("fill", "fill-mixed") and d.colour_zone:
        g.fills[(r, c)] = str(b.pick(COLOURS[d.colour_zone]))


def _conditional_rules(b: Builder, g: Grid, first: int, last: int, cols: list[Column], left: int) -> None:
    if last < first:
        return
    for i, col in enumerate(cols):
        letter = get_column_letter(left + i + 1)
        rng = f"{letter}{first + 1}:{letter}{last + 1}"
        if col.kind == "score" and col.form == "cf-value":
            g.rules += [(rng, "cellIs:greaterThanOrEqual", "10", COLOURS["red"][0]),
                        (rng, "cellIs:between", "5,9", COLOURS["yellow"][0]),
                        (rng, "cellIs:lessThan", "5", COLOURS["green"][0])]
        if col.kind == "score" and col.form == "cf-row":  # the whole row, by an expression on the score
            row = f"{get_column_letter(left + 1)}{first + 1}:{get_column_letter(left + len(cols))}{last + 1}"
            ref = f"${letter}{first + 1}"
            yellow = b.pick((f"=AND({ref}>=5,{ref}<10)", f"=OR({ref}=5,{ref}=6,{ref}=8,{ref}=9)"))
            g.rules += [(row, "expression", f"={ref}>=10", COLOURS["red"][1]),
                        (row, "expression", yellow, COLOURS["yellow"][0]),
                        (row, "expression", f"={ref}<5", COLOURS["green"][0])]
        if col.kind == "colour" and col.form == "cf-expression":
            prio = next(j for j, c in enumerate(cols) if c.kind == "priority")
            ref = f"${get_column_letter(left + prio + 1)}{first + 1}"
            g.rules += [(rng, "expression", f"={ref}=1", COLOURS["red"][0]),
                        (rng, "expression", f"=AND({ref}>1,{ref}<3)", COLOURS["yellow"][1]),
                        (rng, "expression", f"={ref}>=3", COLOURS["green"][1])]


def _no_category(drafts: list[Draft], cols: list[Column]) -> None:
    if not any(c.kind == "category" for c in cols):
        for d in drafts:
            d.truth.category = None


def _title_rows(b: Builder, g: Grid) -> int:
    n = b.rng.choice((0, 0, 1, 2, 3))
    if n:
        b.features.add("title-rows")
    place = b.pick(PLACES)
    rows = b.rng.sample(TITLE_ROWS[b.lang], n)
    for i, text in enumerate(rows):
        g.cells[(i, 0)] = b.context(text.format(place=place))
    return n + (1 if n and b.chance(0.5) else 0)


def _legend(b: Builder, g: Grid, top: int, left: int, cols: list[Column]) -> int:
    """A legend, colour key, score-range key or zone grid at (top, left); returns the rows it used."""
    kinds = ["tegnforklaring", "score-key", "zone-grid", "scale"]
    kind = b.pick(kinds)
    nn = b.lang == "nn"
    rows: list[list[Value]] = []
    if kind == "tegnforklaring":
        rows.append([b.pick(("Tegnforklaring", "Fargekoder", "Forklaring til fargene"))])
        for zone in ("red", "yellow", "green"):
            rows.append([None, ZONE_WORDS[b.lang][zone]])
        for i, zone in enumerate(("red", "yellow", "green"), start=1):
            if b.colour_ok:
                g.fills[(top + i, left)] = COLOURS[zone][0]
            else:
                rows[i][0] = {"red": "Rød" if not nn else "Raud", "yellow": "Gul",
                              "green": "Grønn" if not nn else "Grøn"}[zone]
    elif kind == "score-key":
        rows.append([b.pick(("Risikoverdi (S×K)", "Risikonivå", "Forklaring risikoverdi"))])
        rows += [["1–4", "Lav risiko" if not nn else "Låg risiko"], ["5–9", "Middels risiko"],
                 ["10–25", "Høy risiko" if not nn else "Høg risiko"]]
    elif kind == "zone-grid":
        rows.append(["Risikomatrise"])
        for p in range(5, 0, -1):
            rows.append([p, *[p * k for k in range(1, 6)]])
        rows.append([None, 1, 2, 3, 4, 5])
        if b.colour_ok:
            for i, p in enumerate(range(5, 0, -1), start=1):
                for k in range(1, 6):
                    zone = "green" if p * k <= 4 else "yellow" if p * k <= 9 else "red"
                    g.fills[(top + i, left + k)] = COLOURS[zone][0]
    else:
        levels = max((c.levels for c in cols if c.kind == "probability"), default=5)
        rows.append(["Sannsynlighet" if not nn else "Sannsyn"])
        words = {3: ("Lav", "Middels", "Høy"), 4: ("Lite sannsynlig", "Mindre sannsynlig", "Sannsynlig",
                                                  "Svært sannsynlig")}.get(levels, PROBABILITY_LABELS[b.lang])
        rows += _unseen_scale_rows(b, words)
    b.features.add(f"legend:{kind}")
    for i, row in enumerate(rows):
        g.put_row(top + i, row, left)
    return len(rows)


def _notes(b: Builder, g: Grid, r: int) -> int:
    if b.chance(0.35, "note-rows"):
        g.cells[(r, 0)] = b.context(str(b.pick(NOTES[b.lang])))
        return r + 1
    return r


def layout_table(b: Builder) -> list[Grid]:
    """One table per sheet (one- or two-row header), with the optional rows around it."""
    g = Grid(b.pick(("ROS-analyse", "Analyse", "Hendelser", "Sheet1", "Ark1", "ROS")))
    drafts = b.drafts(b.rng.randint(3, 12), id_style=b.pick(("digits", "digits", "prefixed", "dotted")))
    cols = _choose_columns(b)
    two_rows = b.merges_ok and b.chance(0.4, "two-row-header")
    if two_rows:
        _group(b, cols)
    _fill_truth(b, drafts, cols)
    top = _preamble(b, g, _title_rows(b, g))
    has_category = any(c.kind == "category" for c in cols)
    sections = (not has_category and (b.merges_ok or cols[0].kind != "title") and b.chance(0.3, "section-rows"))
    if sections:
        drafts.sort(key=lambda d: str(d.truth.category))
    else:
        _no_category(drafts, cols)
    if has_category and b.chance(0.25, "category-first-row-only"):
        drafts.sort(key=lambda d: str(d.truth.category))
        for before, d in zip(drafts, drafts[1:], strict=False):
            d.category_shown = d.truth.category != before.truth.category
    description_rows = (b.merges_ok and any(c.kind == "id" for c in cols)
                        and not any(c.kind == "description" for c in cols) and b.chance(0.3, "description-rows"))
    if description_rows:
        for d in drafts:
            d.truth.description = str(b.pick(DESCRIPTIONS[b.lang]))
            d.truth.texts.append(d.truth.description)
    end = _render_table(b, g, top, drafts, cols, sections=sections, description_rows=description_rows)
    end = _below_table(b, g, _notes(b, g, _key_under(b, g, end, cols)), drafts, cols)
    if b.chance(0.4):
        if b.chance(0.5, "legend-below"):
            _legend(b, g, end + b.rng.randint(1, 3), 0, cols)
        else:
            b.features.add("legend-beside")
            _legend(b, g, top, len(cols) + b.rng.randint(2, 3), cols)
    b.expected += [d.truth for d in drafts]
    return _with_guide(b, [g, *_extra_sheets(b, cols)])


def _extra_sheets(b: Builder, cols: list[Column]) -> list[Grid]:
    """A criteria sheet (legends and a zone grid) and a hidden helper sheet, where the format has sheets."""
    if b.fmt.startswith("csv"):
        return []
    out = []
    if b.chance(0.2, "criteria-sheet"):
        g = Grid(b.pick(("Kriterier", "Akseptkriterier", "Risikomatrise", "Forklaring")))
        used = _legend(b, g, 0, 0, cols)
        _legend(b, g, used + 1, 0, cols)
        out.append(g)
    if b.chance(0.1, "hidden-sheet"):
        helper = Grid("Lister", hidden=True)
        helper.put_row(0, ["Sannsynlighet", "Konsekvens"])
        for i in range(1, 6):
            helper.put_row(i, [b.digit(i), b.digit(i)])
        out.append(helper)
    return out


def _group(b: Builder, cols: list[Column]) -> None:
    """Turn a one-row header into a two-row one: "Konsekvens" over the areas, or before/after groups
    (adding residual columns under "Etter tiltak")."""
    areas = [c for c in cols if c.kind in ("area", "undivided")]
    prob = next((c for c in cols if c.kind == "probability"), None)
    if prob is not None and areas and b.chance(0.5, "residual"):
        before, after = b.pick(GROUPS["before"][b.lang]), b.pick(GROUPS["after"][b.lang])
        prob.group = before
        for c in areas:
            c.group = before
        chosen = b.rng.sample(areas, b.rng.randint(1, len(areas)))
        grouped = [prob, *areas, *(dataclasses.replace(c, residual=True, group=after) for c in [prob, *chosen])]
        at = min(cols.index(c) for c in [prob, *areas])
        rest = [c for c in cols if c not in grouped]
        cols[:] = rest[:at] + grouped + rest[at:]
    elif len(areas) > 1 and all(c.kind == "area" for c in areas):
        word = b.pick(GROUPS["consequence"][b.lang])
        for c in areas:
            c.group = word
        ordered = [c for c in cols if c not in areas]
        at = ordered.index(prob) + 1 if prob in ordered else len(ordered)
        cols[:] = ordered[:at] + areas + ordered[at:]
    else:
        b.features.discard("two-row-header")


def layout_multi(b: Builder) -> list[Grid]:
    """Two or three tables on one sheet, each under its own heading and with its own header."""
    b.features.add("several-tables")
    g = Grid("ROS")
    top = _title_rows(b, g)
    events = b.drafts(b.rng.randint(4, 12))
    parts = b.rng.randint(2, 3)
    size = -(-len(events) // parts)
    for i in range(parts):
        chunk = events[i * size:(i + 1) * size]
        if not chunk:
            break
        cols = _choose_columns(b)
        _fill_truth(b, chunk, cols)
        _no_category(chunk, cols)
        g.cells[(top, 0)] = b.context(b.pick(("Naturhendelser", "Tekniske hendelser", "Tilsiktede hendelser",
                                              "Del 2", "Andre hendelser")))
        top = _render_table(b, g, top + 1, chunk, cols)
        top = _notes(b, g, top) + b.rng.randint(1, 3)
        b.expected += [d.truth for d in chunk]
    return [g]


def layout_transposed(b: Builder) -> list[Grid]:
    """Fields in rows (labels in column A), one scenario per column."""
    b.features.add("transposed")
    g = Grid("Hendelser")
    drafts = b.drafts(b.rng.randint(2, 6))
    cols = _choose_columns(b, plain=True)
    _fill_truth(b, drafts, cols)
    _no_category(drafts, cols)
    top = _title_rows(b, g)
    for i, col in enumerate(cols):
        g.cells[(top + i, 0)] = b.shown(col.header)
        for j, d in enumerate(drafts, start=1):
            v = _cell(b, d, col)
            if v is not None:
                g.cells[(top + i, j)] = v
    b.expected += [d.truth for d in drafts]
    return [g]


def layout_long(b: Builder) -> list[Grid]:
    """One row per scenario and consequence area (probability and measures repeated)."""
    b.features.add("long-table")
    g = Grid("Vurdering")
    drafts = b.drafts(b.rng.randint(2, 6))
    cols = _choose_columns(b, long=True)
    if not any(c.kind == "id" for c in cols):
        cols.insert(0, Column("id", b.header(HEADERS["id"], False)))
    area_col = Column("area-name", b.pick(LONG_AREA_HEADER[b.lang]))
    cons = Column("undivided", b.pick(HEADERS["consequence"][b.lang]), form=b.pick(("digit", "word")))
    at = next(i for i, c in enumerate(cols) if c.kind == "probability")
    cols[at + 1:at + 1] = [area_col, cons]
    _fill_truth(b, drafts, [c for c in cols if c.kind != "undivided"])
    _no_category(drafts, cols)
    top = _title_rows(b, g)
    g.put_row(top, [b.shown(c.header) for c in cols])
    r = top + 1
    for d in drafts:
        areas = b.rng.sample(CRITERIA_AREAS, b.rng.randint(2, 4))
        for n, area in enumerate(areas):
            cls = b.rng.randint(1, 5)
            d.truth.consequences[area] = cls
            for i, col in enumerate(cols):
                if col.kind == "area-name":
                    v: Value = AREA_NAMES[area]
                elif col.kind == "undivided":
                    v = b.consequence_value(col, cls)[0]
                else:
                    v = _cell(b, d, col) if n == 0 or col.kind in _long_repeats(b) else None
                if v is not None:
                    g.cells[(r, i)] = v
            r += 1
        d.truth.texts = list(dict.fromkeys(d.truth.texts))
    b.expected += [d.truth for d in drafts]
    _notes(b, g, r)
    return [g]


def layout_sheets(b: Builder) -> list[Grid]:
    """One sheet per category, each with the same table; a reader does not take the sheet name as a category."""
    if b.fmt.startswith("csv"):
        return layout_table(b)
    b.features.add("sheet-per-category")
    drafts = b.drafts(b.rng.randint(4, 12))
    cols = _choose_columns(b)
    _fill_truth(b, drafts, cols)
    by_category: dict[str, list[Draft]] = {}
    for d in drafts:
        by_category.setdefault(str(d.truth.category), []).append(d)
    _no_category(drafts, cols)
    grids = []
    for name, group in by_category.items():
        g = Grid(name[:31])
        _render_table(b, g, _title_rows(b, g), group, cols)
        grids.append(g)
    b.expected += [d.truth for group in by_category.values() for d in group]
    return grids


def layout_rosxl(b: Builder) -> list[Grid]:
    """A standard workbook written by rosxl itself, as a converted file lying among the legacy ones (no grids:
    :func:`write_rosxl` writes it from the truth)."""
    if b.fmt != "xlsx":
        return layout_table(b)
    b.features.add("rosxl-workbook")
    drafts = b.drafts(b.rng.randint(3, 8), id_style="prefixed")
    areas = b.rng.sample(CRITERIA_AREAS, b.rng.randint(1, 4))
    for d in drafts:
        t = d.truth
        t.probability = b.rng.randint(1, 5)
        t.consequences = {a: b.rng.randint(1, 5) for a in areas}
        t.measures = str(b.pick(MEASURES[b.lang])) if b.chance(0.7) else None
        t.description = str(b.pick(DESCRIPTIONS[b.lang])) if b.chance(0.5) else None
        t.responsible = str(b.pick(RESPONSIBLE[b.lang])) if t.measures and b.chance(0.5) else None
        if t.measures and b.chance(0.5):
            t.residual_probability = b.rng.randint(1, t.probability)
        t.texts = [x for x in (t.title, t.category, t.description, t.measures, t.responsible) if x]
    b.expected += [d.truth for d in drafts]
    return []


def write_rosxl(case: Case, path: Path) -> None:
    """Write ``case``'s truth as a filled standard workbook with rosxl itself."""
    import rosxl
    from rosxl.analysis import Analysis, Scenario, assess_scenario

    criteria = rosxl.load_criteria("standard")
    scenarios = []
    for e in case.scenarios:
        s = Scenario(id=e.id, title=e.title, category=e.category, description=e.description, measures=e.measures,
                     responsible=e.responsible, probability=e.probability, consequences=dict(e.consequences))
        s.residual.probability = e.residual_probability
        scenarios.append(assess_scenario(s, criteria))
    rosxl.write_workbook(Analysis(criteria, scenarios), path)


LAYOUTS: tuple[tuple[Callable[[Builder], list[Grid]], float, bool], ...] = (
    (layout_table, 0.54, False), (layout_multi, 0.12, False), (layout_transposed, 0.11, True),
    (layout_long, 0.11, True), (layout_sheets, 0.09, True), (layout_rosxl, 0.03, False))


# --------------------------------------------------------------------------------------------------
# Table structure and extent (red team «layout»): variations drawn from their own generator, so that
# adding them leaves every other draw of a file as it was. Truth rules as above: a summary, date or
# signature row, a units row, a colour key and an instruction sheet are never scenarios; a section
# row numbered in the id column gives its rows' category; a long table may give the id and title on a
# scenario's first row only.
# --------------------------------------------------------------------------------------------------


@dataclass
class Extent:
    """Which table-structure variations a file may use (each applies where its layout allows)."""

    units_row: bool = False  # "(1-5)" under the header of each class column (or "S"/"K" under a one-row header)
    numbered_sections: bool = False  # «1 | Naturhendelser» over «1.1 | …» instead of a merged section row
    footer: bool = False  # «Antall hendelser: 7», «Utarbeidet av: …» under the table
    summary: bool = False  # a summary table under the table repeating its worst scenarios
    labelled_rows: bool = False  # «Tiltak: …» in the title column under each scenario (no measures column)
    blank_title: bool = False  # the title column's header cell left empty (after the id column)
    forms: bool = False  # the scenarios as DSB analysis forms, one sheet each, levels marked under level words
    key_under: bool = False  # a score-range colour key right under the table, without a blank row
    preamble: bool = False  # a method text long enough to put the header below row 40
    guide_sheet: bool = False  # an instruction sheet of numbered sentences before the table
    hyphenated: bool = False  # a long header word split by a hyphen and a line break
    long_first_only: bool = False  # a long table gives id, title and probability on the first row only
    rng: random.Random = field(default_factory=lambda: random.Random(0))


def draw_extent(seed: int, index: int) -> Extent:
    """The file's structure variations, from a generator of their own."""
    rng = random.Random(f"rosxl-corpus-extent-{seed}-{index}")
    draws = {name: rng.random() < p for name, p in (
        ("units_row", 0.15), ("numbered_sections", 0.4), ("footer", 0.2), ("key_under", 0.12), ("preamble", 0.06),
        ("guide_sheet", 0.1), ("hyphenated", 0.15), ("long_first_only", 0.4), ("summary", 0.1),
        ("labelled_rows", 0.08), ("blank_title", 0.06), ("forms", 0.06))}
    return Extent(**draws, rng=rng)


FOOTERS: dict[str, tuple[tuple[str, str | None], ...]] = {
    "nb": (("Utarbeidet av:", "Kari Nordmann, beredskapskoordinator"), ("Godkjent:", "Kommunedirektøren"),
           ("Dato:", "12.03.2024"), ("Antall hendelser:", None), ("Sign.:", "________________")),
    "nn": (("Utarbeidd av:", "Kari Nordmann, beredskapskoordinator"), ("Godkjent:", "Kommunedirektøren"),
           ("Dato:", "12.03.2024"), ("Tal på hendingar:", None))}
GUIDE = {"nb": ("Slik fyller du ut skjemaet", "1. Skriv inn hver uønsket hendelse på en egen rad.",
                "2. Vurder sannsynlighet fra 1 til 5 etter kriteriene.",
                "3. Vurder konsekvens for hvert konsekvensområde fra 1 til 5.",
                "4. Risiko regnes ut automatisk som sannsynlighet ganger konsekvens.",
                "5. Foreslå tiltak for alle røde og gule hendelser."),
         "nn": ("Slik fyller du ut skjemaet", "1. Skriv inn kvar uønskt hending på ei eiga rad.",
                "2. Vurder sannsyn frå 1 til 5 etter kriteria.",
                "3. Vurder konsekvens for kvart konsekvensområde frå 1 til 5.",
                "4. Risiko blir rekna ut automatisk som sannsyn gonger konsekvens.")}


def _hyphenated(b: Builder, header: str) -> str:
    """``header``, or with its first long word split over a line break ("Sannsyn-" over "lighet")."""
    word = next((w for w in header.split() if len(w) >= 10 and w.isalpha()), None)
    if not b.extent.hyphenated or word is None or b.extent.rng.random() < 0.4:
        return header
    b.features.add("header-hyphenated")
    cut = len(word) // 2
    return header.replace(word, f"{word[:cut]}-\n{word[cut:]}", 1)


def _units_row(b: Builder, g: Grid, r: int, cols: list[Column], left: int) -> int:
    """A row of scales under the header ("(1-5)" over digit classes, "(S×K)" over scores), or under a one-row
    header a row of abbreviations ("S" under the probability, "K" under each area a known header names);
    returns the next row."""
    abbreviations = not any(c.group for c in cols) and b.extent.rng.random() < 0.5
    if abbreviations:
        units = ["S" if c.kind == "probability" and not c.residual else "K" if c.kind == "area" and c.area and
                 c.header in AREA_HEADERS[c.area][b.lang] else None for c in cols]
    else:
        units = [f"(1-{c.levels})" if c.kind in ("probability", "area", "undivided") and c.form == "digit"
                 else "(S×K)" if c.kind == "score" else None for c in cols]
    if not b.extent.units_row or sum(u is not None for u in units) < 2:
        return r
    b.features.add("header-abbreviations" if abbreviations else "units-row")
    g.put_row(r, units, left)
    return r + 1


def _numbered_ids(b: Builder, drafts: list[Draft], cols: list[Column]) -> bool:
    """Whether the section rows are numbered (the id column first, a title column after it); if so each
    scenario's id becomes its section's number and its place in it: 2.1, 2.2."""
    if not b.extent.numbered_sections or cols[0].kind != "id" or not any(c.kind == "title" for c in cols[1:]):
        return False
    b.features.add("numbered-sections")
    sections: dict[str | None, int] = {}
    count: dict[str | None, int] = {}
    for d in drafts:
        section = sections.setdefault(d.truth.category, len(sections) + 1)
        count[d.truth.category] = count.get(d.truth.category, 0) + 1
        d.truth.id = f"{section}.{count[d.truth.category]}"
    return True


def _numbered_section(b: Builder, g: Grid, r: int, d: Draft, cols: list[Column], left: int) -> str | None:
    """Write a numbered section row for ``d``'s category («2 | Menneskelig svikt») at row ``r``."""
    number = str(d.truth.id).partition(".")[0]
    ti = next(i for i, c in enumerate(cols) if c.kind == "title")
    g.cells[(r, left)] = f"{number}." if b.extent.rng.random() < 0.5 or b.fmt.startswith("csv") else int(number)
    g.cells[(r, left + ti)] = d.truth.category
    return d.truth.category


def _key_under(b: Builder, g: Grid, r: int, cols: list[Column]) -> int:
    """A score-range key right under the table (no blank row), in its title column; returns the next row."""
    ti = next(i for i, c in enumerate(cols) if c.kind == "title")
    if not b.extent.key_under or ti + 1 >= len(cols):
        return r
    b.features.add("key-under-table")
    dash = b.extent.rng.choice(("-", "–"))
    words = ("Lav risiko", "Middels risiko", "Høy risiko") if b.lang == "nb" else ("Låg risiko", "Middels risiko",
                                                                                     "Høg risiko")
    for i, (span, word) in enumerate(zip((f"1{dash}4", f"5{dash}9", f"10{dash}25"), words, strict=True)):
        g.put_row(r + i, [span, b.context(word)], ti)
    return r + 3


def _below_table(b: Builder, g: Grid, r: int, drafts: list[Draft], cols: list[Column]) -> int:
    """Summary, date and signature rows under the table (after a blank row or not), and a summary table
    repeating the first scenarios (id, title, measures); returns the next row."""
    if b.extent.footer:
        b.features.add("footer-rows")
        r += b.extent.rng.randint(0, 1)
        for label, value in b.extent.rng.sample(FOOTERS[b.lang], 3):
            g.put_row(r, [label, value if value is not None else b.digit(len(drafts))])
            r += 1
    repeated = [c for c in cols if c.kind in ("id", "title", "measures")]
    if b.extent.summary and len(drafts) >= 2 and len(repeated) >= 2 and \
            any(c.kind == "title" and c.form != "score-like" for c in repeated):
        b.features.add("summary-table")
        r += 2
        g.cells[(r, 0)] = b.context("Oppsummering – hendelser som følges opp" if b.lang == "nb" else "Samandrag")
        g.put_row(r + 1, [b.shown(c.header) for c in repeated])
        for i, d in enumerate(drafts[:3], start=r + 2):
            g.put_row(i, [_cell(b, d, c) for c in repeated])
        r += 2 + min(3, len(drafts))
    return r


def _preamble(b: Builder, g: Grid, top: int) -> int:
    """Method text above the table, long enough that the header lands below row 40; returns the next row."""
    if not b.extent.preamble:
        return top
    b.features.add("long-preamble")
    notes = [n.partition(": ")[2] for n in NOTES[b.lang]]
    lines = [f"Avsnitt {n}: {b.extent.rng.choice(notes)}" for n in range(1, 43 - top)]
    for i, line in enumerate(lines):
        g.cells[(top + i, 0)] = b.context(line)
    return top + len(lines) + 1


def _with_guide(b: Builder, grids: list[Grid]) -> list[Grid]:
    """An instruction sheet of numbered sentences first, where the format has sheets."""
    if not b.extent.guide_sheet or b.fmt.startswith("csv"):
        return grids
    b.features.add("guide-sheet")
    guide = Grid("Veiledning")
    for i, text in enumerate(GUIDE[b.lang]):
        guide.cells[(i, 0)] = b.context(text)
    return [guide, *grids]


def _blank_title_header(b: Builder, g: Grid, r: int, cols: list[Column], left: int) -> None:
    """Leave the title column's header cell (row ``r``) empty, where the id column comes first and the title
    is not the table's last column or under a score-like header."""
    ti = next(i for i, c in enumerate(cols) if c.kind == "title")
    if not b.extent.blank_title or any(c.group for c in cols) or cols[0].kind != "id" or ti == len(cols) - 1 or \
            cols[ti].form == "score-like":
        return
    b.features.add("title-header-blank")
    g.cells.pop((r, left + ti), None)


def _labelled_row(b: Builder, g: Grid, r: int, d: Draft, cols: list[Column], left: int) -> int:
    """A row «Tiltak: …» in the title column under the scenario, where the table has no measures column:
    its text after the label is the scenario's measures. Returns the next row."""
    if not b.extent.labelled_rows or any(c.kind == "measures" for c in cols):
        return r
    b.features.add("labelled-rows")
    ti = next(i for i, c in enumerate(cols) if c.kind == "title")
    measure = str(b.pick(MEASURES[b.lang]))
    d.truth.measures = measure
    d.truth.texts.append(measure)
    g.cells[(r, left + ti)] = f"Tiltak: {measure}"
    return r + 1


def _as_forms(b: Builder, grids: list[Grid]) -> list[Grid]:
    """The file's scenarios as DSB analysis forms (one sheet each: labels down column A, the
    probability's level words in a row with an «x» under one, and under «Konsekvenstype» one row per
    area with its mark), where the format has sheets and the truth is classes only (no residual, no
    colour zone). The truth keeps what the forms show."""
    simple = all(e.probability is not None and e.consequences and e.zone is None and e.residual_probability is None
                 and not e.residual_consequences and set(e.consequences) <= {*CRITERIA_AREAS, *OUTSIDE_AREAS}
                 for e in b.expected)
    if not b.extent.forms or not grids or not simple or b.fmt.startswith("csv") or len(b.expected) > 12:
        return grids
    b.features = {f for f in b.features if f.startswith(("format:", "encoding:")) or f in ("nb", "nn")} | {"dsb-forms"}
    b.texts = []
    forms = []
    labels = {"nb": ("Uønsket hendelse", "Kategori", "Beskrivelse", "Årsaker", "Tiltak", "Ansvarlig", "Frist"),
              "nn": ("Uønskt hending", "Kategori", "Skildring", "Årsaker", "Tiltak", "Ansvarleg", "Frist")}[b.lang]
    for n, e in enumerate(b.expected, start=1):
        g = Grid(f"Hendelse {n}")
        rows: list[list[Value]] = [[b.context("Analyseskjema – uønsket hendelse")], []]
        if e.id is not None:
            rows.append(["Nr.", e.id])
        rows += [[label, value] for label, value in zip(labels[:4], (e.title, e.category, e.description, e.causes),
                                                         strict=True) if value is not None]
        probability = e.probability or 1
        rows += [[], ["Sannsynlighet" if b.lang == "nb" else "Sannsyn", *PROBABILITY_LABELS[b.lang]],
                 [None, *([None] * (probability - 1)), "x"], [],
                 ["Konsekvenstype", *CONSEQUENCE_LABELS[b.lang]]]
        rows += [[AREA_NAMES[a], *([None] * (k - 1)), "x"] for a, k in e.consequences.items()]
        rows.append([])
        rows += [[label, value] for label, value in zip(labels[4:], (e.measures, e.responsible, e.deadline),
                                                         strict=True) if value is not None]
        for r, row in enumerate(rows):
            g.put_row(r, row)
        e.texts = [v for v in (e.title, e.category, e.description, e.causes, e.measures, e.responsible) if v]
        e.uncounted = []
        forms.append(g)
    return forms


def _long_repeats(b: Builder) -> tuple[str, ...]:
    """The columns a long table repeats on each area's row: id, title and probability, or (first row only) none."""
    if b.extent.long_first_only:
        b.features.add("long-first-row-only")
        return ()
    return ("id", "title", "probability")


# --------------------------------------------------------------------------------------------------
# Writing files
# --------------------------------------------------------------------------------------------------


def write_xlsx(grids: list[Grid], path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.worksheets[0])
    for g in grids:
        ws = wb.create_sheet(g.name)
        if g.hidden:
            ws.sheet_state = "hidden"
        for (r, c), v in g.cells.items():
            cell = ws.cell(r + 1, c + 1, v)
            if isinstance(v, str):
                cell.data_type = "s"
                if "\n" in v:
                    cell.alignment = Alignment(wrap_text=True)
        for r0, c0, r1, c1 in g.merges:
            ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
        for (r, c), colour in g.fills.items():
            ws.cell(r + 1, c + 1).fill = PatternFill("solid", fgColor=colour)
        for rng, kind, formula, colour in g.rules:
            style = DifferentialStyle(fill=PatternFill("solid", fgColor=colour, bgColor=colour))
            if kind == "expression":
                rule = Rule(type="expression", formula=[formula.removeprefix("=")], dxf=style)
            else:
                op = cast(Any, kind.split(":")[1])
                rule = Rule(type="cellIs", operator=op, formula=formula.split(","), dxf=style)
            ws.conditional_formatting.add(rng, rule)
    wb.save(path)


def write_csv(grid: Grid, path: Path, delimiter: str, encoding: str) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n" if encoding == "cp1252" else "\n")
    for row in grid.rows():
        writer.writerow(["" if v is None else v for v in row])
    path.write_bytes(buf.getvalue().encode(encoding))


def build_case(seed: int, index: int) -> tuple[Case, list[Grid], str]:
    """Draw one file's layout and content; returns its truth, its sheets and its format."""
    rng = random.Random(f"rosxl-corpus-{seed}-{index}")
    b = Builder(rng, f"ros-{index:04d}")
    b.extent = draw_extent(seed, index)
    layout, plain_only = _pick_layout(rng.random())
    if plain_only and b.fmt == "xlsx" and rng.random() < 0.3:
        b.fmt = "ods"
        b.features = (b.features - {"format:xlsx"}) | {"format:ods"}
    grids = _as_forms(b, layout(b))
    if b.fmt.startswith("csv"):
        encoding = b.pick(("utf-8-sig", "utf-8", "cp1252"))
        b.features.add(f"encoding:{encoding}")
        b.fmt += f"|{encoding}"
    _check_unique_titles(b.expected)
    case = Case(f"{b.name}.{b.fmt[:3] if b.fmt.startswith('csv') else b.fmt}", sorted(b.features), b.expected,
                b.texts)
    return case, grids, b.fmt


def _pick_layout(x: float) -> tuple[Callable[[Builder], list[Grid]], bool]:
    acc = 0.0
    for layout, share, plain_only in LAYOUTS:
        acc += share
        if x < acc:
            return layout, plain_only
    return LAYOUTS[0][0], LAYOUTS[0][2]


def _check_unique_titles(expected: list[Expected]) -> None:
    titles = [e.title for e in expected]
    if len(set(titles)) != len(titles):
        raise AssertionError(f"duplicate titles in a generated case: {titles}")


def generate(folder: Path, n: int = 200, seed: int = 1) -> list[Case]:
    """Write ``n`` generated files into ``folder`` and return their truth, in file order."""
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []
    to_convert: dict[str, list[Path]] = {"ods": [], "xls": []}
    staging = folder / ".staging"
    for i in range(n):
        case, grids, fmt = build_case(seed, i)
        cases.append(case)
        stem = Path(case.name).stem
        if fmt.startswith("csv"):
            write_csv(grids[0], folder / case.name, fmt[3], fmt.partition("|")[2])
        elif not grids:
            write_rosxl(case, folder / case.name)
        elif fmt == "xlsx":
            write_xlsx(grids, folder / case.name)
        elif fmt == "xlsm":
            staging.mkdir(exist_ok=True)
            write_xlsx(grids, staging / f"{stem}.xlsx")
            as_xlsm(staging / f"{stem}.xlsx", folder)
        else:
            staging.mkdir(exist_ok=True)
            write_xlsx(grids, staging / f"{stem}.xlsx")
            to_convert[fmt].append(staging / f"{stem}.xlsx")
    for fmt, files in to_convert.items():
        if files:
            libreoffice_convert(files, fmt, folder)
    shutil.rmtree(staging, ignore_errors=True)
    return cases


def libreoffice_convert(files: list[Path], target: str, outdir: Path) -> None:
    """Convert .xlsx files to ``target`` (ods, xls) with one headless LibreOffice call."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is needed to make .ods and .xls files")
    filt = {"xls": "xls:MS Excel 97", "ods": "ods"}[target]
    profile = Path(tempfile.gettempdir()) / f"lo-corpus-{os.getpid()}"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                    "--convert-to", filt, "--outdir", str(outdir), *map(str, files)],
                   check=True, capture_output=True, timeout=600)
    missing = [f.stem for f in files if not (outdir / f"{f.stem}.{target}").exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not write {missing}")


def cached_corpus(n: int = 200, seed: int = 1, root: Path | None = None) -> tuple[Path, list[Case]]:
    """The corpus for (n, seed), generated once per version of this module into a temporary folder."""
    digest = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]
    base = root or Path(os.environ.get("ROSXL_CORPUS_DIR", Path(tempfile.gettempdir()) / "rosxl-corpus"))
    folder = base / f"{digest}-s{seed}-n{n}"
    truth = folder / "truth.json"
    if truth.exists():
        return folder, [Case.from_dict(c) for c in json.loads(truth.read_text("utf-8"))]
    work = base / f".{folder.name}-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    cases = generate(work, n, seed)
    (work / "truth.json").write_text(json.dumps([asdict(c) for c in cases], ensure_ascii=False, indent=1), "utf-8")
    try:
        work.rename(folder)
    except OSError:  # another process made it first
        shutil.rmtree(work, ignore_errors=True)
    return folder, cases
