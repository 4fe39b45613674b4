"""The case workbench's form, built from the pack: its case format's JSON Schema, its question words, and the small
hint it may give (``sanctuary.facts.form``), so the page asks any jurisdiction's case with no word of New York.

Every field of the schema is described once, by path (a list's item ``person.convictions[].charge``): its control
(from its type — a closed list a select, a date a date input, a yes-or-no fact three choices, a list of items a
repeatable group — unless the hint names one), its words (the hint's label, else the pack's question where it has
one, else the field's name), the words of its values, and for a list the fields of its item. The hint's groups,
facts and memo rows say the order; without them, the frame's fields and the request's open the form, and the
person's facts are offered below it.

>>> humanize("instant_arrest_date")
'Instant arrest date'
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict
from typing import Any

from sanctuary.facts.case import CaseFormat, default_wording
from sanctuary.facts.form import FieldHint, FormHint, GroupHint
from sanctuary.law.jurisdiction import Jurisdiction

#: A partial date's pattern as the page checks it (the schema's own is a union the browser cannot read).
PARTIAL_DATE = "[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"
#: The frame's fields the page asks itself (``id`` is the caller's file number, kept as loaded, never asked).
FRAME = ("agency", "decision_date", "regime")
#: The frame's fields in words, the same in every jurisdiction (a pack's hint may still say them otherwise).
FRAME_WORDS = {
    "regime": FieldHint(label="Law applied", hint="Or a named regime or proposal, to see what it would decide."),
}
Schema = Mapping[str, Any]


def humanize(name: str) -> str:
    """A field's name in words, where the pack gives none."""
    text = name.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def case_form(jurisdiction: Jurisdiction) -> dict[str, Any]:
    """What the workbench needs to ask a case of ``jurisdiction``: every field described, the groups at the top, the
    facts offered below, the memo's rows, and the schema itself."""
    case_format = jurisdiction.case_format
    schema = case_format.json_schema()
    hint = case_format.form
    fields = {path: _describe(path, node, required, jurisdiction, hint) for path, node, required in _walk(schema)}
    groups = [_group(g) for g in hint.groups] or _default_groups(fields)
    placed = {path for group in groups for row in group["rows"] for path in row}
    facts = list(hint.facts) or [p for p in fields if "[]" not in p and p not in placed and p not in FRAME]
    memo = list(hint.memo) or [*(p for g in groups for row in g["rows"] for p in row), *facts]
    return {"fields": fields, "groups": groups, "facts": facts, "memo": memo, "schema": schema}


def _walk(schema: Schema) -> Iterator[tuple[str, Schema, bool]]:
    """Every field under the case's root, with its (resolved) schema and whether its object requires it. The request
    and the person are containers, not fields; a list's item fields follow the list."""
    defs = schema.get("$defs", {})

    def fields(node: Schema, prefix: str) -> Iterator[tuple[str, Schema, bool]]:
        required = set(node.get("required", ()))
        for name, child in node.get("properties", {}).items():
            path = f"{prefix}{name}"
            resolved = _resolve(child, defs)
            if path in ("request", "person"):
                yield from fields(resolved, f"{path}.")
                continue
            if path == "id":
                continue
            items = _resolve(resolved.get("items", {}), defs) if resolved.get("type") == "array" else {}
            yield path, ({**resolved, "items": items} if items else resolved), name in required
            if items.get("type") == "object":
                yield from fields(items, f"{path}[].")

    yield from fields(schema, "")


def _resolve(node: Schema, defs: Schema) -> Schema:
    """``node`` with its ``$ref`` followed and a ``X | None`` union read as ``X`` (absent is unknown anyway). A union
    of a date and a partial date stays a union: it is the partial-date control."""
    if "$ref" in node:
        node = {**defs[node["$ref"].rsplit("/", 1)[-1]], **{k: v for k, v in node.items() if k != "$ref"}}
    options = [o for o in node.get("anyOf", ()) if o.get("type") != "null"]
    if len(options) == 1:
        rest = {k: v for k, v in node.items() if k != "anyOf"}
        return _resolve({**rest, **options[0]}, defs)
    if options:
        return {**node, "anyOf": options}
    return node


