"""Views of explanations, regime comparisons and regime diffs: terminal text, Markdown and HTML.

All three views render the same structures (``sanctuary.engine.explain``, ``sanctuary.engine.compare``);
nothing here decides anything. The HTML is self-contained (no scripts, no outside requests).
"""

from __future__ import annotations

import html
import io
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from sanctuary.engine.diffwords import VERB, places

MARK = {"true": "✔", "false": "✘", "unknown": "?"}
COLOUR = {"true": "green", "false": "red", "unknown": "yellow"}
RESULT_COLOUR = {"permitted": "green", "prohibited": "red", "undetermined": "yellow"}
WORD = {"true": "holds", "false": "does not hold", "unknown": "not known"}


def _console(colour: bool, width: int = 110) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=colour,
        no_color=not colour,
        width=width,
        highlight=False,
        color_system="standard" if colour else None,
    )
    return console, buffer


def _clauses(node: dict[str, Any]) -> str:
    return "; ".join(c["cite"] for c in node.get("clauses", []))


def _text_label(node: dict[str, Any], show_words: bool, seen: set[str]) -> str:
    value = node["value"]
    mark = f"[{COLOUR[value]}]{MARK[value]}[/]"
    title = escape(node["title"])
    if node.get("deciding"):
        title = f"[bold]{title}[/bold]"
    parts = [f"{mark} {escape(node['item']) + ' — ' if node.get('item') else ''}{title}"]
    if node.get("clauses"):
        parts.append(f"[dim]({escape(_clauses(node))})[/dim]")
    label = " ".join(parts)
    if node.get("reason") and node["kind"] in ("Leaf", "Always"):
        label += f"\n[italic]{escape(node['reason'])}[/italic]"
    if node.get("facts"):
        label += f"\n[dim]facts: {escape(', '.join(node['facts']))}[/dim]"
    if node.get("missing"):
        label += f"\n[yellow]missing: {escape(', '.join(node['missing']))}[/yellow]"
    if show_words:
        for clause in node.get("clauses", []):
            if clause.get("words") and clause["cite"] not in seen:
                seen.add(clause["cite"])  # a clause's words once per explanation: a long list is not reprinted
                label += f"\n[dim]“{escape(clause['words'])}” — {escape(clause['cite'])}[/dim]"
    return label


def _text_tree(node: dict[str, Any], tree: Tree, show_words: bool, seen: set[str]) -> None:
    branch = tree.add(_text_label(node, show_words, seen))
    for child in node.get("children", []):
        _text_tree(child, branch, show_words, seen)


def _short_cites(cites: list[str]) -> str:
    """``§ 9-131(b)(1)(i), (a)(5)``: citations of one section written once, for one-line answers."""
    out: list[str] = []
    last_section = ""
    for cite in cites:
        _head, _, tail = cite.partition("§ ")
        section, paren, rest = tail.partition("(")
        if tail and section == last_section:
            out.append(paren + rest)
        else:
            out.append(f"§ {tail}" if tail else cite)
            last_section = section if tail else ""
    return ", ".join(out)


def _rests_on_line(outcome: dict[str, Any]) -> str:
    cites = list(dict.fromkeys(c for entry in outcome.get("rests_on", []) for c in entry["cites"]))
    return _short_cites(cites or outcome["citations"][:1])


def changes_in_words(outcome: dict[str, Any], per_result: int = 2) -> list[tuple[str, str]]:
    """``(result, what would change it)``: the smallest counterfactuals, at most ``per_result`` towards each
    other result — the one or two facts that would change the outcome, for the short views and the memo."""
    shown: dict[str, int] = {}
    out = []

    def additions(change: dict[str, Any]) -> int:  # a hypothetical new item is the less useful change
        return sum(
            1 for c in change["changes"] if c["path"].endswith("[+]") or c["value"] == [] or c["path"].endswith("s")
        )

    ranked = sorted(outcome.get("would_change_if", []), key=lambda c: (len(c["changes"]), additions(c)))
    for change in ranked:
        if shown.get(change["result"], 0) >= per_result:
            continue
        shown[change["result"]] = shown.get(change["result"], 0) + 1
        out.append((change["result"], " ".join(c["says"] for c in change["changes"])))
    return out


