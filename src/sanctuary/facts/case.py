"""The case, as every jurisdiction shares it: one request from an authority to one agency about one person.

A case is always the same frame — the agency asked, the day of the decision, the regime asked for (if any), the
request with the actions it asks for, and the person — and a jurisdiction pack fills the request and the person
with the facts its law reads (New York's documents, judgments and pending charges: ``packs/nyc/case.py``). The pack
hands the core a :class:`CaseFormat`: its model (a subclass of :class:`Case`), the checks its schema cannot
express, and the words of its questions. Everything here reads only the frame, so the engine, the explanation, the
population machinery, the service and the pages work on any pack's cases.

Three rules shape every case format:

- **Absent is unknown.** A fact the case does not give is ``None``, and ``None`` never means "false" or "none".
- **Strict.** Unknown keys, unknown values, wrong types and impossible dates are errors naming the field path; a
  typo must never silently become an unknown fact.
- **No law.** Nothing in a case format says what the law makes of a fact: that is the pack's rules.
"""

from __future__ import annotations

import datetime as dt
import json
import types
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sanctuary.errors import InvalidInputError
from sanctuary.facts.form import FormHint
from sanctuary.facts.paths import tokens

#: An agency's code, as cases and reports name it (the pack says which it tells apart).
Agency = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_-]{1,15}$")]


class FactModel(BaseModel):
    """The base of every part of a case: strict (no coercion), closed (no unknown keys), frozen."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=False)


class Request(FactModel):
    """What was asked: the actions, in the pack's vocabulary (a pack narrows ``actions`` to its own)."""

    actions: Sequence[str] = Field(min_length=1)


class Case(FactModel):
    """The frame of every case. A pack's case model subclasses it, narrowing ``request`` and ``person``."""

    id: str | None = Field(
        default=None,
        min_length=1,
        max_length=128,
        pattern=r"^[^\x00-\x1f\x7f]+$",
        description=(
            "Extension (optional): the caller's own name for the case (a file number, a row id), echoed in the "
            "output of a batch so each decision can be matched to its case. Read by no rule."
        ),
    )
    agency: Agency
    decision_date: dt.date
    regime: str | None = None
    request: Request
    person: FactModel = Field(default_factory=FactModel)


# --- problems --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input: where (a field path such as ``person.convictions[0].level``) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or '(case)'}: {self.message}"


