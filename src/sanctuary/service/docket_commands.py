"""``sanctuary docket``: the detainer docket on the server's own database, for a desk without the HTTP service
or a scheduled job — the queue, one matter, every open matter re-decided when a law takes effect, and what a
proposal would change. Each prints JSON. Actions taken here are recorded with the actor ``cli``."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

import typer

from sanctuary.jurisdictions import load
from sanctuary.service.docket import Docket
from sanctuary.service.options import Database, open_store

docket_app = typer.Typer(help="The detainer docket: the queue, a matter, re-decision on a law change, what-ifs.")


def _docket(database: str | None) -> Docket:
    return Docket(open_store(database, signing=True), load())  # re-decisions are records


def _echo(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2, ensure_ascii=False))


@docket_app.command("queue")
def queue_command(
    database: Database = None,
    due_days: Annotated[int, typer.Option(min=0, max=366, help="Releases due within this many days.")] = 7,
) -> None:
    """Holds past their limit, holds running, releases due, undetermined matters, overrides."""
    _echo(_docket(database).queue(due_days))


@docket_app.command("show")
def show_command(matter_id: str, database: Database = None) -> None:
    """One matter: its decision, clock, the facts to check next and its timeline."""
    _echo(_docket(database).get(matter_id))


@docket_app.command("redecide")
def redecide_command(database: Database = None) -> None:
    """Re-decide every open matter under the law in force now (run when a law takes effect); prints the
    matters whose answer moved, with the clauses now cited."""
    _echo(_docket(database).redecide_open("cli"))


@docket_app.command("what-if")
def what_if_command(
    regime: Annotated[str, typer.Option(help="A regime or proposal id (sanctuary regimes).")],
    date: Annotated[dt.datetime, typer.Option(formats=["%Y-%m-%d"], help="The day it would take effect.")],
    database: Database = None,
) -> None:
    """The open matters whose answer would change if REGIME were enacted on DATE. Nothing is recorded."""
    _echo(
        {"regime": regime, "date": date.date().isoformat(), "changes": _docket(database).what_if(regime, date.date())}
    )