def explanation_short(explanation: dict[str, Any], *, colour: bool = False, source: str = "CASE") -> str:
    """The answer first: one line per action (result, the clauses it rests on), the finding it turns on, the
    facts missing, the one or two changes that would change it, notes and the first questions — one screen.
    ``explain --full`` gives the whole tree."""
    console, buffer = _console(colour)
    regime = explanation["regime"]
    console.print(
        f"[bold]{explanation['agency']}[/bold] · decision date {explanation['decision_date']} · regime "
        f"[bold]{regime['id']}[/bold] ({regime['status']})"
    )
    width = max(len(o["action"]) for o in explanation["outcomes"]) if explanation["outcomes"] else 0
    for outcome in explanation["outcomes"]:
        result = outcome["result"]
        console.print(
            f"\n[bold]{outcome['action']:<{width}}[/bold]  [{RESULT_COLOUR[result]}]{result.upper():<12}[/]  "
            f"{escape(_rests_on_line(outcome))}"
        )
        for entry in outcome.get("rests_on", [])[:3]:
            item = f"{entry['item']}: " if entry.get("item") else ""
            console.print(f"  {escape(item + entry['reason'])}")
        if outcome.get("limits"):
            limits = outcome["limits"]
            console.print(f"  Limit: at most {limits['max_hours']} hours, excluding {', '.join(limits['excluding'])}")
        for warning in outcome["warnings"]:
            console.print(f"  [magenta]Warning:[/magenta] {escape(warning)}")
        if outcome["missing"]:
            console.print(f"  [yellow]Missing:[/yellow] {escape(', '.join(outcome['missing']))}")
        for result_if, says in changes_in_words(outcome):
            console.print(f"  [cyan]Would be {result_if} if:[/cyan] {escape(says)}")
    for note in explanation.get("notes", []):
        console.print(f"\n[bold]Note:[/bold] {escape(note['says'])}")
    if explanation["questions"]:
        console.print("\n[bold]Ask first:[/bold]")
        for i, question in enumerate(explanation["questions"][:3], start=1):
            console.print(f"  {i}. {escape(question['question'])} [dim]({question['path']})[/dim]")
    console.print(f"\n[dim]Every condition, its clause and words: sanctuary explain {escape(source)} --full[/dim]")
    return buffer.getvalue()


def explanation_text(explanation: dict[str, Any], *, colour: bool = False, words: bool = True) -> str:
    """The explanation as an indented tree for the terminal (``colour`` when it is a TTY)."""
    console, buffer = _console(colour)
    regime = explanation["regime"]
    console.print(
        f"[bold]{explanation['agency']}[/bold] · decision date {explanation['decision_date']} · regime "
        f"[bold]{regime['id']}[/bold] ({regime['status']}: {escape(regime['title'])})"
    )
    seen: set[str] = set()
    for outcome in explanation["outcomes"]:
        result = outcome["result"]
        console.print()
        console.rule(f"[bold]{outcome['action']}[/bold]: [{RESULT_COLOUR[result]}]{result.upper()}[/]")
        for reason in outcome["reasons"]:
            console.print(f"  • {escape(reason)}")
        if outcome.get("limits"):
            limits = outcome["limits"]
            console.print(
                f"  [bold]Limit:[/bold] at most {limits['max_hours']} hours, excluding {', '.join(limits['excluding'])}"
            )
        for warning in outcome["warnings"]:
            console.print(f"  [magenta]Warning:[/magenta] {escape(warning)}")
        if outcome["missing"]:
            console.print(f"  [yellow]Missing facts:[/yellow] {escape(', '.join(outcome['missing']))}")
        for change in outcome.get("would_change_if", []):
            says = " ".join(c["says"] for c in change["changes"])
            console.print(f"  [cyan]Would be {change['result']} if:[/cyan] {escape(says)}")
        console.print("  [dim]Cites: " + escape("; ".join(outcome["citations"])) + "[/dim]")
        tree = Tree(
            "[bold]The conditions[/bold] (✔ holds, ✘ does not hold, ? not known; bold: what the outcome rests on)"
        )
        _text_tree(outcome["tree"], tree, words, seen)
        console.print(tree)
    for note in explanation.get("notes", []):
        console.print(f"\n[bold]Note:[/bold] {escape(note['says'])}")
    if explanation["questions"]:
        console.print()
        console.rule("[bold]Questions to ask, most decisive first[/bold]")
        for i, question in enumerate(explanation["questions"], start=1):
            console.print(
                f"  {i}. {escape(question['question'])} [dim]({question['path']}; bears on "
                f"{', '.join(question['outcomes'])})[/dim]"
            )
    return buffer.getvalue()


