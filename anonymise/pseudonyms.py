"""The project's pseudonym registry: which entity got which pseudonym. The same person, place
or organisation gets the same pseudonym in every recording, numbered by first appearance
per category ("[PERSON-1]", "[STED-2]").

Linking: a person's full name, first name, surname and their genitive forms ("Kari Nordmann",
"Kari", "Nordmanns") belong to one entity when the link is unambiguous. Other categories link
on the normalised surface form. The registry holds originals, so it is only ever stored
encrypted (see keyfile.py)."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from anonymise import gazetteers
from anonymise.span import NAME_CATEGORIES

VERSION = 1
# Norwegian names for the replacement labels
LABELS = {"PERSON": "PERSON", "PLACE": "STED", "ORGANISATION": "ORG", "FNR": "FØDSELSNUMMER",
          "DNR": "D-NUMMER", "HNR": "H-NUMMER", "ORGNR": "ORGNR", "ACCOUNT": "KONTONUMMER",
          "PHONE": "TELEFON", "EMAIL": "E-POST", "URL": "NETTADRESSE", "ADDRESS": "ADRESSE",
          "POSTCODE": "POSTNUMMER",
          "AGE": "ALDER", "DATE": "DATO", "OCCUPATION": "YRKE", "DIAGNOSIS": "DIAGNOSE",
          "COUNTRY": "LAND",
          "NUMBER": "TALL", "OTHER": "ANNET"}
NUMBERED = ("FNR", "DNR", "HNR", "ORGNR", "ACCOUNT", "PHONE")


def label_name(category: str) -> str:
    return LABELS.get(category, category)


def normalise(category: str, text: str) -> str:
    if category in NUMBERED:
        return re.sub(r"\D", "", text)
    return " ".join(text.casefold().split())


def strip_genitive(name: str) -> str:
    return name[:-1] if name.endswith("s") and len(name) > 3 else name


@dataclass
class Entity:
    category: str
    names: list[str]                 # normalised surface forms, longest first once linked
    number: int | None = None        # assigned on first use
    surrogate: list[str] = field(default_factory=list)  # realistic replacement, word by word

    @property
    def label(self) -> str:
        return f"[{label_name(self.category)}-{self.number}]"

    def words(self) -> list[str]:
        return max(self.names, key=len).split()


class Pseudonyms:
    def __init__(self, entities: list[Entity] | None = None):
        self.entities: list[Entity] = entities or []

    # -- linking
    def find(self, category: str, text: str) -> Entity | None:
        name = normalise(category, text)
        for form in dict.fromkeys((name, strip_genitive(name))):
            exact = [e for e in self.entities if e.category == category and form in e.names]
            if exact:
                return exact[0]
        if category != "PERSON":
            return None
        words = name.split()
        if len(words) == 1:
            # a first name or surname of exactly one known person
            word = words[0]
            found = [e for e in self.entities if e.category == category and
                     any(w in (word, strip_genitive(word)) for w in e.words())]
            return found[0] if len(found) == 1 else None
        # a full name whose one-word form is already known ("Kari", then "Kari Nordmann")
        found = [e for e in self.entities if e.category == category and
                 all(len(n.split()) == 1 for n in e.names) and
                 any(n in words for n in e.names)]
        return found[0] if len(found) == 1 else None

    def link(self, category: str, text: str) -> Entity:
        """The entity `text` names, created (unnumbered) when new. A name already known under
        another name category keeps its pseudonym ("Halden" taken once for a person and once
        for a place is one entity, as first decided)."""
        name = normalise(category, text)
        entity = self.find(category, text)
        if entity is None and category in NAME_CATEGORIES:
            entity = next((e for e in self.entities if e.category in NAME_CATEGORIES and
                           (name in e.names or strip_genitive(name) in e.names)), None)
        if entity is None:
            entity = Entity(category, [name])
            self.entities.append(entity)
        elif name not in entity.names and strip_genitive(name) not in entity.names + \
                (entity.words() if category == "PERSON" else []):
            entity.names.append(name)
            entity.names.sort(key=lambda n: -len(n))
        return entity

    def number(self, entity: Entity) -> Entity:
        """Give `entity` its number (and surrogate) on first use."""
        if entity.number is None:
            used = [e.number for e in self.entities
                    if e.category == entity.category and e.number is not None]
            entity.number = max(used, default=0) + 1
            entity.surrogate = surrogate_for(entity)
        return entity

    # -- replacement text
    def surrogate_text(self, entity: Entity, text: str) -> str:
        """The surrogate for one mention: for a person the surrogate of the words mentioned
        (first name, surname or both), genitive kept."""
        if not entity.surrogate:
            return entity.label
        name = normalise(entity.category, text)
        full = entity.words()
        base = strip_genitive(name)
        genitive = base != name and (base in entity.names or base.split()[-1:] == full[-1:]
                                     or base in full)
        words = (base if genitive else name).split()
        if entity.category != "PERSON" or words == full or len(entity.surrogate) == 1:
            replacement = " ".join(entity.surrogate)
        else:
            parts = [entity.surrogate[0] if w == full[0] else entity.surrogate[-1]
                     for w in words if w in (full[0], full[-1])]
            replacement = " ".join(parts) or " ".join(entity.surrogate)
        if not genitive:
            return replacement
        return replacement + ("'" if replacement.endswith(("s", "x", "z")) else "s")

    # -- serialisation
    def to_dict(self) -> dict:
        return {"version": VERSION, "entities": [asdict(e) for e in self.entities]}

    @classmethod
    def from_dict(cls, data: dict) -> "Pseudonyms":
        from kodeklar.transcript import UserError

        if data.get("version") != VERSION:
            raise UserError(f"key file: unsupported pseudonym registry version "
                            f"{data.get('version')!r}")
        return cls([Entity(**e) for e in data.get("entities", [])])

    def __len__(self) -> int:
        return len(self.entities)


def _pick(pool: list[str], n: int, avoid: set[str]) -> str:
    # deterministic, spread over the pool, never the original itself
    for k in range(len(pool)):
        candidate = pool[(n * 7919 + k) % len(pool)]
        if candidate.lower() not in avoid:
            return candidate
    return pool[0]


def surrogate_for(entity: Entity) -> list[str]:
    """A realistic replacement of the same kind from the gazetteers, word by word; empty when
    there is none (the label is used)."""
    avoid = {w for n in entity.names for w in n.split()}
    n = entity.number or 1
    if entity.category == "PERSON":
        words = entity.words()
        firsts = sorted(gazetteers.first_names(), key=lambda k: -gazetteers.first_names()[k])[:300]
        lasts = sorted(gazetteers.surnames(), key=lambda k: -gazetteers.surnames()[k])[:300]
        first = _pick(firsts, n, avoid).title()
        last = _pick(lasts, n, avoid).title()
        if len(words) == 1:
            surname_only = words[0] in gazetteers.surnames() and \
                words[0] not in gazetteers.first_names()
            return [last] if surname_only else [first]
        return [first, last]
    if entity.category == "PLACE":
        return [_pick(sorted(k[0] for k in gazetteers.kommuner().values()), n, avoid)]
    return []
