"""A reform file applied to New York City's rules: validated against the law it changes, then turned into a
proposal (a :class:`~sanctuary.law.regime.Regime`) and a rewrite of each rule tree (:class:`Reform`).

The rewrite works as the built-in proposals' overrides do (``proposals.py``): it finds the nodes a change is
about — the look-back and list tests by their class, the 48-hour node by its id, the record tests by the
``.record`` suffix every detainer and information rule gives them — and returns a new tree; the base is not
touched. Every node a change touches cites the user's citation, so a decision that rests on it says so, and
the explanation shows the change's words as that clause's words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from sanctuary.law.reform import (
    ReformError,
    base_regime,
    check_id,
    line_of,
    lines_of_fields,
    read_toml,
    reform_regime,
    validation_error,
)
from sanctuary.law.regime import Regime, Source
from sanctuary.law.tree import All, AnyOf, Clause, ForSome, Leaf, Limits, Node, Rule, Says, Test, replace_where
from sanctuary.packs.nyc.catalog import CATALOG, ViolentOrSeriousCrimeList
from sanctuary.packs.nyc.conditions import (
    ArrestsFor,
    FelonyConviction,
    FelonyJudgmentExample,
    PendingChargeExample,
    PendingChargeFor,
)
from sanctuary.packs.nyc.convictions import AddedByRule, InchoateOfListed, ListedFelony, WithinLookback
from sanctuary.packs.nyc.detainers import violent_or_serious_crime
from sanctuary.packs.nyc.offenses import OffenseList, OffenseListError, parse_entry
from sanctuary.packs.nyc.reform_format import (
    CONDITION_KINDS,
    ArrestsCondition,
    Condition,
    FelonyConvictionCondition,
    GangDatabaseCondition,
    PendingChargeCondition,
    ReformFile,
)
from sanctuary.packs.nyc.requests import FactIsTrue, JudicialWarrantPresented
from sanctuary.packs.nyc.sections import DOC, NYPD, Section

if TYPE_CHECKING:
    from sanctuary.packs.nyc import NewYorkCity

_CATALOG_TESTS = (ListedFelony, InchoateOfListed, AddedByRule, WithinLookback)


@dataclass(frozen=True, slots=True)
class Reform:
    """A validated reform file, ready to rewrite the base's rules."""

    file: ReformFile
    catalog: ViolentOrSeriousCrimeList | None = None
    words: Mapping[str, str] = field(default_factory=dict)  # citation → the words of the changes citing it

    def cite(self, citation: str) -> Clause:
        return Clause(citation)

    def apply(self, rule: Rule, agency: str) -> Rule:
        """The rule as the reform changes it: new conditions first (so the list change reaches them too), then
        the tests the parameters change, then the NYPD's hold limit."""
        for condition in self.file.condition:
            if agency in condition.agencies and rule.action in condition.actions:
                rule = _map(rule, partial(_widen, condition=condition, reform=self))
        rule = _map(rule, self._leaf)
        limit = self.file.parameters.nypd_hold_limit_hours
        if limit is not None:
            rule = _map(rule, lambda node: _hold_limit(node, limit.value, self.cite(limit.citation)))
        return rule

    def _leaf(self, node: Node) -> Node | None:
        if not isinstance(node, Leaf):
            return None
        test: Test = node.test
        cites: list[Clause] = []
        title = node.title
        if self.catalog is not None and isinstance(test, _CATALOG_TESTS):
            test = replace(test, catalog=self.catalog)
            assert self.file.offenses is not None
            cites.append(self.cite(self.file.offenses.citation))
        if isinstance(test, WithinLookback) and not test.ever:
            test, title = self._lookback(test, cites)
        if isinstance(test, JudicialWarrantPresented):
            test = self._warrant(test, cites)
        if not cites:  # every change of a test cites the change
            return None
        return replace(node, test=test, title=title, cites=(*node.cites, *dict.fromkeys(cites)))

    def _lookback(self, test: WithinLookback, cites: list[Clause]) -> tuple[WithinLookback, str]:
        params = self.file.parameters
        if params.lookback_extension is not None:
            test = replace(test, extended=params.lookback_extension.value)
            cites.append(self.cite(params.lookback_extension.citation))
        if params.lookback_years is not None:
            cites.append(self.cite(params.lookback_years.citation))
        years = params.lookback_years.value if params.lookback_years else None
        span = f"{years} years" if years else "the look-back"
        extension = ", extended by time incarcerated for a violent or serious crime" if test.extended else ""
        return test, f"entered within {span} before the instant arrest{extension} (as the proposal changes it)"

    def _warrant(self, test: JudicialWarrantPresented, cites: list[Clause]) -> JudicialWarrantPresented:
        params = self.file.parameters
        if params.judicial_warrant_signers is not None:
            test = replace(test, signers=frozenset(params.judicial_warrant_signers.value))
            cites.append(self.cite(params.judicial_warrant_signers.citation))
        if params.judicial_warrant_documents is not None:
            test = replace(test, documents=tuple(params.judicial_warrant_documents.value))
            cites.append(self.cite(params.judicial_warrant_documents.citation))
        return test


