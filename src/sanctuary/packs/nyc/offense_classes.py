"""The offense law the city rules lean on: the class the Penal Law (and the Vehicle and Traffic Law) gives
each offense, and the rules that derive the class of an attempt and of a hate crime.

The city's definition of a "violent or serious crime" asks whether a judgment was for "a felony defined in"
a listed section, for a "felony attempt" of one, for a hate crime that "constitutes a felony" — questions the
State's Penal Law answers and the city law never restates. This module answers them from the law itself:

- **The table** (``offense_classes.toml``): for each section the engine or the public data meets, the class
  its text gives ("Robbery in the first degree is a class B felony"), with the page it was read on and the
  sentence itself; subdivisions of differing class kept apart. A section not in the table, or whose class
  could not be verified, has an *unknown* class — never a guess.
- **The derivations**, each citing the section it applies: the class of an attempt (PL § 110.05), of a hate
  crime (PL § 485.10(2)), of a charge whose section admits only one level, and of a conviction outside New
  York through the New York equivalent someone determined (read as that equivalent; I-4).

:func:`derive` gives what the law says of a charge as written, ignoring the level and class the case states;
:func:`grade` combines it with what the case states (the stated fact wins, and a contradiction between the
two is an input error — :func:`contradictions`). Readings: I-31 to I-33 (``docs/law/nyc/interpretations.md``).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

from sanctuary.errors import LawDataError
from sanctuary.law.tree import Clause
from sanctuary.packs.nyc.case import FELONY_CLASSES, Conviction, PendingCharge
from sanctuary.packs.nyc.charges import ChargeCode, ChargeParseError, parse_charge

DATA_FILE = "offense_classes.toml"
Level = Literal["felony", "misdemeanor", "violation"]
PENAL_LAW = Clause("N.Y. Penal Law")
VEHICLE_AND_TRAFFIC_LAW = Clause("N.Y. Vehicle and Traffic Law")
LAW_CODES = {"PL": PENAL_LAW, "VTL": VEHICLE_AND_TRAFFIC_LAW}

#: The classes of offenses, lowest first (PL §§ 55.05, 55.10). "One category higher" (PL § 485.10(2)) is the
#: next in this order; an unclassified misdemeanor has no place in it.
RANKED = (
    "violation",
    "B misdemeanor",
    "A misdemeanor",
    "E felony",
    "D felony",
    "C felony",
    "B felony",
    "A-II felony",
    "A-I felony",
)
CLASSES = frozenset((*RANKED, "unclassified misdemeanor"))
_NOT_GRADED = frozenset({"varies", "unknown", "not an offense"})  # entries the table keeps without a class


class OffenseClassError(LawDataError):
    """A malformed entry in the offense-class table."""


@dataclass(frozen=True, slots=True)
class Grade:
    """A class of offense: ``Grade("B felony")``. ``level`` is felony, misdemeanor or violation; ``letter`` the
    class letter the contract's ``class`` field uses (``"B"``, ``"A-I"``; ``None`` for violations and
    unclassified misdemeanors)."""

    name: str

    def __post_init__(self) -> None:
        if self.name not in CLASSES:
            raise OffenseClassError(f"unknown class {self.name!r} (known: {', '.join(sorted(CLASSES))})")

    @property
    def level(self) -> Level:
        return "violation" if self.name == "violation" else "felony" if "felony" in self.name else "misdemeanor"

    @property
    def letter(self) -> str | None:
        first = self.name.split()[0]
        return None if first in ("violation", "unclassified") else first

    def __str__(self) -> str:
        return (
            f"a class {self.name}" if self.letter else f"an {self.name}" if self.name[0] in "au" else f"a {self.name}"
        )


@dataclass(frozen=True, slots=True)
class Entry:
    """One section of the table: its class (``grade``), or its subdivisions' classes when they differ."""

    law: str
    section: str
    title: str
    grade: Grade | None
    subdivisions: Mapping[tuple[str, ...], Grade | None]  # None: that subdivision's class varies or is unknown
    words: str
    source: str
    confidence: str
    note: str = ""

    @property
    def clause(self) -> Clause:
        return _section_clause(self.law, self.section)

    def graded(self) -> bool:
        """Whether the table gives any class for the section."""
        return self.grade is not None or any(g is not None for g in self.subdivisions.values())


def _section_clause(law: str, section: str, path: tuple[str, ...] = ()) -> Clause:
    code = LAW_CODES[law].code if law in LAW_CODES else law
    return Clause(code, section, path)


