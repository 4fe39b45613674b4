"""Benchmark: the HTTP decision service under load on loopback, against the same decisions made in-process.

The service's promise is that a decision is recorded in the hash-chained audit trail before it is answered,
so its latency is the engine's plus validation, HTTP and a durable SQLite commit. This measures how much that
costs, and whether the promise holds under load:

1. **Open loop** at a fixed rate (default 200 requests/s for 20 s): each request has a scheduled send time,
   and its latency is counted from that time, not from when the client got round to sending it. A stalled
   server therefore shows up as latency (no coordinated omission), and a late load generator shows up as
   "send lag" (reported, so that a saturated client cannot pass for a fast server).
2. **Closed loop**: a few clients each send the next request as soon as the last is answered, for a bounded
   time: the most the service sustains.
3. **In-process**: ``sanctuary.engine.decide`` on the same parsed cases in this process, and the ratio of the
   service's p50 and p99 to it.
4. **Trail**: ``sanctuary audit verify`` on the database after the server is stopped, and every decision id
   the client was acknowledged (201) found in the trail, with as many decision records as 201 answers.

The server is ``sanctuary serve`` in its own process with a fresh SQLite database in a temporary folder,
listening on 127.0.0.1 only; the load generator is this process (asyncio + ``httpx.AsyncClient``), and its
own CPU use is printed beside the server's so it can be seen not to be the bottleneck. Cases are varied from
the examples: agency, dates, documents, actions, convictions, pending charges and unknown facts.

Run: ``python benchmarks/service.py [--rate 200] [--duration 20] [--clients 4] [--closed-duration 10]``.
Exits 1 if the trail is broken or an acknowledged decision is missing from it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import importlib.util
import json
import math
import os
import platform
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from sanctuary.engine import decide
from sanctuary.facts.case import Case, CaseError
from sanctuary.packs.nyc import NYC
from sanctuary.packs.nyc.case import ACTIONS, parse_case
from sanctuary.service.audit import DECISION
from sanctuary.service.decisions import record_decisions
from sanctuary.service.models import DecisionRequest
from sanctuary.service.privacy import PrivacyPolicy
from sanctuary.service.signing import Signer
from sanctuary.service.store import Store

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"  # loopback only: the benchmark never talks to any other address
DRAIN_SECONDS = 30.0  # after the last scheduled send, how long answers are awaited before they count as lost
REQUEST_TIMEOUT = 30.0
CLOSED_LOOP_MAX_REQUESTS = 200_000  # a bound on the closed loop besides its duration

# --- realistic varied cases ---------------------------------------------------------------------------------

AGENCIES = ["DOC", "DOC", "DOC", "NYPD", "NYPD", "DOP", "HRA"]
REQUESTERS = ["ICE", "ICE", "ICE", "CBP", "FBI", "OTHER_DHS"]
CHARGES = [
    ("PL 160.15(4)", "felony"),
    ("PL 160.10", "felony"),
    ("PL 120.05", "felony"),
    ("PL 125.25", "felony"),
    ("PL 265.02(3)", "felony"),
    ("PL 220.39", "felony"),
    ("PL 155.30", "felony"),
    ("PL 120.00", "misdemeanor"),
    ("PL 140.25", "felony"),
    ("VTL 1192(3)", "misdemeanor"),
    ("PL 240.20", "violation"),
]
JUDICIAL_WARRANT = {
    "type": "warrant",
    "signer": "us_magistrate_judge",
    "probable_cause": True,
    "authorizes_immigration_custody": True,
    "presented_with_detainer": True,
}
DOCUMENT_SETS: list[list[dict[str, Any]]] = [
    [{"type": "I-247A"}],
    [{"type": "I-247A"}, {"type": "I-200", "signer": "immigration_officer"}],
    [{"type": "I-247A"}, {"type": "I-200", "signer": "immigration_officer"}, JUDICIAL_WARRANT],
    [{"type": "I-247D"}, {"type": "I-205", "signer": "immigration_officer"}],
    [{"type": "I-247N"}],
    [{"type": "letter"}],
    [{"type": "warrant", "signer": "immigration_judge", "presented_with_detainer": True}],
    [{"type": "subpoena", "signer": "state_judge"}],
    [],
]


def _day(rng: random.Random, earliest: dt.date, latest: dt.date) -> dt.date:
    return earliest + dt.timedelta(days=rng.randint(0, max(0, (latest - earliest).days)))


def _conviction(rng: random.Random, before: dt.date) -> dict[str, Any]:
    charge, level = rng.choice(CHARGES)
    judged = _day(rng, before - dt.timedelta(days=365 * 15), before - dt.timedelta(days=30))
    offended = judged - dt.timedelta(days=rng.randint(30, 500))
    conviction: dict[str, Any] = {
        "charge": charge,
        "level": level,
        "judgment_date": judged.isoformat(),
        "offense_date": offended.isoformat(),
        "court": "NY",
    }
    if rng.random() < 0.7:  # otherwise unknown: the engine must not guess it
        custody = []
        if rng.random() < 0.5:
            released = min(before, judged + dt.timedelta(days=rng.randint(1, 2000)))
            custody.append({"from": offended.isoformat(), "to": released.isoformat()})
        conviction["incarceration"] = custody
    return conviction


def varied_case(base: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """One case in the contract's format, built on an example and varied the way real requests vary."""
    case: dict[str, Any] = json.loads(json.dumps(base))
    decision = _day(rng, dt.date(2015, 1, 5), dt.date(2026, 6, 30))
    arrest = decision - dt.timedelta(days=rng.randint(1, 300))
    case["agency"] = rng.choice(AGENCIES)
    case["decision_date"] = decision.isoformat()
    request = case.setdefault("request", {})
    request["from"] = rng.choice(REQUESTERS)
    request["documents"] = json.loads(json.dumps(rng.choice(DOCUMENT_SETS)))
    request["actions"] = rng.sample(ACTIONS, rng.randint(1, 3))
    person = case.setdefault("person", {})
    person["instant_arrest_date"] = arrest.isoformat()
    roll = rng.random()
    if roll < 0.15:
        person.pop("convictions", None)  # unknown record
    else:
        person["convictions"] = [_conviction(rng, arrest) for _ in range(0 if roll < 0.35 else rng.randint(1, 3))]
    person["pending_charges"] = [
        {"charge": charge, "level": level, "arrest_date": arrest.isoformat()}
        for charge, level in rng.sample(CHARGES, rng.randint(0, 2))
    ]
    for fact in ("tsdb_possible_match", "reentered_after_removal", "gang_database"):
        choice = rng.random()
        if choice < 0.2:
            person.pop(fact, None)
        else:
            person[fact] = choice > 0.9
    return case


