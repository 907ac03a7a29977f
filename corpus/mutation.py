"""A corpus of mutated real files that a seed regenerates: the fuzz cases worth keeping.

The sources are the shipped examples (``examples/legacy``: .xlsx, .ods, .xls, .csv) and a built
template (``workbook_templates/standard.xlsx``). Each mutant is one of:

- ``bitflip``: one to four bits flipped anywhere in the file;
- ``truncate``: the file cut at a random length;
- ``shuffle``: the zip members in another order (a valid zip, other offsets);
- ``swap``: the contents of two zip members exchanged under their names;
- ``xml``: bytes flipped inside one decompressed XML part, re-zipped with correct checksums, so
  the mutant passes the zip checks and reaches the parsers.

Non-zip sources (.xls, .csv) get bit flips and truncations only. The same seed always gives the
same files (``random.Random(seed)``); the name of each says its source, kind and number.
"""

from __future__ import annotations

import io
import random
import zipfile
from dataclasses import dataclass
from pathlib import Path

from corpus.hostile import raw_zip

ROOT = Path(__file__).parent.parent
SOURCES = (*sorted((ROOT / "examples" / "legacy").iterdir()), ROOT / "workbook_templates" / "standard.xlsx")
ZIP_KINDS = ("bitflip", "truncate", "shuffle", "swap", "xml")
PLAIN_KINDS = ("bitflip", "truncate")
SEED = 20261128


@dataclass(frozen=True)
class Mutant:
    """One mutated file: where it is, what it came from, and how it was mutated."""

    path: Path
    source: Path
    kind: str


def build(folder: Path, *, seed: int = SEED, per_source: int = 20) -> list[Mutant]:
    """Write ``per_source`` mutants of every source into ``folder``; the same seed, the same files."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for source in SOURCES:
        data = source.read_bytes()
        kinds = ZIP_KINDS if zipfile.is_zipfile(source) else PLAIN_KINDS
        for n in range(per_source):
            kind = kinds[n % len(kinds)]
            path = folder / f"{source.stem}-{kind}-{n:02d}{source.suffix}"
            path.write_bytes(mutate(data, kind, rng))
            out.append(Mutant(path, source, kind))
    return out


def mutate(data: bytes, kind: str, rng: random.Random) -> bytes:
    """``data`` mutated by ``kind`` (see the module docs)."""
    if kind == "bitflip":
        out = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
        return bytes(out)
    if kind == "truncate":
        return data[: rng.randrange(len(data))]
    parts = _parts(data)
    names = list(parts)
    if kind == "shuffle":
        rng.shuffle(names)
        return raw_zip((name, parts[name]) for name in names)
    if kind == "swap":
        a, b = rng.sample(names, 2)
        parts[a], parts[b] = parts[b], parts[a]
        return raw_zip(parts.items())
    if kind == "xml":
        xml = [name for name in names if name.endswith((".xml", ".rels"))]
        name = rng.choice(xml)
        part = bytearray(parts[name])
        for _ in range(rng.randint(1, 6)):
            part[rng.randrange(len(part))] ^= rng.randint(1, 255)
        parts[name] = bytes(part)
        return raw_zip(parts.items())
    raise ValueError(kind)


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}
