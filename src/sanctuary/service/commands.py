"""The service's commands: ``serve``, ``audit verify|replay|head``, ``keys create|list|revoke``, ``report``.

Each opens the store named by ``--database`` (or ``SANCTUARY_DATABASE``; default ``sanctuary.db`` in the
current folder). Exit status: 0 on success, 1 when the audit trail is broken or a replay disagrees, 2 for
bad arguments.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from sanctuary.errors import EXIT_INVALID, InvalidInputError, NotFoundError
from sanctuary.jurisdictions import load
from sanctuary.service.options import Database, open_store
from sanctuary.service.privacy import PrivacyPolicy, load_key
from sanctuary.service.reporting import VIEWS, statutory_reports
from sanctuary.service.signing import load_signer
from sanctuary.service.store import ROLES, Store

EXIT_BROKEN = 1  # the trail is broken, or a replay disagrees; errors: sanctuary.errors.EXIT_CODES


audit_app = typer.Typer(help="Check the audit trail, and replay recorded decisions with today's engine.")
keys_app = typer.Typer(help="Create, list and revoke the service's API keys.")


def _shown(url: str) -> str:
    """A database address as a hint may print it: a password in it replaced by ``***``."""
    return re.sub(r"^(\w+://[^/:@]*):[^/@]*@", r"\1:***@", url)


def _signing_key_file(store: Store) -> Path:
    """The deployment's signing key: beside the SQLite database, else in the current folder."""
    if store.file is not None:
        return store.file.with_suffix(".signing-key")
    return Path.cwd() / "sanctuary.signing-key"


def _key_file(store: Store, given: Path | None) -> Path:
    if given is not None:
        return given
    if store.file is not None:  # beside the SQLite database
        return store.file.with_suffix(".pii-key")
    return Path.cwd() / "sanctuary.pii-key"


def serve_command(
    database: Database = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    keep_identifiers: Annotated[
        bool, typer.Option("--keep-identifiers", help="Store subjects' identifiers and names, not only keyed hashes.")
    ] = False,
    pii_key_file: Annotated[
        Path | None, typer.Option(help="The secret key for hashing identifiers (created if absent).")
    ] = None,
) -> None:
    """Start the HTTP service: the pages at /, the OpenAPI description at /openapi.json."""
    from sanctuary.service import server
    from sanctuary.service.app import create_app

    started = time.perf_counter()
    store = open_store(database)
    privacy = PrivacyPolicy(load_key(_key_file(store, pii_key_file)), keep_identifiers)
    application = create_app(store, load(), privacy, signer=load_signer(_signing_key_file(store)))
    typer.echo(
        f"sanctuary service ready in {time.perf_counter() - started:.2f} s: {len(load().regimes)} regimes prepared, "
        f"{store.dialect} audit trail, http://{host}:{port}/",
        err=True,
    )
    if not store.api_keys():
        typer.echo(
            f"no API keys yet: create one with `sanctuary keys create --database {_shown(store.url)} --role admin "
            "--name ...`",
            err=True,
        )
    server.run(application, host, port)  # with a deadline for each request to arrive whole (server.py)