def _control(path: str, node: Schema) -> str:
    """The control a field's type calls for."""
    if path == "regime":
        return "regime"
    if "anyOf" in node:
        dated = any(o.get("format") == "date" for o in node["anyOf"])
        return "partial_date" if dated else "text"
    kind = node.get("type")
    if kind == "boolean":
        return "tristate"
    if "enum" in node:
        return "select"
    if node.get("format") == "date":
        return "date"
    if kind == "array":
        items = node.get("items", {})
        if "enum" in items:
            return "checkboxes"
        return "list" if items.get("type") == "object" else "strings"  # strings: written one after another, by commas
    return "text"


def _choices(path: str, node: Schema, given: FieldHint, jurisdiction: Jurisdiction) -> list[dict[str, str]]:
    """The values offered, in words: the hint's, else the pack's agencies and actions, else the schema's list."""
    if given.choices:
        return [{"value": v, "words": w} for v, w in given.choices.items()]
    if path == "agency":
        return [{"value": a, "words": f"{a} — {name}"} for a, name in jurisdiction.agencies.items()]
    if path == "request.actions":
        actions = jurisdiction.actions
        return [{"value": a, "words": humanize(actions.get(a, a))} for a in node.get("items", {}).get("enum", ())]
    values = node.get("enum") or node.get("items", {}).get("enum") or ()
    return [{"value": v, "words": humanize(str(v))} for v in values]


def _describe(path: str, node: Schema, required: bool, jurisdiction: Jurisdiction, hint: FormHint) -> dict[str, Any]:
    given = hint.fields.get(path) or FRAME_WORDS.get(path) or FieldHint()
    control = given.control or _control(path, node)
    if control == "text" and (given.choices or path == "agency"):
        control = "select"  # an open string the pack offers values for (a court's code; the agencies)
    name = path.rsplit(".", 1)[-1].removesuffix("[]")
    question = _question(jurisdiction.case_format, path)
    described: dict[str, Any] = {k: v for k, v in asdict(given).items() if v not in (None, (), {})}
    described |= {
        "path": path,
        "label": given.label or question or humanize(name),
        "control": control,
        "required": required,
        "choices": _choices(path, node, given, jurisdiction),
        "rows": [list(r) for r in given.rows] or _item_rows(path, node),
        "details": {k: list(v) for k, v in given.details.items()},
    }
    if control == "partial_date":
        described["pattern"] = PARTIAL_DATE
    elif isinstance(node.get("pattern"), str):
        described["pattern"] = node["pattern"].removeprefix("^").removesuffix("$")
    if control in ("list", "checklist", "periods"):
        described |= _list_words(name, given)
    if question:
        described["question"] = question
    if "description" in node and "hint" not in described:
        described["description"] = node["description"]
    return described


def _list_words(name: str, given: FieldHint) -> dict[str, str]:
    """A list's words where the hint gives none: its item's noun, and the list known to be empty."""
    words = humanize(name).lower()
    noun = given.noun or words.removesuffix("s")
    return {"noun": noun, "none": given.none or f"No {words}.", "none_button": given.none_button or f"No {words}"}


def _question(case_format: CaseFormat, path: str) -> str | None:
    """The pack's question for a field outside a list, where it has words of its own."""
    if "[]" in path:
        return None
    words = case_format.wording(path)
    return None if words in (default_wording(path), f"What is {path}?") else words


def _item_rows(path: str, node: Schema) -> list[list[str]]:
    """A list's item fields, one per row, in the schema's order (where the hint gives no rows)."""
    items = node.get("items", {}) if node.get("type") == "array" else {}
    return [[name] for name in items.get("properties", {})] if isinstance(items, Mapping) else []


def _group(group: GroupHint) -> dict[str, Any]:
    return {"legend": group.legend, "hint": group.hint, "rows": [list(row) for row in group.rows]}


def _default_groups(fields: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Without a hint: the frame and the request's own facts (those that are not lists of items) open the form, the
    actions in a fieldset of their own."""
    request = [
        [p] for p, f in fields.items() if p.startswith("request.") and "[]" not in p and f["control"] not in ("list",)
    ]
    asked = [row for row in request if row != ["request.actions"]]
    rows = [[p] for p in FRAME if p in fields] + asked
    return [
        {"legend": "The request", "hint": None, "rows": rows},
        {"legend": "What was asked for", "hint": None, "rows": [["request.actions"]]},
    ]
