"""The named assumptions a population comparison may state (``--assume NAME``): the facts the public debate about
New York City's detainer laws turns on, each in words. Read through the pack (``NewYorkCity.assumption_presets``).
"""

from __future__ import annotations

from sanctuary.packs.nyc.requests import JUDICIAL_WARRANT
from sanctuary.population.pack import AssumptionPreset

ASSUMPTION_PRESETS: tuple[AssumptionPreset, ...] = (
    AssumptionPreset(
        "judicial-warrant",
        "ICE presents, with the detainer, a warrant signed by a federal magistrate judge on probable cause "
        "authorizing immigration custody (a judicial warrant).",
        (("request.documents", [{"type": "I-247A"}, JUDICIAL_WARRANT]),),
    ),
    AssumptionPreset(
        "no-judicial-warrant",
        "ICE presents a detainer (I-247A) and no judicial warrant.",
        (("request.documents", [{"type": "I-247A"}]),),
    ),
    AssumptionPreset(
        "no-conviction-history",
        "No judgments of conviction other than any on the current case.",
        (("person.convictions", []),),
    ),
    AssumptionPreset(
        "no-database-match",
        "No one is a possible match in the terrorist screening database.",
        (("person.tsdb_possible_match", False),),
    ),
    AssumptionPreset(
        "no-gang-listing",
        "No one is listed in a law-enforcement gang database.",
        (("person.gang_database", False),),
    ),
)
