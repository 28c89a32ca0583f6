"""Writes anonymise/data/ordbank_forms.txt.gz from the spacy-lookups-data wheel (Norsk Ordbank).

    pip download spacy-lookups-data==1.0.5 --no-deps -d /tmp/lookups
    python scripts/extract-ordbank.py /tmp/lookups/spacy_lookups_data-1.0.5-py2.py3-none-any.whl

In text without capitals a name looks like any other word. Norsk Ordbank (bokmål) lists the
inflected forms of Norwegian common words; the NER model reads, for each word, whether it is
one of them (anonymise.ner.COMMON_WORD_FLAG). spaCy's Norwegian lemmatizer table
(`nb_lemma_exc`) holds these forms: the lower-case ones of three or more letters are kept, one
a line, sorted. Read from the wheel, so the package is never installed or imported."""
from __future__ import annotations

import gzip
import hashlib
import json
import sys
import zipfile
from pathlib import Path

WHEEL_SHA256 = "466f21f087e4144bc93800679437ec5a17be7d0888734b1ba880b3ecb0978bc6"
OUT = Path(__file__).resolve().parents[1] / "anonymise" / "data" / "ordbank_forms.txt.gz"
HEADER = """\
# Word forms of Norwegian (bokmål) common words from Norsk Ordbank (Språkbanken, National
# Library of Norway; CC BY 4.0) as shipped in the PyPI package spacy-lookups-data 1.0.5
# (spacy_lookups_data/data/nb_lemma_exc.json.gz): lower-case forms of three or more letters.
# Read by the NER model as a feature (anonymise.ner.COMMON_WORD_FLAG).
"""


def keep(form: str) -> bool:
    return form == form.lower() and len(form) >= 3 and form.replace("-", "").isalpha()


def main() -> None:
    wheel = Path(sys.argv[1])
    if hashlib.sha256(wheel.read_bytes()).hexdigest() != WHEEL_SHA256:
        sys.exit(f"{wheel}: not the spacy-lookups-data 1.0.5 wheel this list was made from")
    with zipfile.ZipFile(wheel) as z:
        table = json.loads(gzip.decompress(z.read("spacy_lookups_data/data/nb_lemma_exc.json.gz")))
    forms = {form for by_form in table.values() for form, lemmas in by_form.items()
             for form in (form, *lemmas) if keep(form)}
    text = HEADER + "".join(f"{f}\n" for f in sorted(forms))
    # mtime 0: the same wheel gives the same bytes
    OUT.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))
    print(f"{OUT}: {len(forms)} forms")


if __name__ == "__main__":
    main()
