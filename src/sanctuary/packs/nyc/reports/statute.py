"""The four reporting laws: their keys, the agency each annual report is of, and each report's title.

Every other module names a law by these keys ("9-131", "14-154", "9-205", "10-178"), so they are defined once
here, apart from the counting, where a reviewer can check them against the Administrative Code.
"""

from __future__ import annotations

from sanctuary.packs.nyc.sections import SECTIONS

LAWS = ("9-131", "14-154", "9-205", "10-178")
AGENCY = {section.rule.section: agency for agency, section in SECTIONS.items()}  # the annual reports' agencies
TITLES = {
    "9-131": "NYC Admin. Code § 9-131(f): Department of Correction, annual report on civil immigration detainers",
    "14-154": "NYC Admin. Code § 14-154(f): Police Department, annual report on civil immigration detainers",
    "9-205": "NYC Admin. Code § 9-205(f): Department of Probation, annual report on civil immigration detainers",
    "10-178": "NYC Admin. Code § 10-178(d): quarterly report of requests from non-local law enforcement agencies "
    "for support or assistance intended to further immigration enforcement",
}
