"""What each action a New York agency records carries out: the engine's action whose outcome it needs.

An agency records what it did (``held_beyond_release``, ``information_answered``, …); the engine decides what the
law lets it do (``hold``, ``info:release_date``, …). Which recorded action carries out which decided action is New
York's law, read here once for both places that check an action against a decision — the service's actions on a
recorded decision (``POST /v1/decisions/{id}/actions``, I-51) and the docket's actions on a matter (I-101):

- a hold beyond release carries out ``hold``;
- a transfer to federal custody carries out ``transfer``, or, where the request asked only for the hold, ``hold``
  (the transfer that ends a hold);
- a notification of release carries out ``notify_release``;
- an answered information request carries out the ``info:`` outcome of each kind of information given.

Declining — releasing without honoring, refusing information or access, a detainer withdrawn, a hold ended — is
never checked: no city law requires an agency to cooperate. An access granted is not checked either: the detainer
laws decide no access to a person, and the premises clause (``office_on_premises``) is about an office, not a
visit (I-101). The clause an action is refused under is the one the decision's outcome cites.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

# The decided action a recorded action carries out.
CARRIES_OUT = {
    "held_beyond_release": "hold",
    "transferred_to_federal_custody": "transfer",
    "notified_of_release": "notify_release",
}
# The decided action an answered information request carries out, by the kind of information given.
INFORMATION = {
    "release_date": "info:release_date",
    "court_appearance_date": "info:court_date",
    "incarceration_status": "info:custody_status",
    "appointment_date_or_time": "info:other",
    "other": "info:other",
}


def carried_out(action_type: str, information_given: Iterable[str] | None, decided: Collection[str]) -> tuple[str, ...]:
    """The decided actions (the engine's) whose outcomes an action of ``action_type`` carries out, given the actions
    the decision ``decided``: each must be ``permitted`` for the action to follow the decision. Empty: the action
    declines or is not checked.

    >>> carried_out("held_beyond_release", None, ("hold", "transfer"))
    ('hold',)
    >>> carried_out("transferred_to_federal_custody", None, ("hold",))
    ('hold',)
    >>> carried_out("information_answered", ["release_date", "other", "appointment_date_or_time"], ())
    ('info:other', 'info:release_date')
    >>> carried_out("released_without_honoring", None, ("hold",))
    ()
    """
    if action_type == "information_answered":
        return tuple(sorted({INFORMATION[kind] for kind in information_given or () if kind in INFORMATION}))
    needed = CARRIES_OUT.get(action_type)
    if needed == "transfer" and "transfer" not in decided:
        return ("hold",)  # a transfer at the end of a hold, where the request asked only for the hold
    return (needed,) if needed is not None else ()
