"""Documents to file, from an explanation: a memo (HTML, printable to PDF) and a letter to the agency (Word).

Both state the facts relied on, the outcome of each action, the clauses it rests on with the statute's words,
and what would change it — read from the explanation structure (``sanctuary.engine.explain``), so they say
exactly what ``explain`` says. They state the law and its consequences; they give no opinion. The letter is
made with python-docx; the memo is self-contained HTML (no scripts, no outside requests).
"""

from __future__ import annotations

import html
import io
from collections.abc import Iterator, Mapping
from typing import Any

from sanctuary.render import changes_in_words

NOT_ADVICE = "This document states the law and its consequences for the facts given; it is not legal advice."
YES_NO = {True: "yes", False: "no"}


def _document(doc: dict[str, Any]) -> str:
    parts = [doc["type"]]
    if doc.get("signer"):
        parts.append(f"signed by {doc['signer'].replace('_', ' ')}")
    for key, yes, no in (
        ("probable_cause", "on probable cause", "not on probable cause"),
        ("authorizes_immigration_custody", "authorizing immigration custody", "not authorizing immigration custody"),
        ("presented_with_detainer", "presented with the detainer", "not presented with the detainer"),
    ):
        if key in doc:
            parts.append(yes if doc[key] else no)
    return ", ".join(parts)


def _judgment(item: dict[str, Any]) -> str:
    parts = [item.get("charge") or "charge not stated", item.get("level") or ""]
    if item.get("judgment_date"):
        parts.append(f"judgment {item['judgment_date']}")
    if item.get("offense_date"):
        parts.append(f"offense {item['offense_date']}")
    if item.get("court"):
        parts.append(f"court {item['court']}")
    custody = item.get("incarceration")
    if custody is None:
        parts.append("custody not known")
    else:
        parts.append("custody " + ", ".join(f"{p['from']} to {p['to']}" for p in custody) if custody else "no custody")
    return ", ".join(p for p in parts if p)


def _listed(items: list[dict[str, Any]] | None, say: Any) -> str:
    if items is None:
        return "not known"
    return "; ".join(say(i) for i in items) if items else "none"


def facts_relied_on(case: dict[str, Any], explanation: dict[str, Any]) -> list[tuple[str, str]]:
    """The facts of the case in words, every one the case gives; an absent fact is said to be not known."""
    request, person = case.get("request", {}), case.get("person", {})
    regime = explanation["regime"]
    rows = [
        ("Agency", case.get("agency", "")),
        ("Decision date", case.get("decision_date", "")),
        ("Law applied", f"{regime['id']} ({regime['status']}): {regime['title']}"),
        ("Requested by", request.get("from", "not known")),
        ("Presented", _listed(request.get("documents"), _document)),
        ("Asked for", ", ".join(request.get("actions", []))),
        ("Arrest date on the current case", person.get("instant_arrest_date", "not known")),
        ("Judgments of conviction", _listed(person.get("convictions"), _judgment)),
        ("Pending charges", _listed(person.get("pending_charges"), _judgment_or_charge)),
    ]
    for key, words in (
        ("tsdb_possible_match", "Possible match in the terrorist screening database"),
        ("reentered_after_removal", "Illegal re-entry after a previous removal"),
        ("gang_database", "Listed in a law-enforcement gang database"),
    ):
        rows.append((words, YES_NO.get(person.get(key), "not known")))
    for key, value in request.items():
        if key not in ("from", "documents", "actions"):
            rows.append((key.replace("_", " ").capitalize(), str(YES_NO.get(value, value)).replace("_", " ")))
    return rows


def _judgment_or_charge(item: dict[str, Any]) -> str:
    parts = [item.get("charge") or "charge not stated", item.get("level") or ""]
    if item.get("arrest_date"):
        parts.append(f"arrested {item['arrest_date']}")
    return ", ".join(p for p in parts if p)