@dataclass(frozen=True, slots=True)
class Derived:
    """What the law says of a charge's class: the class (``None``: not known), the level (known sometimes
    when the class is not: every subdivision of the section is a felony), why in words, and the clauses."""

    grade: Grade | None
    level: Level | None
    because: tuple[str, ...] = ()
    cites: tuple[Clause, ...] = ()

    @staticmethod
    def of(grade: Grade, because: str, *cites: Clause) -> Derived:
        return Derived(grade, grade.level, (because,), cites)

    def then(self, grade: Grade | None, level: Level | None, because: str, *cites: Clause) -> Derived:
        return Derived(grade, level, (*self.because, because), (*self.cites, *cites))


UNKNOWN = Derived(None, None)


# --- the table -------------------------------------------------------------------------------------------------


def _subdivision_path(text: str) -> tuple[str, ...]:
    """A subdivision as the table writes it, as a path.

    >>> _subdivision_path("2")
    ('2',)
    >>> _subdivision_path("2(b)")
    ('2', 'b')
    """
    head, _, rest = text.partition("(")
    parts = [head.strip()] + [p.strip(" )") for p in rest.split("(") if p.strip(" )")] if rest else [head.strip()]
    return tuple(p.lower() for p in parts)


def _entry(item: Mapping[str, Any]) -> Entry:
    known = {"section", "title", "class", "subdivisions", "words", "source", "confidence", "note"}
    if set(item) - known or "section" not in item:
        raise OffenseClassError(f"{DATA_FILE}: unknown keys or no section in {dict(item)!r}")
    raw = str(item["section"])
    law, _, section = raw.partition(" ") if raw.split(" ")[0] in LAW_CODES else ("PL", "", raw)
    section = section or raw
    stated = item.get("class")
    subdivisions = {
        _subdivision_path(k): None if v in _NOT_GRADED else Grade(v)
        for k, v in (item.get("subdivisions") or {}).items()
    }
    if stated is not None and subdivisions:
        raise OffenseClassError(f"{DATA_FILE}: {raw}: give class or subdivisions, not both")
    grade = None if stated is None or stated in _NOT_GRADED else Grade(stated)
    return Entry(
        law=law,
        section=section.lower(),
        title=str(item.get("title", "")),
        grade=grade,
        subdivisions=subdivisions,
        words=str(item.get("words", "")),
        source=str(item.get("source", "")),
        confidence=str(item.get("confidence", "none")),
        note=str(item.get("note", "")),
    )


@dataclass(frozen=True, slots=True)
class OffenseClasses:
    """The table, by (law, section)."""

    entries: Mapping[tuple[str, str], Entry]

    def entry(self, code: ChargeCode) -> Entry | None:
        return self.entries.get((code.law, code.section))

    def section_class(self, code: ChargeCode) -> Derived:
        """The class the section (and subdivision, where the classes differ) of ``code`` carries."""
        entry = self.entry(code)
        if entry is None or not entry.graded():
            return UNKNOWN
        cite = entry.clause
        name = f"{entry.title} ({code.law} {entry.section})" if entry.title else f"{code.law} {entry.section}"
        if entry.grade is not None:
            return Derived.of(entry.grade, f"{name} is {entry.grade} ({cite})", cite)
        if code.subdivision is not None:
            for path, grade in entry.subdivisions.items():
                if code.subdivision[: len(path)] == path:
                    if grade is None:
                        return UNKNOWN
                    sub = _section_clause(entry.law, entry.section, path)
                    return Derived.of(grade, f"{name}, subdivision {_sub_text(path)}, is {grade} ({sub})", sub)
        levels = {g.level if g is not None else None for g in entry.subdivisions.values()}
        if len(levels) == 1 and None not in levels:
            level = next(iter(levels))
            return Derived(None, level, (f"every offense defined in {name} is a {level} ({cite})",), (cite,))
        return UNKNOWN

    def describe(self) -> dict[str, Any]:
        """Plain data for content hashes."""
        return {
            f"{e.law} {e.section}": {
                "class": e.grade.name if e.grade else None,
                "subdivisions": {_sub_text(p): g.name if g else None for p, g in sorted(e.subdivisions.items())},
            }
            for e in self.entries.values()
        }


def _sub_text(path: tuple[str, ...]) -> str:
    return "".join(f"({p})" for p in path)


def load_offense_classes(text: str | None = None) -> OffenseClasses:
    if text is None:
        text = resources.files(__package__).joinpath(DATA_FILE).read_text(encoding="utf-8")
    raw = tomllib.loads(text)
    if set(raw) - {"section"}:
        raise OffenseClassError(f"{DATA_FILE}: unknown top-level keys {sorted(set(raw) - {'section'})}")
    entries: dict[tuple[str, str], Entry] = {}
    for item in raw.get("section", []):
        entry = _entry(item)
        key = (entry.law, entry.section)
        if key in entries:
            raise OffenseClassError(f"{DATA_FILE}: {entry.law} {entry.section} is listed twice")
        entries[key] = entry
    return OffenseClasses(entries)


