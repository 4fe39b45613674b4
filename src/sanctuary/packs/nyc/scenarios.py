"""The requests a New York population comparison may suppose, in words (interpretations I-45 and I-46).

Public data on New York's jails and arrests says nothing of what ICE asked about whom, so a comparison
supposes one request about every person. The default is the request DOC and NYPD report receiving almost
always — a civil immigration detainer (form I-247A) with an administrative warrant (form I-200) signed by
an immigration officer — over every action that request asks for, so that a reader sees what a regime changes
for holds *and* for what the agency may tell ICE. The others are the request with a judicial warrant (which
the city's detainer laws treat apart) and a request for information only.
"""

from __future__ import annotations

from sanctuary.packs.nyc.requests import JUDICIAL_WARRANT
from sanctuary.population.pack import RequestScenario

#: What New York's public data (DOC custody snapshots and stays, NYPD arrests) cannot say: every count is of
#: everyone in the file, and every decision that turns on these facts is ``undetermined`` unless assumed.
CANNOT_SAY = (
    "citizenship or immigration status: every person in the file is counted, citizens included, while ICE "
    "sends requests about only some people",
    "which detainers or requests ICE actually lodged, and about whom",
    "criminal histories: prior judgments of conviction, their dates and sentences (DOC stays are not convictions)",
    "possible matches in the terrorist screening database and listings in a law-enforcement gang database "
    "(DOC's security risk group flag is DOC's own designation, not such a database)",
)

#: What a detainer (form I-247A) asks of the agency, in words (interpretation I-45).
_DETAINER_ASKS = (
    "asking the agency to hold the person past the time of release, to notify ICE of the release, and to tell ICE "
    "the release date"
)
_DETAINER_ACTIONS = ("hold", "notify_release", "info:release_date")


REQUEST_SCENARIOS: tuple[RequestScenario, ...] = (
    RequestScenario(
        id="usual",
        name="ICE's usual request",
        words="ICE lodges a civil immigration detainer (form I-247A) with an administrative warrant signed by an "
        f"immigration officer (form I-200), not a judicial warrant, {_DETAINER_ASKS}",
        request={"from": "ICE", "documents": [{"type": "I-247A"}, {"type": "I-200", "signer": "immigration_officer"}]},
        actions=_DETAINER_ACTIONS,
        cannot_say=CANNOT_SAY,
    ),
    RequestScenario(
        id="judicial-warrant",
        name="a detainer with a judicial warrant",
        words="ICE lodges a civil immigration detainer (form I-247A) together with a warrant signed by a federal "
        f"magistrate judge on a finding of probable cause, authorizing immigration custody (a judicial warrant), "
        f"{_DETAINER_ASKS}",
        request={"from": "ICE", "documents": [{"type": "I-247A"}, JUDICIAL_WARRANT]},
        actions=_DETAINER_ACTIONS,
        cannot_say=CANNOT_SAY,
    ),
    RequestScenario(
        id="information-only",
        name="a request for information only",
        words="ICE asks for information only, with a request for notification (form I-247N) and no detainer or "
        "warrant: to be notified of the release, and told the release date, the next court date and whether "
        "the person is in custody",
        request={"from": "ICE", "documents": [{"type": "I-247N"}]},
        actions=("notify_release", "info:release_date", "info:court_date", "info:custody_status"),
        cannot_say=CANNOT_SAY,
    ),
)