class CaseError(InvalidInputError):
    """An invalid case. ``problems`` lists every problem found, each with its field path (``field`` is the
    first's)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems), problems[0].path if problems else None)


def format_path(loc: tuple[int | str, ...]) -> str:
    """A location as errors name it.

    >>> format_path(("person", "convictions", 0, "level"))
    'person.convictions[0].level'
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _pydantic_problems(error: ValidationError) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(p for p in item["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = "unknown field (not part of the case format)"
        elif item["type"] == "missing":
            message = "required field is missing"
        elif "input" in item and item["type"] not in ("json_invalid",):
            message = f"{message} (got {json.dumps(item['input'], default=str)[:80]})"
        problems.append(Problem(format_path(loc), message))
    return problems


#: The dates a case may carry. The law's arithmetic (years back, custody in days) stays well inside Python's dates
#: for any of them; a date outside is refused as impossible, naming the field.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2199, 12, 31)


def _dates(value: Any, path: str) -> Iterator[tuple[str, dt.date]]:
    """Every date in a case (or part of one), with its field path as errors name it."""
    if isinstance(value, dt.date):
        yield path, value
    elif isinstance(value, BaseModel):
        for name, info in type(value).model_fields.items():
            key = info.alias or name
            yield from _dates(getattr(value, name), f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _dates(item, f"{path}[{i}]")


def out_of_range(case: Case) -> list[Problem]:
    """The dates of a case outside :data:`EARLIEST_DATE`..:data:`LATEST_DATE`: checked before anything else, so
    that no other check does arithmetic on them."""
    return [
        Problem(path, f"{day} is outside the dates a case may carry ({EARLIEST_DATE} to {LATEST_DATE})")
        for path, day in _dates(case, "")
        if not EARLIEST_DATE <= day <= LATEST_DATE
    ]


def repeated_actions(case: Case) -> list[Problem]:
    """An action asked twice in one request: a mistake in any jurisdiction."""
    if len(set(case.request.actions)) != len(case.request.actions):
        return [Problem("request.actions", "an action is listed more than once")]
    return []


def no_checks(case: Case) -> list[Problem]:
    """The checks of a format whose schema says everything."""
    return []


# --- questions (defaults a pack may replace) ---------------------------------------------------------------


def field_type(model: type[BaseModel], path: str) -> Any:
    """The declared type of the field at ``path`` (list indexes skipped), or ``None`` for a path the model has not.

    >>> field_type(Case, "request.actions")
    collections.abc.Sequence[str]
    """
    current: Any = model
    for token in tokens(path):
        if isinstance(token, int) or token == "+":
            current = _item_type(current)
            continue
        current = _unwrap(current)
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = next((f for n, f in current.model_fields.items() if token in (n, f.alias)), None)
        if info is None:
            return None
        current = info.annotation
    return current


def _unwrap(annotation: Any) -> Any:
    """``X | None`` as ``X``."""
    if get_origin(annotation) in (typing.Union, types.UnionType):
        rest = [a for a in get_args(annotation) if a is not type(None)]
        return rest[0] if len(rest) == 1 else annotation
    return annotation


def _item_type(annotation: Any) -> Any:
    args = get_args(_unwrap(annotation))
    return args[0] if args else None


def default_candidates(path: str, case: Case) -> list[Any]:
    """Values a missing fact could take, read off its declared type: yes and no; each value of a closed list;
    no items for a list. A pack replaces this where it knows better (an early and a late date, say)."""
    annotation = _unwrap(field_type(type(case), path))
    if annotation is bool:
        return [True, False]
    if get_origin(annotation) is Literal:
        return list(get_args(annotation))
    if get_origin(annotation) is list:
        return [[]]
    return []


def default_wording(path: str) -> str:
    """The question for a fact the pack has no words for."""
    return f"What is {path}?"


# --- a pack's case format ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseFormat:
    """A jurisdiction's case: its model, the checks its schema cannot express (a charge that cannot be read, a
    judgment after the decision), the words and candidate answers of its questions, and the names of its facts in
    words (``names``, by path; a list's item path written ``person.convictions[].charge``); ``form``, how the pages
    ask for it where the schema alone is not enough (order, groups, labels; ``facts/form.py``)."""

    model: type[Case]
    description: str
    checks: Callable[[Case], list[Problem]] = no_checks
    wording: Callable[[str], str] = default_wording
    candidates: Callable[[str, Case], list[Any]] = default_candidates
    names: Mapping[str, str] = field(default_factory=dict)  # facts in words, for reports ("the arrest date")
    caps: Mapping[str, int] = field(default_factory=dict)  # a service's cap on a list's length, where not 100
    form: FormHint = field(default_factory=FormHint)  # the workbench's form, where the schema alone is not enough

    def parse(self, data: str | bytes | dict[str, Any]) -> Case:
        """Validate one case (JSON text or an already-decoded object). Raises :class:`CaseError`."""
        try:
            text = json.dumps(data) if isinstance(data, dict) else data
            case = self.model.model_validate_json(text)
        except ValidationError as exc:
            raise CaseError(_pydantic_problems(exc)) from None
        problems = out_of_range(case) or [*repeated_actions(case), *self.checks(case)]
        if problems:
            raise CaseError(problems)
        return case

    def parse_at(self, data: dict[str, Any], prefix: str, check: Callable[[Case], list[Problem]] | None = None) -> Case:
        """:meth:`parse` for a case inside a larger document (a request body): each problem's path starts at the
        document's root (``case.person.instant_arrest_date``, ``items[3].case.agency``). ``check`` adds the problems
        only the law can see (the engine's ``validate``: an unknown regime, a class the criminal law contradicts),
        placed the same way."""
        try:
            case = self.parse(data)
            problems = check(case) if check is not None else []
        except CaseError as exc:
            problems = exc.problems
        if problems:
            raise CaseError([Problem(f"{prefix}.{p.path}" if p.path else prefix, p.message) for p in problems])
        return case

    def json_schema(self) -> dict[str, Any]:
        """The JSON Schema of the format, generated from the model."""
        schema = self.model.model_json_schema(by_alias=True, mode="validation")
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["description"] = self.description
        return schema
