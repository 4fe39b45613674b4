"""The comparison report: ``summary.json``, the transitions file, charts (PNG and SVG), and one
self-contained ``report.html`` a journalist can open (charts inline, no outside requests)."""

from __future__ import annotations

import html
import io
import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from sanctuary.population.compare import Comparison
from sanctuary.population.tables import Breakdown

COLOURS = {"permitted": "#1b7837", "prohibited": "#b2182b", "undetermined": "#d6a400", "invalid": "#999999"}
RESULTS = ("permitted", "prohibited", "undetermined", "invalid")


def _save(figure: Any, out: Path, name: str) -> str:
    figure.tight_layout()
    figure.savefig(out / f"{name}.png", dpi=120, metadata={"Software": None})
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    (out / f"{name}.svg").write_text(buffer.getvalue(), encoding="utf-8")
    plt.close(figure)
    svg = buffer.getvalue()
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg[svg.index("<svg") :], flags=re.S)
    return re.sub(r' xmlns:(dc|cc|rdf)="[^"]*"', "", svg)


def _outcome_chart(summary: dict[str, Any], out: Path) -> str:
    regimes = list(summary["outcomes"])
    actions = summary["scenario"]["actions"]
    labels = [f"{r}\n{a}" if len(actions) > 1 else r for a in actions for r in regimes]
    figure, axis = plt.subplots(figsize=(max(6, 1.6 * len(labels)), 4))
    bottoms = [0.0] * len(labels)
    for result in RESULTS:
        values = [summary["outcomes"][r][a][result] for a in actions for r in regimes]
        if any(values):
            axis.bar(labels, values, bottom=bottoms, label=result, color=COLOURS[result])
            bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    axis.set_ylabel("records")
    axis.set_title("Outcomes by regime")
    axis.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _save(figure, out, "outcomes")


def _transition_chart(summary: dict[str, Any], out: Path) -> str | None:
    changed = [t for t in summary["transitions"] if t["from_result"] != t["to_result"]]
    if not changed:
        return None
    labels = [f"{t['action']}: {t['from_result']} → {t['to_result']}\n({t['to_regime']})" for t in changed]
    figure, axis = plt.subplots(figsize=(8, 0.5 * len(labels) + 1.5))
    axis.barh(labels, [t["records"] for t in changed], color=[COLOURS[t["to_result"]] for t in changed])
    axis.invert_yaxis()
    axis.set_xlabel("records that change")
    axis.set_title(f"What changes against {summary['scenario']['regimes'][0]}")
    return _save(figure, out, "transitions")


def _series_chart(summary: dict[str, Any], out: Path) -> str | None:
    """One panel per action, one point per file (per date): for each regime, the share of the file's records the
    regime certainly permits the action for (the line) up to the share permitted or undetermined (the band)."""
    series = summary["series"]
    if len(series) < 2:
        return None
    actions = summary["scenario"]["actions"]
    figure, axes = plt.subplots(len(actions), 1, figsize=(8, 3 * len(actions)), sharex=True, squeeze=False)
    labels = [s["source"] for s in series]
    for axis, action in zip(axes[:, 0], actions, strict=True):
        for regime in summary["scenario"]["regimes"]:
            bounds = [_source_bound(s, regime, action) for s in series]
            low = [100 * b["at_least"] / max(1, b["of"]) for b in bounds]
            high = [100 * b["at_most"] / max(1, b["of"]) for b in bounds]
            (line,) = axis.plot(labels, low, marker="o", label=regime)
            axis.fill_between(labels, low, high, alpha=0.15, color=line.get_color())
        axis.set_ylabel("% of records")
        axis.set_ylim(0, 100)
        axis.set_title(f"{action}: permitted (line) to permitted or undetermined (band)", fontsize=10)
        axis.legend(frameon=False, fontsize=8)
    axes[-1, 0].tick_params(axis="x", rotation=45)
    return _save(figure, out, "series")


def bounds(summary: dict[str, Any]) -> dict[str, dict[str, dict[str, int]]]:
    """For each regime and action: the records the regime certainly permits the action for (``at_least``), those
    it may (``at_most``: permitted or undetermined on this data), and the records counted (``of``)."""
    out: dict[str, dict[str, dict[str, int]]] = {}
    for regime, actions in summary["outcomes"].items():
        for action, counts in actions.items():
            out.setdefault(regime, {})[action] = _bound(counts, summary["records"])
    return out


