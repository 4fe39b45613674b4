"""Reform files: a proposal written by a user as changes to a regime, read from TOML and refused with the line
and the field when it cannot be used.

What is generic lives here — reading the TOML, finding the line of a field, turning a validation error into a
:class:`ReformError`, and building the proposal's :class:`~sanctuary.law.regime.Regime` from its header (id,
title, summary, sources, the regime it changes). What a reform may change (the parameters, the lists, the
conditions) is the jurisdiction's: a pack validates its own part and applies it to its own rules
(a pack's own reform module; the format: ``docs/reform-format.md``).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from sanctuary.errors import InvalidInputError
from sanctuary.law.regime import Regime, Source

if TYPE_CHECKING:
    from sanctuary.law.jurisdiction import Jurisdiction, Reformable

#: The largest reform file read (a hand-written file is a few kilobytes).
MAX_BYTES = 256 * 1024
_ID = re.compile(r"^[a-z0-9][a-z0-9.-]{1,62}[a-z0-9]$")
_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+(?:\s*\.\s*[A-Za-z0-9_\-]+)*)\s*=")


class ReformError(InvalidInputError):
    """A reform file that cannot be used: ``field`` is the path in the file (``condition[1].at_least``), ``line``
    the line it is on (``None`` when it is not in the file: a required field missing from a table is reported at
    the table's line)."""

    def __init__(self, source: str, field: str, message: str, line: int | None = None) -> None:
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {field}: {message}", field or None)
        self.source = source
        self.line = line
        self.detail = message


def lines_of_fields(text: str) -> dict[str, int]:
    """Where each key and table of a TOML text is, by its field path as errors name it (``id``,
    ``parameters.lookback_years.value``, ``condition[1]``, ``condition[1].at_least``): one pass over the lines,
    enough for a hand-written file (a key inside an inline table goes by the line of its table's key)."""
    where: dict[str, int] = {}
    counts: dict[str, int] = {}
    table = ""
    for number, raw in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        header = _HEADER.match(raw)
        if header and not raw.lstrip().startswith("#"):
            name = header.group(2).replace('"', "").replace(" ", "")
            if header.group(1) == "[[":
                counts[name] = counts.get(name, -1) + 1
                table = f"{name}[{counts[name]}]"
            else:
                table = name
            where.setdefault(table, number)
            continue
        key = _KEY.match(raw)
        if key and not raw.lstrip().startswith("#"):
            name = key.group(1).replace(" ", "")
            where.setdefault(f"{table}.{name}" if table else name, number)
    return where


def line_of(where: Mapping[str, int], field: str) -> int | None:
    """The line of ``field``, or of the nearest enclosing key or table that is in the file."""
    path = field
    while path:
        if path in where:
            return where[path]
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return None


def read_toml(text: str, source: str) -> dict[str, Any]:
    """The TOML document, or a :class:`ReformError` at the line the parser names."""
    if len(text.encode("utf-8", errors="replace")) > MAX_BYTES:
        raise ReformError(source, "(file)", f"larger than {MAX_BYTES // 1024} KiB; a reform file is a few kilobytes")
    try:
        return tomllib.loads(text.removeprefix("\ufeff"))  # a byte-order mark some editors write
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise ReformError(
            source, "(syntax)", f"not valid TOML: {exc}", int(found.group(1)) if found else None
        ) from None
    except RecursionError:  # arrays nested thousands deep: no reform file is
        raise ReformError(source, "(syntax)", "nested too deeply to be a reform file") from None


def field_path(loc: Sequence[int | str], tags: frozenset[str] = frozenset()) -> str:
    """A validation error's location as a field path: ``("condition", 1, "arrests", "at_least")`` →
    ``condition[1].at_least`` (``tags``: the names of a tagged union's members, which are not in the file)."""
    out = ""
    for i, part in enumerate(loc):
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in tags and i > 0 and isinstance(loc[i - 1], int):
            continue
        else:
            out += f".{part}" if out else str(part)
    return out


def validation_error(
    error: ValidationError, source: str, where: Mapping[str, int], tags: frozenset[str] = frozenset()
) -> ReformError:
    """The first problem of a validation error, as a :class:`ReformError` at its line: an unknown field first, as
    a misspelt key is also a required one missing, and the misspelling is what to name."""
    items = error.errors(include_url=False)
    item = next((i for i in items if i["type"] == "extra_forbidden"), items[0])
    path = field_path(item["loc"], tags)
    message = item["msg"]
    if item["type"] == "extra_forbidden":
        message = "unknown field (not part of the reform format; see docs/reform-format.md)"
    elif item["type"] == "missing":
        message = "required field is missing"
    elif "input" in item and not isinstance(item["input"], dict):
        message = f"{message} (got {item['input']!r:.80})"
    return ReformError(source, path, message, line_of(where, path))


def check_id(reform_id: str, regimes: Mapping[str, Regime], source: str, where: Mapping[str, int]) -> None:
    """A reform's id: lower-case letters, digits, dots and hyphens, and not the id of a regime already known (a
    reform must never be taken for the law it changes)."""
    if not _ID.match(reform_id):
        raise ReformError(source, "id", "3 to 64 lower-case letters, digits, '.' or '-'", line_of(where, "id"))
    if reform_id in regimes:
        raise ReformError(source, "id", f"{reform_id!r} is already a regime; choose another id", line_of(where, "id"))


def base_regime(
    regimes: Mapping[str, Regime],
    in_force: Mapping[dt.date, Regime | None],
    base: str | None,
    on: dt.date | None,
    source: str,
    where: Mapping[str, int],
) -> Regime:
    """The regime a reform changes: the one it names (``base``), or the law in force on the date it gives
    (``law_in_force_on``); exactly one of the two."""
    if (base is None) == (on is None):
        field = "base" if base is not None else "(file)"
        raise ReformError(source, field, "give exactly one of base (a regime) or law_in_force_on (a date)", 1)
    if base is not None:
        if base not in regimes:
            known = ", ".join(regimes)
            raise ReformError(source, "base", f"unknown regime {base!r} (known: {known})", line_of(where, "base"))
        return regimes[base]
    assert on is not None
    regime = in_force.get(on)
    if regime is None:
        raise ReformError(source, "law_in_force_on", f"no law is encoded for {on}", line_of(where, "law_in_force_on"))
    return regime


def reform_regime(
    base: Regime,
    *,
    reform_id: str,
    title: str,
    summary: str,
    introduced: dt.date | None,
    sources: Sequence[Source],
    params: Mapping[str, Any],
    description: Mapping[str, Any],
) -> Regime:
    """The proposal a reform states: the base's provisions and overrides, its parameters as changed, the user's
    title, summary and sources, and the reform itself (``description``, in the content hash)."""
    return replace(
        base,
        id=reform_id,
        status="proposal",
        title=title.strip(),
        summary=summary.strip(),
        sources=tuple(sources),
        params=dict(params),
        base=base.id,
        in_force_from=None,
        in_force_until=None,
        introduced=introduced,
        reform=dict(description),
    )


def is_reform_file(name: str) -> bool:
    """Whether a regime argument names a reform file rather than a regime (``…/x.toml``)."""
    return name.lower().endswith(".toml")


def reformable(jurisdiction: Jurisdiction, field: str) -> Reformable:
    """The jurisdiction as one that reads reform files, or invalid input naming ``field`` when its pack has none."""
    from sanctuary.law.jurisdiction import Reformable

    if not isinstance(jurisdiction, Reformable):
        raise InvalidInputError(f"{field}: the {jurisdiction.name} pack reads no reform files", field)
    return jurisdiction


def resolve_regimes(jurisdiction: Jurisdiction, names: Sequence[str], field: str) -> tuple[Jurisdiction, list[str]]:
    """The regimes a command is given, where each is a regime's id or a reform file's path: the jurisdiction with
    every reform file's proposal added, and the ids to use. A file that cannot be read is invalid input naming
    ``field``; a file that cannot be used, a :class:`ReformError` naming its line and field."""
    ids = []
    for name in names:
        if not is_reform_file(name):
            ids.append(name)
            continue
        path = Path(name)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidInputError(f"{field}: {name}: cannot read the reform file: {exc}", field) from None
        known = set(jurisdiction.regimes)
        jurisdiction = reformable(jurisdiction, field).with_reform(text, name)
        ids.append(next(r for r in jurisdiction.regimes if r not in known))
    return jurisdiction, ids
