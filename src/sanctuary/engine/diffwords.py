"""A regime diff in words: the summary sentences and the changes grouped once, for lawyers.

:func:`sanctuary.engine.compare.diff_regimes` lists, for every agency and action, the nodes added, removed and
changed. The same change usually recurs under many agencies and actions (a proposal that widens "convicted of a
violent or serious crime" does so in every rule that asks it). Here each change is stated once — what is added,
removed or changed, with its clause — followed by where it applies, and the whole diff opens with at most ten
sentences. Nothing is decided here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

MAX_SENTENCES = 10
VERB = {"adds": "Adds", "removes": "Removes", "changes": "Changes", "governs": "Changes the governing clause"}


def _quote(node: dict[str, Any]) -> str:
    clause = node.get("clause")
    return f"“{node['title']}”" + (f" ({clause})" if clause else "")


def _plain(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, list):
        return ", ".join(_plain(v) for v in value) or "none"
    return str(value)


def field_change(name: str, old: Any, new: Any) -> str:
    """One changed field of a node, in words (never a Python repr)."""
    if name == "title":
        return f"now reads “{new}” (was “{old}”)"
    if name == "cites":
        before, after = set(old or []), set(new or [])
        parts = []
        if after - before:
            parts.append("now also cites " + ", ".join(sorted(after - before)))
        if before - after:
            parts.append("no longer cites " + ", ".join(sorted(before - after)))
        return "; ".join(parts) or "citations reordered"
    return f"{name.replace('_', ' ')}: {_plain(old)} → {_plain(new)}"


def places(where: list[tuple[str, str]], every: Sequence[str]) -> str:
    """``DOC: hold, transfer; NYPD: hold`` — agencies in order, each with its actions (``every``: all the actions the
    jurisdiction decides, so that nearly all of them can be said "every action but …")."""
    by_agency: dict[str, list[str]] = {}
    for agency, action in where:
        actions = by_agency.setdefault(agency, [])
        if action not in actions:
            actions.append(action)
    return "; ".join(f"{agency}: {_actions(actions, every)}" for agency, actions in by_agency.items())


def _actions(actions: list[str], every: Sequence[str]) -> str:
    """The actions, or "every action" (but one or two) where that is shorter."""
    left = [a for a in every if a not in actions]
    if not left:
        return "every action"
    if len(left) <= 2 and len(actions) >= 5:
        return f"every action but {' and '.join(left)}"
    return ", ".join(actions)


def group_changes(rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each distinct change once, with every (agency, action) it occurs in, most widespread first."""
    groups: dict[str, dict[str, Any]] = {}

    def add(key: str, entry: dict[str, Any], agency: str, action: str) -> None:
        group = groups.setdefault(key, entry | {"where": []})
        if (agency, action) not in group["where"]:
            group["where"].append((agency, action))

    for rule in rules:
        agency, action = rule["agency"], rule["action"]
        governing = rule["rule_clause"]
        if governing["old"] != governing["new"]:
            says = f"from {governing['old'] or 'none'} to {governing['new'] or 'none'}"
            add(f"governs|{says}", {"verb": "governs", "says": says, "detail": []}, agency, action)
        for verb, nodes in (("adds", rule["added"]), ("removes", rule["removed"])):
            for root in (n for n in nodes if n.get("depth", 0) == 0):
                detail = [n for n in nodes if n.get("root") == root["id"] and n is not root]
                says = _quote(root)
                key = f"{verb}|{says}|" + "|".join(_quote(n) for n in detail)
                add(key, {"verb": verb, "says": says, "detail": detail}, agency, action)
        for node in rule["changed"]:
            what = "; ".join(field_change(k, v["old"], v["new"]) for k, v in node["changes"].items())
            says = f"{node.get('clause') or node['id']}: {what}"
            add(f"changes|{says}", {"verb": "changes", "says": says, "detail": []}, agency, action)
    return sorted(groups.values(), key=lambda g: -len(g["where"]))


def _provision_sentences(diff: dict[str, Any]) -> list[str]:
    added = [p for p in diff["provisions"] if p["old"] == "not part of the regime"]
    removed = [p for p in diff["provisions"] if p["new"] == "not part of the regime"]
    moved = [p for p in diff["provisions"] if p not in added and p not in removed]
    out = []
    if added:
        out.append("It adds " + ", ".join(f"§ {p['provision']} ({p['new']})" for p in added) + ".")
    if removed:
        out.append("It has no " + ", ".join(f"§ {p['provision']}" for p in removed) + ".")
    if moved:
        out.append(
            "It changes when "
            + ", ".join(f"§ {p['provision']} takes effect ({p['old']} → {p['new']})" for p in moved)
            + "."
        )
    if diff["parameters"]:
        out.append(
            "Parameters: "
            + "; ".join(
                f"{p['parameter'].replace('_', ' ')} {_plain(p['old'])} → {_plain(p['new'])}"
                for p in diff["parameters"]
            )
            + "."
        )
    return out


def summary(diff: dict[str, Any], groups: list[dict[str, Any]]) -> list[str]:
    """At most ten sentences: what is compared, the sections and parameters, then the most widespread changes
    (a last sentence counts the rest, which the detail lists)."""
    old, new = diff["old"], diff["new"]
    sentences = [
        f"{new['id']} ({new['status']}: {new['title']}) against {old['id']} ({old['status']}: {old['title']})."
    ]
    sentences += _provision_sentences(diff)
    if not groups:
        sentences.append("No rule differs.")
        return sentences[:MAX_SENTENCES]
    room = MAX_SENTENCES - len(sentences) - 1
    shown = groups[:room] if len(groups) > room + 1 else groups
    for group in shown:
        sentences.append(f"{VERB[group['verb']]} {group['says']} — {places(group['where'], diff['actions'])}.")
    if len(shown) < len(groups):
        sentences.append(f"And {len(groups) - len(shown)} further changes, listed below.")
    return sentences[:MAX_SENTENCES]
