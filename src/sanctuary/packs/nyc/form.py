"""How the workbench asks New York's case (``sanctuary.facts.form``): the request first — the agency, the date,
who asked, what was presented, what was asked for — then the person's facts, in the words a New York lawyer uses.
The controls themselves follow from the case format's schema; this gives the order, the labels and the words of
each value. Nothing here is law."""

from __future__ import annotations

from sanctuary.facts.form import FieldHint, FormHint, GroupHint
from sanctuary.packs.nyc.courts import STATES

COURTS = {"NY": "New York (NY)", "federal": "Federal court", **{code: f"A court of {code}" for code in STATES}}
LEVELS = {"felony": "Felony", "misdemeanor": "Misdemeanor", "violation": "Violation"}
SIGNERS = {
    "article_iii_judge": "An Article III (federal) judge",
    "us_magistrate_judge": "A federal magistrate judge",
    "immigration_judge": "An immigration judge",
    "state_judge": "A state judge",
    "immigration_officer": "An immigration officer",
    "unknown": "Signer cannot be identified",
}
_CHARGE = FieldHint(label="Charge (law and section)", hint="e.g. PL 160.15 or PL 265.02(3)")
_LEVEL = FieldHint(label="Felony, misdemeanor or violation", choices=LEVELS)

FIELDS = {
    "agency": FieldHint(
        label="Agency asked",
        memo="Agency",
        say="{}",  # the memo names the agency by its code
        none="Choose an agency…",
        choices={
            "DOC": "DOC — Department of Correction",
            "NYPD": "NYPD — Police Department",
            "DOP": "DOP — Department of Probation",
        },
        other="Another city agency…",
        other_label="Agency code",
        other_hint="For example HRA. Only city-wide law (§ 10-178) applies.",
    ),
    "decision_date": FieldHint(hint="Normally the release date. It selects the law in force."),
    "regime": FieldHint(label="Law applied", hint="Or a named regime or proposal, to see what it would decide."),
    "request.from": FieldHint(
        label="Who asked",
        memo="Requested by",
        say="{}",
        choices={
            "ICE": "ICE — Immigration and Customs Enforcement",
            "CBP": "CBP — Customs and Border Protection",
            "USCIS": "USCIS — Citizenship and Immigration Services",
            "OTHER_DHS": "Another part of DHS",
            "FBI": "FBI",
            "OTHER_FEDERAL": "Another federal agency",
        },
    ),
    "request.documents": FieldHint(
        label="What was presented",
        memo="Presented",
        control="checklist",
        none_button="Nothing was presented",
        choices={
            "I-247A": "I-247A — immigration detainer",
            "I-247D": "I-247D — detainer (priority enforcement)",
            "I-247N": "I-247N — request for notification of release",
            "I-247X": "I-247X — request for transfer",
            "I-200": "I-200 — administrative arrest warrant",
            "I-205": "I-205 — administrative removal warrant",
            "warrant": "A warrant or order signed by a judge or officer",
        },
        details={"warrant": ("signer", "probable_cause", "authorizes_immigration_custody", "presented_with_detainer")},
    ),
    "request.documents[].signer": FieldHint(
        label="Signed by", none="Not given", choices=SIGNERS, say="signed by {words}"
    ),
    "request.documents[].probable_cause": FieldHint(
        label="Based on probable cause?", say_yes="on probable cause", say_no="not on probable cause"
    ),
    "request.documents[].authorizes_immigration_custody": FieldHint(
        label="Authorizes immigration custody of the person?",
        say_yes="authorizing immigration custody",
        say_no="not authorizing immigration custody",
    ),
    "request.documents[].presented_with_detainer": FieldHint(
        label="Presented together with the detainer?",
        say_yes="presented with the detainer",
        say_no="not presented with the detainer",
    ),
    "request.actions": FieldHint(
        label="What was asked for",
        memo="Asked for",
        choices={
            "hold": "Hold the person past release",
            "transfer": "Transfer the person to federal custody",
            "notify_release": "Notify of the release",
            "info:release_date": "Tell the release date",
            "info:court_date": "Tell the court date",
            "info:custody_status": "Tell the custody status",
            "info:citizenship_status": "Tell the citizenship or immigration status",
            "info:other": "Give other information",
            "office_on_premises": "Keep an office on city premises",
        },
    ),
    "request.immigration_enforcement_duties": FieldHint(label="Requester's duties include immigration enforcement"),
    "request.purpose": FieldHint(
        label="Purpose of the request",
        memo="Purpose",
        choices={
            "civil_immigration_enforcement": "Civil immigration enforcement",
            "unrelated_to_immigration_enforcement": "Unrelated to immigration enforcement",
        },
    ),
    "request.mayoral_executive_order": FieldHint(label="A mayoral executive order authorizes the office"),
    "person.instant_arrest_date": FieldHint(label="Arrest date on the current case", memo="Arrest date (current case)"),
    "person.convictions": FieldHint(
        label="Judgments of conviction",
        noun="judgment",
        none="No judgments of conviction.",
        none_button="No judgments",
        rows=(("charge", "level"), ("judgment_date", "court"), ("incarceration",)),
    ),
    "person.convictions[].charge": FieldHint(label=_CHARGE.label, hint=_CHARGE.hint),
    "person.convictions[].level": _LEVEL,
    "person.convictions[].judgment_date": FieldHint(
        label="Date of the judgment",
        hint="YYYY-MM-DD, or only YYYY or YYYY-MM if that is all that is known",
        say="judgment {}",
    ),
    "person.convictions[].court": FieldHint(label="Court of the judgment", choices=COURTS, say="court {}"),
    "person.convictions[].incarceration": FieldHint(
        label="Custody on this case (before and after judgment)",
        control="periods",
        say="custody {}",
        none="no custody",
    ),
    "person.convictions[].offense_date": FieldHint(label="Date of the offense"),
    "person.convictions[].ny_equivalent": FieldHint(label="New York equivalent of the charge"),
    "person.convictions[].class": FieldHint(label="Class of the offense"),
    "person.pending_charges": FieldHint(
        label="Pending charges",
        noun="pending charge",
        none="No pending charges.",
        none_button="No pending charges",
        rows=(("charge", "level"), ("arrest_date",)),
    ),
    "person.pending_charges[].charge": FieldHint(label=_CHARGE.label, hint=_CHARGE.hint),
    "person.pending_charges[].level": _LEVEL,
    "person.pending_charges[].arrest_date": FieldHint(label="Arrest date on this charge", say="arrested {}"),
    "person.pending_charges[].case_id": FieldHint(label="Docket or indictment number"),
    "person.pending_charges[].class": FieldHint(label="Class of the offense"),
    "person.tsdb_possible_match": FieldHint(
        label="Possible match in the terrorist screening database", memo="Terrorist screening database match"
    ),
    "person.reentered_after_removal": FieldHint(
        label="Illegal re-entry after a previous removal or return", memo="Re-entry after removal"
    ),
    "person.gang_database": FieldHint(label="Listed in a law-enforcement gang database", memo="Gang database"),
}

FORM = FormHint(
    groups=(
        GroupHint("The request", (("agency",), ("decision_date", "request.from"), ("regime",))),
        GroupHint(
            "What was presented",
            (("request.documents",),),
            hint="Tick everything the requester presented. Leave all unticked if not known.",
        ),
        GroupHint("What was asked for", (("request.actions",),)),
    ),
    facts=(
        "person.instant_arrest_date",
        "person.convictions",
        "person.pending_charges",
        "person.tsdb_possible_match",
        "person.reentered_after_removal",
        "person.gang_database",
        "request.immigration_enforcement_duties",
        "request.purpose",
        "request.mayoral_executive_order",
    ),
    memo=(
        "agency",
        "decision_date",
        "regime",
        "request.from",
        "request.documents",
        "request.actions",
        "person.instant_arrest_date",
        "person.convictions",
        "person.pending_charges",
        "person.tsdb_possible_match",
        "person.reentered_after_removal",
        "person.gang_database",
    ),
    fields=FIELDS,
)
