"""The personal-data policy of the service, declared in one place.

- The case itself (the contract's facts: dates, charges, what was presented) is stored with each decision:
  without it a decision could not be replayed or counted in the statutory reports. The contract has no
  names or identifiers.
- Who the case is about (``subject``: a person identifier such as a NYSID or book-and-case number, and a
  name) is stored only as keyed hashes (HMAC-SHA256 with the deployment's secret key), unless the deployment
  opts in to keeping identifiers (``--keep-identifiers``). A keyed hash lets the reports count distinct
  persons (§ 9-131(f)(2) counts "persons") without the trail holding who they are; without the key nobody
  can test a guessed identifier against it.
- Analysts never receive a case, a subject or a decision id from the service: only reports and aggregates.
- Nothing from a request body is ever written to the logs.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DECLARATION = (
    "Cases are stored with each decision (no names: the case format has none). Person identifiers and names "
    "given as 'subject' are stored as keyed hashes (HMAC-SHA256) unless this deployment keeps identifiers. "
    "Analysts receive only reports and aggregates. Request bodies are never logged."
)


@dataclass(frozen=True, slots=True)
class PrivacyPolicy:
    key: bytes
    keep_identifiers: bool = False

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
