"""How a pack would like its case asked for on a page: a small hint beside its case format, plain data.

The workbench builds its form from the case format's JSON Schema (``sanctuary.web.form``): every field's control
follows from its type (a closed list is a select, a date a date input, a yes-or-no fact three choices — not known,
yes, no — a list of items a repeatable group). The schema cannot say the rest: the order and grouping a reader
expects, the words of a label, the words of each value of a closed list, which facts are worth offering before any
question asks for them. A pack says that here; the core's default, derived from the schema alone, fills in whatever
the hint leaves out, so a pack without a hint still gets a working form.

Fields are named by path, a list's item written ``person.convictions[].charge``. Nothing here is law.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

#: The controls a field may ask for explicitly; others follow from its schema.
#: ``checklist``: a list of items told apart by one closed field (``type``), one box per value, with further
#: fields asked of a ticked value (``details``); ``periods``: a list of from–to periods, as none, not known or one.
Control = Literal[
    "select", "checkboxes", "checklist", "date", "partial_date", "text", "strings", "tristate", "list", "periods"
]


@dataclass(frozen=True)
class FieldHint:
    """One field as a page shows it. Every part is optional: what is not given comes from the schema."""

    label: str | None = None  # the field's name in words (the legend of its question when no question asks)
    hint: str | None = None  # a line of help under the input
    control: Control | None = None
    choices: Mapping[str, str] = field(default_factory=dict)  # value → words, in the order offered
    memo: str | None = None  # its name in the printed memo, where shorter than the label
    say: str | None = None  # how a value reads inside an item's description: "judgment {}", "signed by {words}"
    say_yes: str | None = None  # a yes-or-no fact inside a description: "on probable cause"
    say_no: str | None = None
    noun: str | None = None  # a list's item: "judgment" (Judgment 1, Add a judgment)
    none: str | None = None  # a list known to be empty, in words ("No judgments of conviction.")
    none_button: str | None = None  # the button that says so ("No judgments"); a checklist's box ("Nothing was …")
    rows: tuple[tuple[str, ...], ...] = ()  # a list's item fields shown, row by row (names, not paths)
    details: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # checklist: value → its item's fields
    other: str | None = None  # a select that also takes a code not listed: the option's words ("Another agency…")
    other_label: str | None = None  # … and the code's input: its label and hint
    other_hint: str | None = None


@dataclass(frozen=True)
class GroupHint:
    """A fieldset of the form at the top: its legend, a line of help, and its fields row by row (paths)."""

    legend: str
    rows: tuple[tuple[str, ...], ...]
    hint: str | None = None


@dataclass(frozen=True)
class FormHint:
    """A pack's hint for its case form: the groups at the top (the request), the facts offered by "Add a fact"
    below it in order, the printed memo's rows always shown (the others only when given), and its fields."""

    groups: tuple[GroupHint, ...] = ()
    facts: tuple[str, ...] = ()
    memo: tuple[str, ...] = ()
    fields: Mapping[str, FieldHint] = field(default_factory=dict)
