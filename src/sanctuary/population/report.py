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
    series = summary["series"]
    if len(series) < 2:
        return None
    figure, axis = plt.subplots(figsize=(8, 4))
    action = summary["scenario"]["actions"][0]
    for regime in summary["scenario"]["regimes"]:
        shares = [100 * s.get(f"{regime}|{action}|permitted", 0) / max(1, s["records"]) for s in series]
        axis.plot([s["source"] for s in series], shares, marker="o", label=regime)
    axis.set_ylabel(f"% permitted ({action})")
    axis.tick_params(axis="x", rotation=45)
    axis.legend(frameon=False)
    axis.set_title("Over time")
    return _save(figure, out, "series")


def headline(summary: dict[str, Any]) -> list[str]:
    """Plain sentences: what each regime changes against the baseline, for each action."""
    base = summary["scenario"]["regimes"][0]
    total = summary["records"]
    lines = []
    for regime in summary["scenario"]["regimes"][1:]:
        for action in summary["scenario"]["actions"]:
            moves = [
                t
                for t in summary["transitions"]
                if t["to_regime"] == regime and t["action"] == action and t["from_result"] != t["to_result"]
            ]
            changed = sum(t["records"] for t in moves)
            if not changed:
                lines.append(f"Under {regime}, no record's outcome for '{action}' differs from {base}.")
                continue
            parts = ", ".join(
                f"{t['records']:,} from {t['from_result']} to {t['to_result']}"
                for t in sorted(moves, key=lambda t: -t["records"])
            )
            share = 100 * changed / max(1, total)
            lines.append(
                f"Under {regime}, the outcome for '{action}' changes for {changed:,} of {total:,} records "
                f"({share:.1f}%) compared with {base}: {parts}."
            )
    return lines


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
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_CSS = """body{font:16px/1.5 system-ui,sans-serif;max-width:62rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.box{background:#f4f4f4;padding:.5rem 1rem;border-left:4px solid #555}
.lead{font-size:1.15rem}svg{max-width:100%;height:auto}"""


