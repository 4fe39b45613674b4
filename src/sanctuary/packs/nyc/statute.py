"""The words of the statutes, clause by clause, for showing beside the rules that encode them.

The consolidated texts (``texts/*.rst``) are read once into an index from a clause's path —
``("b", "1", "ii", "A")`` of § 9-131 — to its words. The texts number their clauses by indentation
(``a.``, ``1.``, ``i.``, ``(i)``) and sometimes inline (``… such person: A. has been convicted …, or B. is
identified …``); both are read. Clauses the 2026 amendment rewrote have their new words in
``texts/amendments-2026.toml``, used for the regimes that contain them.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources

from sanctuary.law.tree import Clause

FILES = {
    ("NYC Admin. Code", "9-131"): "admin-code-9-131.rst",
    ("NYC Admin. Code", "9-205"): "admin-code-9-205.rst",
    ("NYC Admin. Code", "10-178"): "admin-code-10-178.rst",
    ("NYC Admin. Code", "14-154"): "admin-code-14-154.rst",
    ("39 RCNY", "2-01"): "rcny-39-2-01.rst",
    # The texts in force before 2014-12-14, cited under their own codes (docs/law/nyc/early-laws.md).
    ("NYC Admin. Code (2011)", "9-131"): "admin-code-9-131-2011.rst",
    ("NYC Admin. Code (2013)", "9-131"): "admin-code-9-131-2013.rst",
    ("NYC Admin. Code (2013)", "14-154"): "admin-code-14-154-2013.rst",
}
_LABEL = re.compile(
    r"^(?P<indent> *)(?:\((?P<paren>[A-Za-z]{1,4}|\d+)\)|(?P<dot>[A-Za-z]{1,4}|\d+)\.)(?:\s+(?P<text>.*))?$"
)
_INLINE_CAPITAL = re.compile(r"(?:(?<=: )|(?<=, or )|(?<=; or ))([A-Z])\. ")
_INLINE_ROMAN = re.compile(r"(?<!clause )(?<!paragraph )\((i|ii|iii|iv)\) ")

Index = dict[tuple[str, ...], str]


def parse_statute(text: str) -> Index:
    """Clause paths to words, from one consolidated ``.rst`` text."""
    index: Index = {}
    path: tuple[str, ...] = ()
    for raw in text.splitlines():
        line = raw.replace("\xa0", " ").rstrip()  # the texts indent with non-breaking spaces
        if not line.strip() or line.lstrip().startswith("*§") or line.startswith("Chapter") or set(line) <= {"-"}:
            continue
        match = _LABEL.match(line)
        if match and (len(match["indent"]) % 3 == 0):
            depth = len(match["indent"]) // 3
            label = match["paren"] or match["dot"]
            path = (*path[:depth], label)
            index[path] = (match["text"] or "").strip()
        elif path:
            index[path] = f"{index[path]} {line.strip()}"
    for clause_path, words in list(index.items()):
        _split_inline(index, clause_path, words)
    for clause_path, words in list(index.items()):
        if not words:  # a label with no words of its own ("7. i. …"): its subparagraphs are its words
            parts = [f"{p[-1]}. {w}" for p, w in index.items() if p[:-1] == clause_path]
            index[clause_path] = " ".join(parts)
    return index


def _split_inline(index: Index, path: tuple[str, ...], words: str) -> None:
    for pattern in (_INLINE_CAPITAL, _INLINE_ROMAN):
        parts = pattern.split(words)
        if len(parts) < 5:  # at least two inline items
            continue
        labels = parts[1::2]
        if pattern is _INLINE_CAPITAL and labels[:2] != ["A", "B"]:
            continue
        if pattern is _INLINE_ROMAN and labels[:2] != ["i", "ii"]:
            continue
        for label, fragment in zip(labels, parts[2::2], strict=True):
            index.setdefault((*path, label), fragment.strip())


@cache
def _texts() -> dict[tuple[str, str], Index]:
    folder = resources.files(__package__).joinpath("texts")
    return {key: parse_statute(folder.joinpath(name).read_text(encoding="utf-8")) for key, name in FILES.items()}


@cache
def _amendments() -> dict[tuple[str, str], str]:
    raw = tomllib.loads(resources.files(__package__).joinpath("texts", "amendments-2026.toml").read_text("utf-8"))
    out = {}
    for item in raw["clause"]:
        for regime in item["regimes"]:
            out[(regime, item["cite"])] = item["text"]
    return out


def statute_words(clause: Clause, regime: str, base: str | None = None) -> str | None:
    """The words of ``clause`` under ``regime`` (falling back to ``base``'s), or ``None`` if not held."""
    cite = f"{clause.section}{''.join(f'({p})' for p in clause.path)}"
    for rid in (regime, base):
        if rid and (rid, cite) in _amendments():
            return _amendments()[(rid, cite)]
    index = _texts().get((clause.code, clause.section))
    if index is None:
        return None
    return index.get(clause.path)
