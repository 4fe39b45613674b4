"""The request bodies the service takes, built per jurisdiction: the core's generic bodies (``models.py``,
``docket_models.py``: the case, the subject, an action's day and override, a note, the schedule) completed with what
the pack's law says a body holds (:class:`~sanctuary.service.reporting.StatutoryReports`): the facts its reports
count (``record``), the fields of an action its agencies record (``type`` and what says more), and the inputs its
reports take. Built with :func:`pydantic.create_model`, so that the pack's own validation, field paths (422
``record.<its field>``) and JSON Schema (the exact values allowed, in the OpenAPI description) are the
service's, and the core names no jurisdiction's actions or agencies.

A pack without :class:`~sanctuary.service.reporting.Reporting` gets the generic bodies: a ``record`` is refused by
name (422 ``record``), and so is an action's ``type`` (its law declares no action an agency records)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import Field, create_model

from sanctuary.law.jurisdiction import Jurisdiction
from sanctuary.service.docket_models import MatterAction, MatterChange, MatterRequest
from sanctuary.service.models import ActionRequest, BatchRequest, DecisionRequest, ExplainRequest
from sanctuary.service.reporting import Reporting

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True, slots=True)
class Bodies:
    """One jurisdiction's request bodies (each a subclass of the core's, named as the core's)."""

    decision: type[DecisionRequest]
    batch: type[BatchRequest]
    explain: type[ExplainRequest]
    action: type[ActionRequest]
    matter: type[MatterRequest]
    matter_change: type[MatterChange]
    matter_action: type[MatterAction]
    report_input: Any  # a model, or a discriminated union of models; ``None``: the pack's reports take no input


GENERIC = Bodies(DecisionRequest, BatchRequest, ExplainRequest, ActionRequest, MatterRequest, MatterChange,
                 MatterAction, None)  # fmt: skip


_BUILT: dict[int, tuple[Jurisdiction, Bodies]] = {}  # by the pack object's id (a pack need not be hashable)


def bodies(jurisdiction: Jurisdiction) -> Bodies:
    """The bodies of ``jurisdiction``'s service (built once per pack)."""
    found = _BUILT.get(id(jurisdiction))
    if found is None or found[0] is not jurisdiction:
        found = _BUILT[id(jurisdiction)] = (jurisdiction, _build(jurisdiction))
    return found[1]


def _build(jurisdiction: Jurisdiction) -> Bodies:
    if not isinstance(jurisdiction, Reporting):
        return GENERIC
    reports = jurisdiction.reports()
    record = (reports.record_facts | None, None)
    fields = reports.action_fields
    decision = _model("DecisionRequest", DecisionRequest, record=record)
    return Bodies(
        decision=decision,
        batch=_model("BatchRequest", BatchRequest, items=(list[decision], Field(min_length=1, max_length=1000))),  # type: ignore[valid-type]
        explain=_model("ExplainRequest", ExplainRequest, record=record),
        action=_model("ActionRequest", (ActionRequest, fields)),  # ``type`` first, as the pack's fields read it
        matter=_model("MatterRequest", MatterRequest, record=record),
        matter_change=_model("MatterChange", MatterChange, record=record),
        matter_action=_model("MatterAction", (MatterAction, fields)),
        report_input=reports.report_inputs,
    )


def _model(name: str, base: Any, **fields: Any) -> Any:
    """A body named ``name``: ``base`` (a core body, or a pack's fields with it) with ``fields`` added, its docstring
    the core body's."""
    core = base[0] if isinstance(base, tuple) else base
    return create_model(name, __base__=base, __doc__=core.__doc__, __module__=__name__, **fields)


def takes(model: Any) -> Callable[[F], F]:
    """Give a route's ``body`` parameter ``model`` (a type built per app, which the framework cannot find by the
    name the route module writes: it reads annotations against the module's globals)."""

    def typed(endpoint: F) -> F:
        endpoint.__annotations__["body"] = model
        return endpoint

    return typed