def _bound(counts: dict[str, int], records: int) -> dict[str, int]:
    permitted = counts.get("permitted", 0)
    return {"at_least": permitted, "at_most": permitted + counts.get("undetermined", 0), "of": records}


def _range(bound: dict[str, int]) -> str:
    """ "between 12 and 5,335 of 6,423 records", or "12 of 6,423 records" when the data settles every one."""
    low, high, of = bound["at_least"], bound["at_most"], bound["of"]
    if low == high:
        return f"{low:,} of {of:,} records"
    return f"between {low:,} and {high:,} of {of:,} records"


def _source_bound(source: dict[str, Any], regime: str, action: str) -> dict[str, int]:
    counts = {r: source.get(f"{regime}|{action}|{r}", 0) for r in RESULTS}
    return _bound(counts, source["records"])


def supposition(summary: dict[str, Any]) -> str:
    """What every count supposes, in a sentence a reader can quote with the numbers."""
    scenario = summary["scenario"]
    request = scenario.get("request") or {}
    name, words = request.get("name") or "a request", request.get("words") or ""
    files = ", ".join(Path(s["path"]).name for s in summary["sources"]) or "the data"
    sources = len(summary["sources"])
    whom = (
        f"every record in each of the {sources} files {files}"
        if sources > 1
        else f"every one of the {summary['records']:,} records in {files}"
    )
    return (
        f"Supposed: {name} — {words} — about {whom}. "
        "The counts below are what each regime would let the agency do if that request had been made about "
        "each of them; they are not counts of requests actually made."
    )


def headline(summary: dict[str, Any]) -> list[str]:
    """Plain sentences a reader can quote: what is supposed, then, for each action the request asks for, how many
    records each regime permits it for — a range when the data leaves some undetermined — and what changes
    against the baseline. Several files give one figure per file (per date), never a pooled share."""
    lines = [supposition(summary)]
    for action in summary["scenario"]["actions"]:
        lines.append(_action_sentence(summary, action))
    return lines


def _action_sentence(summary: dict[str, Any], action: str) -> str:
    scenario = summary["scenario"]
    words = scenario.get("action_words", {}).get(action, action)
    regimes, base = scenario["regimes"], scenario["regimes"][0]
    if len(summary["series"]) > 1:
        parts = [
            f"{regime}: "
            + "; ".join(f"{s['source']} {_range(_source_bound(s, regime, action))}" for s in summary["series"])
            for regime in regimes
        ]
        return f"To {words} ({action}), per file — " + " · ".join(parts) + "."
    every = bounds(summary)
    ranges = "; ".join(f"{regime} permits it for {_range(every[regime][action])}" for regime in regimes)
    sentence = f"To {words} ({action}): {ranges}."
    for regime in regimes[1:]:
        moves = [
            t
            for t in summary["transitions"]
            if t["to_regime"] == regime and t["action"] == action and t["from_result"] != t["to_result"]
        ]
        changed = sum(t["records"] for t in moves)
        if not changed:
            sentence += f" Under {regime}, no record's outcome differs from {base}."
            continue
        moved = ", ".join(
            f"{t['records']:,} from {t['from_result']} to {t['to_result']}"
            for t in sorted(moves, key=lambda t: -t["records"])
        )
        sentence += f" Under {regime}, the outcome changes for {changed:,} records compared with {base}: {moved}."
    return sentence


def _cell(lookup: dict[tuple[str, str, str, str], int], value: str, regime: str, action: str) -> str:
    permitted = lookup.get((value, regime, action, "permitted"), 0)
    return f"{permitted:,} / {lookup.get((value, regime, action, 'undetermined'), 0):,}"


def _table(rows: list[list[Any]], header: list[str]) -> str:
    e = html.escape
    head = "".join(f"<th>{e(str(h))}</th>" for h in header)

    def td(cell: Any) -> str:
        text = str(cell)
        numeric = bool(re.fullmatch(r"[\d,]+( / [\d,]+)?", text))
        return f"<td class='n'>{e(text)}</td>" if numeric else f"<td>{e(text)}</td>"

    body = "".join("<tr>" + "".join(td(c) for c in row) + "</tr>" for row in rows)
    # In a box of its own that scrolls sideways: a wide table never widens the page (read on a phone).
    return f"<div class='scroll'><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"


