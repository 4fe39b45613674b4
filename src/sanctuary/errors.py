"""The project's exceptions, and what each becomes at the edges: an exit status on the command line, an HTTP
status on the service.

Every exception the project raises on purpose derives from :class:`SanctuaryError`, so that an edge can tell
"the input was wrong, say so" from "the code is wrong, contain it": a bare ``KeyError`` or ``ValueError``
from a bug is not a project error and becomes a 500 (or a traceback), never a 4xx that blames the user.
The families:

- :class:`InvalidInputError` — input that cannot be used (a case, a charge, a scenario option, an argument); its
  ``field`` says where, when there is one place. Exit 2; HTTP 422 with the field.
- :class:`NotFoundError` — a thing asked for by name that does not exist (a regime, agency or action in a path,
  a decision, a key). Exit 2; HTTP 404.
- :class:`ConflictError` — a request that is right in itself but not in the state of the thing it changes (a
  docket matter's hold already running, an idempotency key reused for another request, an action the decision it
  follows does not permit and no override given). HTTP 409, with the field.
- :class:`LawDataError` — the law's own data files are malformed (an offense list, the class table, the
  regimes): a defect of the package, not of the input, found when the law is loaded.
- :class:`StoreError` — the audit store cannot be opened or used; :class:`StoreUnavailableError`, one that
  cannot answer now (a restarting server, a lock held too long): HTTP 503 with ``Retry-After``.

The two tables below are the only place these are turned into statuses; the service's table also gives each
family the kind of its RFC 9457 problem document (``type``'s last segment and ``title``). This module imports
nothing of the project, so every layer (``facts`` upward) can import it.
"""

from __future__ import annotations

from typing import NamedTuple, TypeVar

T = TypeVar("T")

EXIT_INVALID = 2  # the case-format contract: invalid input
BODY = "(body)"  # the field of a problem with a request's body as a whole
HTTP_INTERNAL = 500


class SanctuaryError(Exception):
    """The base of every exception the project raises on purpose. ``field`` names where the problem is (a
    field path such as ``person.convictions[0].level``, a query parameter, an option), when there is one."""

    field: str | None = None

    def for_command_line(self) -> str:
        """The message as the command line prints it (to standard error)."""
        return str(self)


class InvalidInputError(SanctuaryError, ValueError):
    """Input that cannot be used. A ``ValueError`` too, as the callers of the parsers have always caught."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFoundError(SanctuaryError, LookupError):
    """A thing asked for by name that does not exist. ``str()`` is the message as given (unlike a
    ``KeyError``'s, which would quote it)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class ConflictError(SanctuaryError):
    """A request that is right in itself but conflicts with the state of what it would change."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class LawDataError(SanctuaryError, ValueError):
    """The law's own data (an offense list, the offense-class table, the regime declarations) is malformed."""


class StoreError(SanctuaryError, RuntimeError):
    """The store cannot be opened or used (bad URL, missing driver, unreachable server)."""


class UnavailableError(SanctuaryError):
    """The request is right but cannot be served now; nothing was done, and the same request may be sent
    again after ``retry_after`` seconds (HTTP 503 with ``Retry-After``)."""

    retry_after = 1


class StoreUnavailableError(StoreError, UnavailableError):
    """The store is there but cannot answer now: its server restarts or is unreachable, or another writer
    holds its lock past the wait. Nothing was recorded."""

    retry_after = 2  # seconds: a restart of PostgreSQL, or a SQLite writer's lock, is usually over by then


class BusyError(UnavailableError):
    """Too many requests of a kind of work that needs no key are being served at once (``/v1/preview``)."""


#: The exit status of a command that fails with each kind of error (the nearest class in the MRO decides).
EXIT_CODES: dict[type[SanctuaryError], int] = {
    InvalidInputError: EXIT_INVALID,
    NotFoundError: EXIT_INVALID,
    StoreUnavailableError: 1,  # the database named is right but cannot answer now
    UnavailableError: 1,
    StoreError: EXIT_INVALID,  # a --database the command cannot use is a bad argument
    SanctuaryError: 1,
}


class HttpProblem(NamedTuple):
    """What the service answers for a kind of error: the HTTP status, the problem type's name (the last
    segment of its ``type`` URI, see :mod:`sanctuary.service.problems`) and its ``title``."""

    status: int
    kind: str
    title: str


#: What a request that fails with each kind of error answers (the nearest class in the MRO decides). The law's
#: data and the store are the service's own defects: a 500 with an error id, like any other.
HTTP_PROBLEMS: dict[type[SanctuaryError], HttpProblem] = {
    InvalidInputError: HttpProblem(422, "invalid-input", "The request's input is invalid"),
    NotFoundError: HttpProblem(404, "not-found", "No such resource"),
    ConflictError: HttpProblem(409, "conflict", "The request conflicts with the current state"),
    BusyError: HttpProblem(503, "busy", "Too many requests of this kind at once"),
    UnavailableError: HttpProblem(503, "unavailable", "The service cannot answer now"),
    SanctuaryError: HttpProblem(HTTP_INTERNAL, "internal-error", "Internal error"),
}

#: The HTTP status of a request that fails with each kind of error (the statuses of :data:`HTTP_PROBLEMS`).
HTTP_STATUSES: dict[type[SanctuaryError], int] = {cls: problem.status for cls, problem in HTTP_PROBLEMS.items()}


def _lookup(table: dict[type[SanctuaryError], T], error: SanctuaryError) -> T:
    for cls in type(error).__mro__:
        if cls in table:
            return table[cls]
    return table[SanctuaryError]


def exit_code(error: SanctuaryError) -> int:
    """The command line's exit status for ``error`` (:data:`EXIT_CODES`)."""
    return _lookup(EXIT_CODES, error)


def http_status(error: SanctuaryError) -> int:
    """The service's HTTP status for ``error`` (:data:`HTTP_STATUSES`)."""
    return _lookup(HTTP_STATUSES, error)


def http_problem(error: SanctuaryError) -> HttpProblem:
    """The service's answer for ``error`` (:data:`HTTP_PROBLEMS`)."""
    return _lookup(HTTP_PROBLEMS, error)
