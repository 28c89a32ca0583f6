"""The project's pseudonym registry: which entity got which pseudonym. The same person, place
or organisation gets the same pseudonym in every recording, numbered by first appearance
per category ("[PERSON-1]", "[STED-2]").

Linking: a person's full name, first name, surname and their genitive forms ("Kari Nordmann",
"Kari", "Nordmanns") belong to one entity when the link is unambiguous. Other categories link
on the normalised surface form. A name not known in any of these forms joins the one entity
of its category that it is spelt or sounds like, as ASR varies a name within a recording and
across a project ("Karinotman", "Kari Nortmann" for "Kari Nordmann"): such a link is recorded
on the entity for the project leader to review, who undoes or adds links with `split` and
`merge` (`kodeklar key split|merge`). The registry holds originals, so it is only ever stored
encrypted (see keyfile.py)."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from anonymise import categories, gazetteers
from anonymise.categories import NAME_CATEGORIES

VERSION = 1
# A name links to an entity spelt this much alike (rapidfuzz ratio, spaces ignored), or one
# that sounds the same (same `sound` key) and is spelt at least SOUND_MIN_SIMILARITY alike.
# Short names are left alone: "Kari" and "Karin" are two people as often as one.
SPELLING_MIN_SIMILARITY = 88.0
SOUND_MIN_SIMILARITY = 70.0
FUZZY_MIN_LENGTH = 5
# Letters Norwegian speech does not tell apart, by sound class (Soundex-like)
SOUND_CLASSES = {**dict.fromkeys("bp", "p"), **dict.fromkeys("dt", "t"),
                 **dict.fromkeys("gkcq", "k"), **dict.fromkeys("fvw", "f"),
                 **dict.fromkeys("szx", "s"), **dict.fromkeys("j", "j")}
# Spellings of one sound; r before d, t, n, l, s is one retroflex sound in most Norwegian
# speech ("Nordmann" is said "Nor-mann", heard as "Notman").
SPELLINGS = (("sch", "sj"), ("skj", "sj"), ("kj", "sj"), ("ch", "k"), ("ck", "k"),
             ("ph", "f"), ("th", "t"), ("aa", "å"), ("hj", "j"), ("gj", "j"), ("dt", "t"),
             ("rd", "d"), ("rt", "t"), ("rn", "n"), ("rl", "l"), ("rs", "s"))


def normalise(category: str, text: str) -> str:
    if category in categories.TABLE and categories.TABLE[category].digits:
        return re.sub(r"\D", "", text)
    return " ".join(text.casefold().split())


def strip_genitive(name: str) -> str:
    return name[:-1] if name.endswith("s") and len(name) > 3 else name


def sound(name: str) -> str:
    """A key equal for names that sound alike: the first letter, then the consonants by
    sound class, repeats collapsed ("Nordmann", "Nortman" -> "nrtmn")."""
    word = "".join(name.casefold().split())
    for a, b in SPELLINGS:
        word = word.replace(a, b)
    if not word:
        return ""
    key = word[0]
    for c in word[1:]:
        code = SOUND_CLASSES.get(c, c if c in "lmnr" else "")
        if code and not key.endswith(code):
            key += code
    return key


def similarity(a: str, b: str) -> float:
    """How alike two names are spelt, 0-100, spaces ignored ("trondgiske", "trond giske")."""
    from rapidfuzz import fuzz

    return fuzz.ratio(a.replace(" ", ""), b.replace(" ", ""))


@dataclass
class Entity:
    category: str
    names: list[str]                 # normalised surface forms, longest first once linked
    number: int | None = None        # assigned on first use
    surrogate: list[str] = field(default_factory=list)  # realistic replacement, word by word
    # names joined by likeness rather than form, for review: {"name", "to", "how"}
    links: list[dict] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"[{categories.label(self.category)}-{self.number}]"

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

    def alike(self, category: str, text: str) -> tuple[Entity, str, str] | None:
        """The one entity of `category` whose name `text` is spelt or sounds like, with that
        name and how they are alike; None when there is none or more than one."""
        name = strip_genitive(normalise(category, text))
        if category not in NAME_CATEGORIES or len(name.replace(" ", "")) < FUZZY_MIN_LENGTH:
            return None
        key = sound(name)
        best: dict[int, tuple[float, Entity, str, str]] = {}
        for e in self.entities:
            if e.category != category:
                continue
            forms = e.names + (e.words() if category == "PERSON" else [])
            for form in forms:
                if len(form.replace(" ", "")) < FUZZY_MIN_LENGTH:
                    continue
                score = similarity(name, form)
                if score >= SPELLING_MIN_SIMILARITY:
                    how = f"spelt alike ({score:.0f})"
                elif score >= SOUND_MIN_SIMILARITY and sound(form) == key:
                    how = f"sounds alike ({score:.0f})"
                else:
                    continue
                if score > best.get(id(e), (-1.0,))[0]:
                    best[id(e)] = (score, e, form, how)
        if len(best) != 1:
            return None
        _, entity, form, how = next(iter(best.values()))
        return entity, form, how

    def link(self, category: str, text: str) -> Entity:
        """The entity `text` names, created (unnumbered) when new. A name already known under
        another name category keeps its pseudonym ("Halden" taken once for a person and once
        for a place is one entity, as first decided). A name only like a known one joins it,
        and the link is recorded (see `alike`)."""
        name = normalise(category, text)
        entity = self.find(category, text)
        if entity is None and category in NAME_CATEGORIES:
            entity = next((e for e in self.entities if e.category in NAME_CATEGORIES and
                           (name in e.names or strip_genitive(name) in e.names)), None)
        if entity is None and (found := self.alike(category, text)) is not None:
            entity, form, how = found
            entity.links.append({"name": name, "to": form, "how": how})
        if entity is None:
            entity = Entity(category, [name])
            self.entities.append(entity)
        elif name not in entity.names and strip_genitive(name) not in entity.names + \
                (entity.words() if category == "PERSON" else []):
            entity.names.append(name)
            entity.names.sort(key=lambda n: -len(n))
        return entity

    def decided(self, category: str, text: str) -> Entity:
        """The entity `text` names in `category`, created when missing: a human's category
        for a name outranks the one it was first linked to (`link` then finds this one)."""
        entity = self.find(category, text)
        if entity is None:
            entity = Entity(category, [normalise(category, text)])
            self.entities.append(entity)
        return entity

    def number(self, entity: Entity) -> Entity:
        """Give `entity` its number (and surrogate) on first use."""
        if entity.number is None:
            used = [e.number for e in self.entities
                    if e.category == entity.category and e.number is not None]
            entity.number = max(used, default=0) + 1
            entity.surrogate = surrogate_for(entity)
        return entity

    # -- corrections by the project leader
    def by_label(self, label: str) -> Entity:
        from kodeklar.core.errors import UserError

        wanted = "[" + label.strip().strip("[]").upper() + "]"
        for e in self.entities:
            if e.number is not None and e.label == wanted:
                return e
        raise UserError(f"no entity {wanted} in the key")

    def merge(self, labels: list[str]) -> Entity:
        """Join the entities with these pseudonyms into the first: one person, place or
        organisation. The others' pseudonyms are retired."""
        from kodeklar.core.errors import UserError

        entities = [self.by_label(label) for label in labels]
        keep, rest = entities[0], entities[1:]
        if not rest or any(e is keep for e in rest) or len({id(e) for e in rest}) != len(rest):
            raise UserError("key merge: give two or more different pseudonyms")
        if any(e.category != keep.category for e in rest):
            raise UserError("key merge: the pseudonyms are of different categories")
        for e in rest:
            for name in e.names:
                if name not in keep.names:
                    keep.names.append(name)
            keep.links += e.links + [{"name": n, "to": keep.names[0], "how": "merged by hand"}
                                     for n in e.names]
            self.entities.remove(e)
        keep.names.sort(key=lambda n: -len(n))
        return keep

    def split(self, label: str, names: list[str]) -> Entity:
        """Take these original forms out of an entity into a new one with its own pseudonym:
        undoes a wrong link."""
        from kodeklar.core.errors import UserError

        entity = self.by_label(label)
        moved = [normalise(entity.category, n) for n in names]
        missing = [n for n, m in zip(names, moved) if m not in entity.names]
        if missing:
            raise UserError(f"key split: {entity.label} has no form '{missing[0]}' "
                            f"(see `kodeklar key show`)")
        if len(set(moved)) == len(entity.names):
            raise UserError("key split: leave at least one form with the entity")
        entity.names = [n for n in entity.names if n not in moved]
        entity.links = [k for k in entity.links if k["name"] not in moved]
        new = Entity(entity.category, sorted(set(moved), key=lambda n: -len(n)))
        new.links.append({"name": new.names[0], "to": entity.names[0], "how": "split by hand"})
        self.entities.append(new)
        return self.number(new)

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
        from kodeklar.core.errors import UserError

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
        return [_pick(sorted({k[0] for k in gazetteers.kommuner().values()}), n, avoid)]
    return []
