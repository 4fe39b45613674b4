"""The command line: ``decide``, ``explain``, ``diff``, ``compare``, ``synth``, ``regimes``, ``schema`` here;
``serve``, ``audit``, ``keys`` and ``report`` from :mod:`sanctuary.service.commands`.

Decisions go to standard output as JSON (one object for a ``.json`` file, one line per case for a
``.jsonl`` file); every problem with the input goes to standard error with its file, line and field path.
The exit status is 2 if any case was invalid, 0 otherwise — as the case-format contract says.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from sanctuary.engine import decide
from sanctuary.engine.compare import compare_case, diff_regimes
from sanctuary.engine.explain import explain
from sanctuary.errors import EXIT_INVALID, InvalidInputError, SanctuaryError, exit_code
from sanctuary.facts.case import CaseError
from sanctuary.jurisdictions import JurisdictionError, load, select
from sanctuary.law.jurisdiction import Jurisdiction
from sanctuary.render import comparison_text, diff_text, explanation_html, explanation_markdown, explanation_text


class Commands(TyperGroup):
    """The commands, with the one place a project error becomes an exit status: its message on standard
    error, and the status :data:`sanctuary.errors.EXIT_CODES` gives (2 for invalid input). Any other exception
    is a bug, and is left to show its traceback."""

    def invoke(self, ctx: Any) -> Any:  # a click context (typer's own copy of click, whose module is private)
        try:
            return super().invoke(ctx)
        except SanctuaryError as exc:
            typer.echo(exc.for_command_line(), err=True)
            raise typer.Exit(exit_code(exc)) from None


app = typer.Typer(
    cls=Commands,
    add_completion=False,
    no_args_is_help=True,
    help=(
        "Laws on cooperation with federal immigration enforcement, as cited, dated rules: New York City's (the nyc "
        "pack) unless --jurisdiction chooses another installed pack."
    ),
)

LINE_FORMATS = (".jsonl", ".ndjson")


@app.callback()
def choose_jurisdiction(
    jurisdiction: Annotated[
        str | None,
        typer.Option(
            "--jurisdiction",
            envvar="SANCTUARY_JURISDICTION",
            help="The jurisdiction pack whose law to apply (default: the one installed; nyc).",
        ),
    ] = None,
) -> None:
    """Laws on cooperation with federal immigration enforcement, as cited, dated rules."""
    try:
        select(jurisdiction)
    except JurisdictionError as exc:
        typer.echo(f"--jurisdiction: {exc}", err=True)
        raise typer.Exit(EXIT_INVALID) from None


def pack() -> Jurisdiction:
    """The jurisdiction the command applies (``--jurisdiction``)."""
    return load()


def _cases(path: Path) -> Iterator[tuple[str, str]]:
    """``(where, text)`` for each case in a file: the whole file, or each non-blank line of a JSON Lines file."""
    text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    name = "<stdin>" if str(path) == "-" else str(path)
    if path.suffix.lower() in LINE_FORMATS:
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                yield f"{name}:{number}", line
    else:
        yield name, text


@app.command("decide")
def decide_command(
    files: Annotated[
        list[Path], typer.Argument(help="Case files: .json (one case) or .jsonl (one per line); - for stdin.")
    ],
    compact: Annotated[bool, typer.Option(help="One line per decision even for .json input.")] = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="Add to each outcome the smallest changes of facts that would change it.")
    ] = False,
    regimes: Annotated[
        str | None,
        typer.Option("--regimes", help="Comma-separated regimes: decide under each, side by side (first = baseline)."),
    ] = None,
    output: Annotated[
        str, typer.Option("--format", help="With --regimes: text (a table) or json; default text on a terminal.")
    ] = "auto",
) -> None:
    """Decide each case: for every requested action, permitted, prohibited or undetermined, with citations."""
    if regimes is not None:
        _compare(files, [r.strip() for r in regimes.split(",") if r.strip()], output)
        return
    invalid = 0
    for path in files:
        if str(path) != "-" and not path.is_file():
            typer.echo(f"{path}: no such file", err=True)
            invalid += 1
            continue
        lines = path.suffix.lower() in LINE_FORMATS
        try:
            cases = list(_cases(path))
        except (OSError, UnicodeDecodeError) as exc:
            typer.echo(f"{path}: cannot read: {exc}", err=True)
            invalid += 1
            continue
        for where, text in cases:
            try:
                decision = decide(pack().case_format.parse(text), pack(), explain=explain)
            except CaseError as exc:
                invalid += 1
                for problem in exc.problems:
                    typer.echo(f"{where}: {problem}", err=True)
                continue
            indent = None if (lines or compact) else 2
            typer.echo(json.dumps(decision.as_dict(), indent=indent, ensure_ascii=False))
    if invalid:
        raise typer.Exit(EXIT_INVALID)


def _compare(files: list[Path], regime_ids: list[str], output: str) -> None:
    invalid = 0
    as_text = output == "text" or (output == "auto" and sys.stdout.isatty())
    for path in files:
        for where, text in _cases(path):
            try:
                comparison = compare_case(pack().case_format.parse(text), pack(), regime_ids)
            except CaseError as exc:
                invalid += 1
                for problem in exc.problems:
                    typer.echo(f"{where}: {problem}", err=True)
                continue
            if as_text:
                typer.echo(comparison_text(comparison, colour=sys.stdout.isatty()), nl=False)
            else:
                typer.echo(json.dumps(comparison, ensure_ascii=False))
    if invalid:
        raise typer.Exit(EXIT_INVALID)


@app.command("explain")
def explain_command(
    file: Annotated[Path, typer.Argument(help="One case file (.json), or - for stdin.")],
    output: Annotated[str, typer.Option("--format", help="text, markdown, html or json.")] = "text",
    words: Annotated[bool, typer.Option(help="Show the statute's words under each condition (text).")] = True,
) -> None:
    """Explain each outcome as a tree: every condition, its clause and words, the facts it used; what would
    change the outcome; and, where facts are missing, the questions to ask first."""
    if output not in ("text", "markdown", "html", "json"):
        typer.echo(f"--format: expected text, markdown, html or json, got {output!r}", err=True)
        raise typer.Exit(EXIT_INVALID)
    if str(file) != "-" and not file.is_file():
        typer.echo(f"{file}: no such file", err=True)
        raise typer.Exit(EXIT_INVALID)
    where = "<stdin>" if str(file) == "-" else str(file)
    text = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
    try:
        explanation = explain(pack().case_format.parse(text), pack())
    except CaseError as exc:
        for problem in exc.problems:
            typer.echo(f"{where}: {problem}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    if output == "json":
        typer.echo(json.dumps(explanation, indent=2, ensure_ascii=False))
    elif output == "markdown":
        typer.echo(explanation_markdown(explanation))
    elif output == "html":
        typer.echo(explanation_html(explanation), nl=False)
    else:
        typer.echo(explanation_text(explanation, colour=sys.stdout.isatty(), words=words), nl=False)


@app.command("diff")
def diff_command(
    old: Annotated[str, typer.Argument(help="The regime to compare against, e.g. nyc-2017.")],
    new: Annotated[str, typer.Argument(help="The regime whose changes to list, e.g. adams-2024.")],
    output: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """List, clause by clause, what one regime changes relative to another."""
    difference = diff_regimes(pack(), old, new)
    if output == "json":
        typer.echo(json.dumps(difference, indent=2, ensure_ascii=False, default=str))
    else:
        typer.echo(diff_text(difference), nl=False)


def _existing(data: list[Path]) -> list[Path]:
    """The population files given (a folder's files listed), every one existing; else exit 2 naming those missing."""
    from sanctuary.population.records import iter_paths

    paths = list(iter_paths(data))
    missing = [p for p in paths if not p.exists()]
    if missing or not paths:
        typer.echo(f"no such file: {', '.join(map(str, missing)) or '(none given)'}", err=True)
        raise typer.Exit(EXIT_INVALID)
    return paths


#: The scenario's options, shared by ``compare`` and ``estimate``.
RequestOption = Annotated[
    str | None,
    typer.Option(
        "--request",
        help="The request supposed about every record: usual (ICE's usual detainer, I-247A with an I-200; the "
        "default), judicial-warrant, information-only (the jurisdiction's names: docs/population.md).",
    ),
]
ActionOption = Annotated[
    list[str] | None, typer.Option("--action", help="Action(s) to decide (default: every one the request asks).")
]
AssumeOption = Annotated[
    list[str] | None,
    typer.Option(
        "--assume", help="PATH=VALUE or a preset (judicial-warrant, no-conviction-history, no-database-match, ...)."
    ),
]


@app.command("compare")
def compare_command(
    data: Annotated[
        list[Path],
        typer.Argument(
            help="Population files or folders: DOC daily snapshots (either "
            "layout), the DOC stays table, NYPD arrests, cases .jsonl, "
            "the flat table (.csv/.parquet), or a folder in the tables layout."
        ),
    ],
    regimes: Annotated[str, typer.Option("--regimes", help="Comma-separated regimes; the first is the baseline.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the report.")],
    request: RequestOption = None,
    action: ActionOption = None,
    assume: AssumeOption = None,
    chunk: Annotated[
        int,
        typer.Option(help="Records read at a time (bounds memory: at most four chunks are held; 1.3 GB at 500,000)."),
    ] = 500_000,
    snapshot_date: Annotated[
        str | None,
        typer.Option(
            "--snapshot-date",
            help="The date (YYYY-MM-DD) of every DOC snapshot whose file name carries none (a date in the "
            "name is always used).",
        ),
    ] = None,
) -> None:
    """Decide a whole population under several regimes and write the comparison report."""

    from sanctuary.population.compare import compare_paths
    from sanctuary.population.evaluate import Scenario
    from sanctuary.population.records import count_records

    # The report's charting library takes a second to import: imported meanwhile, in a thread of its own.
    charts = threading.Thread(target=importlib.import_module, args=("sanctuary.population.report",))
    charts.start()

    scenario = Scenario.from_options(pack(), regimes, action, assume, request)
    try:
        snapshot_day = dt.date.fromisoformat(snapshot_date) if snapshot_date else None
    except ValueError:
        typer.echo(f"--snapshot-date: not a date (YYYY-MM-DD): {snapshot_date}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    paths = _existing(data)
    from rich.progress import Progress

    sizes = [count_records(path) for path in paths]
    with Progress(transient=True, disable=not sys.stderr.isatty()) as progress:
        # Records decided of all records, when every source's size is known from its metadata.
        task = progress.add_task("deciding records", total=None if None in sizes else sum(s or 0 for s in sizes))
        try:
            comparison = compare_paths(
                paths,
                scenario,
                pack(),
                chunk=chunk,
                advance=lambda records: progress.advance(task, records),
                snapshot_day=snapshot_day,
            )
        except (ValueError, OSError) as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(EXIT_INVALID) from None
    charts.join()
    from sanctuary.population.report import headline, write_report

    summary = write_report(comparison, out)
    for line in headline(summary):
        typer.echo(line)
    typer.echo(f"{summary['records']:,} records; report: {out / 'report.html'}")


@app.command("estimate")
def estimate_command(
    data: Annotated[
        list[Path], typer.Argument(help="A population over time: the DOC stays table, DOC snapshots, NYPD arrests.")
    ],
    regimes: Annotated[str, typer.Option("--regimes", help="Comma-separated regimes to estimate for.")],
    published: Annotated[
        Path | None,
        typer.Option("--published", help="Published detainer figures (CSV; docs/population.md): the backtest."),
    ] = None,
    detainers: Annotated[
        list[str] | None, typer.Option("--detainers", help="Requests received in a year, as YEAR=COUNT (FY2025=1200).")
    ] = None,
    year_start: Annotated[
        int, typer.Option("--year-start", help="The month years start: 7 (city fiscal year, FY), 1 (CY), 10 (FFY).")
    ] = 7,
    request: RequestOption = None,
    action: ActionOption = None,
    assume: AssumeOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of Markdown tables.")] = False,
) -> None:
    """Per-year ranges per regime and action, and the backtest against published figures (docs/population.md)."""
    from sanctuary.population import estimate as model
    from sanctuary.population.compare import compare_paths
    from sanctuary.population.evaluate import Scenario

    if not 1 <= year_start <= 12:
        typer.echo(f"--year-start: a month, 1 to 12 (not {year_start})", err=True)
        raise typer.Exit(EXIT_INVALID)
    try:
        counts = model.given_counts(detainers or [])
        periods = model.read_published(published) if published else []
    except (ValueError, OSError) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(EXIT_INVALID) from None
    chosen = list(Scenario.from_options(pack(), regimes, action, assume, request).regimes)  # refused: exit 2
    in_force = {p.label: r.id for p in periods if (r := pack().regime_in_force(p.middle())) is not None}
    every = ",".join(dict.fromkeys([*chosen, *in_force.values()]))
    scenario = Scenario.from_options(pack(), every, action, assume, request)
    try:
        comparison = compare_paths(_existing(data), scenario, pack())
    except (ValueError, OSError) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(EXIT_INVALID) from None
    by_month = comparison.by_month
    years = [
        model.Period(y.label, y.start, y.end, received=counts.get(y.label))
        for y in model.years({m for m, *_ in by_month}, year_start)
    ]
    per_year = model.estimate(by_month, years, chosen, scenario.actions)
    names = {p.agency: p.agency.split()[-1] for p in periods if p.agency}
    backtest = [
        row
        for p in periods
        for row in model.estimate(by_month, [p], [in_force[p.label]], scenario.actions, agency_of=names)
        if p.label in in_force
    ]
    if as_json:
        result = {"scenario": scenario.describe(), "model": model.__doc__, "per_year": [r.as_dict() for r in per_year]}
        typer.echo(json.dumps(result | {"backtest": [r.as_dict() for r in backtest]}, indent=2, ensure_ascii=False))
        return
    typer.echo(f"Supposed: {scenario.request_name} — {scenario.request_words}.\n")
    typer.echo("Per year\n\n" + model.per_year_table(per_year))
    if periods and any(row.published is not None for row in backtest):
        typer.echo("Backtest: the model beside the published figures\n\n" + model.backtest_table(backtest))
    elif periods:
        typer.echo("Backtest: no published figure counts an action decided here for a period with records.")


@app.command("synth")
def synth_command(
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help="Where to write: a folder, in the tables layout (three flat Parquet tables, the faster to read), "
            "or a file ending in .parquet (one table, cases as nested structs).",
        ),
    ],
    records: Annotated[int, typer.Option("--records", help="How many synthetic people.")] = 100_000,
    seed: Annotated[int, typer.Option(help="Random seed (the same seed gives the same population).")] = 2026,
) -> None:
    """Generate a synthetic jail population (labelled synthetic), calibrated on a public DOC snapshot."""
    if records < 1:
        typer.echo("--records: must be at least 1", err=True)
        raise typer.Exit(EXIT_INVALID)
    if out.suffix and out.suffix.lower() != ".parquet":
        typer.echo(f"--out: {out.name}: a folder (no suffix) or a file ending in .parquet", err=True)
        raise typer.Exit(EXIT_INVALID)
    from sanctuary.population.pack import write_synthetic

    try:
        write_synthetic(pack(), records, out, seed)  # calibrated on the jurisdiction's data: the pack's
    except InvalidInputError:
        raise  # a pack without public data: said with its field by the command group
    except (ValueError, OSError) as exc:
        typer.echo(f"--out: {exc}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    typer.echo(f"{records:,} synthetic records written to {out}")


@app.command("regimes")
def regimes_command(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """List every regime and proposal: id, status (law or proposal), dates, and sources."""
    rows = [regime.describe() | {"law_hash": pack().law_hash(regime)} for regime in pack().regimes.values()]
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{pack().name}: regimes and proposals", show_lines=True)
    for column in ("id", "status", "in force / introduced", "what it is"):
        table.add_column(column)
    for row in rows:
        if row["status"] == "law":
            dates = f"{row['in_force_from']} → {row['in_force_until'] or 'today'}"
        else:
            dates = f"introduced {row['introduced'] or '?'} (base {row['base']})"
        table.add_row(row["id"], row["status"], dates, row["title"])
    Console().print(table)


_WORDS: dict[str, bool | None] = {"yes": True, "true": True, "no": False, "false": False, "unknown": None, "null": None}


def _fact(text: str) -> tuple[str, Any]:
    """One ``name=value`` fact of a door question: yes/no/unknown as true/false/null, anything else as given."""
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise InvalidInputError(f"a fact is NAME=VALUE (got {text!r:.60})", text[:60])
    return name, _WORDS.get(value.lower(), value)


def door_text(answer: dict[str, Any]) -> str:
    """An answer at the door as a person reads it: the answer in one sentence, the clause, what to say, whom to
    call, then what follows and what would change it."""
    lines = [f"{answer['result'].upper()}: {answer['answer']}", f"Clause: {answer['citations'][0]}"]
    lines += [f"Say: {answer['say']}", f"Call: {answer['call']}"]
    lines += [f"Then: {d['text']}" for d in answer["duties"]]
    if answer["missing"]:
        lines.append(f"Missing: {', '.join(answer['missing'])}")
    lines += [f"Would change it: {c['if']} → {c['result']}" for c in answer["would_change_if"]]
    lines += [f"Warning: {w}" for w in answer["warnings"]]
    return "\n".join(lines)


@app.command("door")
def door_command(
    setting: Annotated[str, typer.Argument(help="Where you are: shelter, contracted_site, school, hospital, …")],
    ask: Annotated[str, typer.Argument(help="What is asked: enter, disclose, ask_status, assist_arrest, …")],
    facts: Annotated[
        list[str] | None,
        typer.Argument(help="Facts as NAME=VALUE: requester=federal_immigration area=non_public document=none …"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The whole answer as JSON.")] = False,
) -> None:
    """Answer a worker at the door: may they let the officer in, give the information, ask the status, help the
    arrest? The answer in one sentence, its clause, what to say and whom to call (docs/law/nyc/door.md)."""
    from sanctuary.engine.door import answer

    data = {"setting": setting, "ask": ask, **dict(_fact(f) for f in facts or [])}
    result = answer(data, pack(), today=dt.date.today())
    typer.echo(json.dumps(result, indent=2, ensure_ascii=False) if as_json else door_text(result))


@app.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of the case format."""
    typer.echo(json.dumps(pack().case_format.json_schema(), indent=2, ensure_ascii=False))


def _register_service() -> None:
    from sanctuary.service.commands import register

    register(app)


_register_service()


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