_CSS = """body{font:16px/1.5 system-ui,sans-serif;max-width:62rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.box{background:#f4f4f4;padding:.5rem 1rem;border-left:4px solid #555}
.lead{font-size:1.15rem}svg{max-width:100%;height:auto}
.scroll{max-width:100%;overflow-x:auto;margin:.5rem 0 1.5rem}.scroll table{margin:0}p,li{overflow-wrap:anywhere}"""


def write_report(comparison: Comparison, out: Path) -> dict[str, Any]:
    """Write every output of a comparison into ``out``; returns the summary.

    The summary is completed first (changed records, whether any source is synthetic, the transitions file's
    name) because ``summary.json`` and ``report.html`` must say the same thing."""
    out.mkdir(parents=True, exist_ok=True)
    summary = comparison.summary()
    names = comparison.jurisdiction.case_format.names  # the facts in the pack's words, for "what would narrow"
    paths = {path for counts in summary.get("undetermined_because", {}).values() for path in counts}
    summary["fact_words"] = {path: names.get(path, path) for path in sorted(paths)}
    summary["changed_records"] = comparison.changed_count
    summary["synthetic"] = any(s.get("synthetic") for s in summary["sources"])
    summary["bounds"] = bounds(summary)
    charts = _write_transitions_and_charts(comparison, summary, out)
    (out / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8")
    (out / "report.html").write_text(_page(summary, charts, comparison.dimensions), encoding="utf-8")
    return summary


def _write_transitions_and_charts(comparison: Comparison, summary: dict[str, Any], out: Path) -> list[str]:
    """Write the transitions file and the charts at once; returns the charts drawn (as inline SVG), in the
    report's order, and records the transitions file's name in the summary."""
    # The transitions file is written by Polars outside the interpreter lock, while the charts are drawn.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="transitions") as pool:
        transitions = pool.submit(comparison.write_transitions, out)
        charts = [
            c for c in (_outcome_chart(summary, out), _transition_chart(summary, out), _series_chart(summary, out)) if c
        ]
        summary["transitions_file"] = transitions.result()
    return charts


def _page(summary: dict[str, Any], charts: list[str], dimensions: tuple[Breakdown, ...] = ()) -> str:
    """``report.html``: one self-contained page (styles and charts inline), read top to bottom: what is supposed,
    from which files of which dates, and what the data cannot say; the headline ranges; one section per action
    the request asks for (bounds, the series per file, what changes, what would narrow the gap); who a change
    reaches (by the pack's breakdowns, ``dimensions``: the short tables first, then those of many values); what
    the data got wrong; the file of every changed record."""
    shown = sorted(dimensions, key=lambda b: b.top is not None)  # stable: the pack's order within each
    parts = [
        *_introduction(summary),
        *(part for action in summary["scenario"]["actions"] for part in _action_section(summary, action)),
        *_outcomes(summary),
        *charts,
        *(_breakdown(summary, dimension) for dimension in shown),
        _data_problems(summary),
        "<p>Produced by sanctuary. The tool states what the law allows under each regime; it takes no "
        "position on any of them.</p>",
    ]
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><meta name='viewport' "
        "content='width=device-width,initial-scale=1'><title>sanctuary comparison</title>"
        f"<style>{_CSS}</style></head><body>{''.join(parts)}</body></html>\n"
    )


