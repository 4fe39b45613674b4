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
from sanctuary.errors import EXIT_INVALID, SanctuaryError, exit_code
from sanctuary.facts.case import CaseError, case_json_schema, parse_case
from sanctuary.jurisdictions import JurisdictionError, load, select
from sanctuary.law.jurisdiction import Jurisdiction
from sanctuary.render import (
    comparison_text,
    diff_text,
    explanation_html,
    explanation_markdown,
    explanation_short,
    explanation_text,
)


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
    help=("New York City's laws on cooperation with federal immigration enforcement, as cited, dated rules."),
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
    """New York City's laws on cooperation with federal immigration enforcement, as cited, dated rules."""
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
                case = parse_case(text)
                decision = decide(case, pack(), explain=explain)
            except CaseError as exc:
                invalid += 1
                for problem in exc.problems:
                    typer.echo(f"{where}: {problem}", err=True)
                continue
            indent = None if (lines or compact) else 2
            typer.echo(
                json.dumps(_labelled(decision.as_dict(), where, lines, case.id), indent=indent, ensure_ascii=False)
            )
    if invalid:
        raise typer.Exit(EXIT_INVALID)


def _labelled(decision: dict[str, Any], where: str, lines: bool, case_id: str | None = None) -> dict[str, Any]:
    """A decision with what names its case first: the case's own ``id`` (a contract extension) and, in a JSON
    Lines file, the line it came from — so a batch's answers can be matched to its cases even after an invalid
    line, which is reported on standard error and has no answer."""
    label: dict[str, Any] = {}
    if case_id is not None:
        label["id"] = case_id
    if lines:
        label["line"] = int(where.rsplit(":", 1)[1])
    return label | decision


def _compare(files: list[Path], regime_ids: list[str], output: str) -> None:
    invalid = 0
    as_text = output == "text" or (output == "auto" and sys.stdout.isatty())
    for path in files:
        lines = path.suffix.lower() in LINE_FORMATS
        for where, text in _cases(path):
            try:
                case = parse_case(text)
                comparison = compare_case(case, pack(), regime_ids)
            except CaseError as exc:
                invalid += 1
                for problem in exc.problems:
                    typer.echo(f"{where}: {problem}", err=True)
                continue
            if as_text:
                typer.echo(comparison_text(comparison, colour=sys.stdout.isatty()), nl=False)
            else:
                typer.echo(json.dumps(_labelled(comparison, where, lines, case.id), ensure_ascii=False))
    if invalid:
        raise typer.Exit(EXIT_INVALID)


@app.command("explain")
def explain_command(
    file: Annotated[Path, typer.Argument(help="One case file (.json), or - for stdin.")],
    output: Annotated[str, typer.Option("--format", help="text, markdown, html or json.")] = "text",
    words: Annotated[bool, typer.Option(help="Show the statute's words under each condition (text).")] = True,
    full: Annotated[
        bool, typer.Option("--full", help="The whole tree (text): every condition, its clause and words.")
    ] = False,
) -> None:
    """Explain each outcome: first, one line per action (the result, the clauses it rests on, what is missing,
    what would change it) and the questions to ask; with --full, the tree of every condition, its clause and
    words, the facts it used."""
    if output not in ("text", "markdown", "html", "json"):
        typer.echo(f"--format: expected text, markdown, html or json, got {output!r}", err=True)
        raise typer.Exit(EXIT_INVALID)
    where = "<stdin>" if str(file) == "-" else str(file)
    _case, explanation = _explained(file)
    if output == "json":
        typer.echo(json.dumps(explanation, indent=2, ensure_ascii=False))
    elif output == "markdown":
        typer.echo(explanation_markdown(explanation))
    elif output == "html":
        typer.echo(explanation_html(explanation), nl=False)
    elif full:
        typer.echo(explanation_text(explanation, colour=sys.stdout.isatty(), words=words), nl=False)
    else:
        typer.echo(explanation_short(explanation, colour=sys.stdout.isatty(), source=where), nl=False)


def _explained(file: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The case of ``file`` (as its JSON, every fact it gives) and its explanation; invalid input exits 2."""
    if str(file) != "-" and not file.is_file():
        typer.echo(f"{file}: no such file", err=True)
        raise typer.Exit(EXIT_INVALID)
    where = "<stdin>" if str(file) == "-" else str(file)
    text = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
    try:
        case = parse_case(text)
        explanation = explain(case, pack())
    except CaseError as exc:
        for problem in exc.problems:
            typer.echo(f"{where}: {problem}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    return json.loads(case.model_dump_json(by_alias=True, exclude_unset=True)), explanation


@app.command("memo")
def memo_command(
    file: Annotated[Path, typer.Argument(help="One case file (.json), or - for stdin.")],
    out: Annotated[Path | None, typer.Option("--out", help="Write the memo here (default: standard output).")] = None,
) -> None:
    """A memo to file (HTML; print it to PDF): the facts relied on, each outcome with the clauses and their
    words, and what would change it."""
    from sanctuary.documents import memo_html

    case, explanation = _explained(file)
    memo = memo_html(case, explanation, pack().agencies)
    if out is None:
        typer.echo(memo, nl=False)
    else:
        out.write_text(memo, encoding="utf-8")
        typer.echo(f"memo written to {out}")


@app.command("letter")
def letter_command(
    file: Annotated[Path, typer.Argument(help="One case file (.json), or - for stdin.")],
    out: Annotated[Path, typer.Option("--out", help="The Word file to write (.docx).")],
) -> None:
    """A letter to the agency (Word .docx): the request, the facts relied on, each outcome with the clauses and
    their words, and what would change it; for the lawyer to sign and send."""
    from sanctuary.documents import letter_docx

    if out.suffix.lower() != ".docx":
        typer.echo(f"--out: {out.name}: a file ending in .docx", err=True)
        raise typer.Exit(EXIT_INVALID)
    case, explanation = _explained(file)
    out.write_bytes(letter_docx(case, explanation, pack().agencies))
    typer.echo(f"letter written to {out}")


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
    action: Annotated[list[str] | None, typer.Option("--action", help="Action(s) to decide (default: hold).")] = None,
    assume: Annotated[
        list[str] | None,
        typer.Option(
            "--assume", help="PATH=VALUE or a preset (judicial-warrant, no-conviction-history, no-database-match, ...)."
        ),
    ] = None,
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
    from sanctuary.population.records import count_records, iter_paths

    # The report's charting library takes a second to import: imported meanwhile, in a thread of its own.
    charts = threading.Thread(target=importlib.import_module, args=("sanctuary.population.report",))
    charts.start()

    scenario = Scenario.from_options(pack(), regimes, action, assume)
    try:
        snapshot_day = dt.date.fromisoformat(snapshot_date) if snapshot_date else None
    except ValueError:
        typer.echo(f"--snapshot-date: not a date (YYYY-MM-DD): {snapshot_date}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    paths = list(iter_paths(data))
    missing = [p for p in paths if not p.exists()]
    if missing or not paths:
        typer.echo(f"no such file: {', '.join(map(str, missing)) or '(none given)'}", err=True)
        raise typer.Exit(EXIT_INVALID)
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
    try:
        pack().write_synthetic(records, out, seed)  # calibrated on the jurisdiction's data: the pack's
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


@app.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of the case format."""
    typer.echo(json.dumps(case_json_schema(), indent=2, ensure_ascii=False))


def _register_service() -> None:
    from sanctuary.service.commands import register

    register(app)


_register_service()


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