def _map(rule: Rule, change: Callable[[Node], Node | None]) -> Rule:
    warnings = tuple(replace(w, when=replace_where(w.when, change)) for w in rule.warnings)
    return replace(rule, root=replace_where(rule.root, change), warnings=warnings)


def _hold_limit(node: Node, hours: int, cite: Clause) -> Node | None:
    """§ 14-154(b)(2)'s hold, with the proposal's limit in place of 48 hours (its words say the new number)."""
    if node.id != "nypd.b2" or node.limits is None:
        return None
    says = node.says
    if says.true is not None:
        says = replace(says, true=says.true.replace("48 hours", f"{hours} hours"))
    return replace(
        node,
        title=node.title.replace("48 hours", f"{hours} hours"),
        limits=Limits(max_hours=hours, excluding=node.limits.excluding),
        says=says,
        cites=(*node.cites, cite),
    )


def _widen(node: Node, condition: Condition, reform: Reform) -> Node | None:
    """A record test ("convicted of a violent or serious crime, or a possible terrorist-screening match") with
    the condition as one more way to meet it."""
    if not node.id.endswith(".record") or not isinstance(node, AnyOf):
        return None
    p = node.id.removesuffix(".record")
    section = NYPD if p.startswith(("nypd", "citywide.nypd")) else DOC
    added = condition_node(condition, f"{p}.{condition.id}", section, reform.cite(condition.citation))
    return replace(node, title=f"{node.title}, or {added.title}", of=(*node.of, added), cites=(*node.cites,))


def condition_node(condition: Condition, p: str, section: Section, cite: Clause) -> Node:
    """The condition as a tree: its test (or the list it ranges over), inside a node that says the proposal's
    words and cites the user's citation."""
    inner, title = _condition_inner(condition, p, section)
    inner = replace(inner, clause=cite)
    return All(
        id=p,
        title=title,
        clause=cite,
        of=(inner,),
        says=Says(
            true=f"{condition.words} ({condition.citation})",
            false=f"The proposal's condition is not met: {title}.",
            unknown=f"Whether the proposal's condition is met is not known: {title}.",
        ),
    )


def _condition_inner(condition: Condition, p: str, section: Section) -> tuple[Node, str]:
    if isinstance(condition, GangDatabaseCondition):
        gang = FactIsTrue(
            "person.gang_database",
            "The person is listed in a law-enforcement gang database.",
            "The person is not listed in a law-enforcement gang database.",
            "The case does not say whether the person is listed in a gang database.",
        )
        return Leaf(id=f"{p}.gang", title="listed in a law-enforcement gang database", test=gang), (
            "listed in a law-enforcement gang database"
        )
    if isinstance(condition, ArrestsCondition):
        crimes = _crimes(condition.crimes, condition.id)
        test = ArrestsFor(crimes, condition.attempts, condition.at_least, condition.within_years)
        title = (
            f"at least {condition.at_least} arrests for {_listing(crimes, condition.attempts)} within "
            f"{condition.within_years} years"
        )
        return Leaf(id=f"{p}.arrests", title=title, test=test), title
    if isinstance(condition, FelonyConvictionCondition):
        within = f" within {condition.within_years} years" if condition.within_years else ""
        title = f"convicted of a felony{within}"
        leaf = Leaf(id=f"{p}.felony", title=f"a felony judgment{within}", test=FelonyConviction(condition.within_years))
        return _some(p, title, "person.convictions", "judgment", leaf, FelonyJudgmentExample()), title
    return _pending(condition, p, section)


def _pending(condition: PendingChargeCondition, p: str, section: Section) -> tuple[Node, str]:
    if condition.crimes == "violent-or-serious":
        title = "charged with a violent or serious crime (pending)"
        inner = violent_or_serious_crime(section, f"{p}.charge", "the charge is for a violent or serious crime")
        return _some(p, title, "person.pending_charges", "pending charge", inner, None), title
    crimes = _crimes(condition.crimes, condition.id)
    title = f"charged with {_listing(crimes, condition.attempts)} (pending)"
    leaf = Leaf(id=f"{p}.charge", title="the charge is listed", test=PendingChargeFor(crimes, condition.attempts))
    return _some(p, title, "person.pending_charges", "pending charge", leaf, PendingChargeExample(crimes)), title