TABLE = load_offense_classes()


# --- the derivations -------------------------------------------------------------------------------------------

ATTEMPT = Clause(PENAL_LAW.code, "110.05")
HATE_CRIME_SENTENCING = Clause(PENAL_LAW.code, "485.10", ("2",))
#: PL § 110.05(1): attempts of these class A-I felonies are class A-I felonies themselves (aggravated murder
#: only under its subdivision 1).
ATTEMPT_STAYS_A_I = {
    ("125.27", None): "murder in the first degree",
    ("125.26", ("1",)): "aggravated murder as defined in subdivision one of section 125.26",
    ("220.21", None): "criminal possession of a controlled substance in the first degree",
    ("220.43", None): "criminal sale of a controlled substance in the first degree",
    ("490.45", None): "criminal possession of a chemical or biological weapon in the first degree",
    ("490.55", None): "criminal use of a chemical or biological weapon in the first degree",
}
#: PL § 110.05(2)–(8): the class of an attempt, by the class of the crime attempted (A-I: see (1) and (3)).
ATTEMPT_CLASS = {
    "A-II felony": ("2", "A-II felony"),
    "B felony": ("4", "C felony"),
    "C felony": ("5", "D felony"),
    "D felony": ("6", "E felony"),
    "E felony": ("7", "A misdemeanor"),
    "A misdemeanor": ("8", "B misdemeanor"),
    "B misdemeanor": ("8", "B misdemeanor"),
    "unclassified misdemeanor": ("8", "B misdemeanor"),
}


def attempt_of(attempted: Derived, code: ChargeCode) -> Derived:
    """PL § 110.05: the class of an attempt to commit the crime of ``code``, whose class is ``attempted``."""
    grade = attempted.grade
    if grade is None:
        if attempted.level == "misdemeanor":  # (8): every attempt of a misdemeanor is a class B misdemeanor
            return attempted.then(
                Grade("B misdemeanor"), "misdemeanor", _attempt_words("8", "B misdemeanor"), ATTEMPT.below("8")
            )
        return UNKNOWN
    if grade.name == "violation":
        return UNKNOWN  # an attempt is to commit a *crime* (PL § 110.00); a violation is not one
    if grade.name == "A-I felony":
        stays = next(
            (
                words
                for (section, sub), words in ATTEMPT_STAYS_A_I.items()
                if section == code.section and code.law == "PL" and (sub is None or code.subdivision == sub)
            ),
            None,
        )
        if stays is not None:
            return attempted.then(
                Grade("A-I felony"),
                "felony",
                f"an attempt to commit {stays} is a class A-I felony ({ATTEMPT.below('1')})",
                ATTEMPT.below("1"),
            )
        if code.section == "125.26" and code.subdivision is None:
            # Aggravated murder: (1) keeps subdivision one's attempt at A-I, (3) makes the others' class B — a
            # felony either way, of a class the subdivision decides.
            return attempted.then(
                None,
                "felony",
                f"an attempt to commit it is a class A-I or B felony ({ATTEMPT.below('1')}, (3))",
                ATTEMPT.below("1"),
                ATTEMPT.below("3"),
            )
        return attempted.then(Grade("B felony"), "felony", _attempt_words("3", "B felony"), ATTEMPT.below("3"))
    subdivision, result = ATTEMPT_CLASS[grade.name]
    derived = Grade(result)
    return attempted.then(
        derived, derived.level, _attempt_words(subdivision, result, grade), ATTEMPT.below(subdivision)
    )


def _attempt_words(subdivision: str, result: str, attempted: Grade | None = None) -> str:
    what = f"{attempted}" if attempted is not None else "a crime of that class"
    return f"an attempt to commit {what} is a class {result} ({ATTEMPT.below(subdivision)})"


def hate_crime_of(specified: Derived) -> Derived:
    """PL § 485.10(2): a hate crime whose specified offense is a misdemeanor or a class C, D or E felony is one
    category higher; (3) and (4) change the sentence of class B and A-I felonies, not their class."""
    grade = specified.grade
    if grade is None:
        return UNKNOWN
    if grade.name in ("B felony", "A-II felony", "A-I felony"):
        return specified.then(
            grade, grade.level, f"as a hate crime it remains {grade} (PL § 485.10)", Clause(PENAL_LAW.code, "485.10")
        )
    if grade.name in ("violation", "unclassified misdemeanor"):
        return UNKNOWN
    higher = Grade(RANKED[RANKED.index(grade.name) + 1])
    return specified.then(
        higher,
        higher.level,
        f"as a hate crime it is one category higher, {higher} ({HATE_CRIME_SENTENCING})",
        HATE_CRIME_SENTENCING,
    )