def request_bodies(count: int, seed: int) -> tuple[list[bytes], list[Case], int]:
    """``count`` request bodies (JSON, serialised once so the load loop does no encoding), the parsed cases
    for the in-process comparison, and how many generated cases were dropped as invalid."""
    examples = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "examples").glob("*.json"))]
    rng = random.Random(seed)
    bodies: list[bytes] = []
    cases: list[Case] = []
    dropped = 0
    while len(bodies) < count:
        data = varied_case(rng.choice(examples), rng)
        try:
            case = parse_case(json.dumps(data))
            decide(case, NYC)  # some problems only show at decision time (no regime on that date)
        except CaseError:
            dropped += 1
            if dropped > 10 * count:
                raise RuntimeError("the case generator makes almost no valid case") from None
            continue
        body: dict[str, Any] = {"case": data}
        if rng.random() < 0.5:
            body["subject"] = {"person_id": f"{rng.randint(10_000_000, 99_999_999)}K"}
        cases.append(case)
        bodies.append(json.dumps(body).encode("utf-8"))
    return bodies, cases, dropped


def _fail_missing_sniffio_fast() -> None:
    """httpcore 1.0 runs ``import sniffio`` inside every lock it takes in async code. When sniffio is not
    installed (anyio 4.16 no longer brings it) each of those is a failed import that searches ``sys.path``
    again: about 0.6 ms of CPU per request on a small machine, enough to make the load generator, rather than
    the server, the bottleneck. Marking the module absent in ``sys.modules`` makes that import fail at once,
    and httpcore then assumes asyncio, which is what runs here."""
    if importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


