"""The instruments the door guide applies, dated, with the clauses its rules cite and how sure the project is of
each text (``/work/shared/law/nyc/beyond-detainers/INDEX.md``; ``docs/law/nyc/door.md``).

An instrument known only from descriptions (a mayoral order whose operative text was not found) is marked
``description``: every answer that rests on it carries :attr:`Instrument.caution` among its warnings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sanctuary.law.tree import Clause


@dataclass(frozen=True, slots=True)
class Instrument:
    """A law or order: its name, the day it took effect (``None``: not known to the day), the day it ended, how its
    words are known (``text``: the enacted text; ``description``: descriptions and fragments only) and the source
    file of the collection."""

    key: str
    name: str
    start: dt.date | None
    end: dt.date | None
    known_from: str
    source: str

    def in_force(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)

    @property
    def caution(self) -> str:
        """The warning an answer resting on an order known only by description carries."""
        return (
            f"{self.name} is known only from descriptions and quoted fragments, not from its operative text "
            f"(source: {self.source}); what this answer draws from it rests on those descriptions."
        )


INSTRUMENTS: dict[str, Instrument] = {
    i.key: i
    for i in (
        Instrument(
            "4-210",
            "Admin. Code § 4-210 (Local Law 246 of 2017)",
            dt.date(2018, 4, 16),
            None,
            "text",
            "01_NYC_AdminCode_4-210_LL246-2017.txt",
        ),
        Instrument(
            "23-1202",
            "Admin. Code §§ 23-1201 to 23-1205 (Local Laws 245 and 247 of 2017)",
            dt.date(2018, 6, 15),  # 180 days after 2017-12-17: the collection's computation (I-80)
            None,
            "text",
            "02_NYC_AdminCode_23-1201_to_23-1205_LL245_247-2017.txt",
        ),
        Instrument(
            "21-977",
            "Admin. Code § 21-977 (Local Law 227 of 2017)",
            dt.date(2018, 1, 30),  # 60 days after 2017-12-01: the collection's computation (I-80)
            None,
            "text",
            "03_NYC_AdminCode_21-977_DOE_LL227-2017.txt",
        ),
        Instrument(
            "10-178",
            "Admin. Code § 10-178 (Local Law 228 of 2017; definitions as amended by Local Law 63 of 2026)",
            dt.date(2018, 1, 30),  # the provision date of the pack's nyc-2017 regime (regimes.toml)
            None,
            "text",
            "04_NYC_LL63-2026_amends_9-131_10-178_14-154.txt",
        ),
        Instrument(
            "9-131-h2",
            "Admin. Code § 9-131(h)(2) as amended by Local Law 63 of 2026",
            dt.date(2026, 1, 29),
            None,
            "text",
            "04_NYC_LL63-2026_amends_9-131_10-178_14-154.txt",
        ),
        Instrument(
            "eo41",
            "Mayoral Executive Order 41 (2003)",
            dt.date(2003, 9, 17),
            None,
            "description",
            "07_NYC_EO34_EO41-2003_Bloomberg.txt",
        ),
        Instrument(
            "eo13",
            "Mayoral Executive Order 13 (2026)",
            dt.date(2026, 2, 6),
            None,
            "description",
            "09_NYC_EO13-2026_Mamdani_Protecting_New_Yorkers.txt",
        ),
        Instrument(
            "crl28",
            "N.Y. Civil Rights Law § 28 and Judiciary Law § 4-a (Protect Our Courts Act, L. 2020 ch. 322)",
            dt.date(2020, 12, 15),  # signed; the effective-date section was not read (I-80)
            None,
            "text",
            "10_NYS_Protect_Our_Courts_Act_2020.txt",
        ),
        Instrument(
            "eo170",
            "N.Y. Executive Order 170 (2017)",
            dt.date(2017, 9, 15),
            None,
            "description",
            "11_NYS_EO170-2017_and_EO170.1-2018_Cuomo.txt",
        ),
        Instrument(
            "eo170.1",
            "N.Y. Executive Order 170.1 (2018)",
            dt.date(2018, 4, 25),
            None,
            "description",
            "11_NYS_EO170-2017_and_EO170.1-2018_Cuomo.txt",
        ),
    )
}

S4_210 = Clause("NYC Admin. Code", "4-210")
S23_1201 = Clause("NYC Admin. Code", "23-1201")
S23_1202 = Clause("NYC Admin. Code", "23-1202")
S21_977 = Clause("NYC Admin. Code", "21-977")
S3_119_13 = Clause("NYC Admin. Code", "3-119.13")
S10_178 = Clause("NYC Admin. Code", "10-178")
S9_131 = Clause("NYC Admin. Code", "9-131")
EO41 = Clause("NYC Mayoral Executive Order 41 (2003)")
EO13 = Clause("NYC Mayoral Executive Order 13 (2026)")
CRL28 = Clause("N.Y. Civil Rights Law", "28")
JUD4A = Clause("N.Y. Judiciary Law", "4-a")
EO170 = Clause("N.Y. Executive Order 170 (2017)")
EO170_1 = Clause("N.Y. Executive Order 170.1 (2018)")
USC1373 = Clause("8 U.S.C.", "1373", ("a",))

#: Which instrument each clause's body belongs to, so an answer can name the instruments it rests on.
INSTRUMENT_OF: dict[str, str] = {
    str(S4_210): "4-210",
    str(S23_1201): "23-1202",
    str(S23_1202): "23-1202",
    str(S21_977): "21-977",
    str(S10_178): "10-178",
    str(S9_131): "9-131-h2",
    str(EO41): "eo41",
    str(EO13): "eo13",
    str(CRL28): "crl28",
    str(JUD4A): "crl28",
    str(EO170): "eo170",
    str(EO170_1): "eo170.1",
}


def instrument_of(clause: str) -> Instrument | None:
    """The instrument a cited clause (as printed) belongs to, if it is one of the door guide's."""
    for prefix, key in INSTRUMENT_OF.items():
        if clause == prefix or clause.startswith(f"{prefix}("):
            return INSTRUMENTS[key]
    return None