def _some(p: str, title: str, collection: str, noun: str, condition: Node, witness: Any) -> Node:
    return ForSome(id=f"{p}.some", title=title, collection=collection, noun=noun, condition=condition, witness=witness)


def _listing(crimes: OffenseList, attempts: bool) -> str:
    text = ", ".join(f"PL {s}" for s in crimes.sections())
    return f"{text} (or an attempt)" if attempts else text


def _crimes(entries: list[str], cid: str) -> OffenseList:
    return OffenseList(f"reform.{cid}", tuple(parse_entry(e) for e in entries))


# --- loading and checking ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Reader:
    """One file being checked: its name and where each field is, to name the line of a refusal."""

    source: str
    where: Mapping[str, int]

    def refuse(self, field: str, message: str) -> ReformError:
        return ReformError(self.source, field, message, line_of(self.where, field))


def load_reform(text: str, source: str, pack: NewYorkCity) -> tuple[Regime, Reform]:
    """The proposal a reform file states, checked against the law it changes; raises :class:`ReformError` with
    the line and field of the first problem."""
    reader = _Reader(source, lines_of_fields(text))
    raw = read_toml(text, source)
    try:
        model = ReformFile.model_validate(raw, strict=True)
    except ValidationError as exc:
        raise validation_error(exc, source, reader.where, CONDITION_KINDS) from None
    check_id(model.id, pack.regimes, source, reader.where)
    day = model.law_in_force_on
    in_force = {day: pack.regime_in_force(day)} if day is not None else {}
    base = base_regime(pack.regimes, in_force, model.base, day, source, reader.where)
    if not (model.parameters.model_fields_set or model.offenses or model.condition or model.repeal):
        raise reader.refuse("(file)", "the reform changes nothing: give parameters, offenses, a repeal or a condition")
    base = _repealed(model, base, reader)
    params = _check_parameters(model, base, pack, reader)
    catalog = _check_offenses(model, reader)
    _check_conditions(model, base, pack, reader)
    words: dict[str, str] = {}
    for cited in _changes(model):
        words[cited.citation] = f"{words[cited.citation]} {cited.words}" if cited.citation in words else cited.words
    reform = Reform(model, catalog, words)
    regime = reform_regime(
        base,
        reform_id=model.id,
        title=model.title,
        summary=model.summary,
        introduced=model.introduced,
        sources=[Source(s.title, s.url, s.date) for s in model.sources],
        params=params,
        description=model.model_dump(mode="json", exclude_defaults=True),
    )
    return regime, reform


def _changes(model: ReformFile) -> list[Any]:
    parameters = [getattr(model.parameters, name) for name in sorted(model.parameters.model_fields_set)]
    lists = [change for change in (model.offenses, model.repeal) if change is not None]
    return [*(p for p in parameters if p is not None), *lists, *model.condition]


def _repealed(model: ReformFile, base: Regime, reader: _Reader) -> Regime:
    """The base without the provisions the reform repeals (each one the base has); the regime built from it keeps
    the base's id as its base."""
    if model.repeal is None:
        return base
    provisions = dict(base.provisions)
    for i, name in enumerate(model.repeal.provisions):
        if name not in provisions:
            known = ", ".join(sorted(provisions)) or "none"
            raise reader.refuse(f"repeal.provisions[{i}]", f"{base.id} has no provision {name!r} (it has: {known})")
        del provisions[name]
    return replace(base, provisions=provisions)


def _check_parameters(model: ReformFile, base: Regime, pack: NewYorkCity, reader: _Reader) -> dict[str, Any]:
    """The parameters as changed; a change to a parameter the base does not use, or to the value it already has,
    is refused (it would read as a change and change nothing)."""
    params = dict(base.params)
    parameters = model.parameters
    nodes = _nodes(pack, base)
    lookback = any(isinstance(n, Leaf) and isinstance(n.test, WithinLookback) for n in nodes)
    if parameters.lookback_years is not None:
        if not lookback:
            raise reader.refuse("parameters.lookback_years", f"{base.id} has no look-back to change")
        if parameters.lookback_years.value == base.params["lookback_years"]:
            raise reader.refuse(
                "parameters.lookback_years.value", f"already {base.params['lookback_years']} in {base.id}"
            )
        params["lookback_years"] = parameters.lookback_years.value
    if parameters.lookback_extension is not None:
        if not lookback:
            raise reader.refuse("parameters.lookback_extension", f"{base.id} has no look-back to change")
        if parameters.lookback_extension.value:
            raise reader.refuse(
                "parameters.lookback_extension.value", f"the look-back of {base.id} is already extended"
            )
    if parameters.nypd_hold_limit_hours is not None:
        if not any(n.id == "nypd.b2" for n in nodes):
            raise reader.refuse(
                "parameters.nypd_hold_limit_hours", f"{base.id} has no NYPD 48-hour hold (§ 14-154(b)(2))"
            )
        if parameters.nypd_hold_limit_hours.value == 48:
            raise reader.refuse("parameters.nypd_hold_limit_hours.value", f"already 48 hours in {base.id}")
    for name in ("judicial_warrant_signers", "judicial_warrant_documents"):
        change = getattr(parameters, name)
        if change is not None and len(set(change.value)) != len(change.value):
            raise reader.refuse(f"parameters.{name}.value", "a value is listed more than once")
    return params


