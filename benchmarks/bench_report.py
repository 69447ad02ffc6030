"""The report: the figures of a pipeline run, with each target met or not."""

from __future__ import annotations

import argparse
import os
from collections import Counter
from dataclasses import dataclass
from datetime import date

from benchmarks.bench_load import Run
from benchmarks.bench_probe_file import pct
from benchmarks.bench_processes import CPU_HEADER, Usage


# -- the report --------------------------------------------------------------------------------
@dataclass
class EndToEnd:
    n: int
    first: float  # wall clock: the first webhook went out
    last: float  # wall clock: the fake bridge recorded the last reply
    ingest: Run
    usage: Usage

    @property
    def rate(self) -> float:
        return self.n / (self.last - self.first)


@dataclass
class Results:
    hello: Run
    saturate: Run
    saturate_usage: Usage
    ingest: Run
    ingest_usage: Usage
    ack: tuple[Run, Usage]
    ack_lag: list[float]
    ladder: list[tuple[int, Run, Usage]]
    fast: EndToEnd
    per_message: dict[str, float]
    xact_check: tuple[int, int, Counter[str]]
    slow: EndToEnd
    slow_lag: list[float]


def _cpu_ms(usage: Usage, run: Run) -> str:
    return f"{usage.server_seconds / max(1, len(run.latencies)) * 1000:.2f}"


def _met(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def report(args: argparse.Namespace, r: Results) -> None:
    ack, ack_usage = r.ack
    counts, lag = r.per_message, r.slow_lag
    passing = [rate for rate, step, _ in r.ladder if step.pct(99) <= 50 and not step.errors]
    best = max(passing, default=0)
    hello_rate = len(r.hello.latencies) / r.hello.elapsed
    hook_rate = len(r.saturate.latencies) / r.saturate.elapsed
    ingest_rate = len(r.ingest.latencies) / r.ingest.elapsed
    writes = counts.get("write transactions", 0.0)
    statements = counts["statements, without empty claim polls"]
    print()
    print(
        f"pipeline benchmark, {date.today().isoformat()}, {os.cpu_count()} cores, PostgreSQL,"
        f" search indexing: {args.search}"
    )
    print()
    print("| figure | measured | target | |")
    print("|---|---|---|---|")
    rows = [
        (
            f"webhook ack p50 / p99 at 500/s (open loop, {args.seconds:g} s)",
            f"{ack.pct(50):.1f} / {ack.pct(99):.1f} ms ({ack.errors} errors)",
            "p99 ≤ 25 ms",
            _met(ack.pct(99) <= 25 and not ack.errors),
        ),
        (
            "highest open-loop rate with ack p99 ≤ 50 ms",
            f"{best}/s",
            "≥ 800/s",
            _met(best >= 800),
        ),
        (
            f"replies/s, 0 ms model, {r.fast.n} contacts, WA_WORKERS={args.workers}",
            f"{r.fast.rate:.0f}/s",
            "≥ 200/s",
            _met(r.fast.rate >= 200),
        ),
        (
            f"replies/s, {args.slow_latency:g} s model, {r.slow.n} contacts,"
            f" WA_WORKERS={args.slow_workers}",
            f"{r.slow.rate:.1f}/s",
            "≥ 30/s",
            _met(r.slow.rate >= 30),
        ),
        (
            "server event-loop lag p50 / p99 during that run",
            f"{pct(lag, 50):.1f} / {pct(lag, 99):.1f} ms (max {pct(lag, 100):.0f})",
            "p99 ≤ 20 ms",
            _met(pct(lag, 99) <= 20),
        ),
        (
            "write transactions per message (0 ms run)",
            f"{writes:.2f} (all transactions {counts['all transactions']:.2f})",
            "≤ 4",
            _met(writes <= 4),
        ),
        (
            "SQL statements per message (0 ms run; BEGIN/COMMIT not counted)",
            f"{statements:.2f} (+ {int(counts['empty claim polls (total)'])} empty claim polls)",
            "≤ 10",
            _met(statements <= 10),
        ),
        (
            f"bare Litestar hello JSON, closed loop, {args.conns} connections",
            f"{hello_rate:.0f} req/s (p99 {r.hello.pct(99):.1f} ms)",
            "",
            "",
        ),
        (
            "webhooks, the same closed loop",
            f"{hook_rate:.0f} req/s (p99 {r.saturate.pct(99):.1f} ms, {r.saturate.errors}"
            f" errors; {_cpu_ms(r.saturate_usage, r.saturate)} ms server CPU each)",
            "",
            "",
        ),
        (
            "webhooks, the same, turns deferred (WA_DEBOUNCE_MS=60000)",
            f"{ingest_rate:.0f} req/s (p99 {r.ingest.pct(99):.1f} ms, {r.ingest.errors}"
            f" errors; {_cpu_ms(r.ingest_usage, r.ingest)} ms server CPU each)",
            "",
            "",
        ),
        (
            "webhook rate / hello JSON rate",
            f"{hook_rate / hello_rate:.2f}",
            "≥ 0.25",
            _met(hook_rate / hello_rate >= 0.25),
        ),
    ]
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()
    print("Open-loop steps (each on a restarted server and emptied tables; CPU in % of one core):")
    print()
    print(f"| rate | sent | p50 ms | p99 ms | max ms | errors | {CPU_HEADER} |")
    print("|---|---|---|---|---|---|---|")
    for rate, step, usage in [(500, ack, ack_usage), *r.ladder]:
        print(
            f"| {rate}/s | {len(step.latencies)} | {step.pct(50):.1f} | {step.pct(99):.1f} |"
            f" {step.pct(100):.0f} | {step.errors} | {usage} |"
        )
    print()
    print(f"Loop lag at 500/s: p50 {pct(r.ack_lag, 50):.1f} ms, p99 {pct(r.ack_lag, 99):.1f} ms.")
    print()
    print(f"| phase | {CPU_HEADER} | server CPU per message |")
    print("|---|---|---|")
    print(
        f"| webhooks closed loop | {r.saturate_usage} |"
        f" {_cpu_ms(r.saturate_usage, r.saturate)} ms |"
    )
    print(
        f"| webhooks closed loop, turns deferred | {r.ingest_usage} |"
        f" {_cpu_ms(r.ingest_usage, r.ingest)} ms |"
    )
    for name, e2e in (("e2e 0 ms model", r.fast), (f"e2e {args.slow_latency:g} s model", r.slow)):
        per = e2e.usage.server_seconds / e2e.n * 1000
        print(f"| {name} (webhook + turn + send) | {e2e.usage} | {per:.2f} ms |")
    print()
    print("Per message in the 0 ms run (the probe's counters over the run / messages):")
    print()
    for key in sorted(counts):
        if key.startswith("stmt "):
            print(f"    {key[5:]:<32} {counts[key]:6.2f}")
    commits, rollbacks, life = r.xact_check
    print()
    print(
        f"Cross-check over that server's life: pg_stat_database xact_commit +{commits},"
        f" xact_rollback +{rollbacks}; the probe saw"
        f" {life['write transactions'] + life['other transactions']} commits and"
        f" {life['rollbacks']} rollbacks (the benchmark's own few queries are in the former)."
    )