@audit_app.command("verify")
def verify_command(
    database: Database = None,
    expect_head: Annotated[
        str | None, typer.Option(help="SEQ:HASH printed earlier by `audit head`, kept outside the database.")
    ] = None,
    receipt: Annotated[
        list[str] | None, typer.Option(help="A record hash a client received: check that it is in the trail.")
    ] = None,
    signed_head: Annotated[
        Path | None, typer.Option(help="A head printed earlier by `audit head --signed`, kept outside the database.")
    ] = None,
    public_key: Annotated[
        str | None, typer.Option(help="The public key to check --signed-head with (default: the deployment's).")
    ] = None,
) -> None:
    """Check every record's hash, link and number, and the chain's end; name every broken record."""
    store = open_store(database)
    count, problems = store.check_chain()  # as of one moment, while a service may go on appending
    messages = [str(p) for p in problems]
    if signed_head:
        key = public_key or load_signer(_signing_key_file(store)).public_key
        head, _ = _checked(signed_head, key, "signed_head")
        if "head_seq" not in head:
            raise InvalidInputError("a receipt, not a signed head (`sanctuary audit head --signed`)", "signed_head")
        expect_head = f"{head['head_seq']}:{head['head_hash']}" if head["head_seq"] else None  # 0: an empty trail
    if expect_head:
        seq_text, _, hash_text = expect_head.partition(":")
        if not seq_text.isdigit() or not hash_text:
            typer.echo("--expect-head: give SEQ:HASH as printed by `sanctuary audit head`", err=True)
            raise typer.Exit(EXIT_INVALID)
        expected = int(seq_text)
        record = next((r for r in store.records() if r.seq == expected), None)
        if record is None or record.hash != hash_text:
            messages.append(
                f"record {expected}: not the record whose hash was kept ({hash_text[:23]}…): changed or deleted"
            )
    if receipt:
        hashes = {r.hash for r in store.records()}
        messages.extend(f"receipt {r}: no such record in the trail" for r in receipt if r not in hashes)
    for message in messages:
        typer.echo(message)
    typer.echo(f"{count:,} records; {'intact' if not messages else f'{len(messages)} problem(s)'}", err=True)
    if messages:
        raise typer.Exit(EXIT_BROKEN)


