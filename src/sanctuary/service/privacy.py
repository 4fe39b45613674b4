"""The personal-data policy of the service, declared in one place.

- The case itself (the contract's facts: dates, charges, what was presented) is stored with each decision:
  without it a decision could not be replayed or counted in the statutory reports. The contract has no
  names or identifiers.
- Who the case is about (``subject``: a person identifier such as a NYSID or book-and-case number, and a
  name) is stored only as keyed hashes (HMAC-SHA256 with the deployment's secret key), unless the deployment
  opts in to keeping identifiers (``--keep-identifiers``). A keyed hash lets the reports count distinct
  persons (§ 9-131(f)(2) counts "persons") without the trail holding who they are; without the key nobody
  can test a guessed identifier against it.
- Free text beside the case, per field (issue 13):

  - ``record.detainer_reference`` (the detainer form's number, which may be the person's A-number) is stored as a
    keyed hash like the subject, unless the deployment keeps identifiers: the reports need only whether two records
    name the same form (R-5), and ``GET /v1/decisions?detainer_reference=`` hashes the value asked for.
  - ``record.requester_agency`` is printed in clear in § 10-178(d)'s report (one cell per agency), so it is a code
    of a fixed list or ``other: <the agency's name>``, and such a name is refused (422 naming the field) when it
    holds something shaped like a person's identifier or reads as a person's name: two or three capitalised words,
    none of an agency's vocabulary (the New York pack's ``recording.looks_like_a_name``).
  - An override's ``reason``, a docket ``note``, a SCAAP figure's ``source`` and, in New York's case format, the
    charge and court of a judgment outside New York are kept in clear (they are read by people, and the charge is
    the law's input); each is refused (422 naming the field, the value never repeated) when it holds something
    shaped like a Social Security number, an A-number, a NYSID or a run of nine digits
    (``facts/identifiers.py``). A name cannot be told from other words in prose: these fields say, in the API's
    description, that the person is given as ``subject``, never in them.
- Analysts never receive a case, a subject or a decision id from the service: only reports and aggregates.
- Nothing from a request body is ever written to the logs.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel

DECLARATION = (
    "Cases are stored with each decision (no names: the case format has none). Person identifiers and names "
    "given as 'subject', and detainer form numbers, are stored as keyed hashes (HMAC-SHA256) unless this "
    "deployment keeps identifiers. Free text kept in clear (a requesting agency's name, reasons, notes, a charge "
    "outside New York) is refused when it holds a person's identifier (an SSN, A-number or NYSID shape), and an "
    "agency's name when it reads as a person's. Analysts receive only reports and aggregates. Request bodies are "
    "never logged."
)


# How a pack marks a fact of its recording vocabulary that may identify a person (New York's detainer form number,
# which may be the A-number): ``Field(..., json_schema_extra=KEYED_HASH)``. Such a fact is stored as a keyed hash, and
# the OpenAPI description says so to clients.
KEYED_HASH: dict[str, Any] = {"x-stored-as": "keyed-hash"}


def identifier_facts(model: type[BaseModel] | None) -> tuple[str, ...]:
    """The facts of a pack's record model marked :data:`KEYED_HASH`."""
    if model is None:
        return ()
    return tuple(
        name
        for name, field in model.model_fields.items()
        if isinstance(field.json_schema_extra, dict) and field.json_schema_extra.get("x-stored-as") == "keyed-hash"
    )


@dataclass(frozen=True, slots=True)
class PrivacyPolicy:
    key: bytes
    keep_identifiers: bool = False
    # The record facts stored as keyed hashes: the pack's (:func:`identifier_facts`), given by :meth:`for_record`.
    hashed_facts: tuple[str, ...] = ()

    def for_record(self, model: type[BaseModel] | None) -> PrivacyPolicy:
        """The same policy, hashing the facts the pack's record model marks as identifying."""
        return replace(self, hashed_facts=identifier_facts(model))

    def keyed(self, value: str) -> str:
        digest = hmac.new(self.key, value.strip().encode("utf-8"), hashlib.sha256).hexdigest()
        return f"hmac-sha256:{digest}"

    def subject(self, subject: dict[str, Any] | None) -> dict[str, Any]:
        """What is stored of a subject: ``person_key`` (the keyed hash of the identifier, always, so reports
        can count persons), and the identifier and name themselves only where the deployment opted in."""
        if not subject:
            return {}
        stored: dict[str, Any] = {}
        person_id, name = subject.get("person_id"), subject.get("name")
        if person_id:
            stored["person_key"] = self.keyed(person_id)
        if name:
            stored["name_key"] = self.keyed(name.casefold())
        if self.keep_identifiers:
            stored.update({k: v for k, v in (("person_id", person_id), ("name", name)) if v})
        return stored

    def record(self, facts: dict[str, Any]) -> dict[str, Any]:
        """What is stored of a request's report facts: each fact the pack marks as identifying (New York's detainer
        form number) as a keyed hash — the same value, the same hash: all the reports need — unless the deployment
        keeps identifiers. A value already hashed is kept as it is (a docket matter's facts patched again)."""
        if self.keep_identifiers:
            return facts
        stored = dict(facts)
        for name in self.hashed_facts:
            value = facts.get(name)
            if isinstance(value, str) and not value.startswith("hmac-sha256:"):
                stored[name] = self.keyed(value)
        return stored

    def describe(self) -> dict[str, Any]:
        return {"declaration": DECLARATION, "keep_identifiers": self.keep_identifiers}


def load_key(path: Path) -> bytes:
    """The deployment's secret key: from ``SANCTUARY_PII_KEY`` (hex) if set, else from ``path``, created
    with 256 random bits (readable by its owner only) the first time."""
    if text := os.environ.get("SANCTUARY_PII_KEY"):
        try:
            key = bytes.fromhex(text.strip())
        except ValueError:
            raise ValueError("SANCTUARY_PII_KEY must be hexadecimal") from None
        if len(key) < 16:
            raise ValueError("SANCTUARY_PII_KEY must hold at least 128 bits (32 hex digits)")
        return key
    if path.exists():
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(key.hex() + "\n")
    return key