def _introduction(summary: dict[str, Any]) -> list[str]:
    """The title, the synthetic-data warning, then what a reader must know before any number: what is supposed
    (the request in words and every assumption), the files and their dates, what the data cannot say; then the
    headline sentences and the regimes."""
    e = html.escape
    scenario = summary["scenario"]
    regimes = scenario["regimes"]
    assumptions = scenario["assumptions_in_words"] or [
        f"{a['path']} = {json.dumps(a['value'])}" for a in scenario["assumptions"]
    ]
    cannot = scenario.get("data_cannot_say") or [
        "what the records do not state (conviction histories, database matches, warrants)"
    ]
    parts = [f"<h1>What the law allows: {' vs '.join(map(e, regimes))}</h1>"]
    if summary["synthetic"]:
        parts.append("<p class='box'><strong>Synthetic data.</strong> These records were generated, not observed.</p>")
    parts.append(
        "<div class='box' id='supposed'><h2>What is supposed</h2>"
        f"<p>{e(supposition(summary))}</p>"
        f"<p>Actions asked: {e(', '.join(_action_words(summary, a) for a in scenario['actions']))}.</p>"
        + (
            "<p>Assumed of every record:</p><ul>" + "".join(f"<li>{e(a)}</li>" for a in assumptions) + "</ul>"
            if assumptions
            else "<p>Nothing else is assumed.</p>"
        )
        + "<h3>Source files</h3>"
        + _table(_source_rows(summary), ["file", "dates", "format", "records"])
        + "<h3>What the data cannot say</h3><ul>"
        + "".join(f"<li>{e(c)}</li>" for c in cannot)
        + "</ul><p>A decision that turns on a fact the data does not give is <em>undetermined</em>; the ranges "
        "below run from the records certainly permitted to those permitted or undetermined.</p></div>"
    )
    parts.append("<div class='lead'>" + "".join(f"<p>{e(line)}</p>" for line in headline(summary)[1:]) + "</div>")
    parts.append(
        "<h2>Regimes</h2>"
        + _table(
            [[r, v["status"], v["title"]] for r, v in summary["regimes"].items()], ["regime", "status", "what it is"]
        )
    )
    return parts


def _action_words(summary: dict[str, Any], action: str) -> str:
    words: str = summary["scenario"].get("action_words", {}).get(action, action)
    return words


def _source_rows(summary: dict[str, Any]) -> list[list[str]]:
    """One row per file: its name, the dates of its records (a snapshot's day, or the first and last month of
    the decision dates), its format and its records."""
    rows = []
    for source in summary["sources"]:
        dated = [s for s in summary["series"] if s["source"] == source.get("label")]
        first, last = (dated[0].get("first_month"), dated[0].get("last_month")) if dated else (None, None)
        label = source.get("label") or ""
        dates = label if re.fullmatch(r"\d{4}-\d{2}-\d{2}", label) else (f"{first} to {last}" if first else "")
        rows.append([Path(source["path"]).name, dates, source.get("format", ""), f"{source['records']:,}"])
    return rows


def _action_section(summary: dict[str, Any], action: str) -> list[str]:
    """One action the request asks for: each regime's range, one row per file when there are several, what
    changes against the baseline, and the missing facts that would narrow each range."""
    e = html.escape
    regimes = summary["scenario"]["regimes"]
    every = bounds(summary)
    rows = [
        [r, *(f"{summary['outcomes'][r][action][x]:,}" for x in RESULTS), _range(every[r][action])] for r in regimes
    ]
    parts = [
        f"<section id='action-{e(action)}'><h2>To {e(_action_words(summary, action))} ({e(action)})</h2>",
        _table(rows, ["regime", *RESULTS, "permitted for"]),
    ]
    if len(summary["series"]) > 1:
        series = [
            [s["source"], f"{s['records']:,}", *(_range(_source_bound(s, r, action)) for r in regimes)]
            for s in summary["series"]
        ]
        parts.append(
            "<h3>File by file (one figure per date, never pooled)</h3>"
            + _table(series, ["file (date)", "records", *regimes])
        )
    parts.extend(_transitions(summary, action))
    parts.extend(_narrowing(summary, action))
    parts.append("</section>")
    return parts


def _narrowing(summary: dict[str, Any], action: str) -> list[str]:
    """The facts whose absence leaves records undetermined for ``action``, per regime, with the records that lack
    each: the facts that would narrow the range, and by how many records at most."""
    because = summary["undetermined_because"]
    rows = [
        [regime, summary.get("fact_words", {}).get(path, path), f"{n:,}"]
        for regime in summary["scenario"]["regimes"]
        for path, n in list(because.get(f"{regime}|{action}", {}).items())[:6]
    ]
    if not rows:
        return []
    sample = summary.get("undetermined_because_sample")
    scope = f" Counted in a sample: the first {sample:,} undetermined records." if sample else ""
    return [
        "<h3>What would narrow the range</h3><p>Facts the data does not give, and how many undetermined records "
        f"lack each (a record may lack several, so knowing one fact settles at most that many).{html.escape(scope)}"
        "</p>" + _table(rows, ["regime", "missing fact", "records lacking it"])
    ]


