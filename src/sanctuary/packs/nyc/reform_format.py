"""New York City's reform file: what a user may change, as a validated model (its JSON Schema is
``schema/reform.schema.json``; the format in words: ``docs/reform-format.md``).

The names are the pack's: the look-back of § 9-131(a)(2)(ii) and its extension, the "violent or serious crime"
list of § 9-131(a)(7) / § 14-154(a)(6), the signers and documents that make a judicial warrant (a)(5) / (a)(4),
the NYPD's 48-hour limit of § 14-154(b)(2); and the conditions a proposal adds to the record test of the actions
and agencies it names. Every change carries the words the reports show and the citation the user gives.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from sanctuary.packs.nyc.case import Action, Signer

FORMAT_VERSION = 1
AgencyKey = Literal["DOC", "NYPD", "DOP", "OTHER"]
WarrantDocument = Literal["warrant", "court_order", "I-200", "I-205"]
_ID = r"^[a-z0-9][a-z0-9.-]{1,62}[a-z0-9]$"
Words = Annotated[str, Field(min_length=1, max_length=4000)]
Citation = Annotated[str, Field(min_length=1, max_length=300)]
Entry = Annotated[str, Field(min_length=1, max_length=60)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Cited(_Strict):
    words: Words = Field(description="The change in the proposal's own words, shown in decisions and reports.")
    citation: Citation = Field(description='Where the words come from ("Mayor\'s statement of 2024-02-25").')


class SourceEntry(_Strict):
    title: Annotated[str, Field(min_length=1, max_length=500)]
    date: dt.date | None = None
    url: Annotated[str, Field(max_length=2000)] | None = None


class LookbackYears(Cited):
    value: int = Field(ge=1, le=50, description="Years before the instant arrest a judgment counts.")


class LookbackExtension(Cited):
    value: bool = Field(description="Whether time incarcerated for a violent or serious crime extends the look-back.")


class HoldLimit(Cited):
    value: int = Field(ge=1, le=720, description="Hours the NYPD may hold a person under § 14-154(b)(2).")


class WarrantSigners(Cited):
    value: list[Signer] = Field(min_length=1, description="Who may sign a judicial warrant.")


class WarrantDocuments(Cited):
    value: list[WarrantDocument] = Field(min_length=1, description="Which documents can be a judicial warrant.")


class Parameters(_Strict):
    lookback_years: LookbackYears | None = None
    lookback_extension: LookbackExtension | None = None
    nypd_hold_limit_hours: HoldLimit | None = None
    judicial_warrant_signers: WarrantSigners | None = None
    judicial_warrant_documents: WarrantDocuments | None = None


class Offenses(Cited):
    """Sections added to or removed from the "violent or serious crime" list of subparagraph (i), written as the
    statute writes them (``"160.05"``, ``"265.02(2) through (8)"``)."""

    add: list[Entry] = Field(default_factory=list, max_length=200)
    remove: list[Entry] = Field(default_factory=list, max_length=200)


class Repeal(Cited):
    """Provisions of the base taken out of the law (as ``regimes.toml`` names them: ``"9-131(b)"``, ``"10-178"``)."""

    provisions: list[Annotated[str, Field(min_length=1, max_length=40)]] = Field(min_length=1, max_length=20)


class _Condition(Cited):
    id: Annotated[str, Field(pattern=_ID)]
    agencies: list[AgencyKey] = Field(min_length=1, description="The agencies whose rules it widens.")
    actions: list[Action] = Field(min_length=1, description="The actions whose record test it widens.")


class PendingChargeCondition(_Condition):
    kind: Literal["pending_charge"]
    crimes: Literal["violent-or-serious"] | Annotated[list[Entry], Field(min_length=1, max_length=200)] = Field(
        description='PL sections (as the statute writes them), or "violent-or-serious" for the definition itself.'
    )
    attempts: bool = Field(default=False, description="Whether an attempt to commit a listed crime counts.")


class ArrestsCondition(_Condition):
    kind: Literal["arrests"]
    crimes: list[Entry] = Field(min_length=1, max_length=200)
    attempts: bool = False
    at_least: int = Field(ge=1, le=100)
    within_years: int = Field(ge=1, le=100, description="Years before the decision date.")


class GangDatabaseCondition(_Condition):
    kind: Literal["gang_database"]


class FelonyConvictionCondition(_Condition):
    kind: Literal["felony_conviction"]
    within_years: int | None = Field(default=None, ge=1, le=100)


Condition = Annotated[
    PendingChargeCondition | ArrestsCondition | GangDatabaseCondition | FelonyConvictionCondition,
    Field(discriminator="kind"),
]
CONDITION_KINDS = frozenset({"pending_charge", "arrests", "gang_database", "felony_conviction"})


class ReformFile(_Strict):
    """A proposal, as changes to a regime of New York City's law."""

    model_config = ConfigDict(title="sanctuary reform file (New York City, format 1)")

    reform: Literal[1] = Field(description="The format's version.")
    id: Annotated[str, Field(pattern=_ID)]
    title: Annotated[str, Field(min_length=1, max_length=300)]
    summary: Annotated[str, Field(min_length=1, max_length=4000)]
    base: str | None = Field(default=None, description="The regime changed (e.g. nyc-2017).")
    law_in_force_on: dt.date | None = Field(default=None, description="Or: change the law in force on this date.")
    introduced: dt.date | None = None
    sources: list[SourceEntry] = Field(min_length=1, max_length=20)
    parameters: Parameters = Field(default_factory=Parameters)
    offenses: Offenses | None = None
    repeal: Repeal | None = None
    condition: list[Condition] = Field(default_factory=list, max_length=20)


def reform_json_schema() -> dict[str, Any]:
    schema = ReformFile.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["description"] = (
        "A proposal stated as changes to a regime of New York City's law on cooperation with federal immigration "
        "enforcement: parameters, the violent-or-serious-crime list, and new conditions on the person's record, "
        "each with its words and citation (docs/reform-format.md)."
    )
    return schema