def _checked(path: Path, public_key: str, field: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The statement a saved receipt or signed head makes, and its signature, once the signature is checked
    against ``public_key`` (exit 1 if it does not match; a file that is neither: invalid input, exit 2)."""
    from sanctuary.service.signing import signed_statement, verify

    try:
        statement, signature = signed_statement(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InvalidInputError(f"not a receipt or a signed head: {exc}", field) from None
    if not verify(statement, signature, public_key):
        typer.echo(f"{path}: the signature does NOT match the key", err=True)
        raise typer.Exit(EXIT_BROKEN)
    return statement, signature


@audit_app.command("head")
def head_command(
    database: Database = None,
    signed: Annotated[
        bool, typer.Option("--signed", help="Print the head as JSON signed with the deployment's key.")
    ] = False,
) -> None:
    """Print the chain's head (SEQ:HASH): keep it elsewhere, and check against it with --expect-head. With
    --signed, a JSON statement signed by the deployment, which anyone can check with `audit check`."""
    from sanctuary.service.signing import head_statement
    from sanctuary.service.store import now

    store = open_store(database)
    head = store.head()
    if not signed:
        typer.echo("0:" if head is None else f"{head[0]}:{head[1]}")
        return
    signer = load_signer(_signing_key_file(store))
    statement = head_statement(*(head or (0, "")), now())
    typer.echo(json.dumps({**statement, "signature": signer.sign(statement), "public_key": signer.public_key}))


@audit_app.command("signing-key")
def signing_key_command(database: Database = None) -> None:
    """Print the deployment's public signing key (as GET /v1/signing-key publishes it)."""
    typer.echo(json.dumps(load_signer(_signing_key_file(open_store(database))).describe()))


@audit_app.command("check")
def check_command(
    statement_file: Annotated[Path, typer.Argument(help="A receipt (a 201 answer) or a signed head, as JSON.")],
    public_key: Annotated[str, typer.Option(help="The public key, as GET /v1/signing-key gives it.")],
) -> None:
    """Check offline that a receipt or a signed head was signed by the deployment's key: no database, no
    service, only the public key. Exit 1 if the signature does not match."""
    statement, signature = _checked(statement_file, public_key, "statement_file")
    typer.echo(json.dumps(statement))
    typer.echo(f"{statement_file}: signed by {signature.get('key_id')}", err=True)


@audit_app.command("backup")
def backup_command(
    destination: Annotated[Path, typer.Argument(help="A new file for the copy (never overwritten).")],
    database: Database = None,
) -> None:
    """Copy a SQLite audit trail while the service runs (SQLite's online backup: one consistent moment), then
    check the copy's chain. Exit 1 if the copy does not verify. The privacy and signing keys beside the
    database are not copied: keep them apart."""
    store = open_store(database)
    store.backup(destination)
    copy = Store(f"sqlite:///{destination}")
    count, problems = copy.check_chain()
    head = copy.head()
    copy.close()
    for problem in problems:
        typer.echo(str(problem))
    state = "intact" if not problems else f"{len(problems)} problem(s)"
    typer.echo(f"{destination}: {count:,} records, head {head[0] if head else 0}; {state}", err=True)
    if problems:
        raise typer.Exit(EXIT_BROKEN)


@audit_app.command("replay")
def replay_command(
    decision_id: Annotated[str, typer.Argument(help="The id of a recorded decision.")],
    database: Database = None,
) -> None:
    """Re-run a recorded decision with today's engine and law, and show whether they agree."""
    from sanctuary.service.decisions import replay

    record = open_store(database).get(decision_id)
    if record is None:
        raise NotFoundError(f"no record {decision_id!r}", "decision_id")
    result = replay(record, load())
    typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
    if not result["agrees"]:
        raise typer.Exit(EXIT_BROKEN)


@keys_app.command("create")
def create_key_command(
    role: Annotated[str, typer.Option(help=f"One of: {', '.join(ROLES)}.")],
    name: Annotated[str, typer.Option(help="Who or what system holds the key.")],
    database: Database = None,
) -> None:
    """Create a key and print its secret (shown once; the store keeps only a hash)."""
    store = open_store(database)
    key, secret = store.create_key(name, role, "cli")  # the key and the trail's record of it, together
    typer.echo(json.dumps({"id": key.id, "name": key.name, "role": key.role, "secret": secret}))


@keys_app.command("list")
def list_keys_command(database: Database = None) -> None:
    """List the keys (never their secrets)."""
    for key in open_store(database).api_keys():
        state = f"revoked {key.revoked}" if key.revoked else "active"
        typer.echo(f"{key.id}\t{key.role}\t{key.name}\t{key.created}\t{state}")


@keys_app.command("revoke")
def revoke_key_command(key_id: str, database: Database = None) -> None:
    """Revoke a key: requests with it get 401 from now on."""
    store = open_store(database)
    if not store.revoke_key(key_id, "cli"):  # the revocation and the trail's record of it, together
        raise NotFoundError(f"no active key {key_id!r}", "key_id")
    typer.echo(f"{key_id} revoked")


FORMATS = ("json", "csv", "html", "pdf")


def report_command(
    law: Annotated[
        str,
        typer.Option(
            "--law", help="The law requiring the report, as the pack names it (nyc: 9-131, 14-154, 9-205, 10-178)."
        ),
    ],
    year: Annotated[
        int | None, typer.Option(help="Annual reports: the year (nyc: the year whose June 30 ends the period).")
    ] = None,
    quarter: Annotated[
        str | None, typer.Option(help="Quarterly reports: the calendar quarter, e.g. 2025Q3 (nyc: § 10-178(d)).")
    ] = None,
    view: Annotated[
        str, typer.Option(help="detail (every row, for audit) or publication (the statutory items and notes).")
    ] = "detail",
    include_annual_reports: Annotated[
        bool,
        typer.Option(
            "--include-annual-reports", help="§ 10-178(d): keep the requests the annual reports already count."
        ),
    ] = False,
    through: Annotated[
        int | None, typer.Option(min=1, help="Read the audit trail only through this record (a past report).")
    ] = None,
    check: Annotated[
        Path | None,
        typer.Option(
            help="A report saved earlier as JSON: regenerate it from the trail and say whether it is the same."
        ),
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Folder for report.json, .csv, .html and .pdf.")] = None,
    output: Annotated[str, typer.Option("--format", help="Without --out: json, csv, html or pdf on stdout.")] = "json",
    database: Database = None,
) -> None:
    """Compute a statutory report from the recorded decisions and actions (every count the section lists)."""
    if output not in FORMATS:
        typer.echo(f"--format: json, csv, html or pdf (got {output!r})", err=True)
        raise typer.Exit(EXIT_INVALID)
    if view not in VIEWS:
        typer.echo(f"--view: detail or publication (got {view!r})", err=True)
        raise typer.Exit(EXIT_INVALID)
    saved = _saved_report(check) if check is not None else None
    if saved is not None:
        through = saved["through_seq"]
    reports = statutory_reports(load())  # the jurisdiction's own reports
    period = reports.period_for(law, year=year, quarter=quarter)
    from sanctuary.service.docket import report_records  # each docket matter counted once

    records = open_store(database).records()
    if through is not None:
        records = (r for r in records if r.seq <= through)
    report = reports.compute_report(
        report_records(records), law, period, include_annual_reports=include_annual_reports, view=view
    )
    if saved is not None:
        _compare(saved, report.as_dict())
        return
    texts: dict[str, str | bytes] = {
        "json": json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n",
        "csv": report.to_csv(),
        "html": report.to_html(),
        "pdf": report.to_pdf(),
    }
    if out is None:
        _emit(texts[output])
        return
    out.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        target = out / f"report.{name}"
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(text, encoding="utf-8")
    typer.echo(f"{report.law} report for {period.label}: {out / 'report.html'}", err=True)


def _emit(text: str | bytes) -> None:
    if isinstance(text, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(text)
        sys.stdout.buffer.flush()
    else:
        typer.echo(text, nl=not text.endswith("\n"))


def _saved_report(path: Path) -> dict[str, Any]:
    """A report saved as JSON by this command (``--format json`` or ``--out``): what ``--check`` regenerates."""
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InvalidInputError(f"--check: cannot read {path} as a saved report: {exc}", "check") from exc
    if not isinstance(saved, dict) or not isinstance(saved.get("through_seq"), int) or "fingerprint" not in saved:
        raise InvalidInputError(f"--check: {path} is not a report saved as JSON by `sanctuary report`", "check")
    return saved


def _compare(saved: dict[str, Any], now: dict[str, Any]) -> None:
    """Say whether the regenerated report is the one saved: the same fingerprint; otherwise what differs."""
    for key in ("law", "period", "view", "options"):
        if saved.get(key) != now.get(key):
            raise InvalidInputError(
                f"--check: the saved report's {key} is {saved.get(key)!r}, not {now.get(key)!r}: give the same "
                "--law, --year or --quarter, --view and --include-annual-reports",
                "check",
            )
    if saved["fingerprint"] == now["fingerprint"]:
        typer.echo(
            f"identical: the report regenerated from the audit trail through record {now['through_seq']} has the "
            f"fingerprint of the one saved ({now['fingerprint']})"
        )
        return
    rows = "rows" if "rows" in now else "items"
    key = "id" if rows == "rows" else "item"
    before = {json.dumps(r, sort_keys=True) for r in saved.get(rows, [])}
    for row in now.get(rows, []):
        if json.dumps(row, sort_keys=True) not in before:
            typer.echo(f"differs: {row.get(key)} {row.get('label', '')}: now {row.get('value')}")
    typer.echo(f"different: saved {saved['fingerprint']}, regenerated {now['fingerprint']}", err=True)
    raise typer.Exit(EXIT_BROKEN)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
    app.command("report")(report_command)
    app.add_typer(audit_app, name="audit")
    app.add_typer(keys_app, name="keys")
    from sanctuary.service.docket_commands import docket_app

    app.add_typer(docket_app, name="docket")