def _outcomes(summary: dict[str, Any]) -> list[str]:
    """How many records each regime permits, prohibits or leaves undetermined, for each action, and which
    evaluator decided them (the columnar one, or the pattern one for cases as written)."""
    scenario = summary["scenario"]
    rows = [
        [r, a, *(f"{summary['outcomes'][r][a][x]:,}" for x in ("permitted", "prohibited", "undetermined", "invalid"))]
        for a in scenario["actions"]
        for r in scenario["regimes"]
    ]
    return [
        f"<h2>Outcomes</h2><p>{summary['records']:,} records from {len(summary['sources'])} source(s); "
        f"decided by the columnar evaluator: {summary['evaluated_by']['columnar']:,}; by the pattern evaluator "
        f"(cases as written, validated one by one): {summary['evaluated_by']['pattern']:,}.</p>",
        _table(rows, ["regime", "action", "permitted", "prohibited", "undetermined", "invalid"]),
    ]


def _transitions(summary: dict[str, Any], action: str) -> list[str]:
    """The records whose outcome for ``action`` differs from the baseline's, with a few record ids each to check by
    hand, and a link to the file with every one."""
    e = html.escape
    changed = [t for t in summary["transitions"] if t["from_result"] != t["to_result"] and t["action"] == action]
    rows = [
        [
            t["to_regime"],
            t["from_result"],
            t["to_result"],
            f"{t['records']:,}",
            ", ".join(t["record_ids"][:5]) + (" …" if len(t["record_ids"]) > 5 else ""),
        ]
        for t in changed
    ]
    name = e(summary["transitions_file"])
    several = (
        " (all files together; a person in several files counts once per file)" if len(summary["series"]) > 1 else ""
    )
    return [
        f"<h3>What changes against {e(summary['scenario']['regimes'][0])}{several}</h3>",
        _table(rows, ["regime", "from", "to", "records", "examples (record ids)"])
        if changed
        else "<p>No record changes.</p>",
        f"<p>Every record that changes: <a href='{name}' download>{name}</a>.</p>",
    ]


def _breakdown(summary: dict[str, Any], dimension: Breakdown) -> str:
    """Permitted / undetermined counts by one dimension of the population the pack declares, for the first
    action: who a change reaches. For a dimension of many values (``top``), only that many are shown, the most
    common under the baseline."""
    e = html.escape
    regimes = summary["scenario"]["regimes"]
    entries = summary["breakdowns"].get(dimension.name, [])
    values = sorted({x["value"] for x in entries})
    action = summary["scenario"]["actions"][0]
    if dimension.top is not None:
        totals: dict[str, int] = {}
        for x in entries:
            if x["regime"] == regimes[0] and x["action"] == action:
                totals[x["value"]] = totals.get(x["value"], 0) + x["records"]
        values = sorted(totals, key=lambda v: -totals[v])[: dimension.top]
    lookup = {(x["value"], x["regime"], x["action"], x["result"]): x["records"] for x in entries}
    rows = [[v, *(_cell(lookup, v, r, action) for r in regimes)] for v in values]
    title = dimension.words
    return f"<h3>By {e(title)} ('{e(action)}': permitted / undetermined)</h3>" + _table(rows, [title, *regimes])


def _data_problems(summary: dict[str, Any]) -> str:
    """What the data got wrong (unreadable charges, impossible dates), counted with examples: the records are
    still decided on what they do say, and a reader must know how many carry a problem."""
    problems = summary["data_problems"]
    rows = [
        [kind, f"{entry['records']:,}", ", ".join(f"{v} ({n:,})" for v, n in list(entry["values"].items())[:8])]
        for kind, entry in problems.items()
    ]
    return (
        "<h2>Data problems</h2><p>Counted, never dropped: these records are still decided on what the "
        "data does say.</p>" + (_table(rows, ["problem", "records", "values"]) if problems else "<p>None.</p>")
    )
