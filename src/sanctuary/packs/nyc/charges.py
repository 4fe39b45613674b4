"""Charge codes: reading the forms in which New York charges are actually written.

People hold charges in several forms, and the law's offense lists are written by section and subdivision,
so the first job is to read them all into one shape (:class:`ChargeCode`) without guessing:

- the contract's form: ``PL 160.15(4)``, ``PL 265.02(3)``, ``PL 135.65(2)(b)``, ``PL 265.01-b``,
  ``VTL 600(2)``, ``Penal Law § 160.15`` ;
- NYC DOC ``TOP_CHARGE`` values: ``160.15``, ``110-125.25`` (an attempt, PL § 110.00, of PL 125.25),
  ``265.01B`` (PL 265.01-b: a single trailing letter is part of the section number), ``120.00H`` (a hate
  crime), ``140.25SM`` (sexually motivated), and bare Vehicle and Traffic Law forms such as ``1192(2)``;
- NYPD ``LAW_CODE`` packing, always ten characters: ``PL 1601503`` is PL 160.15 subdivision 3,
  ``PL 265031B`` is PL 265.03(1)(b), ``PL 120001H`` is PL 120.00(1) as a hate crime.

Where a form does not say something (a subdivision, most often), the parsed code says "not stated"
(``subdivision is None``) rather than filling it in. Nothing here knows which offenses the law lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from sanctuary.errors import InvalidInputError

#: Names and abbreviations of New York laws, as people write them, to the abbreviation used here.
LAW_NAMES: dict[str, str] = {
    "PL": "PL",
    "P.L.": "PL",
    "NYPL": "PL",
    "PENAL LAW": "PL",
    "PENAL": "PL",
    "VTL": "VTL",
    "V.T.L.": "VTL",
    "VEHICLE AND TRAFFIC LAW": "VTL",
    "VEHICLE & TRAFFIC LAW": "VTL",
    "AC": "AC",
    "ADMIN CODE": "AC",
    "ADMINISTRATIVE CODE": "AC",
    "CPL": "CPL",
    "COR": "COR",
    "CORRECTION LAW": "COR",
    "AM": "AM",
    "ABC": "ABC",
    "TAX": "TAX",
    "PHL": "PHL",
    "GB": "GBL",
    "GBL": "GBL",
    "ED": "ED",
    "FCA": "FCA",
    "MHL": "MHL",
    "ECL": "ECL",
    "SW": "SSL",
    "SSL": "SSL",
    "MD": "MDL",
    "MDL": "MDL",
    "PAR": "PAR",
    "LOC": "LOC",
}

#: Vehicle and Traffic Law sections that DOC writes without the ``VTL`` prefix (``1192(2)``, ``511(1)(A)``).
#: Only these bare numbers are read as VTL; any other bare non-Penal-Law number is not read at all.
BARE_VTL_SECTIONS = frozenset(
    {"319", "375", "401", "426", "509", "511", "511-a", "511-d", "512", "600", "1180", "1192", "1212", "1220"}
)

#: DOC's letter-suffix conventions on Penal Law sections (see the data provenance notes).
_HATE_SUFFIX = "H"
_SEXUALLY_MOTIVATED_SUFFIX = "SM"


class ChargeParseError(InvalidInputError):
    """A charge text that cannot be read as a charge. The message says what was expected."""


@dataclass(frozen=True, slots=True)
class ChargeCode:
    """One charge, read into law, section and subdivision.

    ``subdivision`` is the path below the section, e.g. ``("2", "b")`` for ``135.65(2)(b)``; ``None`` means
    the charge as written does not state one (not that there is none). ``attempt`` and ``hate_crime`` are
    what the *form* of the charge says (DOC's ``110-`` prefix, the ``H`` marker), ``variant`` any other
    marker whose meaning is not documented.
    """

    law: str
    section: str
    subdivision: tuple[str, ...] | None = None
    attempt: bool = False
    hate_crime: bool = False
    sexually_motivated: bool = False
    variant: str | None = None

    def __str__(self) -> str:
        sub = "".join(f"({part})" for part in self.subdivision or ())
        text = f"{self.law} {self.section}{sub}"
        if self.attempt:
            text = f"attempted {text}"
        if self.hate_crime:
            text += " as a hate crime"
        return text

    @property
    def subdivision_text(self) -> str:
        return "".join(f"({part})" for part in self.subdivision or ())

    @property
    def key(self) -> str:
        """The section as ``LAW SECTION``, e.g. ``PL 160.15``."""
        return f"{self.law} {self.section}"


# A Penal Law section: article (1 to 3 digits), a dot, two digits, optionally a lettered suffix ("-b").
_PL_SECTION = r"(?P<article>\d{1,3})\.(?P<sec>\d{2})(?:-?(?P<letter>[A-Za-z])(?![A-Za-z]))?"
_SUBDIVISIONS = r"(?P<subs>(?:\s*\(\s*[0-9A-Za-z-]+\s*\))*)"
_PL_FORM = re.compile(rf"^(?P<attempt>110\s*-\s*)?{_PL_SECTION}{_SUBDIVISIONS}\s*(?P<suffix>[A-Za-z]{{1,2}})?$")
_OTHER_FORM = re.compile(
    r"^(?P<attempt>110\s*-\s*)?(?P<section>\d{1,5}(?:-[A-Za-z0-9]+)?)"
    r"(?:\.(?P<dotsub>\d{1,2}[A-Za-z]?))?" + _SUBDIVISIONS + r"(?:-(?P<tail>[A-Za-z]))?$"
)
_PREFIXED = re.compile(r"^(?P<law>[A-Za-z][A-Za-z.& ]*?)\s*§*\s*(?P<rest>\d.*)$")
_PACKED = re.compile(r"^(?P<law>[A-Z]{2,3}) {0,1}(?P<body>[0-9A-Z]{7})$")
_SUB_PART = re.compile(r"\(\s*([0-9A-Za-z-]+)\s*\)")


def _subdivisions(text: str | None) -> tuple[str, ...] | None:
    if not text or not text.strip():
        return None
    return tuple(part.lower() for part in _SUB_PART.findall(text))


def _penal_law(match: re.Match[str], law: str = "PL") -> ChargeCode:
    section = f"{int(match['article'])}.{match['sec']}"
    suffix = (match["suffix"] or "").upper()
    letter = match["letter"]
    hate = sexually_motivated = False
    variant = None
    if letter and letter.upper() == _HATE_SUFFIX and not suffix and not match["subs"]:
        # "120.00H": H is DOC's hate-crime marker, not a section letter (no PL section ends in "-h"
        # among those DOC uses this way).
        hate = True
    elif letter:
        section += f"-{letter.lower()}"
    if suffix == _HATE_SUFFIX:
        hate = True
    elif suffix == _SEXUALLY_MOTIVATED_SUFFIX:
        sexually_motivated = True
    elif suffix:
        variant = suffix
    return ChargeCode(
        law=law,
        section=section,
        subdivision=_subdivisions(match["subs"]),
        attempt=bool(match["attempt"]),
        hate_crime=hate,
        sexually_motivated=sexually_motivated,
        variant=variant,
    )


def _other_law(law: str, match: re.Match[str]) -> ChargeCode:
    section = match["section"].lower()
    subs = list(_subdivisions(match["subs"]) or ())
    if match["dotsub"]:  # DOC's "1192.2" and "1192.4A": subdivision 2, subdivision 4-a
        dotsub = match["dotsub"].lower()
        subs.insert(0, re.sub(r"^(\d+)([a-z])$", r"\1-\2", dotsub))
    if match["tail"] and subs:  # DOC's "1192(2)-A": subdivision 2-a
        subs[0] = f"{subs[0]}-{match['tail'].lower()}"
    return ChargeCode(
        law=law,
        section=section,
        subdivision=tuple(subs) or None,
        attempt=bool(match["attempt"]),
    )


def _packed(law: str, body: str) -> ChargeCode:
    """NYPD ``LAW_CODE``: ``PL `` + article(3) section(2) sub-code(2), or law + section(4) sub-code(3)."""
    if law == "PL":
        if not body[:5].isdigit():
            raise ChargeParseError(f"NYPD Penal Law code {law} {body!r} does not start with 5 digits")
        section = f"{int(body[:3])}.{body[3:5]}"
        code = body[5:7]
        hate = False
        variant = None
        subdivision: tuple[str, ...] | None
        if code == "00":
            subdivision = None  # "00": section without (or with an unspecified) subdivision
        elif code.isdigit():
            subdivision = (str(int(code)),)
        elif code[0].isdigit() and code[1].isalpha():
            number, letter = code[0], code[1].lower()
            if letter == "h":
                hate = True
                subdivision = (number,) if number != "0" else None
            elif letter in "txszg":
                variant = code  # undocumented marker: fall back to section level
                subdivision = None
            else:
                subdivision = (number, letter) if number != "0" else (letter,)
        else:
            variant = code  # letter-first sub-codes (``M1``, ``A3``, ``WH``) are not documented
            subdivision = None
            hate = code.endswith("H")
        return ChargeCode(law="PL", section=section, subdivision=subdivision, hate_crime=hate, variant=variant)
    section_part = body[:4].lstrip("0") or "0"
    code = body[4:7]
    subdivision = (str(int(code)),) if code.isdigit() and int(code) != 0 else None
    return ChargeCode(
        law=law, section=section_part.lower(), subdivision=subdivision, variant=None if code.isdigit() else code
    )


@lru_cache(maxsize=65536)
def parse_charge(text: str) -> ChargeCode:
    """Read a charge in any of the supported forms.

    Raises :class:`ChargeParseError` with a message naming what was expected when the text is not a charge
    (DOC's non-charge categories such as ``CO`` or ``VOP`` included: they are not offenses).

    >>> str(parse_charge("PL 160.15(4)"))
    'PL 160.15(4)'
    >>> str(parse_charge("110-125.25"))  # DOC: an attempt of murder in the second degree
    'attempted PL 125.25'
    >>> str(parse_charge("PL 1601503"))  # NYPD: PL 160.15 subdivision 3
    'PL 160.15(3)'
    >>> str(parse_charge("265.01B")), str(parse_charge("120.00H"))
    ('PL 265.01-b', 'PL 120.00 as a hate crime')
    """
    raw = text.strip()
    if not raw:
        raise ChargeParseError("the charge is empty")
    packed = _PACKED.match(raw)
    if packed and packed["law"] in LAW_NAMES and "." not in raw and "(" not in raw:
        law = LAW_NAMES[packed["law"]]
        if len(raw) == 10 or (law == "PL" and raw.startswith("PL ") and len(raw) == 10):
            return _packed(law, packed["body"])
    prefixed = _PREFIXED.match(raw)
    if prefixed:
        name = re.sub(r"\s+", " ", prefixed["law"].strip().upper())
        if name not in LAW_NAMES:
            known = ", ".join(sorted(set(LAW_NAMES.values())))
            raise ChargeParseError(f"unknown law {prefixed['law'].strip()!r} (expected one of: {known})")
        law = LAW_NAMES[name]
        rest = prefixed["rest"].strip()
        if law == "PL":
            match = _PL_FORM.match(rest)
            if not match:
                raise ChargeParseError(
                    f"cannot read {rest!r} as a Penal Law section (expected e.g. '160.15', '160.15(4)', "
                    "'265.01-b', '135.65(2)(b)')"
                )
            return _penal_law(match)
        match = _OTHER_FORM.match(rest)
        if not match:
            raise ChargeParseError(f"cannot read {rest!r} as a section of {law} (expected e.g. '600(2)')")
        return _other_law(law, match)
    match = _PL_FORM.match(raw)
    if match:  # DOC's bare Penal Law form
        return _penal_law(match)
    match = _OTHER_FORM.match(raw)
    if match and match["section"].lower() in BARE_VTL_SECTIONS:
        return _other_law("VTL", match)
    raise ChargeParseError(
        f"cannot read {raw!r} as a charge (expected a law and section such as 'PL 160.15(4)' or "
        "'VTL 600(2)', a DOC code such as '160.15' or '110-125.25', or an NYPD code such as 'PL 1601503')"
    )