def write_report(comparison: Comparison, out: Path) -> dict[str, Any]:
    """Write every output of a comparison into ``out``; returns the summary.

    The summary is completed first (changed records, whether any source is synthetic, the transitions file's
    name) because ``summary.json`` and ``report.html`` must say the same thing."""
    out.mkdir(parents=True, exist_ok=True)
    summary = comparison.summary()
    summary["changed_records"] = comparison.changed_count
    summary["synthetic"] = any(s.get("synthetic") for s in summary["sources"])
    charts = _write_transitions_and_charts(comparison, summary, out)
    (out / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8")
    (out / "report.html").write_text(_page(summary, charts), encoding="utf-8")
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


def _page(summary: dict[str, Any], charts: list[str]) -> str:
    """``report.html``: one self-contained page (styles and charts inline), read top to bottom: what was
    compared and on what assumptions, the outcomes, what changes, for whom, what is missing, what the data
    got wrong."""
    parts = [
        *_introduction(summary),
        *_outcomes(summary),
        *charts,
        *_transitions(summary),
        *(_breakdown(summary, dimension) for dimension in ("custody_status", "gang_flag", "age_group", "charge_group")),
        *_why_undetermined(summary),
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
    """The title, the synthetic-data warning, the headline sentences, the assumptions and the regimes: what a
    reader must know before any number (a count means nothing without the request it was decided for)."""
    e = html.escape
    scenario = summary["scenario"]
    regimes = scenario["regimes"]
    assumptions = (
        scenario["assumptions_in_words"]
        or [f"{a['path']} = {json.dumps(a['value'])}" for a in scenario["assumptions"]]
        or ["none"]
    )
    parts = [f"<h1>What the law allows: {' vs '.join(map(e, regimes))}</h1>"]
    if summary["synthetic"]:
        parts.append("<p class='box'><strong>Synthetic data.</strong> These records were generated, not observed.</p>")
    parts.append("<div class='lead'>" + "".join(f"<p>{e(line)}</p>" for line in headline(summary)) + "</div>")
    parts.append(
        "<div class='box'><h2>Assumptions</h2><p>Every record is decided for this request unless the "
        f"record says otherwise: {e(json.dumps(scenario['base_request']))}. Actions: "
        f"{e(', '.join(scenario['actions']))}.</p><ul>"
        + "".join(f"<li>{e(a)}</li>" for a in assumptions)
        + "</ul><p>Everything the data does not say (conviction history, database matches, warrants) is "
        "unknown unless assumed, and decisions that depend on it are <em>undetermined</em>.</p></div>"
    )
    parts.append(
        "<h2>Regimes</h2>"
        + _table(
            [[r, v["status"], v["title"]] for r, v in summary["regimes"].items()], ["regime", "status", "what it is"]
        )
    )
    return parts


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


def _transitions(summary: dict[str, Any]) -> list[str]:
    """The records whose outcome differs from the baseline's, with a few record ids each to check by hand, and
    where the full list is (the page shows five; the file has every one)."""
    e = html.escape
    changed = [t for t in summary["transitions"] if t["from_result"] != t["to_result"]]
    rows = [
        [
            t["action"],
            t["to_regime"],
            t["from_result"],
            t["to_result"],
            f"{t['records']:,}",
            ", ".join(t["record_ids"][:5]) + (" …" if len(t["record_ids"]) > 5 else ""),
        ]
        for t in changed
    ]
    return [
        f"<h2>Transitions from {e(summary['scenario']['regimes'][0])}</h2>",
        _table(rows, ["action", "regime", "from", "to", "records", "examples (record ids)"])
        if changed
        else "<p>No record changes.</p>",
        f"<p>Every record that changes is listed in <code>{e(summary['transitions_file'])}</code>.</p>",
    ]


def _breakdown(summary: dict[str, Any], dimension: str) -> str:
    """Permitted / undetermined counts by one dimension of the population (custody status, gang flag, age,
    charge), for the first action: who a change reaches. Charges are many, so only the fifteen most common
    under the baseline are shown."""
    e = html.escape
    regimes = summary["scenario"]["regimes"]
    entries = summary["breakdowns"].get(dimension, [])
    values = sorted({x["value"] for x in entries})
    action = summary["scenario"]["actions"][0]
    if dimension == "charge_group":
        totals: dict[str, int] = {}
        for x in entries:
            if x["regime"] == regimes[0] and x["action"] == action:
                totals[x["value"]] = totals.get(x["value"], 0) + x["records"]
        values = sorted(totals, key=lambda v: -totals[v])[:15]
    lookup = {(x["value"], x["regime"], x["action"], x["result"]): x["records"] for x in entries}
    rows = [[v, *(_cell(lookup, v, r, action) for r in regimes)] for v in values]
    title = dimension.replace("_", " ")
    return f"<h3>By {e(title)} ('{e(action)}': permitted / undetermined)</h3>" + _table(rows, [title, *regimes])


def _why_undetermined(summary: dict[str, Any]) -> list[str]:
    """The facts the data lacks, with how many records each leaves undetermined: what to find out to decide
    them (nothing when every record was decided). Says so when the counts come from a sample."""
    e = html.escape
    because = summary["undetermined_because"]
    if not because:
        return []
    rows = [
        [column.replace("|", ": "), path, f"{n:,}"]
        for column, paths in because.items()
        for path, n in list(paths.items())[:6]
    ]
    sample = summary.get("undetermined_because_sample")
    scope = f" Read from a sample: the first {sample:,} undetermined records." if sample else ""
    return [
        "<h2>Why records are undetermined</h2><p>The facts the data does not give, and how many "
        f"records each leaves undetermined (a record may lack several).{e(scope)}</p>"
        + _table(rows, ["regime: action", "missing fact", "records"])
    ]


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
