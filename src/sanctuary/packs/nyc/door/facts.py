"""Tests of a door question: the one place where a condition of the city's and the State's rules meets what the
worker at the door can tell. Each reads the question as the view's item (:class:`~.question.DoorQuestion`; the door
guide has no detainer case), answers true, false or unknown with a sentence, names what is missing, and offers the
change of facts that would flip it. Readings chosen are marked ``I-n`` (``docs/law/nyc/interpretations.md``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sanctuary.facts.truth import Tri
from sanctuary.law.tree import Change, Finding, View
from sanctuary.packs.nyc.door.instruments import INSTRUMENTS
from sanctuary.packs.nyc.door.question import DOCUMENTS, REQUESTERS, SIGNERS, DoorQuestion


def question(view: View) -> DoorQuestion:
    """The door question a test reads (the view's item)."""
    item: Any = view.item
    if not isinstance(item, DoorQuestion):
        raise TypeError("a door rule is evaluated over a DoorQuestion (the view's item)")
    return item


@dataclass(frozen=True, slots=True)
class Flag:
    """A yes/no fact of the question, read as it is (``None``: unknown)."""

    name: str
    if_true: str
    if_false: str
    if_unknown: str

    def check(self, view: View) -> Finding:
        value = Tri.of(getattr(question(view), self.name))
        if value is Tri.UNKNOWN:
            return Finding(value, self.if_unknown, (self.name,))
        return Finding(value, self.if_true if value is Tri.TRUE else self.if_false)

    def reads(self, view: View) -> tuple[str, ...]:
        return (self.name,)

    def options(self, view: View, want: bool) -> list[tuple[Change, ...]]:
        return [(Change(self.name, want, self.if_true if want else self.if_false),)]


@dataclass(frozen=True, slots=True)
class RequesterIs:
    """Who asks is one of ``kinds`` (an absent requester is unknown)."""

    kinds: tuple[str, ...]
    words: str

    def check(self, view: View) -> Finding:
        requester = question(view).requester
        if requester is None:
            return Finding(Tri.UNKNOWN, "The question does not say who asks.", ("requester",))
        holds = requester in self.kinds
        verb = "is" if holds else "is not"
        return Finding(Tri.of(holds), f"The requester, {REQUESTERS[requester]}, {verb} {self.words}.")

    def reads(self, view: View) -> tuple[str, ...]:
        return ("requester",)

    def options(self, view: View, want: bool) -> list[tuple[Change, ...]]:
        pick = next((k for k in REQUESTERS if (k in self.kinds) is want), None)
        return [] if pick is None else [(Change("requester", pick, REQUESTERS[pick]),)]


@dataclass(frozen=True, slots=True)
class ValueIs:
    """A choice of the question (``area``, ``information``, ``setting``) is one of ``values``."""

    name: str
    values: tuple[str, ...]
    if_true: str
    if_false: str

    def check(self, view: View) -> Finding:
        value = getattr(question(view), self.name)
        if value is None:
            return Finding(Tri.UNKNOWN, f"The question does not give the {self.name.replace('_', ' ')}.", (self.name,))
        holds = value in self.values
        return Finding(Tri.of(holds), self.if_true if holds else self.if_false)

    def reads(self, view: View) -> tuple[str, ...]:
        return (self.name,)


@dataclass(frozen=True, slots=True)
class InForce:
    """The instrument was in force on the question's date."""

    instrument: str

    def check(self, view: View) -> Finding:
        law = INSTRUMENTS[self.instrument]
        day = question(view).date
        if law.in_force(day):
            return Finding(Tri.TRUE, f"{law.name} was in force on {day} (from {law.start}).")
        return Finding(Tri.FALSE, f"{law.name} was not yet in force on {day} (it took effect {law.start}).")

    def reads(self, view: View) -> tuple[str, ...]:
        return ("date",)


# A warrant by a judge the definition names. § 4-210(a): an Article III judge, a federal magistrate judge
# (28 U.S.C. § 631), or a court of the state of New York.
JUDGES = ("article_iii_judge", "us_magistrate_judge", "new_york_court", "listed_judge")


@dataclass(frozen=True, slots=True)
class JudicialWarrant:
    """A judicial warrant was presented: under § 4-210(a) a *warrant* issued by a listed judge (``orders=False``);
    under Civil Rights Law § 28(1) a judicial warrant *or judicial order* authorizing the arrest (``orders=True``),
    where an immigration judge's order is unknown (I-83)."""

    orders: bool = False

    def check(self, view: View) -> Finding:
        q = question(view)
        kinds = ("warrant", "court_order") if self.orders else ("warrant",)
        if q.document is None:
            return Finding(Tri.UNKNOWN, "The question does not say what was presented.", ("document",))
        if q.document not in kinds:
            return Finding(Tri.FALSE, self._not_judicial(q.document))
        if q.signer is None:
            return Finding(Tri.UNKNOWN, f"Who signed the {DOCUMENTS[q.document][2:]} is not known.", ("signer",))
        if q.signer in JUDGES:
            presented = f"{DOCUMENTS[q.document].capitalize()} signed by {SIGNERS[q.signer]} was presented."
            return Finding(Tri.TRUE, presented)
        if self.orders and q.signer == "immigration_judge":
            return Finding(
                Tri.UNKNOWN,
                "Whether an order of an immigration judge (an officer of the Department of Justice, not of a court) is "
                'a "judicial warrant or judicial order" under Civil Rights Law § 28(1) is not settled (I-83).',
                ("signer",),
            )
        return Finding(
            Tri.FALSE,
            f"A {q.document.replace('_', ' ')} signed by {SIGNERS[q.signer]} is not a judicial warrant: the definition "
            "names only Article III judges, federal magistrate judges and New York State courts.",
        )

    def _not_judicial(self, document: str) -> str:
        if document == "administrative_warrant":
            return (
                "An immigration warrant signed by an immigration officer (I-200, I-205) is not a judicial warrant: it "
                "is not issued by a judge or a court."
            )
        if document == "none":
            return "No warrant was presented."
        return f"{DOCUMENTS[document].capitalize()} is not a warrant."

    def reads(self, view: View) -> tuple[str, ...]:
        return ("document", "signer")

    def options(self, view: View, want: bool) -> list[tuple[Change, ...]]:
        if not want:
            return [(Change("document", "administrative_warrant", DOCUMENTS["administrative_warrant"]),)]
        return [
            (
                Change("document", "warrant", "a warrant"),
                Change("signer", "us_magistrate_judge", "signed by a U.S. magistrate judge"),
            )
        ]


@dataclass(frozen=True, slots=True)
class RequiredByLaw:
    """The access or disclosure is required by law. Given as a fact (``required_by_law``) it is read as it is; absent,
    nothing presented (``document: none``) or a warrant not signed by a judge the definition names (I-81) does not make
    it so, and a subpoena, a court order or a judge's warrant leaves it to counsel or the privacy officer (unknown;
    I-82)."""

    def check(self, view: View) -> Finding:
        q = question(view)
        if q.required_by_law is not None:
            said = "was found" if q.required_by_law else "was found not to be"
            return Finding(Tri.of(q.required_by_law), f"It {said} required by law.")
        if q.document is None:
            return Finding(Tri.UNKNOWN, "Whether any law requires it is not known.", ("document", "required_by_law"))
        if q.document == "none":
            return Finding(Tri.FALSE, "Nothing presented shows that any law requires it.")
        if q.document == "warrant" and q.signer is None:
            return Finding(Tri.UNKNOWN, "Who signed the warrant is not known.", ("signer",))
        if q.document == "administrative_warrant" or (q.document == "warrant" and q.signer not in JUDGES):
            return Finding(
                Tri.FALSE,
                "A warrant not signed by a judge the definition names (an immigration officer's I-200 or I-205, an "
                "immigration judge's) does not by itself make it required by law: the judicial warrant the law "
                "names would otherwise add nothing (I-81).",
            )
        return Finding(
            Tri.UNKNOWN,
            f"Whether {DOCUMENTS[q.document]} makes it required by law is for the agency's counsel or privacy officer "
            "to decide (I-82).",
            ("required_by_law",),
        )

    def reads(self, view: View) -> tuple[str, ...]:
        return ("document", "required_by_law")

    def options(self, view: View, want: bool) -> list[tuple[Change, ...]]:
        says = "counsel finds it required by law" if want else "counsel finds it not required by law"
        return [(Change("required_by_law", want, says),)]


@dataclass(frozen=True, slots=True)
class CoveredPlace:
    """The place is one § 4-210 covers: "city property" (§ 4-210(a): real property the city leases or owns, serving
    a city purpose, over which the city has operational control). A public hospital is run by NYC Health +
    Hospitals, a public benefit corporation: whether the city has operational control is unknown unless given
    (I-84). A contracted human-services site is covered through § 4-210(c)."""

    def check(self, view: View) -> Finding:
        q = question(view)
        if q.setting == "hospital":
            if q.city_property is not None:
                return Finding(Tri.of(q.city_property), "Whether the hospital is city property is given.")
            return Finding(
                Tri.UNKNOWN,
                "Whether a hospital run by NYC Health + Hospitals is city property over which the city has "
                "operational control is not settled by the text (I-84).",
                ("city_property",),
            )
        if q.setting == "contracted_site":
            return Finding(
                Tri.TRUE,
                "The place is a site where human services are provided under a city contract: § 4-210(c) requires "
                "the contractor to apply § 4-210(b) there.",
            )
        return Finding(Tri.TRUE, "The place is city property: leased or owned by the city for a city purpose.")

    def reads(self, view: View) -> tuple[str, ...]:
        return ("setting", "city_property")