def _nodes(pack: NewYorkCity, base: Regime) -> list[Node]:
    return [
        node
        for agency in pack.agencies
        for action in pack.actions
        for node in pack.rule(base, agency, action, day=dt.date.max, by_date=False).root.walk()
    ]


def _check_offenses(model: ReformFile, reader: _Reader) -> ViolentOrSeriousCrimeList | None:
    """The "violent or serious crime" list with the additions and removals: a removal must name an entry as
    listed, an addition a section not listed (to change a subdivision limit, remove the entry and add the new
    one), and nothing both added and removed."""
    offenses = model.offenses
    if offenses is None:
        return None
    if not offenses.add and not offenses.remove:
        raise reader.refuse("offenses", "give sections to add or to remove")
    entries = {e.text: e for e in CATALOG.felonies.entries}
    removed = []
    for i, text in enumerate(offenses.remove):
        entry = _entry(text, f"offenses.remove[{i}]", reader)
        if entry.text not in entries:
            raise reader.refuse(
                f"offenses.remove[{i}]", f"PL {entry.text} is not listed (as written) in subparagraph (i)"
            )
        removed.append(entries.pop(entry.text).text)
    sections = {e.section: e.text for e in entries.values()}
    added = []
    for i, text in enumerate(offenses.add):
        entry = _entry(text, f"offenses.add[{i}]", reader)
        if entry.text in removed:
            raise reader.refuse(f"offenses.add[{i}]", f"PL {entry.text} is both added and removed")
        if entry.section in sections:
            raise reader.refuse(
                f"offenses.add[{i}]", f"PL {entry.section} is already listed as {sections[entry.section]!r}"
            )
        sections[entry.section] = entry.text
        added.append(entry)
    felonies = OffenseList(f"{CATALOG.id}+{model.id}", (*entries.values(), *added))
    raw = dict(CATALOG.raw) | {"reform": {"id": model.id, "add": list(offenses.add), "remove": list(offenses.remove)}}
    return ViolentOrSeriousCrimeList(felonies.id, felonies, CATALOG.additions, raw)


def _entry(text: str, field: str, reader: _Reader) -> Any:
    try:
        return parse_entry(text)
    except OffenseListError:
        raise reader.refuse(
            field,
            f"cannot read {text!r}: write a Penal Law section as the statute does (160.05, 265.02(2) through (8))",
        ) from None


def _check_conditions(model: ReformFile, base: Regime, pack: NewYorkCity, reader: _Reader) -> None:
    """Each condition names agencies and actions once each, reads listed crimes it can parse, and widens a rule
    that has a record test to widen under the base (an agency's rule that asks nothing of the person's record —
    a city agency under § 10-178, Probation's notification — has no place for it)."""
    seen: set[str] = set()
    for i, condition in enumerate(model.condition):
        at = f"condition[{i}]"
        if condition.id in seen:
            raise reader.refuse(f"{at}.id", f"condition {condition.id!r} is declared twice")
        seen.add(condition.id)
        for name in ("agencies", "actions"):
            values = getattr(condition, name)
            if len(set(values)) != len(values):
                raise reader.refuse(f"{at}.{name}", "a value is listed more than once")
        crimes = getattr(condition, "crimes", "violent-or-serious")
        if isinstance(crimes, list):
            for j, text in enumerate(crimes):
                _entry(text, f"{at}.crimes[{j}]", reader)
        if isinstance(condition, PendingChargeCondition) and crimes == "violent-or-serious" and condition.attempts:
            raise reader.refuse(
                f"{at}.attempts",
                "the violent-or-serious definition already counts felony attempts (subparagraph (iii))",
            )
        for agency in condition.agencies:
            for action in condition.actions:
                root = pack.rule(base, agency, action, day=dt.date.max, by_date=False).root
                if not any(n.id.endswith(".record") and isinstance(n, AnyOf) for n in root.walk()):
                    raise reader.refuse(
                        f"{at}.actions",
                        f"under {base.id}, the rule on {action} for {agency} asks nothing of the person's record: "
                        "there is no record test for the condition to widen",
                    )