def _md_node(node: dict[str, Any], depth: int, lines: list[str]) -> None:
    pad = "  " * depth
    title = node["title"]
    if node.get("deciding"):
        title = f"**{title}**"
    item = f"{node['item']} — " if node.get("item") else ""
    cites = f" ({_clauses(node)})" if node.get("clauses") else ""
    lines.append(f"{pad}- {MARK[node['value']]} {item}{title} — *{WORD[node['value']]}*{cites}")
    if node.get("reason") and node["kind"] in ("Leaf", "Always"):
        lines.append(f"{pad}  {node['reason']}")
    if node.get("missing"):
        lines.append(f"{pad}  Missing: `{'`, `'.join(node['missing'])}`")
    for clause in node.get("clauses", []):
        if clause.get("words"):
            lines.append(f"{pad}  > {clause['words']} — {clause['cite']}")
    for child in node.get("children", []):
        _md_node(child, depth + 1, lines)


def explanation_markdown(explanation: dict[str, Any]) -> str:
    regime = explanation["regime"]
    lines = [
        f"# {explanation['agency']}, decision date {explanation['decision_date']}",
        "",
        f"Regime **{regime['id']}** ({regime['status']}): {regime['title']}.",
        "",
    ]
    for outcome in explanation["outcomes"]:
        lines += [f"## {outcome['action']}: {outcome['result']}", ""]
        lines += [f"- {r}" for r in outcome["reasons"]]
        if outcome.get("limits"):
            limits = outcome["limits"]
            lines.append(
                f"- **Limit:** at most {limits['max_hours']} hours, excluding {', '.join(limits['excluding'])}"
            )
        lines += [f"- **Warning:** {w}" for w in outcome["warnings"]]
        if outcome["missing"]:
            lines.append(f"- **Missing facts:** `{'`, `'.join(outcome['missing'])}`")
        for change in outcome.get("would_change_if", []):
            lines.append(f"- **Would be {change['result']} if:** " + " ".join(c["says"] for c in change["changes"]))
        lines += ["", f"Cites: {'; '.join(outcome['citations'])}", "", "### The conditions", ""]
        _md_node(outcome["tree"], 0, lines)
        lines.append("")
    if explanation["questions"]:
        lines += ["## Questions to ask, most decisive first", ""]
        lines += [f"{i}. {q['question']} (`{q['path']}`)" for i, q in enumerate(explanation["questions"], start=1)]
        lines.append("")
    return "\n".join(lines)


_CSS = """
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
h1{font-size:1.4rem} h2{font-size:1.2rem;border-top:1px solid #ccc;padding-top:1rem}
.permitted{color:#0a6b2b}.prohibited{color:#a4161a}.undetermined{color:#8a5a00}
ul.tree{list-style:none;padding-left:1.2rem;border-left:1px dotted #999}
.v-true::before{content:"✔ ";color:#0a6b2b}.v-false::before{content:"✘ ";color:#a4161a}
.v-unknown::before{content:"? ";color:#8a5a00}.deciding>.t{font-weight:700}
.cite{color:#555;font-size:.9em}.reason{font-style:italic}.missing{color:#8a5a00}
blockquote{margin:.2rem 0 .4rem 1rem;color:#444;font-size:.9em;border-left:3px solid #ccc;padding-left:.6rem}
"""


def _html_node(node: dict[str, Any]) -> str:
    e = html.escape
    classes = f"v-{node['value']}" + (" deciding" if node.get("deciding") else "")
    item = f"{e(node['item'])} — " if node.get("item") else ""
    parts = [
        f'<li class="{classes}"><span class="t">{item}{e(node["title"])}</span> '
        f'<span class="cite">{e(_clauses(node))}</span>'
    ]
    if node.get("reason") and node["kind"] in ("Leaf", "Always"):
        parts.append(f'<div class="reason">{e(node["reason"])}</div>')
    if node.get("missing"):
        parts.append(f'<div class="missing">Missing: {e(", ".join(node["missing"]))}</div>')
    for clause in node.get("clauses", []):
        if clause.get("words"):
            parts.append(
                f"<details><summary>Text of {e(clause['cite'])}</summary><blockquote>"
                f"{e(clause['words'])}</blockquote></details>"
            )
    if node.get("children"):
        parts.append('<ul class="tree">' + "".join(_html_node(c) for c in node["children"]) + "</ul>")
    parts.append("</li>")
    return "".join(parts)


