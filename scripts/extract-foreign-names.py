"""Writes anonymise/data/foreign_names.tsv.gz, the first names and surnames of other countries
that NER training swaps into NorNE's person names, from the PyPI wheel of Faker.

    pip download faker==40.54.0 --no-deps -d /tmp/wheels
    python scripts/extract-foreign-names.py /tmp/wheels/faker-40.54.0-py3-none-any.whl

Interviews in Norwegian health and social care name people from everywhere, and lower-cased
ASR text gives a name the model never saw nothing but its context. Training swaps a share of
NorNE's names for names from kodeklar's lists (anonymise.ner.train); names from Faker's person
providers in every locale written in Latin letters widen that pool, so the model learns the
places a name sits in rather than what a Norwegian name looks like. Kept: one-word names of two
or more letters, lower case, that are neither a Norwegian dictionary form (so the model is not
taught that "mark" or "rose" is a name) nor in kodeklar's own name lists (training draws from
those already). The wheel is read, never installed; Faker's provider modules are imported from
a temporary copy to read their lists."""
from __future__ import annotations

import gzip
import hashlib
import importlib
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FAKER_SHA256 = "2dd88ee8cb63a9149e19ef48bdd73879bc3854d8ba2d6c1535e902a762e603f7"
OUT = ROOT / "anonymise" / "data" / "foreign_names.tsv.gz"
HEADER = """\
# First names ("first") and surnames ("last") of the locales of the PyPI package Faker 40.54.0
# (faker/providers/person/*) that are written in Latin letters, less Norwegian dictionary forms
# and the names in kodeklar's own lists; one "kind<TAB>name" a line, lower case, sorted. Read by
# NER training only (anonymise.ner.train), to swap into NorNE's person names.
"""
KINDS = {"first": ("first_names", "first_names_male", "first_names_female",
                   "first_names_nonbinary"),
         "last": ("last_names", "last_names_male", "last_names_female")}


def latin(name: str) -> bool:
    return len(name) > 1 and all(c.isalpha() and unicodedata.name(c, "").startswith("LATIN")
                                 for c in name)


def names(wheel: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {kind: set() for kind in KINDS}
    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(wheel) as z:
            z.extractall(tmp)
            locales = sorted({n.split("/")[3] for n in z.namelist()
                              if n.startswith("faker/providers/person/") and n.count("/") == 4})
        sys.path.insert(0, tmp)
        for locale in locales:
            if locale == "no_NO":  # kodeklar's own lists hold these
                continue
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
            for kind, attributes in KINDS.items():
                for attribute in attributes:
                    # a tuple, or a dict of name -> weight; es_CL computes its combined
                    # first_names (a property) from its male and female lists, read here anyway
                    values = getattr(provider, attribute, ())
                    for name in values if not isinstance(values, property) else ():
                        if latin(name):
                            found[kind].add(name.lower())
    return found


def main() -> None:
    from anonymise import gazetteers

    wheel = Path(sys.argv[1])
    if hashlib.sha256(wheel.read_bytes()).hexdigest() != FAKER_SHA256:
        sys.exit(f"{wheel}: not the Faker 40.54.0 wheel this list was made from")
    rows = sorted((kind, name) for kind, found in names(wheel).items() for name in found
                  if not (gazetteers.is_dictionary_form(name) or gazetteers.is_person_name(name)))
    text = HEADER + "".join(f"{kind}\t{name}\n" for kind, name in rows)
    # mtime 0: the same wheel gives the same bytes
    OUT.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))
    for kind in KINDS:
        print(f"{kind}: {sum(k == kind for k, _ in rows)} names")
    print(OUT)


if __name__ == "__main__":
    main()
