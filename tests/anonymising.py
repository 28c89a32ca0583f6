"""Builders the anonymisation tests share, so that test modules do not import each other:
synthetic Norwegian identifiers (check digits computed here, no real person's number), what
`detect` finds in a text, and small raw Transcripts."""
import anonymise
from anonymise import AnonymiseOptions
from kodeklar.core.transcript import Provenance, Segment, Source, Transcript, Word

# the rules alone: fast, and independent of the trained model
RULES = AnonymiseOptions(use_ner=False)


def check(digits: str, weights) -> int | None:
    r = 11 - sum(int(d) * w for d, w in zip(digits, weights)) % 11
    return {11: 0, 10: None}.get(r, r)


def make_fnr(day: int, month: int, yy: int, individual: int) -> str | None:
    body = f"{day:02d}{month:02d}{yy:02d}{individual:03d}"
    k1 = check(body, (3, 7, 6, 1, 8, 9, 4, 5, 2))
    if k1 is None:
        return None
    k2 = check(body + str(k1), (5, 4, 3, 2, 7, 6, 5, 4, 3, 2))
    return None if k2 is None else f"{body}{k1}{k2}"


def first_valid(day, month, yy, start=100):
    for individual in range(start, start + 100):
        number = make_fnr(day, month, yy, individual)
        if number:
            return number
    raise AssertionError("no valid number in range")


def make_mod11(body: str, weights) -> str | None:
    k = check(body, weights)
    return None if k is None else body + str(k)


def found(text, options=RULES):
    """What `detect` finds in `text`: detected text -> category."""
    return {text[s.start:s.end]: s.category for s in anonymise.detect(text, options=options)}


def segment(seg_id, t0, words):
    ws = [Word(round(t0 + k * 0.5, 2), round(t0 + k * 0.5 + 0.4, 2), w, 0.9)
          for k, w in enumerate(words)]
    return Segment(seg_id, ws[0].start, ws[-1].end, "".join(words).strip(), "S1", ws)


def transcript(name, *segments):
    return Transcript(Source(name, "0" * 64, 60.0), Provenance("kodeklar", "test", "base", "", {}),
                      "no", list(segments))


def interview_1():
    return transcript(
        "intervju-01",
        segment(1, 0.0, [" Eh,", " hun", " Kari", " på", " NAV", " Halden", " sa", " at",
                         " jeg", " er", " 34", " år."]),
        segment(2, 10.0, [" Kari", " Nordmann", " ringte", " fra", " 912", " 34", " 567", " og",
                          " Nordmanns", " datter", " ble", " med."]),
        segment(3, 20.0, [" Diarra", " kom", " senere.", " Vi", " møtte", " Diarra", " i",
                          " Sarpsborg."]))


def interview_2():
    return transcript(
        "intervju-02",
        segment(1, 0.0, [" Jeg", " har", " snakket", " med", " Nordmann", " om", " Halden."]),
        segment(2, 5.0, [" Ola", " Hansen", " jobber", " i", " Moss", " kommune."]))