# --- measurements -------------------------------------------------------------------------------------------


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an already sorted list (NaN when empty)."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def summary(latencies: list[float]) -> dict[str, float]:
    values = sorted(latencies)
    return {
        "p50": percentile(values, 50),
        "p90": percentile(values, 90),
        "p99": percentile(values, 99),
        "max": values[-1] if values else math.nan,
    }


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"


def process_cpu(pid: int) -> float | None:
    """CPU seconds (user + system) a process has used so far, from /proc (None where there is no /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Run:
    """What one load phase saw."""

    latencies: list[float] = field(default_factory=list)  # of the 201 answers
    statuses: Counter[str] = field(default_factory=Counter)  # everything else: status codes and exceptions
    acknowledged: list[str] = field(default_factory=list)  # decision ids of the 201 answers
    sent: int = 0
    wall: float = 0.0
    client_cpu: float = 0.0
    server_cpu: float | None = None
    send_lag: list[float] = field(default_factory=list)
    in_flight: int = 0
    peak_in_flight: int = 0

    @property
    def errors(self) -> int:
        return sum(self.statuses.values())


async def _post(client: httpx.AsyncClient, body: bytes, since: float, run: Run) -> None:
    try:
        response = await client.post("/v1/decisions", content=body)
    except httpx.HTTPError as exc:
        run.statuses[type(exc).__name__] += 1
        return
    if response.status_code == 201:
        run.latencies.append(time.perf_counter() - since)
        run.acknowledged.append(response.json()["id"])
    else:
        run.statuses[f"HTTP {response.status_code}"] += 1


def _client(base: str, key: str) -> httpx.AsyncClient:
    """One client with one connection. Each worker has its own: httpcore's pool rescans all its connections
    for every queued request (quadratic in connections × queue), so one shared pool with many connections
    made this process, not the server, the bottleneck as soon as a queue formed."""
    return httpx.AsyncClient(
        base_url=base,
        headers={"X-API-Key": key, "Content-Type": "application/json"},
        limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
        timeout=REQUEST_TIMEOUT,
    )


def _finish(run: Run, started: float, cpu0: float, server0: float | None, pid: int) -> None:
    run.wall = time.perf_counter() - started
    run.client_cpu = time.process_time() - cpu0
    server1 = process_cpu(pid)
    run.server_cpu = None if server0 is None or server1 is None else server1 - server0


async def open_loop(
    base: str, key: str, bodies: list[bytes], rate: float, duration: float, pid: int, connections: int
) -> Run:
    """Schedule ``rate × duration`` requests at fixed times, whatever the answers; ``connections`` workers
    send them. Each latency counts from the request's scheduled time, so a request that waited for a free
    connection (because the server was slow to answer earlier ones) carries that wait. Answers still
    outstanding ``DRAIN_SECONDS`` after the last scheduled time count as unanswered."""
    run = Run()
    total = int(rate * duration)
    queue: asyncio.Queue[tuple[int, float] | None] = asyncio.Queue()

    async def worker(client: httpx.AsyncClient) -> None:
        while (item := await queue.get()) is not None:
            i, due = item
            run.in_flight += 1
            run.peak_in_flight = max(run.peak_in_flight, run.in_flight)
            await _post(client, bodies[i % len(bodies)], due, run)
            run.in_flight -= 1

    async with contextlib.AsyncExitStack() as stack:
        clients = [await stack.enter_async_context(_client(base, key)) for _ in range(connections)]
        workers = [asyncio.create_task(worker(client)) for client in clients]
        cpu0, server0 = time.process_time(), process_cpu(pid)
        started = time.perf_counter() + 0.01
        for i in range(total):
            due = started + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            run.send_lag.append(max(0.0, time.perf_counter() - due))
            queue.put_nowait((i, due))
            run.sent += 1
        for _ in workers:
            queue.put_nowait(None)
        _, pending = await asyncio.wait(workers, timeout=DRAIN_SECONDS)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        unanswered = run.sent - len(run.latencies) - run.errors
        if unanswered:
            run.statuses["unanswered"] += unanswered
        _finish(run, started, cpu0, server0, pid)
    return run


async def closed_loop(base: str, key: str, bodies: list[bytes], clients: int, duration: float, pid: int) -> Run:
    """``clients`` clients, each sending its next request when the last is answered, for ``duration`` s."""
    run = Run()

    async def worker(client: httpx.AsyncClient, offset: int, deadline: float) -> None:
        i = offset
        while time.perf_counter() < deadline and run.sent < CLOSED_LOOP_MAX_REQUESTS:
            run.sent += 1
            await _post(client, bodies[i % len(bodies)], time.perf_counter(), run)
            i += clients

    async with contextlib.AsyncExitStack() as stack:
        pool = [await stack.enter_async_context(_client(base, key)) for _ in range(clients)]
        cpu0, server0 = time.process_time(), process_cpu(pid)
        started = time.perf_counter()
        work = asyncio.gather(*(worker(c, n, started + duration) for n, c in enumerate(pool)))
        await asyncio.wait_for(work, duration + REQUEST_TIMEOUT + 5)
        _finish(run, started, cpu0, server0, pid)
    return run


def in_process(cases: list[Case], calls: int) -> list[float]:
    """Seconds per ``decide(case).as_dict()`` (what the service computes per request), over the same cases."""
    for case in cases[:200]:
        decide(case, NYC).as_dict()
    out = []
    for i in range(calls):
        case = cases[i % len(cases)]
        started = time.perf_counter()
        decide(case, NYC).as_dict()
        out.append(time.perf_counter() - started)
    return out


def in_process_recorded(bodies: list[bytes], folder: Path, calls: int, signer: Signer | None = None) -> list[float]:
    """Seconds per request for what the endpoint does besides HTTP and the key check: validate the case,
    decide, and append the record durably (``record_decisions`` on a SQLite store of its own, same settings),
    each record signed with ``signer`` as the service does (None: unsigned, as before records were signed).
    The gap between this and the service's latency is the HTTP stack, the key check and queueing."""
    store = Store(f"sqlite:///{folder / ('in-process-signed.db' if signer else 'in-process.db')}", signer=signer)
    privacy = PrivacyPolicy(b"k" * 32)
    requests = [DecisionRequest.model_validate_json(body) for body in bodies]
    out = []
    try:
        for i in range(calls):
            started = time.perf_counter()
            record_decisions(store, NYC, privacy, "benchmark", [requests[i % len(requests)]])
            out.append(time.perf_counter() - started)
    finally:
        store.close()
    return out


