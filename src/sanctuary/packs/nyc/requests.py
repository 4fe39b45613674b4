"""Tests of the request: what was asked for, by whom, and what was presented — the facts the detainer
and information clauses read from ``request`` (and the yes/no facts read directly).

Each class decides one condition the statutes define, in three values, says why in words a lawyer would
use, names the facts it reads, and offers the changes of facts that would flip it (for counterfactuals).
Readings chosen are marked ``I-n`` (``docs/law/nyc/interpretations.md``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sanctuary.facts.truth import Tri, all_of, any_of
from sanctuary.law.tree import Change, Finding, View
from sanctuary.packs.nyc.case import DETAINER_TYPES, NOTIFICATION_TYPES, Document, new_york

JUDICIAL_SIGNERS = frozenset({"article_iii_judge", "us_magistrate_judge"})
#: The documents that can be a judicial warrant, by what they are and do rather than by their caption (I-2).
WARRANT_TYPES = ("warrant", "court_order")
SIGNER_WORDS = {
    "article_iii_judge": "an Article III federal judge",
    "us_magistrate_judge": "a U.S. magistrate judge",
    "immigration_judge": "an immigration judge",
    "state_judge": "a state-court judge",
    "immigration_officer": "an immigration officer",
    "unknown": "an unknown signer",
}

JUDICIAL_WARRANT: dict[str, Any] = {
    "type": "warrant",
    "signer": "us_magistrate_judge",
    "probable_cause": True,
    "authorizes_immigration_custody": True,
    "presented_with_detainer": True,
}
_WARRANT_FIXES = (
    ("signer", "us_magistrate_judge"),
    ("probable_cause", True),
    ("authorizes_immigration_custody", True),
    ("presented_with_detainer", True),
)


def _dump(model: Any) -> dict[str, Any]:
    """A fact of the case back as plain JSON data (for counterfactual changes)."""
    data: dict[str, Any] = model.model_dump(by_alias=True, exclude_unset=True, mode="json")
    return data


def _get(view: View, path: str) -> Any:
    value: Any = view.case
    for part in path.split("."):
        value = getattr(value, part)
    return value


# --- facts read directly ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FactIsTrue:
    """A yes/no fact of the case, read as it is (absent = unknown)."""

    path: str
    if_true: str
    if_false: str
    if_unknown: str

    def check(self, view: View) -> Finding:
        value = Tri.of(_get(view, self.path))
        if value is Tri.TRUE:
            return Finding(value, self.if_true)
        if value is Tri.FALSE:
            return Finding(value, self.if_false)
        return Finding(value, self.if_unknown, (self.path,))

    def reads(self, view: View) -> tuple[str, ...]:
        return (self.path,)

    def options(self, view: View, want: bool) -> list[tuple[Change, ...]]:
        return [(Change(self.path, want, self.if_true if want else self.if_false),)]


@dataclass(frozen=True, slots=True)
class PurposeIs:
    """What the request is for (``request.purpose``, which the contract defaults to civil enforcement)."""

    purpose: str
    if_true: str
    if_false: str

    def check(self, view: View) -> Finding:
        holds = new_york(view.case).request.purpose == self.purpose
        return Finding(Tri.of(holds), self.if_true if holds else self.if_false)

    def reads(self, view: View) -> tuple[str, ...]:
        return ("request.purpose",)

    def options(self, view: View, want: bool) -> list[tuple[Change, ...]]:
        other = (
            "unrelated_to_immigration_enforcement"
            if self.purpose == "civil_immigration_enforcement"
            else "civil_immigration_enforcement"
        )
        value = self.purpose if want else other
        return [(Change("request.purpose", value, self.if_true if want else self.if_false),)]


def _documents(view: View) -> list[Document] | None:
    return new_york(view.case).request.documents


def _names(documents: Iterable[Document]) -> str:
    names = [d.type for d in documents]
    return ", ".join(names) if names else "nothing"


@dataclass(frozen=True, slots=True)
class DetainerPresented:
    """A civil immigration detainer form (I-247, I-247A, I-247D, I-247X) is among the documents — § (a)(1).

    Notification-only requests (I-247N, I-247G) ask for no detention and are not detainers (I-1)."""

    def check(self, view: View) -> Finding:
        docs = _documents(view)
        if docs is None:
            return Finding(Tri.UNKNOWN, "The case does not say what the requester presented.", ("request.documents",))
        detainers = [d.type for d in docs if d.type in DETAINER_TYPES]
        if detainers:
            return Finding(Tri.TRUE, f"The request includes a civil immigration detainer ({', '.join(detainers)}).")
        notes = [d.type for d in docs if d.type in NOTIFICATION_TYPES]
        if notes:
            return Finding(
                Tri.FALSE,
                f"The request is for notification only ({', '.join(notes)}); no detainer "
                "asking for detention was presented.",
            )
        return Finding(Tri.FALSE, f"No detainer form was presented (presented: {_names(docs)}).")

    def reads(self, view: View) -> tuple[str, ...]:
        return ("request.documents",)

    def options(self, view: View, want: bool) -> list[tuple[Change, ...]]:
        docs = _documents(view)
        if want:
            detainer = {"type": "I-247A"}
            if docs is None:
                return [(Change("request.documents", [detainer], "The requester presents a detainer (I-247A)."),)]
            return [(Change("request.documents[+]", detainer, "The requester presents a detainer (I-247A)."),)]
        kept = [_dump(d) for d in docs or () if d.type not in DETAINER_TYPES]
        return [(Change("request.documents", kept, "No detainer form is presented."),)]


def _label(doc: Document) -> str:
    return "court order" if doc.type == "court_order" else "warrant"


def _warrant_value(
    doc: Document, index: int, *, with_detainer: bool, signers: frozenset[str] = JUDICIAL_SIGNERS
) -> tuple[Tri, str, tuple[str, ...]]:
    path = f"request.documents[{index}]"
    signer = doc.signer
    if signer in signers:
        signed = Tri.TRUE
    elif signer is None or signer == "unknown":
        signed = Tri.UNKNOWN
    else:
        signed = Tri.FALSE
    parts = {
        "signer": signed,
        "probable_cause": Tri.of(doc.probable_cause),
        "authorizes_immigration_custody": Tri.of(doc.authorizes_immigration_custody),
    }
    if with_detainer:
        parts["presented_with_detainer"] = Tri.of(doc.presented_with_detainer)
    value = all_of(parts.values())
    who = SIGNER_WORDS.get(signer or "unknown", "an unknown signer")
    if value is Tri.TRUE:
        when = " with the detainer" if with_detainer else ""
        return (
            value,
            (
                f"A judicial warrant was presented{when}: {'an order' if doc.type == 'court_order' else 'a warrant'} "
                f"signed by {who}, based on probable cause, authorizing federal immigration authorities to take the "
                "person into custody."
            ),
            (),
        )
    failed = [k for k, v in parts.items() if v is Tri.FALSE]
    if value is Tri.FALSE:
        why = {
            "signer": f"it was signed by {who}, not by an Article III judge or a federal magistrate judge"
            if signers == JUDICIAL_SIGNERS
            else f"it was signed by {who}, whom the proposal does not accept",
            "probable_cause": "it is not based on probable cause",
            "authorizes_immigration_custody": "it does not authorize federal immigration authorities to take "
            "the person into custody",
            "presented_with_detainer": "it was not presented at the time the detainer was presented",
        }
        return (
            value,
            f"The {_label(doc)} (document {index + 1}) is not a judicial warrant as required: "
            + "; ".join(why[k] for k in failed)
            + ".",
            (),
        )
    unknown = [k for k, v in parts.items() if v is Tri.UNKNOWN]
    return (
        value,
        (
            f"Whether the {_label(doc)} (document {index + 1}) is a judicial warrant presented as required is "
            f"not known: the case does not say {', '.join(k.replace('_', ' ') for k in unknown)}."
        ),
        tuple(f"{path}.{k}" for k in unknown),
    )


@dataclass(frozen=True, slots=True)
class JudicialWarrantPresented:
    """A judicial warrant — § 9-131(a)(5), § 14-154(a)(4) — was presented, with the detainer if required.

    A judicial warrant is based on probable cause, issued by an Article III judge or a federal magistrate
    judge, and authorizes federal immigration authorities to take the person into custody. What decides is the
    signer, the basis and the effect, not the caption: a ``warrant`` or a ``court_order`` with all three is one
    (I-2). ICE forms I-200 and I-205 are signed by immigration officers and are never judicial warrants; neither
    is an order of an immigration judge or a state-court warrant, nor a subpoena (it cannot authorize custody)."""

    with_detainer: bool
    # What a reform file may change (I-76): who may sign one, and which documents count. The defaults are the law's.
    signers: frozenset[str] = JUDICIAL_SIGNERS
    documents: tuple[str, ...] = WARRANT_TYPES

    def __repr__(self) -> str:
        """The law's test keeps its old name (and every law hash); a reform's says what it changed."""
        extra = ""
        if self.signers != JUDICIAL_SIGNERS:
            extra += f", signers={sorted(self.signers)}"
        if self.documents != WARRANT_TYPES:
            extra += f", documents={list(self.documents)}"
        return f"JudicialWarrantPresented(with_detainer={self.with_detainer}{extra})"

    def check(self, view: View) -> Finding:
        docs = _documents(view)
        if docs is None:
            return Finding(
                Tri.UNKNOWN,
                "The case does not say what the requester presented, so whether a "
                "judicial warrant was presented is not known.",
                ("request.documents",),
            )
        values: list[Tri] = []
        reasons: list[str] = []
        missing: list[str] = []
        for i, doc in enumerate(docs):
            if doc.type in ("I-200", "I-205") and doc.type in self.documents:
                values.append(Tri.TRUE)
                reasons.append(f"The proposal counts the administrative warrant {doc.type} as a judicial warrant.")
            elif doc.type in ("I-200", "I-205"):
                values.append(Tri.FALSE)
                reasons.append(
                    f"The {doc.type} is an administrative warrant signed by an immigration officer, "
                    "not a judicial warrant."
                )
            elif doc.type in WARRANT_TYPES and doc.type in self.documents:
                value, reason, miss = _warrant_value(doc, i, with_detainer=self.with_detainer, signers=self.signers)
                values.append(value)
                reasons.append(reason)
                missing.extend(miss)
        value = any_of(values)
        if value is Tri.TRUE:
            return Finding(value, next(r for v, r in zip(values, reasons, strict=True) if v is Tri.TRUE))
        if not reasons:
            return Finding(Tri.FALSE, f"No judicial warrant was presented (presented: {_names(docs)}).")
        return Finding(value, " ".join(reasons), tuple(missing) if value is Tri.UNKNOWN else ())

    def reads(self, view: View) -> tuple[str, ...]:
        docs = _documents(view)
        if docs is None:
            return ("request.documents",)
        return tuple(
            f"request.documents[{i}]" for i, d in enumerate(docs) if d.type in (*WARRANT_TYPES, "I-200", "I-205")
        )

    def options(self, view: View, want: bool) -> list[tuple[Change, ...]]:
        docs = _documents(view)
        when = " with the detainer" if self.with_detainer else ""
        if want:
            warrant = dict(JUDICIAL_WARRANT, presented_with_detainer=True)
            says = f"A warrant signed by a federal magistrate judge, on probable cause, is presented{when}."
            if docs is None:
                return [(Change("request.documents", [{"type": "I-247A"}, warrant], says),)]
            plans: list[tuple[Change, ...]] = [(Change("request.documents[+]", warrant, says),)]
            for i, doc in enumerate(docs):  # a warrant that lacks only some facts: supply them
                if doc.type not in WARRANT_TYPES or doc.signer not in (*JUDICIAL_SIGNERS, None, "unknown"):
                    continue
                fixes = [
                    Change(f"request.documents[{i}].{k}", v, f"Warrant {i + 1}: {k.replace('_', ' ')} is {v}.")
                    for k, v in _WARRANT_FIXES
                    if getattr(doc, k) not in (True, *JUDICIAL_SIGNERS)
                    and (k != "presented_with_detainer" or self.with_detainer)
                ]
                if fixes:
                    plans.append(tuple(fixes))
            return plans
        if docs is None:
            return [(Change("request.documents", [{"type": "I-247A"}], "Only a detainer is presented."),)]
        kept = [_dump(d) for d in docs if d.type not in WARRANT_TYPES]
        return [(Change("request.documents", kept, "No judicial warrant is presented."),)]


def _compelled(view: View, signers: frozenset[str], requires: str, whose: str) -> Finding:
    """Whether a subpoena or court order signed by one of ``signers`` compels the response (I-6, I-42)."""
    docs = _documents(view)
    if docs is None:
        return Finding(
            Tri.UNKNOWN,
            f"The case does not say what was presented, so whether {requires} the response is not known.",
            ("request.documents",),
        )
    values = []
    missing = []
    for i, doc in enumerate(docs):
        if doc.type not in ("subpoena", "court_order"):
            continue
        if doc.signer in signers:
            return Finding(
                Tri.TRUE,
                f"A {doc.type.replace('_', ' ')} signed by {SIGNER_WORDS[doc.signer]} requires the response"
                + (" under federal law." if requires.startswith("federal") else "."),
            )
        if doc.signer is None or doc.signer == "unknown":
            values.append(Tri.UNKNOWN)
            missing.append(f"request.documents[{i}].signer")
        else:
            values.append(Tri.FALSE)
    if any_of(values) is Tri.UNKNOWN:
        return Finding(
            Tri.UNKNOWN,
            "A subpoena or court order was presented, but the case does not say who signed it, so whether "
            f"{requires} the response is not known.",
            tuple(missing),
        )
    return Finding(Tri.FALSE, f"No {whose} order or subpoena requires the response.")


@dataclass(frozen=True, slots=True)
class RequiredByLaw:
    """Judicial process compels the response: a subpoena or court order signed by a judge — § 9-131(h)(1)(iii).

    Only process signed by an Article III, magistrate or state judge is counted as making a response
    "otherwise required by law"; administrative subpoenas and immigration-judge orders are not (I-6)."""

    def check(self, view: View) -> Finding:
        return _compelled(view, frozenset({*JUDICIAL_SIGNERS, "state_judge"}), "the law requires", "judicial")

    def reads(self, view: View) -> tuple[str, ...]:
        return ("request.documents",)

    def options(self, view: View, want: bool) -> list[tuple[Change, ...]]:
        docs = _documents(view)
        if want:
            order = {"type": "court_order", "signer": "article_iii_judge"}
            says = "A federal court orders the response."
            if docs is None:
                return [(Change("request.documents", [order], says),)]
            return [(Change("request.documents[+]", order, says),)]
        kept = [_dump(d) for d in docs or () if d.type not in ("subpoena", "court_order")]
        return [(Change("request.documents", kept, "No court order or subpoena is presented."),)]


FEDERAL_JUDICIAL_SIGNERS = JUDICIAL_SIGNERS  # Article III and U.S. magistrate judges


@dataclass(frozen=True, slots=True)
class RequiredUnderFederalLaw:
    """Federal judicial process compels the cooperation: a court order or subpoena signed by an Article III
    judge or a U.S. magistrate judge — "when required under federal law", § 9-131(d) (I-42).

    Narrower than :class:`RequiredByLaw` (I-6): a state judge's order is state process, not federal law; an
    administrative subpoena signed by an immigration officer, or an immigration judge's order, does not by
    itself compel a city agency."""

    def check(self, view: View) -> Finding:
        return _compelled(view, FEDERAL_JUDICIAL_SIGNERS, "federal law requires", "federal court's")

    def reads(self, view: View) -> tuple[str, ...]:
        return ("request.documents",)

    def options(self, view: View, want: bool) -> list[tuple[Change, ...]]:
        return RequiredByLaw().options(view, want)


@dataclass(frozen=True, slots=True)
class RequesterIsFederalImmigrationAuthority:
    """The requester is one of the "federal immigration authorities" — § 9-131(a)(4), § 14-154(a)(3).

    Before 2026: ICE, or DHS staff charged with enforcing the civil provisions of the INA (ICE and CBP are;
    for USCIS and other DHS staff, ``request.immigration_enforcement_duties`` decides). From Local Law 63 of
    2026: any federal officer or agent whose duties include immigration enforcement, so for the FBI and other
    federal agencies the requester's duties decide too (I-7)."""

    def check(self, view: View) -> Finding:
        request = new_york(view.case).request
        who = request.from_
        definition = view.params["federal_immigration_authorities"]
        if who is None:
            return Finding(Tri.UNKNOWN, "The case does not say who made the request.", ("request.from",))
        if who in ("ICE", "CBP"):
            return Finding(Tri.TRUE, f"{who} enforces the immigration laws: a federal immigration authority.")
        dhs = who in ("USCIS", "OTHER_DHS")
        if definition == "dhs-civil-ina" and not dhs:
            return Finding(
                Tri.FALSE,
                f"{who} is not part of ICE or the Department of Homeland Security, so it is "
                "not a federal immigration authority as defined before 2026.",
            )
        duties = Tri.of(request.immigration_enforcement_duties)
        scope = (
            "charged with enforcing the civil provisions of the immigration and nationality act"
            if definition == "dhs-civil-ina"
            else "whose duties include immigration enforcement"
        )
        if duties is Tri.TRUE:
            return Finding(duties, f"The requester ({who}) is federal staff {scope}: a federal immigration authority.")
        if duties is Tri.FALSE:
            return Finding(
                duties,
                f"The requester ({who}) has no immigration enforcement duties: not a federal immigration authority.",
            )
        return Finding(
            duties,
            f"Whether the requester ({who}) is federal staff {scope} is not known.",
            ("request.immigration_enforcement_duties",),
        )

    def reads(self, view: View) -> tuple[str, ...]:
        return ("request.from", "request.immigration_enforcement_duties")

    def options(self, view: View, want: bool) -> list[tuple[Change, ...]]:
        if want:
            return [(Change("request.from", "ICE", "The request comes from ICE."),)]
        return [
            (
                Change(
                    "request.from",
                    "OTHER_FEDERAL",
                    "The request comes from a federal agency without immigration enforcement duties.",
                ),
                Change(
                    "request.immigration_enforcement_duties", False, "Its staff have no immigration enforcement duties."
                ),
            )
        ]
