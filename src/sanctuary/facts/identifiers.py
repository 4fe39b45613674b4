"""Free text that looks like a person's identifier, refused where free text is recorded in clear.

The service stores who a case is about only as keyed hashes (``service/privacy.py``); a free-text field stored in clear
— an override's reason, a docket note, a requesting agency's name, a charge outside New York, the source of a SCAAP
figure — must not become a way round that. A name cannot be told from other words in prose, but the identifiers that
most often travel with a person's file can, by their shape: a Social Security number, an alien registration number
(A-number), a New York State identification number (NYSID), or a run of nine digits (either of the first two without
its marks). A field holding one is refused, naming the field and what it looks like, and the value is never repeated
in the message. The shapes are deliberately narrow, so that a statute's citation (``18 U.S.C. § 1326``, ``N.J.S.A.
2C:15-1``), a date or an amount is never taken for one.

>>> identifier_in("order of the warden, 2025-08-01")
>>> identifier_in("per ICE, subject A012-345-678")
'an alien registration number (A-number)'
>>> identifier_in("NYSID 12345678K")
'a New York State identification number (NYSID)'
>>> identifier_in("N.J.S.A. 2C:15-1")
"""

from __future__ import annotations

import re

# What each shape looks like, in words, and the pattern; each bounded so that it is not part of a longer word.
SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a Social Security number", re.compile(r"(?<![\w-])\d{3}[- ]\d{2}[- ]\d{4}(?![\w-])")),
    (
        "an alien registration number (A-number)",
        re.compile(r"(?<![\w-])A[- ]?(?:\d{8,9}|\d{2,3}[- ]\d{3}[- ]\d{3})(?![\w-])", re.IGNORECASE),
    ),
    ("a New York State identification number (NYSID)", re.compile(r"(?<![\w-])\d{6,8}[A-Z](?![\w-])", re.IGNORECASE)),
    ("a nine-digit number (a Social Security or A-number without its marks)", re.compile(r"(?<!\d)\d{9}(?!\d)")),
)


def identifier_in(text: str) -> str | None:
    """What ``text`` holds that looks like a person's identifier, in words, or ``None``."""
    for words, pattern in SHAPES:
        if pattern.search(text):
            return words
    return None


def refuse_identifiers(text: str) -> str:
    """``text`` itself, or ``ValueError`` saying what it looks like (never repeating it): for a pydantic validator,
    whose error names the field."""
    found = identifier_in(text)
    if found is not None:
        raise ValueError(
            f"this looks like {found}: free text is recorded in clear, so it must not hold a person's identifier "
            "(give who the case is about as 'subject', which is stored only as a keyed hash)"
        )
    return text
