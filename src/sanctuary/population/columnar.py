"""The columnar evaluator: each rule tree compiled once into Polars expressions over whole tables.

The same trees the single-case engine walks are compiled, node by node, into expressions on nullable
booleans — Polars' ``&``, ``|`` and ``~`` follow Kleene's logic, null being unknown — over a table of records
and, for "some judgment such that …", a table of judgments (one row each) aggregated back per person.

The leaves are the tests of the law pack, run by their own ``check`` — never re-implemented — once per
*distinct input*: a request-and-person pattern for tests of the record, a single judgment or charge for
tests of an item (in each period of the law between the jurisdiction's ``law_changes()``). A test whose value
depends on the person's whole history — New York's look-back, through the incarceration extension — says so by
the core's :class:`~sanctuary.law.tree.HistoryTest` interface, and is run through it: the extension by its own
definition once per distinct history, the look-back by its own once per distinct (judgment date, arrest,
decision date, extension). No rule is written here a second time, no jurisdiction pack is imported, and no
fact is named: the columns, the lists and what the history-dependent test reads are the pack's tables layout
(:class:`~sanctuary.population.tables.TablesLayout`). A property test holds every record's result to the
single-case engine's.

It decides populations given as tables (:mod:`sanctuary.population.tables`): the public-data loaders', the
generator's, and a tables folder from anyone — typed by its Parquet schema, and validated here once per
distinct record pattern and per distinct item by the contract itself (a record whose pattern or any item
the contract rejects is ``invalid``). Cases written as JSON text go through
:mod:`sanctuary.population.evaluate`, which validates each case.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import polars as pl

from sanctuary.engine.evaluate import CaseView
from sanctuary.facts.case import EARLIEST_DATE, LATEST_DATE, Case, CaseError
from sanctuary.facts.dates import PARTIAL_PATTERN, PartialDate
from sanctuary.facts.truth import Tri
from sanctuary.law.jurisdiction import Jurisdiction
from sanctuary.law.tree import (
    All,
    Always,
    AnyOf,
    Counted,
    Finding,
    ForSome,
    HistoryTest,
    Leaf,
    Node,
    Not,
    Rule,
    When,
    describe,
    over_days,
)
from sanctuary.population.evaluate import INVALID, RESULT, Scenario
from sanctuary.population.pack import tables_layout
from sanctuary.population.tables import History, Tables, TablesLayout, drop_nulls, flatten

FNV_PRIME = 0x100000001B3  # mixes column hashes into one (any odd number would do: ids are checked one to one)
ISO_DATE = "%Y-%m-%d"  # the contract's dates (an explicit format is parsed ten times faster than a guessed one)


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _is_partial(text: str) -> bool:
    return re.fullmatch(PARTIAL_PATTERN, text) is not None


def _tri(value: Tri) -> bool | None:
    return None if value is Tri.UNKNOWN else value is Tri.TRUE


def _leaves(node: Node, inside: str | None = None) -> Iterator[tuple[Leaf, str | None]]:
    """Every leaf of a tree, with the list it ranges over (``None`` for the record itself)."""
    if isinstance(node, Leaf):
        yield node, inside
    elif isinstance(node, ForSome):
        yield from _leaves(node.condition, node.collection)
    else:
        for child in node.children():
            yield from _leaves(child, inside)


# The leaves a table needs, by column name: the leaf, the regime's parameters, and a key naming both.
Leaves = dict[str, tuple[Leaf, dict[str, Any], str]]
# The rules a chunk asks for, by (agency, regime, action): the rule and its regime's parameters.
Rules = dict[tuple[str, str, str], tuple[Rule, dict[str, Any]]]


def _leaf_key(leaf: Leaf, params: dict[str, Any]) -> str:
    return f"{leaf.test!r}|{json.dumps(params, sort_keys=True)}"


@dataclass(slots=True)
class ColumnarDecider:
    """Decides the records of a population, as tables (or a frame of the single-file layout), under every
    regime and action of a scenario (same results as :class:`~sanctuary.population.evaluate.PatternDecider`).

    Chunks may be decided in several threads at once: the caches only gain entries every thread would compute
    alike, and the one shared numbering (of judgments' facts) is taken under a lock."""

    jurisdiction: Jurisdiction
    scenario: Scenario
    # What the law pack's own definitions said of an input already met, kept across the chunks of a run.
    _record_cache: dict[str, dict[str, Any]] = field(default_factory=dict)
    _item_cache: dict[str, dict[str, Any]] = field(default_factory=dict)
    _judgment_facts: dict[tuple[bool | None, Any], int] = field(default_factory=dict)  # facts: an index in _counted
    _counted: list[Counted] = field(default_factory=list)
    _numbering: threading.Lock = field(default_factory=threading.Lock)
    _extension_cache: dict[tuple[Any, ...], tuple[int, int | None]] = field(default_factory=dict)
    _lookback_cache: dict[tuple[Any, ...], bool | None] = field(default_factory=dict)
    # The pack's case model as tables (none: the pack declares no layout, and every rule is decided case by case).
    _layout: TablesLayout | None = field(default=None, init=False)
    # Derived from the layout once (asked for once per distinct item): ``person.<list>`` → the item table's name,
    # and each list's item fields.
    _paths: dict[str, str] = field(default_factory=dict, init=False)
    _fields: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self._layout = tables_layout(self.jurisdiction)
        if self._layout is not None:
            self._paths = {f"person.{name}": name for name in self._layout.lists}
            self._fields = {name: self._layout.fields(name) for name in self._layout.lists}

    @property
    def layout(self) -> TablesLayout:
        """The pack's tables layout; :class:`ValueError` for a pack that declares none."""
        if self._layout is None:
            raise ValueError(f"the {self.jurisdiction.name} pack declares no tables layout")
        return self._layout

    @property
    def _lists(self) -> dict[str, str]:
        """The person's lists: ``person.<name>`` (the path rules range over) → the item table's name (none
        without a layout)."""
        return self._paths

    @property
    def _history(self) -> History:
        """The facts the history-dependent test reads (``supports`` has checked the pack declares them)."""
        if self.layout.history is None:
            raise ValueError(f"the {self.jurisdiction.name} pack's tables layout declares no history")
        return self.layout.history

    def supports(self) -> bool:
        """Whether every rule of the scenario can be decided item by item: a test that reads beyond its item
        and the record's own facts (``whole_case``: another item of a list, the arrest date inside a judgment —
        the 2013 rules on "more than one case" and the ten-year look-back) cannot, and then the comparison
        decides with the single-case engine instead (:class:`~sanctuary.population.evaluate.PatternDecider`). So
        does it when the rules hold more than one kind of history-dependent test (:class:`HistoryTest`): the
        extensions here are computed over one history, as one test counts it. And so does it for a pack that
        declares no tables layout, or whose rules hold a history-dependent test its layout does not place."""
        if self._layout is None:
            return False
        history: set[str] = set()
        for regime_id in self.scenario.regimes:
            regime = self.jurisdiction.regimes[regime_id]
            for agency in self.jurisdiction.agencies:
                for action in self.scenario.actions:
                    rule = self.jurisdiction.rule(regime, agency, action, day=dt.date.max, by_date=False)
                    if any(getattr(leaf.test, "whole_case", False) for leaf, _ in _leaves(rule.root)):
                        return False
                    history.update(_history_tests(rule.root))
        return len(history) == 0 or (len(history) == 1 and self._layout.history is not None)

    # --- preparing the tables -----------------------------------------------------------------------

    def _tables(self, chunk: Tables) -> tuple[pl.DataFrame, dict[str, pl.DataFrame]]:
        """The records with the scenario's assumptions applied and an id per distinct request-and-person
        pattern (``rid``); and one table per list (judgments, pending charges), one row per item of a known
        list, with the record's agency and dates and an id per distinct item (``iid``)."""
        layout, lists = self.layout, self._lists
        arrest = layout.arrest
        records = chunk.records.with_row_index("idx").select(
            "idx",
            "agency",
            "request",
            *layout.facts,
            *(pl.col(f"{name}_known").fill_null(False) for name in layout.lists),
            decision_text="decision_date",
            arrest_text=pl.col(arrest) if arrest is not None else pl.lit(None, dtype=pl.String),
            has_request=pl.col("request").is_not_null(),
        )
        items = {path: chunk.list_table(name).rename({"record": "idx"}) for path, name in lists.items()}
        for path, value in self.scenario.assumptions:
            records, items = self._assume(records, items, path, value)
        records = records.with_columns(
            decision=pl.col("decision_text").str.to_date(ISO_DATE, strict=False),
            arrest=pl.col("arrest_text").str.to_date(ISO_DATE, strict=False),
        )
        for path, name in lists.items():
            # Each item with its record's agency and dates, taken by row number (``idx`` is the row). Only the
            # items of known lists of records with a case count: the judgment on the current case joins the
            # history only when the history is known (no other item is in an unknown list: ``tables`` checks).
            rows = items[path]["idx"].cast(pl.UInt32)
            context = records.select(
                pl.col(c).gather(rows) for c in ("agency", "decision_text", "decision", "arrest", f"{name}_known")
            )
            listed = items[path].with_columns(rows).hstack(context)
            listed = listed.filter(pl.col(f"{name}_known") & pl.col("agency").is_not_null()).drop(f"{name}_known")
            changes = self.jurisdiction.law_changes()
            if layout.items_by_law_period:
                listed = listed.with_columns(_law_day(listed["decision"].unique(), layout.fields(name), changes))
            else:  # the item's leaves may read the decision date itself: run on it
                listed = listed.with_columns(law_day=pl.col("decision_text"))
            items[path] = _with_id(listed, ("agency", "law_day", *layout.fields(name)), "iid")
        records = records.filter(pl.col("agency").is_not_null())  # a record without a case is invalid
        records = records.with_columns(request_id=pl.col("request").struct.json_encode().rank("dense"))
        records = _with_id(records, self._record_fields(), "rid")  # an id per distinct request-and-person pattern
        return records, items

    def _assume(
        self, records: pl.DataFrame, items: dict[str, pl.DataFrame], path: str, value: Any
    ) -> tuple[pl.DataFrame, dict[str, pl.DataFrame]]:
        """Apply a scenario assumption to the tables (the paths the pattern evaluator accepts)."""
        head, _, name = path.partition(".")
        layout = self.layout
        arrest = layout.arrest
        if head == "person" and name in layout.lists:
            fields = layout.fields(name)
            # The list is known and is the value given, for everyone (the judgment on the current case kept).
            if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
                raise ValueError(f"--assume {path}: the value must be a list of objects")
            unknown = sorted({key for item in value for key in item} - set(fields))
            if unknown:
                raise ValueError(f"--assume {path}: unknown field(s) {', '.join(unknown)}")
            schema = items[path].schema
            try:
                given = pl.DataFrame(
                    [{k: item.get(k) for k in fields} for item in value],
                    schema={k: schema[k] for k in fields},
                )
            except (TypeError, ValueError, pl.exceptions.PolarsError) as exc:
                raise ValueError(f"--assume {path}: {exc}") from None
            kept = items[path].filter(pl.col("current_case")) if "current_case" in schema else items[path].clear()
            added = records.select(pl.col("idx").cast(schema["idx"])).join(given, how="cross")
            if "current_case" in schema:
                added = added.with_columns(current_case=pl.lit(False))
            items = dict(items, **{path: pl.concat([kept, added.select(kept.columns)])})
            return records.with_columns(pl.lit(True).alias(f"{name}_known")), items
        if head == "person" and name in layout.facts:
            column = "arrest_text" if name == arrest else name
            return records.with_columns(_literal(value, records.schema[column]).alias(column)), items
        request_type = layout.request
        if head == "request" and name in request_type.to_schema():
            if not records["has_request"].any():
                # Records from public data carry no request: the assumed request is one constant.
                constant = _literal(dict(self.scenario.request, **{name: value}), request_type)
                return records.with_columns(request=constant, has_request=pl.lit(True)), items
            literal = _literal(value, request_type.to_schema()[name])
            base = (
                pl.when(pl.col("has_request"))
                .then(pl.col("request"))
                .otherwise(_literal(dict(self.scenario.request), request_type))
            )
            records = records.with_columns(
                request=base.struct.with_fields(literal.alias(name)), has_request=pl.lit(True)
            )
            return records, items
        raise ValueError(
            f"--assume {path}: the columnar evaluator applies assumptions to whole facts only "
            f"(person.<fact>, {', '.join(self._lists)}, request.<field>)"
        )

    def _record_fields(self) -> tuple[str, ...]:
        """What tells two records' request-and-person patterns apart (the lists aside): the columns ``rid`` is
        computed over, the arrest date read as ``arrest_text``."""
        layout = self.layout
        others = (name for name in layout.facts if name != layout.arrest)
        return ("agency", "decision_text", "arrest_text", "has_request", "request_id", *others)

    # --- leaves, by their own definitions, once per distinct input ------------------------------------

    def _record_view(self, row: dict[str, Any]) -> CaseView:
        layout = self.layout
        arrest = layout.arrest
        person = {k: row[k] for k in layout.facts if k != arrest and row[k] is not None}
        if arrest is not None and row["arrest_text"] is not None:
            person[arrest] = row["arrest_text"]
        request = drop_nulls(row["request"]) if row["has_request"] else dict(self.scenario.request)
        request["actions"] = ["hold"]
        data = {"agency": row["agency"], "decision_date": row["decision_text"], "request": request, "person": person}
        return CaseView(self._valid(data), {})

    def _valid(self, data: dict[str, Any]) -> Case:
        """The case the contract and the jurisdiction's law accept, else :class:`CaseError` (as ``decide``)."""
        case = self.jurisdiction.case_format.parse(json.dumps(data))
        problems = self.jurisdiction.problems(case)
        if problems:
            raise CaseError(problems)
        return case

    def _values(self, known: dict[str, Any], make_view: Callable[[], CaseView], leaves: Leaves) -> dict[str, Any]:
        """Each leaf's value on one input: from ``known`` (what an earlier chunk found for the same input, by
        leaf and parameters), else by the leaf's own ``check``. An input the contract rejects is invalid."""
        if "_view" not in known:
            try:
                known["_view"] = make_view()
            except CaseError:
                known["_view"] = None
        view: CaseView | None = known["_view"]
        if view is None:
            return {"_invalid": True}
        out: dict[str, Any] = {"_invalid": False}
        for name, (leaf, params, key) in leaves.items():
            if key not in known:
                known[key] = _tri(leaf.test.check(CaseView(view.case, params, view.item, view.item_path)).value)
            out[name] = known[key]
        return out

    def _record_values(self, records: pl.DataFrame, leaves: Leaves) -> pl.DataFrame:
        """Every record-level leaf on every distinct request-and-person pattern: one row per ``rid``."""
        distinct = records.select("rid", "request", *self._record_fields()).unique(subset="rid")
        rows = []
        for row in distinct.iter_rows(named=True):
            pattern = {k: v for k, v in row.items() if k not in ("rid", "request_id")}
            known = self._record_cache.setdefault(json.dumps(pattern, sort_keys=True), {})
            rows.append({"rid": row["rid"], **self._values(known, partial(self._record_view, row), leaves)})
        schema: dict[str, Any] = {
            "rid": records.schema["rid"],
            "_invalid": pl.Boolean,
            **{n: pl.Boolean for n in leaves},
        }
        return pl.DataFrame(rows, schema=schema)

    def _item_view(self, collection: str, item: dict[str, Any], agency: str, decided: str) -> CaseView:
        name = self._paths[collection]
        data = {
            "agency": agency,
            "decision_date": decided,
            "request": {"actions": ["hold"]},
            "person": {name: [drop_nulls(item)]},
        }
        case = self._valid(data)
        return CaseView(case, {}, getattr(case.person, name)[0], f"{collection}[0]")

    def _item_values(
        self, collection: str, items: pl.DataFrame, leaves: Leaves, history: HistoryTest | None
    ) -> pl.DataFrame:
        """Every item-level leaf on every distinct item (and, given the rules' history-dependent test, whether the
        item counts for the history, which the look-back's extension needs): one row per ``iid``."""
        fields = self._fields[self._paths[collection]]
        distinct = items.unique(subset="iid").select("iid", "agency", "law_day", *fields)
        rows = []
        for iid, agency, decided, *values in distinct.iter_rows():
            item = dict(zip(fields, values, strict=True))
            known = self._item_cache.setdefault(json.dumps([collection, agency, decided, item], sort_keys=True), {})
            out = {
                "iid": iid,
                **self._values(known, partial(self._item_view, collection, item, agency, decided), leaves),
            }
            if history is not None and not out["_invalid"]:
                if "_vsc" not in known:
                    known["_vsc"] = _tri(history.counts(known["_view"]))
                out["_vsc"] = known["_vsc"]
            rows.append(out)
        schema: dict[str, Any] = {"iid": items.schema["iid"], "_invalid": pl.Boolean, **{n: pl.Boolean for n in leaves}}
        if history is not None:
            schema["_vsc"] = pl.Boolean
        return pl.DataFrame(rows, schema=schema)

    def _extension(self, items: pl.DataFrame, test: HistoryTest) -> tuple[pl.DataFrame, pl.DataFrame]:
        """Per judgment (``idx``, ``iid``): the days its look-back is extended at least (``low``) and at most
        (``high``, null when unbounded), by the law pack's own definition (``test.extension``; in New York the
        incarceration extension), run once per distinct (arrest, history, judgment tested and its dates) — the
        extension counts custody from the commission of the tested judgment's crime (I-11). Returns that table
        (with each judgment's history as a number, ``hid``, and its facts' number, ``fact``) and the histories
        by number (``hid``, ``history``).

        A history is the record's judgments that do or may count for it (``test.counts``: in New York, those for
        a violent or serious crime), each keyed by what the extension reads of it (whether it counts, and its
        custody), numbered once per run, so the grouping works on lists of integers, not on nested structs, and
        a history already met in an earlier chunk is not computed again. Each history is then numbered in the
        chunk (``hid``), so that the joins that follow work on integers, not on lists."""
        # Judgments the contract rejects are left out: their record is invalid whatever its extension.
        valid = items.filter(~pl.col("_invalid"))
        relevant = valid.filter(pl.col("_vsc").is_null() | pl.col("_vsc")).select("idx", "iid", "_vsc", "_custody")
        facts_of = self._judgment_fact_ids(relevant.unique(subset="iid").select("iid", "_vsc", "_custody"))
        histories = _with_id(
            relevant.select("idx", "iid")
            .join(facts_of, on="iid", how="left")
            .group_by("idx")
            .agg(pl.col("fact").sort().alias("history")),
            ("history",),
            "hid",
        )
        numbered = histories.unique(subset="hid").select("hid", "history")
        tested = (
            valid.select("idx", "iid", "arrest", "_committed", "_judged_text")
            .unique(subset=["idx", "iid"])
            .join(facts_of, on="iid", how="left")
            .join(histories.select("idx", "hid"), on="idx", how="left")
        )
        keys = ["arrest", "hid", "fact", "_committed", "_judged_text"]
        distinct = tested.select(keys).unique().join(numbered, on="hid", how="left")
        lows: list[int] = []
        highs: list[int | None] = []
        for arrest, _, fact, committed, judged, history in distinct.iter_rows():
            low, high = self._extension_of(test, arrest, history, fact, committed, judged)
            lows.append(low)
            highs.append(high)
        values = distinct.select(*keys, low=pl.Series(lows, dtype=pl.Int64), high=pl.Series(highs, dtype=pl.Int64))
        extension = tested.join(values, on=keys, how="left", nulls_equal=True).select(
            "idx", "iid", "low", "high", "hid", "fact", pl.lit(True).alias("counted")
        )
        return extension, numbered

    def _judgment_fact_ids(self, judgments: pl.DataFrame) -> pl.DataFrame:
        """``iid`` → the number of what the extension reads of the judgment (shared across chunks)."""
        fact_ids: list[int] = []
        for vsc, custody in judgments.select("_vsc", "_custody").iter_rows():
            periods = None if custody is None else [(_day(p["from"]), _day(p["to"])) for p in custody if p is not None]
            facts = (vsc, None if periods is None else tuple(periods))
            with self._numbering:  # chunks may be decided in two threads: one number per judgment's facts
                if facts not in self._judgment_facts:
                    self._judgment_facts[facts] = len(self._counted)
                    self._counted.append((Tri.UNKNOWN if vsc is None else Tri.of(vsc), periods))
                fact_ids.append(self._judgment_facts[facts])
        return judgments.select("iid", fact=pl.Series(fact_ids, dtype=pl.Int64))

    def _extension_of(
        self,
        test: HistoryTest,
        arrest: dt.date | None,
        history: list[int] | None,
        fact: int | None,
        committed: str | None,
        judged: str | None,
    ) -> tuple[int, int | None]:
        if arrest is None:  # the look-back never asks for the extension without an arrest date
            return 0, None
        if history is None:  # no judgment of the record does or may count
            return 0, 0
        key = (arrest, *history, -1, fact, committed, judged)
        if key not in self._extension_cache:
            index = history.index(fact) if fact is not None and fact in history else -1
            counted = [self._counted[f] for f in history]
            offense = _day(committed) if committed else None
            judgment = _day(judged) if judged and not _is_partial(judged) else None  # a partial date: per day
            self._extension_cache[key] = test.extension(arrest, counted, index, offense, judgment)
        return self._extension_cache[key]

    def _partial_lookback(
        self, items: pl.DataFrame, test: HistoryTest, years: int, name: str, histories: pl.DataFrame
    ) -> pl.DataFrame:
        """The look-back of judgments whose date is a year or a month (I-57): on every possible day, the
        extension and the finding by their own definitions, combined by ``over_days`` as the single-case test
        combines them — once per distinct (date, offense, arrest, decision, history). Only dates shorter than
        a full date are read by the pattern (most populations have none: one pass over the lengths)."""
        keys = ["_judged_text", "_committed", "arrest", "decision", "hid", "fact"]
        short = items.filter((pl.col("_judged_text").str.len_bytes() < len("YYYY-MM-DD")) & ~pl.col("_invalid"))
        partial_rows = short.filter(pl.col("_judged_text").str.contains(PARTIAL_PATTERN))
        if not partial_rows.height:
            return items
        distinct = partial_rows.select(keys).unique()
        found: list[bool | None] = []
        for judged, committed, arrest, decision, _, fact, history in distinct.join(
            histories, on="hid", how="left"
        ).iter_rows():
            interval = PartialDate.parse(judged)
            since = _day(committed) if committed else None

            on = partial(self._lookback_on, test, years, arrest, decision, history, fact, committed)
            found.append(_tri(over_days(interval.days(since=since, until=decision), on, "", judged).value))
        values = distinct.with_columns(pl.Series(f"{name}_partial", found, dtype=pl.Boolean), _partial=pl.lit(True))
        joined = items.join(values, on=keys, how="left", nulls_equal=True)
        return joined.with_columns(
            pl.when(pl.col("_partial").fill_null(False) & ~pl.col("_invalid"))
            .then(pl.col(f"{name}_partial"))
            .otherwise(pl.col(name))
            .alias(name)
        ).drop(f"{name}_partial", "_partial")

    def _lookback_on(
        self,
        test: HistoryTest,
        years: int,
        arrest: dt.date | None,
        decision: dt.date,
        history: list[int] | None,
        fact: int | None,
        committed: str | None,
        day: dt.date,
    ) -> Finding:
        """The look-back of a judgment had it been entered on ``day``."""
        extension = self._extension_of(test, arrest, history, fact, committed, day.isoformat())
        return test.finding(day, arrest, decision, years, extension)

    def _lookback(
        self, items: pl.DataFrame, test: HistoryTest, years: int, name: str, histories: pl.DataFrame
    ) -> pl.DataFrame:
        """The look-back, by its own definition (``test.finding``), once per distinct (judgment date, arrest,
        decision date, extension)."""
        keys = ["judged", "arrest", "decision", "low", "high"]
        # Only judgments the contract accepts (their dates are in its range): a rejected one's record is invalid.
        distinct = items.filter(~pl.col("_invalid")).select(keys).unique()
        found: list[bool | None] = []
        for judged, arrest, decision, low, high in distinct.iter_rows():
            key = (judged, arrest, decision, low, high, years)
            if key not in self._lookback_cache:
                finding = test.finding(
                    judged, arrest, decision, years, (int(low or 0), None if high is None else int(high))
                )
                self._lookback_cache[key] = _tri(finding.value)
            found.append(self._lookback_cache[key])
        values = distinct.with_columns(pl.Series(name, found, dtype=pl.Boolean))
        joined = items.join(values, on=keys, how="left", nulls_equal=True)
        return self._partial_lookback(joined, test, years, name, histories)

    # --- compiling the trees -----------------------------------------------------------------------

    def _compile(self, node: Node, names: dict[int, str]) -> pl.Expr:
        if isinstance(node, Leaf | ForSome):
            return pl.col(names[id(node)])
        if isinstance(node, Always):
            return pl.lit(node.value, dtype=pl.Boolean)
        if isinstance(node, Not):
            return ~self._compile(node.of, names)
        if isinstance(node, All | AnyOf):
            parts = [self._compile(child, names) for child in node.of]
            expr = parts[0]
            for part in parts[1:]:
                expr = (expr & part) if isinstance(node, All) else (expr | part)
            return expr
        if isinstance(node, When):
            condition = self._compile(node.condition, names)
            then, otherwise = self._compile(node.then, names), self._compile(node.otherwise, names)
            agree = pl.when(then.eq_missing(otherwise)).then(then).otherwise(pl.lit(None, dtype=pl.Boolean))
            return pl.when(condition.is_null()).then(agree).when(condition).then(then).otherwise(otherwise)
        raise TypeError(f"cannot compile {type(node).__name__}")

    def decide_frame(self, frame: pl.DataFrame, *, keep_cases: bool = True) -> pl.DataFrame:
        """A frame of the single-file layout, with one result column per regime and action (``regime|action``)."""
        results = self.results(flatten(frame, self.layout))
        return (frame if keep_cases else frame.drop("case", "current_judgment")).hstack(results)

    def decide_tables(self, chunk: Tables) -> pl.DataFrame:
        """The records of a population in tables, with one result column per regime and action."""
        return chunk.records.hstack(self.results(chunk))

    def results(self, chunk: Tables) -> pl.DataFrame:
        """One row per record (in order), one column per regime and action: the result, or ``invalid`` for a
        record the contract rejects (or that has no case). In phases: the rules and their leaves named; every leaf
        evaluated on the records and items; the look-backs; the for-some nodes aggregated per record; each rule
        compiled over its agency's records; the invalid records marked."""
        records, items = self._tables(chunk)
        rules = self._rules(records["agency"].unique().to_list())
        names, record_leaves, item_leaves, lookbacks, history = _name_leaves(rules, tuple(self._lists))
        # From here on a slim table: the record's id, its agency, whether each list is known, and the leaf
        # values (the heavy nested columns stay in the item tables, where they are needed).
        values = self._record_values(records, record_leaves)
        lists = self._lists
        table = records.select("idx", "rid", "agency", *(f"{name}_known" for name in lists.values())).join(
            values, on="rid", how="left"
        )
        invalid = [table.filter(pl.col("_invalid")).select("idx")]
        walked = None if history is None else f"person.{self._history.list}"  # the list the look-back walks
        for path in lists:
            counts = history if path == walked else None
            item_values = self._item_values(path, items[path], item_leaves[path], counts)
            items[path] = items[path].join(item_values, on="iid", how="left")
            invalid.append(items[path].filter(pl.col("_invalid")).select("idx"))
        if history is not None and walked is not None:
            items[walked] = self._lookbacks(items[walked], history, lookbacks)
        table, rule_names = self._aggregate(table, items, rules, names)
        wide = self._decide(table, rules, rule_names)
        return self._mark_invalid(wide, pl.concat(invalid).unique(), chunk.height)

    def _rules(self, agencies: list[str]) -> Rules:
        """Every rule the records ask for: by (agency, regime, action), with the regime's parameters."""
        rules: Rules = {}
        for agency in agencies:
            for regime_id in self.scenario.regimes:
                regime = self.jurisdiction.regimes[regime_id]
                for action in self.scenario.actions:
                    rule = self.jurisdiction.rule(regime, agency, action, day=dt.date.max, by_date=False)
                    rules[(agency, regime_id, action)] = (rule, dict(regime.params))
        return rules

    def _lookbacks(self, judgments: pl.DataFrame, history: HistoryTest, lookbacks: dict[int, str]) -> pl.DataFrame:
        """The judgments with each look-back's column: the extension per judgment, then the look-back itself.
        The item fields the test reads (the pack's ``History``) are named apart first: ``_judged_text``,
        ``_committed``, ``_custody``."""
        facts = self._history
        judgments = judgments.with_columns(
            _judged_text=pl.col(facts.judged), _committed=pl.col(facts.committed), _custody=pl.col(facts.custody)
        )
        extension, histories = self._extension(judgments, history)
        # A judgment with no row in ``extension`` (one the contract rejects): no extension at all.
        judgments = (
            judgments.join(extension, on=["idx", "iid"], how="left")
            .with_columns(
                pl.col("low").fill_null(0),
                pl.when(pl.col("counted")).then(pl.col("high")).otherwise(pl.lit(0, dtype=pl.Int64)).alias("high"),
                judged=pl.col("_judged_text").str.to_date(ISO_DATE, strict=False),
            )
            .drop("counted")
        )
        for years, name in lookbacks.items():
            judgments = self._lookback(judgments, history, years, name, histories)
        return judgments

    def _aggregate(
        self, table: pl.DataFrame, items: dict[str, pl.DataFrame], rules: Rules, names: dict[str, str]
    ) -> tuple[pl.DataFrame, dict[tuple[str, str, str], dict[int, str]]]:
        """The for-some nodes: each distinct one aggregated once per person, shared by every rule that has it,
        all the nodes over one list in a single grouping. Returns the table with a column per node, and for each
        rule the column of each of its leaves and for-some nodes."""
        aggregates: dict[str, str] = {}
        lists = self._lists
        conditions: dict[str, dict[str, pl.Expr]] = {path: {} for path in lists}
        rule_names: dict[tuple[str, str, str], dict[int, str]] = {}
        for rule_key, (rule, params) in rules.items():
            node_names = {id(leaf): names[f"{inside}|{_leaf_key(leaf, params)}"] for leaf, inside in _leaves(rule.root)}
            for node in (n for n in rule.root.walk() if isinstance(n, ForSome)):
                key = json.dumps([node.collection, describe(node.condition), params], sort_keys=True, default=str)
                if key not in aggregates:
                    aggregates[key] = name = f"some{len(aggregates)}"
                    conditions[node.collection][name] = self._compile(node.condition, node_names)
                node_names[id(node)] = aggregates[key]
            rule_names[rule_key] = node_names
        for path, named in conditions.items():
            if named:
                table = _some(table, items[path], named, f"{lists[path]}_known")
        return table, rule_names

    def _decide(
        self, table: pl.DataFrame, rules: Rules, rule_names: dict[tuple[str, str, str], dict[int, str]]
    ) -> pl.DataFrame:
        """Every rule of an agency in one pass over its records: a result column per regime and action."""
        columns = [f"{r}|{a}" for r in self.scenario.regimes for a in self.scenario.actions]
        parts = []
        agencies = table["agency"].unique().to_list()
        for agency in agencies:
            subset = table if len(agencies) == 1 else table.filter(pl.col("agency") == agency)
            exprs = [
                _result(self._compile(rule.root, rule_names[key])).alias(f"{key[1]}|{key[2]}")
                for key, (rule, _) in rules.items()
                if key[0] == agency
            ]
            parts.append(subset.select("idx", *exprs))
        return pl.concat(parts) if parts else pl.DataFrame(schema={"idx": pl.UInt32, **dict.fromkeys(columns, RESULT)})

    def _mark_invalid(self, wide: pl.DataFrame, bad: pl.DataFrame, height: int) -> pl.DataFrame:
        """Every record in order: ``invalid`` for one the contract rejects, or that has no case."""
        columns = [f"{r}|{a}" for r in self.scenario.regimes for a in self.scenario.actions]
        if bad.height:
            wide = wide.with_columns(
                [
                    pl.when(pl.col("idx").is_in(bad["idx"].implode()))
                    .then(pl.lit(INVALID, dtype=RESULT))
                    .otherwise(pl.col(c))
                    .alias(c)
                    for c in columns
                ]
            )
        every = pl.DataFrame({"idx": pl.arange(0, height, eager=True, dtype=pl.UInt32)})
        decided = every.join(wide, on="idx", how="left", maintain_order="left")
        return decided.select(
            [
                pl.col(c).fill_null(pl.lit(INVALID, dtype=RESULT))
                if c in decided.columns
                else pl.lit(INVALID, dtype=RESULT).alias(c)
                for c in columns
            ]
        )


def _history_tests(root: Node) -> set[str]:
    """The history-dependent tests of a tree (:class:`HistoryTest` over the history), by their ``repr``."""
    return {
        repr(leaf.test) for leaf, _ in _leaves(root) if isinstance(leaf.test, HistoryTest) and leaf.test.over_history()
    }


def _name_leaves(
    rules: Rules, paths: tuple[str, ...]
) -> tuple[dict[str, str], Leaves, dict[str, Leaves], dict[int, str], HistoryTest | None]:
    """Every leaf of every rule named once (a leaf shared by several rules is one column): the names by key, the
    record-level leaves, the item-level leaves per list, the look-back columns by their years, and the
    history-dependent test they are of (one at most: ``ColumnarDecider.supports``), if any.

    A leaf whose test depends on the whole history (:class:`HistoryTest`, e.g. New York's look-back with its
    incarceration extension) is recognised by that interface, not by its class, and is not run item by item."""
    names: dict[str, str] = {}
    record_leaves: Leaves = {}
    item_leaves: dict[str, Leaves] = {p: {} for p in paths}
    lookbacks: dict[int, str] = {}
    history: HistoryTest | None = None
    for rule, params in rules.values():
        for leaf, inside in _leaves(rule.root):
            key = f"{inside}|{_leaf_key(leaf, params)}"
            if isinstance(leaf.test, HistoryTest) and leaf.test.over_history():
                history = leaf.test
                years = leaf.test.years(params)
                names[key] = lookbacks.setdefault(years, f"lookback{years}")
            elif key not in names:
                names[key] = f"leaf{len(names)}"
                (record_leaves if inside is None else item_leaves[inside])[names[key]] = (leaf, params, key)
    return names, record_leaves, item_leaves, lookbacks, history


def _some(table: pl.DataFrame, items: pl.DataFrame, named: dict[str, pl.Expr], known: str) -> pl.DataFrame:
    """Kleene "some" per record, for each named condition over one list: an absent list is unknown, an empty one
    false, else true if some item holds, unknown if none holds and some is unknown, false otherwise."""
    grouped = (
        items.select("idx", *(condition.alias(name) for name, condition in named.items()))
        .group_by("idx")
        .agg(
            *(
                pl.when(pl.col(name).any())
                .then(pl.lit(True))
                .when(pl.col(name).is_null().any())
                .then(pl.lit(None, dtype=pl.Boolean))
                .otherwise(pl.lit(False))
                .alias(name)
                for name in named
            ),
            pl.len().alias("_items"),
        )
    )
    return (
        table.join(grouped, on="idx", how="left")
        .with_columns(
            pl.when(~pl.col(known))
            .then(pl.lit(None, dtype=pl.Boolean))
            .when(pl.col("_items").is_null())
            .then(pl.lit(False))
            .otherwise(pl.col(name))
            .alias(name)
            for name in named
        )
        .drop("_items")
    )


def _result(value: pl.Expr) -> pl.Expr:
    """A rule's three-valued truth as its result: permitted, prohibited or undetermined."""
    return (
        pl.when(value)
        .then(pl.lit("permitted", dtype=RESULT))
        .when(~value)
        .then(pl.lit("prohibited", dtype=RESULT))
        .otherwise(pl.lit("undetermined", dtype=RESULT))
    )


def _law_day(decisions: pl.Series, fields: tuple[str, ...], changes: frozenset[dt.date]) -> pl.Expr:
    """For each item, the earliest decision date on which the item's leaves answer as on its own decision date
    (``law_day``, the text the leaves are run on and cached by), so that they run once per item and period of
    the law, not once per day.

    What an item's leaves read of the decision date: the law's dated lists (in New York the "violent or serious
    crime" list's entries and the 39 additions by DOC rule, read on that date: the jurisdiction's
    ``law_changes()`` are the days the answers may change) and the contract's checks of the item's own dates
    against it (a judgment or an arrest after the decision is invalid). The day chosen lies in the same period
    of the law and is after each of the item's dates exactly when the decision date is (the day after the
    latest of them that is before it, or the date itself when one falls on it). The look-back, which counts
    years back from the decision date, is not an item leaf: it runs on the real date (``_lookback``). A
    decision date outside the contract's range or not in ISO form, or an item date the ISO parser cannot read,
    keeps the decision date itself. Used only for a pack whose layout says its item leaves read the decision
    date no other way (``TablesLayout.items_by_law_period``)."""
    bounds = sorted(changes | {EARLIEST_DATE, LATEST_DATE + dt.timedelta(days=1)})
    known = [d for d in decisions.to_list() if d is not None and EARLIEST_DATE <= d <= LATEST_DATE]
    starts = [max(b for b in bounds if b <= d) for d in known]
    decision = pl.col("decision")
    start = decision.replace_strict(known, starts, default=None, return_dtype=pl.Date)
    canonical = decision.dt.to_string(ISO_DATE) == pl.col("decision_text")
    dates = [name for name in fields if name.endswith("_date")]
    days = {name: pl.col(name).str.to_date(ISO_DATE, strict=False) for name in dates}
    after = [
        pl.when(day <= decision).then(pl.min_horizontal(day + pl.duration(days=1), decision)) for day in days.values()
    ]
    unread = pl.any_horizontal(pl.lit(False), *(pl.col(n).is_not_null() & days[n].is_null() for n in dates))
    chosen = pl.max_horizontal(start, *after).dt.to_string(ISO_DATE)
    return (
        pl.when(start.is_not_null() & canonical & ~unread)
        .then(chosen)
        .otherwise(pl.col("decision_text"))
        .alias("law_day")
    )


def _with_id(frame: pl.DataFrame, columns: tuple[str, ...], name: str, *, hashed: bool = True) -> pl.DataFrame:
    """``frame`` with an id per distinct combination of ``columns``: their hash, once it is checked to be one
    to one on this frame (as many distinct hashes as distinct rows); should two rows ever share a hash, the
    distinct rows are numbered and joined back instead. Hashing is twice as fast as the join, and hashing
    each column apart three times as fast as hashing them as one struct."""
    # A column null on every row tells no rows apart: left out (its null count is known without a pass).
    columns = tuple(c for c in columns if frame[c].null_count() < frame.height) or columns[:1]
    if hashed:
        combined = pl.col(columns[0]).hash()  # each column hashed, the hashes mixed (wrapping arithmetic)
        for column in columns[1:]:
            combined = combined * FNV_PRIME + pl.col(column).hash()
        ids = frame.with_columns(combined.alias(name))
        if ids.select(pl.col(name).n_unique()).item() == frame.select(columns).n_unique():
            return ids
    distinct = frame.select(columns).unique().with_row_index(name).with_columns(pl.col(name).cast(pl.UInt64))
    return frame.join(distinct, on=list(columns), how="left", nulls_equal=True)


def _literal(value: Any, dtype: Any) -> pl.Expr:
    """A literal of ``dtype`` broadcast to every row (lists and objects as one-element series)."""
    if isinstance(value, list | dict):
        return pl.lit(pl.Series([value], dtype=dtype)).first()
    return pl.lit(value, dtype=dtype)