INCHOATE_ARTICLES = ("100.", "105.", "110.", "115.")  # solicitation, conspiracy, attempt, facilitation


def effective_code(item: Conviction | PendingCharge) -> ChargeCode | None:
    """The New York charge an item stands for: its own, or (a judgment outside New York) its stated New York
    equivalent (I-4); ``None`` when neither can be read."""
    foreign = isinstance(item, Conviction) and item.court not in (None, "NY")
    text = item.ny_equivalent if foreign and isinstance(item, Conviction) else item.charge
    if text is None:
        return None
    try:
        return parse_charge(text)
    except ChargeParseError:
        return None


@cache
def _derive(code: ChargeCode, inchoate: str | None, hate: bool) -> Derived:
    if code.law == "PL" and code.section.startswith(INCHOATE_ARTICLES):
        # The charge names the inchoate offense itself (PL 105.15, conspiracy in the second degree): its own
        # section gives its class; an inchoate form of it is not derived.
        return TABLE.section_class(code) if inchoate is None and not hate else UNKNOWN
    derived = TABLE.section_class(code)
    if inchoate == "attempt":
        derived = attempt_of(derived, code)
    elif inchoate is not None:
        return UNKNOWN  # conspiracy, solicitation and facilitation take their own sections' classes
    if hate:
        derived = hate_crime_of(derived)
    return derived


def derive(item: Conviction | PendingCharge) -> Derived:
    """What the law says of the class of ``item``'s offense, from its charge (or New York equivalent) and its
    qualifiers alone — the level and class the case states play no part.

    >>> attempted_robbery = PendingCharge.model_validate_json('{"charge": "110-160.15"}')
    >>> derived = derive(attempted_robbery)
    >>> str(derived.grade), [str(c) for c in derived.cites]
    ('a class C felony', ['N.Y. Penal Law § 160.15', 'N.Y. Penal Law § 110.05(4)'])
    """
    code = effective_code(item)
    if code is None:
        return UNKNOWN
    inchoate = item.inchoate or ("attempt" if code.attempt else None)
    if code.hate_crime or item.hate_crime is not None:
        return _derive(code, inchoate, code.hate_crime or bool(item.hate_crime))
    # Whether it was a hate crime is unknown (an explicit null): known only where both answers agree.
    plain, hate = _derive(code, inchoate, False), _derive(code, inchoate, True)
    return plain if plain.grade == hate.grade and plain.level == hate.level else UNKNOWN


def level_from_class(letter: str | None) -> Level | None:
    """The level a stated class implies: C, D, E, A-I and A-II name only felonies; A and B name misdemeanor
    classes too."""
    return "felony" if letter in FELONY_CLASSES else None


@dataclass(frozen=True, slots=True)
class Graded:
    """The level of an item's offense as the engine uses it: stated, implied by the stated class, or derived."""

    level: Level | None
    because: str = ""
    cites: tuple[Clause, ...] = ()


def grade(item: Conviction | PendingCharge) -> Graded:
    """The level of ``item``'s offense: the ``level`` the case states; else the level its stated ``class``
    implies; else the level the law derives (:func:`derive`, with its reasons and clauses); else unknown."""
    if item.level is not None:
        return Graded(item.level)
    implied = level_from_class(item.class_)
    if implied is not None:
        return Graded(implied)
    derived = derive(item)
    if derived.level is None:
        return Graded(None)
    return Graded(derived.level, "; ".join(derived.because), derived.cites)


def contradictions(item: Conviction | PendingCharge, path: str) -> Iterator[tuple[str, str]]:
    """``(field path, message)`` for each stated fact the law contradicts: a level or class other than the one
    the Penal Law gives the offense as written (an attempt of a class E felony stated as a felony, I-32)."""
    derived = derive(item)
    why = "; ".join(derived.because)
    if item.level is not None and derived.level is not None and item.level != derived.level:
        yield f"{path}.level", f"the law makes this offense a {derived.level}, not a {item.level}: {why}"
        return
    stated = item.class_
    if stated is None or derived.grade is None or stated == "unclassified":
        return
    if stated != derived.grade.letter:
        yield f"{path}.class", f"the law makes this offense {derived.grade}, not class {stated}: {why}"