def explanation_html(explanation: dict[str, Any]) -> str:
    e = html.escape
    regime = explanation["regime"]
    body = [
        f"<h1>{e(explanation['agency'])}, decision date {e(explanation['decision_date'])}</h1>",
        f"<p>Regime <strong>{e(regime['id'])}</strong> ({e(regime['status'])}): {e(regime['title'])}.</p>",
    ]
    for outcome in explanation["outcomes"]:
        result = outcome["result"]
        body.append(f'<h2>{e(outcome["action"])}: <span class="{result}">{result}</span></h2><ul>')
        body += [f"<li>{e(r)}</li>" for r in outcome["reasons"]]
        body += [f"<li><strong>Warning:</strong> {e(w)}</li>" for w in outcome["warnings"]]
        if outcome["missing"]:
            body.append(f"<li><strong>Missing facts:</strong> {e(', '.join(outcome['missing']))}</li>")
        for change in outcome.get("would_change_if", []):
            says = " ".join(c["says"] for c in change["changes"])
            body.append(f"<li><strong>Would be {e(change['result'])} if:</strong> {e(says)}</li>")
        body.append(f'</ul><p class="cite">Cites: {e("; ".join(outcome["citations"]))}</p>')
        body.append('<h3>The conditions</h3><ul class="tree">' + _html_node(outcome["tree"]) + "</ul>")
    if explanation["questions"]:
        body.append("<h2>Questions to ask, most decisive first</h2><ol>")
        body += [
            f"<li>{e(q['question'])} <span class='cite'>({e(q['path'])})</span></li>" for q in explanation["questions"]
        ]
        body.append("</ol>")
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
        'content="width=device-width,initial-scale=1"><title>sanctuary explanation</title>'
        f"<style>{_CSS}</style></head><body>{''.join(body)}</body></html>\n"
    )


def comparison_text(comparison: dict[str, Any], *, colour: bool = False) -> str:
    console, buffer = _console(colour)
    table = Table(title=f"{comparison['agency']}, decision date {comparison['decision_date']}", show_lines=True)
    table.add_column("action")
    for regime in comparison["regimes"]:
        table.add_column(f"{regime['id']}\n({regime['status']})")
    for row in comparison["outcomes"]:
        cells = [f"[{RESULT_COLOUR[r]}]{r}[/]" for r in row["results"].values()]
        table.add_row(row["action"], *cells)
    console.print(table)
    for decision in comparison.get("decisions", []):
        for warning in dict.fromkeys(w for o in decision["outcomes"] for w in o["warnings"]):
            console.print(f"[magenta]Warning ({decision['regime']}):[/magenta] {escape(warning)}")
    first = comparison["regimes"][0]["id"]
    for diff in comparison["differences"]:
        console.print(
            f"• [bold]{diff['action']}[/bold] under {diff['regime']}: {diff['result']} "
            f"(under {first}: {diff['baseline_result']})"
        )
        if diff["clauses_only_here"]:
            console.print("    rests on, only here: " + escape("; ".join(diff["clauses_only_here"])))
        if diff["clauses_only_in_baseline"]:
            console.print(f"    rests on, only under {first}: " + escape("; ".join(diff["clauses_only_in_baseline"])))
    return buffer.getvalue()


def diff_text(diff: dict[str, Any]) -> str:
    """The summary in sentences, then each change once — the conditions a new subtree holds beneath it — and
    where it applies; overrides by name. No program output (reprs, ``None``) reaches the reader."""
    lines = [*diff["summary"], ""]
    if diff["overrides"]["added"] or diff["overrides"]["removed"]:
        named = [f"{o} (applied)" for o in diff["overrides"]["added"]]
        named += [f"{o} (no longer applied)" for o in diff["overrides"]["removed"]]
        lines += [f"Overrides of the base regime: {', '.join(named)}.", ""]
    if diff["changes"]:
        lines.append("The changes, each once:")
    for group in diff["changes"]:
        where = places([(w["agency"], w["action"]) for w in group["where"]], diff["actions"])
        lines.append(f"• {VERB[group['verb']]} {group['says']}")
        for node in group["detail"]:
            clause = f" ({node['clause']})" if node.get("clause") else ""
            lines.append(f"    {'  ' * (node['depth'] - 1)}– {node['title']}{clause}")
        lines.append(f"    in {where}")
    return "\n".join(lines).rstrip() + "\n"