def _words_by_cite(node: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for clause in node.get("clauses", []):
        if clause.get("words"):
            yield clause["cite"], clause["words"]
    for child in node.get("children", []):
        yield from _words_by_cite(child)


def outcome_points(outcome: dict[str, Any]) -> dict[str, Any]:
    """What a document says of one outcome: the findings it rests on, the clauses with their words, the missing
    facts, what would change it, the warnings."""
    words = dict(_words_by_cite(outcome["tree"]))
    cites = list(dict.fromkeys(c for entry in outcome.get("rests_on", []) for c in entry["cites"]))
    return {
        "findings": [
            (f"{entry['item']}: " if entry.get("item") else "") + entry["reason"]
            for entry in outcome.get("rests_on", [])
        ],
        "clauses": [(cite, words.get(cite)) for cite in cites or outcome["citations"][:1]],
        "missing": outcome["missing"],
        "changes": changes_in_words(outcome, per_result=3),
        "warnings": outcome["warnings"],
    }


_CSS = """
body{font:15px/1.5 Georgia,serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#111}
h1{font-size:1.35rem}h2{font-size:1.1rem;border-top:1px solid #999;padding-top:.6rem}
dt{font-weight:700}dd{margin:0 0 .35rem 1rem}blockquote{margin:.2rem 0 .5rem 1rem;font-size:.92rem;color:#333}
.result{text-transform:uppercase;font-weight:700}.small{font-size:.85rem;color:#444}
"""


def memo_html(case: dict[str, Any], explanation: dict[str, Any], agency_names: Mapping[str, str]) -> str:
    """The memo: the facts relied on, then each outcome with its clauses, words and what would change it."""
    e = html.escape
    agency = case.get("agency", "")
    body = [
        f"<h1>Memo: {e(agency_names.get(agency, agency))} — request of {e(str(case.get('decision_date', '')))}</h1>",
        "<h2>The facts relied on</h2><dl>",
        *(f"<dt>{e(k)}</dt><dd>{e(str(v))}</dd>" for k, v in facts_relied_on(case, explanation)),
        "</dl>",
    ]
    for outcome in explanation["outcomes"]:
        points = outcome_points(outcome)
        body.append(f"<h2>{e(outcome['action'])}: <span class='result'>{e(outcome['result'])}</span></h2>")
        body += [f"<p>{e(finding)}</p>" for finding in points["findings"]]
        for cite, words in points["clauses"]:
            body.append(
                f"<p><strong>{e(cite)}</strong></p>" + (f"<blockquote>{e(words)}</blockquote>" if words else "")
            )
        if points["missing"]:
            body.append(f"<p>Facts that would decide it: {e(', '.join(points['missing']))}.</p>")
        if points["changes"]:
            body.append("<p><strong>Would change if:</strong></p><ul>")
            body += [f"<li>{e(result)} if: {e(says)}</li>" for result, says in points["changes"]]
            body.append("</ul>")
        body += [f"<p><em>Warning:</em> {e(w)}</p>" for w in points["warnings"]]
    body += [f"<p><strong>Note:</strong> {e(n['says'])}</p>" for n in explanation.get("notes", [])]
    provenance = explanation["provenance"]
    body.append(f"<p class='small'>{e(provenance['engine'])}; law {e(provenance['law_hash'])}. {e(NOT_ADVICE)}</p>")
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Memo</title>'
        f"<style>{_CSS}</style></head><body>{''.join(body)}</body></html>\n"
    )


def letter_docx(case: dict[str, Any], explanation: dict[str, Any], agency_names: Mapping[str, str]) -> bytes:
    """A letter a lawyer can send to the agency (Word .docx): the request, the facts relied on, and for each
    action the outcome, the clauses with their words and what would change it. The sender signs it."""
    from docx import Document  # a second or so to import: only when a letter is asked for

    document = Document()
    agency = case.get("agency", "")
    document.add_paragraph(f"To: {agency_names.get(agency, agency)}")
    actions = ", ".join(case.get("request", {}).get("actions", []))
    document.add_paragraph(f"Re: request of {case.get('decision_date', '')} concerning {actions}")
    document.add_paragraph(
        "We write about the request described below. On the facts stated, the law applied "
        f"({explanation['regime']['id']}, {explanation['regime']['status']}) provides as follows."
    )
    document.add_heading("The facts relied on", level=2)
    for label, value in facts_relied_on(case, explanation):
        document.add_paragraph(f"{label}: {value}", style="List Bullet")
    for outcome in explanation["outcomes"]:
        points = outcome_points(outcome)
        document.add_heading(f"{outcome['action']}: {outcome['result']}", level=2)
        for finding in points["findings"]:
            document.add_paragraph(finding)
        for cite, words in points["clauses"]:
            document.add_paragraph(f"{cite}" + (f": “{words}”" if words else ""))
        if points["missing"]:
            document.add_paragraph("Facts that would decide it: " + ", ".join(points["missing"]) + ".")
        for result, says in points["changes"]:
            document.add_paragraph(f"It would be {result} if: {says}", style="List Bullet")
        for warning in points["warnings"]:
            document.add_paragraph(f"Warning: {warning}")
    for note in explanation.get("notes", []):
        document.add_paragraph(f"Note: {note['says']}")
    document.add_paragraph(NOT_ADVICE)
    document.add_paragraph("Sincerely,\n\n\n______________________")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
