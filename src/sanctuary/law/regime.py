"""Regimes: versions of the law (and proposals), declared as data and checked when loaded.

A regime is what a decision applies: an id (``nyc-2017``), a status (``law`` or ``proposal``), the dates it
was in force (laws only), its sources, the provisions it contains with the dates each took effect, its
parameters (look-back years, which definition of "federal immigration authorities"), and the named rule
overrides it applies on top of its base. Proposals are declared as a base regime plus overrides.

Loading validates the declaration — unknown keys, missing sources, overlapping dates, an unknown base or
override — and fails loudly, because a silently wrong regime would give silently wrong answers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sanctuary.errors import LawDataError

Status = Literal["law", "proposal"]

_REGIME_KEYS = {
    "id",
    "status",
    "title",
    "summary",
    "in_force_from",
    "in_force_until",
    "introduced",
    "base",
    "overrides",
    "sources",
    "provisions",
    "params",
}


class RegimeError(LawDataError):
    """An invalid regime declaration."""


@dataclass(frozen=True, slots=True)
class Source:
    """Where a regime comes from: a local law, a bill, a rule, a decision."""

    title: str
    url: str | None = None
    date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Regime:
    """One version of the law, or a proposal, as declared in a jurisdiction's ``regimes.toml``.

    ``provisions`` maps each provision (``"9-131(b)"``, ``"10-178"``) to the date it took effect. When the
    regime is chosen by date, a provision not yet in effect on the decision date does not apply; when a
    case names the regime explicitly, the regime applies as written.
    """

    id: str
    status: Status
    title: str
    summary: str
    sources: tuple[Source, ...]
    provisions: Mapping[str, dt.date | None]
    params: Mapping[str, Any]
    overrides: tuple[str, ...] = ()
    base: str | None = None
    in_force_from: dt.date | None = None
    in_force_until: dt.date | None = None  # exclusive
    introduced: dt.date | None = None
    content_hash: str = field(default="", compare=False)
    # A proposal read from a user's reform file: its changes, as the file states them (``law/reform.py``).
    reform: Mapping[str, Any] | None = field(default=None, compare=False)

    def in_force_on(self, day: dt.date) -> bool:
        if self.status != "law" or self.in_force_from is None:
            return False
        return self.in_force_from <= day and (self.in_force_until is None or day < self.in_force_until)

    def provision_applies(self, provision: str, day: dt.date, *, by_date: bool) -> bool:
        """Whether a provision is part of this regime and, when chosen by date, already in effect."""
        if provision not in self.provisions:
            return False
        start = self.provisions[provision]
        return not by_date or start is None or day >= start

    def describe(self) -> dict[str, Any]:
        """Plain data for listings and for the content hash (a reform's changes only when there are some, so
        that the declared regimes' hashes do not move)."""
        described: dict[str, Any] = {
            "id": self.id,
            "status": self.status,
            "title": self.title,
            "summary": self.summary,
            "base": self.base,
            "overrides": list(self.overrides),
            "in_force_from": _iso(self.in_force_from),
            "in_force_until": _iso(self.in_force_until),
            "introduced": _iso(self.introduced),
            "provisions": {k: _iso(v) for k, v in sorted(self.provisions.items())},
            "params": dict(sorted(self.params.items())),
            "sources": [{"title": s.title, "url": s.url, "date": _iso(s.date)} for s in self.sources],
        }
        if self.reform is not None:
            described["reform"] = dict(self.reform)
        return described


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _date(value: Any, where: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    raise RegimeError(f"{where}: expected a date (YYYY-MM-DD), got {value!r}")


def load_regimes(path: Path, *, known_overrides: Sequence[str], known_params: Mapping[str, type]) -> dict[str, Regime]:
    """Read and validate a jurisdiction's regime declarations.

    A proposal inherits its base's provisions and parameters, then applies its own. Every override name must
    be one the jurisdiction defines, every parameter one it knows, with the right type.
    """
    declarations = _Declarations(path.name, _declared(path), known_overrides, known_params)
    for rid in declarations.declared:
        declarations.build(rid)
    _check_succession(path.name, declarations.built)
    return declarations.built


def _declared(path: Path) -> dict[str, dict[str, Any]]:
    """Each ``[[regime]]`` table of the file by its id, in the file's order: every one with an id, declared
    once, with no key the loader would ignore (a misspelt key must fail here rather than leave a regime
    silently without what it meant to say)."""
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    unknown_top = set(raw) - {"regime"}
    if unknown_top:
        raise RegimeError(f"{path.name}: unknown top-level keys {sorted(unknown_top)}")
    declared: dict[str, dict[str, Any]] = {}
    for entry in raw.get("regime", []):
        rid = entry.get("id")
        if not isinstance(rid, str) or not rid:
            raise RegimeError(f"{path.name}: a regime has no id")
        if rid in declared:
            raise RegimeError(f"{path.name}: regime {rid!r} declared twice")
        unknown = set(entry) - _REGIME_KEYS
        if unknown:
            raise RegimeError(f"{path.name}: regime {rid!r}: unknown keys {sorted(unknown)}")
        declared[rid] = entry
    return declared


@dataclass(slots=True)
class _Declarations:
    """The declarations of one file, built into regimes on demand: a proposal's base is built before the
    proposal (it inherits from it), each regime once, and a base that leads back to itself is refused."""

    file: str  # the file's name, which begins every error message
    declared: dict[str, dict[str, Any]]
    known_overrides: Sequence[str]
    known_params: Mapping[str, type]
    built: dict[str, Regime] = field(default_factory=dict)  # in the order built: a base before its proposals

    def build(self, rid: str, chain: tuple[str, ...] = ()) -> Regime:
        """The regime ``rid``, built from its declaration (and its base's) and validated; ``chain`` is the
        regimes whose bases led here, to name a cycle."""
        if rid in self.built:
            return self.built[rid]
        if rid in chain:
            raise RegimeError(f"{self.file}: regime base cycle {' -> '.join((*chain, rid))}")
        if rid not in self.declared:
            raise RegimeError(f"{self.file}: unknown base regime {rid!r}")
        entry = self.declared[rid]
        where = f"{self.file}: regime {rid!r}"
        _check_description(entry, where)
        status = entry["status"]
        sources = _sources(entry, where)
        base = self.build(entry["base"], (*chain, rid)) if entry.get("base") else None
        provisions = _provisions(entry, base, where)
        params = _params(entry, base, where, self.known_params)
        overrides = _overrides(entry, base, where, self.known_overrides)
        in_from, in_until = _in_force(entry, status, where)
        regime = Regime(
            id=rid,
            status=status,
            title=entry["title"].strip(),
            summary=entry["summary"].strip(),
            sources=sources,
            provisions=provisions,
            params=params,
            overrides=overrides,
            base=entry.get("base"),
            in_force_from=in_from,
            in_force_until=in_until,
            introduced=_date(entry.get("introduced"), where),
        )
        self.built[rid] = regime
        return regime


def _check_description(entry: Mapping[str, Any], where: str) -> None:
    """The regime says what it is: law or proposal, with a title and a summary, which the listings and the
    reports show (a reader must never take a proposal for the law)."""
    status = entry.get("status")
    if status not in ("law", "proposal"):
        raise RegimeError(f"{where}: status must be 'law' or 'proposal', got {status!r}")
    for key in ("title", "summary"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise RegimeError(f"{where}: {key} is required")


def _sources(entry: Mapping[str, Any], where: str) -> tuple[Source, ...]:
    """The regime's sources, at least one, each with a title: every regime must be traceable to the texts it
    encodes."""
    sources = entry.get("sources") or []
    if not sources:
        raise RegimeError(f"{where}: at least one source is required")
    parsed_sources = []
    for s in sources:
        if set(s) - {"title", "url", "date"} or "title" not in s:
            raise RegimeError(f"{where}: a source needs a title (and may have url, date): {s!r}")
        parsed_sources.append(Source(title=s["title"], url=s.get("url"), date=_date(s.get("date"), where)))
    return tuple(parsed_sources)


def _provisions(entry: Mapping[str, Any], base: Regime | None, where: str) -> dict[str, dt.date | None]:
    """The base's provisions with this regime's on top: a date is when one took effect, ``true`` means in
    effect throughout, ``false`` removes an inherited one (a proposal that repeals it)."""
    provisions: dict[str, dt.date | None] = dict(base.provisions) if base else {}
    for name, start in (entry.get("provisions") or {}).items():
        if start is False:
            provisions.pop(name, None)  # a proposal that repeals a provision
        else:
            provisions[name] = None if start is True else _date(start, f"{where}: provision {name}")
    return provisions


def _params(
    entry: Mapping[str, Any], base: Regime | None, where: str, known_params: Mapping[str, type]
) -> dict[str, Any]:
    """The base's parameters with this regime's on top, each one the rules know and of the type they read,
    and every one set: a rule reading a missing or mistyped parameter would decide wrongly, not fail."""
    params: dict[str, Any] = dict(base.params) if base else {}
    for name, value in (entry.get("params") or {}).items():
        if name not in known_params:
            raise RegimeError(f"{where}: unknown parameter {name!r} (known: {sorted(known_params)})")
        if not isinstance(value, known_params[name]):
            raise RegimeError(f"{where}: parameter {name!r} must be {known_params[name].__name__}")
        params[name] = value
    missing_params = set(known_params) - set(params)
    if missing_params:
        raise RegimeError(f"{where}: parameters not set: {sorted(missing_params)}")
    return params


def _overrides(
    entry: Mapping[str, Any], base: Regime | None, where: str, known_overrides: Sequence[str]
) -> tuple[str, ...]:
    """The base's rule overrides, then this regime's, each one the jurisdiction defines: a misspelt override
    would otherwise leave the base's rule in place without a word."""
    overrides = tuple(base.overrides if base else ()) + tuple(entry.get("overrides") or ())
    for name in overrides:
        if name not in known_overrides:
            raise RegimeError(f"{where}: unknown override {name!r} (known: {sorted(known_overrides)})")
    return overrides


def _in_force(entry: Mapping[str, Any], status: Status, where: str) -> tuple[dt.date | None, dt.date | None]:
    """When a law was in force (from, and until, exclusive; a law in force today has no end); a proposal was
    never in force, so it gives none (the date it was introduced instead)."""
    in_from = _date(entry.get("in_force_from"), where)
    in_until = _date(entry.get("in_force_until"), where)
    if status == "law" and in_from is None:
        raise RegimeError(f"{where}: a law needs in_force_from")
    if status == "proposal" and (in_from or in_until):
        raise RegimeError(f"{where}: a proposal was never in force; give 'introduced' instead")
    if in_from and in_until and in_until <= in_from:
        raise RegimeError(f"{where}: in_force_until is not after in_force_from")
    return in_from, in_until


def _check_succession(file: str, regimes: Mapping[str, Regime]) -> None:
    """The laws, in date order, follow one another without overlap or gap, and only the last has no end: a
    decision chosen by date must find exactly one law in force on every day."""
    laws = sorted((r for r in regimes.values() if r.status == "law"), key=lambda r: r.in_force_from or dt.date.min)
    for earlier, later in itertools.pairwise(laws):
        if earlier.in_force_until is None or later.in_force_from is None:
            raise RegimeError(f"{file}: {earlier.id} has no end although {later.id} follows it")
        if earlier.in_force_until > later.in_force_from:
            raise RegimeError(f"{file}: {earlier.id} and {later.id} overlap")
        if earlier.in_force_until < later.in_force_from:
            raise RegimeError(f"{file}: a gap between {earlier.id} and {later.id}")


def content_hash(*parts: Any) -> str:
    """A SHA-256 over a canonical JSON rendering of the law data a decision used."""
    blob = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str).encode()
    return "sha256:" + hashlib.sha256(blob).hexdigest()
