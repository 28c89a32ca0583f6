"""Writes the lists of Norwegian common-word forms the NER model reads, from two PyPI wheels:
anonymise/data/ordbank_forms.txt.gz (bokmål, Norsk Ordbank, from spacy-lookups-data) and
anonymise/data/nynorsk_forms.txt.gz (nynorsk, from simplemma's lemmatizer dictionary).

    pip download spacy-lookups-data==1.0.5 simplemma==2.0.0 --no-deps -d /tmp/wheels
    python scripts/extract-common-words.py \
        /tmp/wheels/spacy_lookups_data-1.0.5-py2.py3-none-any.whl \
        /tmp/wheels/simplemma-2.0.0-py3-none-any.whl

In text without capitals a name looks like any other word. The NER model reads, for each word,
whether it is a form of a Norwegian common word (anonymise.ner.COMMON_WORD_FLAG). Norsk Ordbank
(bokmål) is spaCy's Norwegian lemmatizer table (`nb_lemma_exc`); nynorsk forms come from
simplemma's `nn` dictionary, which is built from Wiktionary and lists a few names in lower case
("kari", "olav"): a nynorsk form that is not in Ordbank but is in kodeklar's own name or place
lists is left out. Kept: lower-case forms of three or more letters, one a line, sorted. The
wheels are read, never installed; simplemma's code is run from a temporary copy to decode its
dictionary."""
from __future__ import annotations

import gzip
import hashlib
import json
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LOOKUPS_SHA256 = "466f21f087e4144bc93800679437ec5a17be7d0888734b1ba880b3ecb0978bc6"
SIMPLEMMA_SHA256 = "db33b15f5aed6485a748ce34d1f510ca760af2633289ab9a8493e2afa785c352"
DATA = ROOT / "anonymise" / "data"
BOKMAL_HEADER = """\
# Word forms of Norwegian (bokmål) common words from Norsk Ordbank (Språkbanken, National
# Library of Norway; CC BY 4.0) as shipped in the PyPI package spacy-lookups-data 1.0.5
# (spacy_lookups_data/data/nb_lemma_exc.json.gz): lower-case forms of three or more letters.
# Read by the NER model as a feature (anonymise.ner.COMMON_WORD_FLAG).
"""
NYNORSK_HEADER = """\
# Word forms of Norwegian (nynorsk) common words that ordbank_forms.txt.gz lacks, from the
# PyPI package simplemma 2.0.0 (its `nn` dictionary, built from Wiktionary via kaikki.org and
# other lists; see ATTRIBUTION.md; CC BY-SA 4.0): lower-case forms of three or more letters,
# less those kodeklar's name and place lists hold. Read by the NER model as a feature
# (anonymise.ner.COMMON_WORD_FLAG).
"""


def keep(form: str) -> bool:
    return form == form.lower() and len(form) >= 3 and form.replace("-", "").isalpha()


def checked(wheel: Path, sha256: str, name: str) -> Path:
    if hashlib.sha256(wheel.read_bytes()).hexdigest() != sha256:
        sys.exit(f"{wheel}: not the {name} wheel these lists were made from")
    return wheel


def bokmal_forms(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as z:
        table = json.loads(gzip.decompress(z.read("spacy_lookups_data/data/nb_lemma_exc.json.gz")))
    return {form for by_form in table.values() for form, lemmas in by_form.items()
            for form in (form, *lemmas) if keep(form)}


def nynorsk_forms(wheel: Path, bokmal: set[str]) -> set[str]:
    from anonymise import gazetteers

    with tempfile.TemporaryDirectory() as tmp:
        zipfile.ZipFile(wheel).extractall(tmp)
        sys.path.insert(0, tmp)
        from simplemma.strategies.dictionaries import DefaultDictionaryFactory

        table = DefaultDictionaryFactory().get_dictionary("nn")
        forms = {form for pair in table.items() for form in pair if keep(form)}
    return {form for form in forms - bokmal
            if not (gazetteers.is_person_name(form) or gazetteers.is_place(form))}


def write(path: Path, header: str, forms: set[str]) -> None:
    text = header + "".join(f"{f}\n" for f in sorted(forms))
    # mtime 0: the same wheels give the same bytes
    path.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))
    print(f"{path}: {len(forms)} forms")


def main() -> None:
    lookups = checked(Path(sys.argv[1]), LOOKUPS_SHA256, "spacy-lookups-data 1.0.5")
    simplemma = checked(Path(sys.argv[2]), SIMPLEMMA_SHA256, "simplemma 2.0.0")
    bokmal = bokmal_forms(lookups)
    write(DATA / "ordbank_forms.txt.gz", BOKMAL_HEADER, bokmal)
    write(DATA / "nynorsk_forms.txt.gz", NYNORSK_HEADER, nynorsk_forms(simplemma, bokmal))


if __name__ == "__main__":
    main()