# --- the server ---------------------------------------------------------------------------------------------


def sanctuary_command() -> list[str]:
    """The ``sanctuary`` console script of this interpreter's environment (or the CLI module run directly)."""
    script = Path(sys.executable).with_name("sanctuary")
    if script.exists():
        return [str(script)]
    found = shutil.which("sanctuary")
    return [found] if found else [sys.executable, "-c", "from sanctuary.cli import main; main()"]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def start_server(database: str, log_path: Path) -> tuple[subprocess.Popen[bytes], str]:
    """``sanctuary serve`` on a free loopback port; returns once /healthz answers (or raises)."""
    port = free_port()
    log = log_path.open("wb")
    process = subprocess.Popen(
        [*sanctuary_command(), "serve", "--database", database, "--host", HOST, "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://{HOST}:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return process, base
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    stop_server(process)
    raise RuntimeError(f"the server did not start; its output:\n{log_path.read_text(errors='replace')}")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


# --- report -------------------------------------------------------------------------------------------------


def report(title: str, run: Run, scheduled_rate: float | None) -> None:
    stats = summary(run.latencies)
    answered = len(run.latencies)
    print(f"{title}:")
    print(
        f"  sent {run.sent:,}; 201 {answered:,}; errors {run.errors:,}"
        + (f" ({', '.join(f'{k}: {v}' for k, v in sorted(run.statuses.items()))})" if run.errors else "")
    )
    if scheduled_rate is not None:
        send_span = (run.sent - 1) / scheduled_rate if run.sent > 1 else math.nan
        lag = summary(run.send_lag)
        print(
            f"  rate: scheduled {scheduled_rate:.0f}/s; sent {run.sent / send_span if send_span else math.nan:.1f}/s; "
            f"answered (201) {answered / run.wall:.1f}/s over {run.wall:.1f} s; "
            f"send lag p99 {lag['p99'] * 1000:.2f} ms, max {lag['max'] * 1000:.2f} ms; "
            f"most in flight {run.peak_in_flight}"
        )
    else:
        print(f"  throughput (201): {answered / run.wall:.1f}/s over {run.wall:.1f} s")
    print(
        f"  latency (201s{', from the scheduled send time' if scheduled_rate else ''}): "
        f"p50 {ms(stats['p50'])}  p90 {ms(stats['p90'])}  p99 {ms(stats['p99'])}  max {ms(stats['max'])}"
    )
    server = f"{100 * run.server_cpu / run.wall:.0f}% of one core" if run.server_cpu is not None else "n/a"
    print(f"  CPU: load generator (this process) {100 * run.client_cpu / run.wall:.0f}% of one core; server {server}")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rate", type=float, default=200.0, help="open-loop requests per second")
    parser.add_argument("--duration", type=float, default=20.0, help="open-loop seconds")
    parser.add_argument("--connections", type=int, default=64, help="open-loop connections (most requests in flight)")
    parser.add_argument("--clients", type=int, default=4, help="closed-loop concurrent clients")
    parser.add_argument("--closed-duration", type=float, default=10.0, help="closed-loop seconds")
    parser.add_argument("--cases", type=int, default=2_000, help="distinct varied cases")
    parser.add_argument("--seed", type=int, default=20240301)
    args = parser.parse_args()
    _fail_missing_sniffio_fast()
    if not (0 < args.rate <= 5_000 and 0 < args.duration <= 600 and 0 < args.closed_duration <= 600):
        parser.error("--rate must be in (0, 5000], durations in (0, 600] s")
    if not (1 <= args.clients <= 64 and 1 <= args.connections <= 256):
        parser.error("--clients must be in [1, 64], --connections in [1, 256]")

    print(
        f"machine  : {platform.platform()}; {platform.processor() or platform.machine()}; "
        f"os.cpu_count()={os.cpu_count()}; Python {platform.python_version()}"
    )
    print(f"command  : python benchmarks/service.py {' '.join(sys.argv[1:])}".rstrip())
    print(
        f"settings : open loop {args.rate:g}/s for {args.duration:g} s over {args.connections} connections; "
        f"closed loop {args.clients} clients for {args.closed_duration:g} s; server `sanctuary serve` on {HOST}, "
        "SQLite (WAL, synchronous=FULL) in a temporary folder"
    )
    bodies, cases, dropped = request_bodies(args.cases, args.seed)
    agencies = Counter(c.agency for c in cases)
    print(
        f"cases    : {len(cases):,} varied cases ({dropped} generated cases dropped as invalid); "
        f"agencies {dict(sorted(agencies.items()))}; {sum(len(c.request.actions) for c in cases):,} actions"
    )

    engine = summary(in_process(cases, calls=max(5_000, 2 * len(cases))))
    print(
        f"in-process decide(case).as_dict(), same cases: p50 {ms(engine['p50'])}  p90 {ms(engine['p90'])}  "
        f"p99 {ms(engine['p99'])}  max {ms(engine['max'])}"
    )

    with tempfile.TemporaryDirectory(prefix="sanctuary-bench-") as folder:
        calls = min(2_000, len(bodies))
        unsigned = summary(in_process_recorded(bodies, Path(folder), calls))
        inproc = summary(in_process_recorded(bodies, Path(folder), calls, Signer.ephemeral()))
        for name, figures in (("unsigned records", unsigned), ("each record signed, as served", inproc)):
            print(
                f"in-process validate + decide + durable append (no HTTP; {name}): p50 {ms(figures['p50'])}  "
                f"p90 {ms(figures['p90'])}  p99 {ms(figures['p99'])}  max {ms(figures['max'])}"
            )
        print(
            f"signing each record: p50 {inproc['p50'] / unsigned['p50']:.2f}x, "
            f"p99 {inproc['p99'] / unsigned['p99']:.2f}x of the unsigned append (the same cases, one after the other)"
        )
        database = f"sqlite:///{Path(folder) / 'bench.db'}"
        created = subprocess.run(
            [
                *sanctuary_command(),
                "keys",
                "create",
                "--role",
                "officer",
                "--name",
                "benchmark",
                "--database",
                database,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        key = json.loads(created.stdout)["secret"]
        process, base = start_server(database, Path(folder) / "server.log")
        try:
            warm = asyncio.run(closed_loop(base, key, bodies, clients=2, duration=1.0, pid=process.pid))
            opened = asyncio.run(open_loop(base, key, bodies, args.rate, args.duration, process.pid, args.connections))
            closed = asyncio.run(closed_loop(base, key, bodies, args.clients, args.closed_duration, process.pid))
        finally:
            stop_server(process)
        print(f"warm-up  : {warm.sent} requests over {warm.wall:.1f} s (not in the figures below)")
        report(f"open loop, {args.rate:g} requests/s for {args.duration:g} s", opened, args.rate)
        report(f"closed loop, {args.clients} clients for {args.closed_duration:g} s", closed, None)
        capacity = len(closed.latencies) / closed.wall
        print(f"load     : the open-loop rate is {100 * args.rate / capacity:.0f}% of the closed-loop throughput")
        for name, run in (("open", opened), ("closed", closed)):
            stats = summary(run.latencies)
            print(
                f"service / in-process ({name} loop): p50 {stats['p50'] / engine['p50']:.1f}x, "
                f"p99 {stats['p99'] / engine['p99']:.1f}x of decide; p50 "
                f"{stats['p50'] / inproc['p50']:.1f}x, p99 {stats['p99'] / inproc['p99']:.1f}x "
                "of validate + decide + append"
            )

        verified = subprocess.run(
            [*sanctuary_command(), "audit", "verify", "--database", database],
            capture_output=True,
            text=True,
            timeout=300,
        )
        store = Store(database)
        recorded = {r.id for r in store.records((DECISION,))}
        store.close()
        acknowledged = [i for run in (warm, opened, closed) for i in run.acknowledged]
        missing = set(acknowledged) - recorded
        print(
            f"trail    : `sanctuary audit verify` exit {verified.returncode} ({verified.stderr.strip()}); "
            f"{len(recorded):,} decision records; {len(acknowledged):,} 201 answers; "
            f"{len(missing)} acknowledged decision(s) missing from the trail"
        )
        if len(recorded) != len(acknowledged):
            print(
                f"           {len(recorded) - len(acknowledged):+,} records beyond the 201 answers "
                "(requests the client gave up on may still have been recorded)"
            )
    return 0 if verified.returncode == 0 and not missing else 1


if __name__ == "__main__":
    raise SystemExit(main())
