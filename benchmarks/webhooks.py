"""The webhook path alone, under several server settings side by side in one run.

Run by hand:  .venv/bin/python -m benchmarks.webhooks [--pg-url URL] [--config NAME:K=V,K=V ...]

The same processes as ``benchmarks.pipeline`` (``wa-agents serve`` on a private PostgreSQL
schema through ``benchmarks.probe``, the fake bridge and model), but only its webhook phases,
repeated for each ``--config`` (default: group commit off, ``WA_GROUP_COMMIT_BATCH=1``, and
the defaults), interleaved round by round so that a shared machine's load falls on every
configuration alike. Per configuration:

  closed    webhooks, closed loop (``--conns`` connections), turns running (WA_DEBOUNCE_MS=0)
  ingest    the same with turns deferred (WA_DEBOUNCE_MS=60000): the webhook path alone; its
            probe counters give transactions and statements per webhook
  open R/s  open loop at each ``--rates`` step, turns running: ack p50 / p99
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from benchmarks.bench_constants import DEFAULT_PG
from benchmarks.bench_database import private_schema
from benchmarks.bench_load import Run, Webhooks, closed_loop, open_loop
from benchmarks.bench_probe_file import probe_counters
from benchmarks.bench_processes import Children, Server, Usage
from benchmarks.bench_profile import Profiler, shares
from benchmarks.pipeline import SEARCH, Bench, prepare, setup


@dataclass
class Figures:
    closed: list[float] = field(default_factory=list)  # req/s
    ingest: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)  # server CPU per ingested webhook
    per_webhook: Counter[str] = field(default_factory=Counter)
    webhooks: int = 0
    acks: dict[int, list[tuple[float, float, int]]] = field(default_factory=dict)
    profiles: list[Path] = field(default_factory=list)


def _closed(bench: Bench, conns: int, seconds: float) -> tuple[Run, Usage]:
    with Usage(bench.server, bench.server.children) as usage:
        run = asyncio.run(closed_loop(bench.server.port, bench.hooks.one, conns, seconds))
    return run, usage


def one_round(
    bench: Bench, name: str, env: dict[str, str], args: argparse.Namespace, out: Figures
) -> None:
    _restart(bench, env)
    run, _ = _closed(bench, args.conns, args.seconds)
    out.closed.append(len(run.latencies) / run.elapsed)
    _restart(bench, {**env, "WA_DEBOUNCE_MS": "60000"})
    time.sleep(0.7)  # the probe's snapshot before the run is this process's, after warm-up
    spy = None
    if args.profile and bench.server.pid is not None:
        out.profiles.append(Path(args.profile) / f"{name}-{len(out.profiles)}.txt")
        spy = Profiler(bench.server.pid, args.seconds, out.profiles[-1])
    start = time.time()
    run, usage = _closed(bench, args.conns, args.seconds)
    if spy is not None:
        spy.wait()
    time.sleep(1.2)  # the probe's next snapshot holds the run's last commits
    delta = probe_counters(bench.server.probe, time.time(), after=False)
    delta.subtract(probe_counters(bench.server.probe, start, after=False))
    out.per_webhook.update(delta)
    out.webhooks += len(run.latencies)
    out.ingest.append(len(run.latencies) / run.elapsed)
    out.cpu_ms.append(usage.server_seconds * 1000 / max(1, len(run.latencies)))
    for rate in args.rates:
        step = _ack(bench, rate, env)
        out.acks.setdefault(rate, []).append((step.pct(50), step.pct(99), step.errors))


def _restart(bench: Bench, env: dict[str, str]) -> None:
    bench.restart(**cast(dict[str, Any], env))


def _ack(bench: Bench, rate: int, env: dict[str, str]) -> Run:
    """``Bench.ack`` with this configuration's environment (turns running)."""
    _restart(bench, env)
    requests = bench.hooks.batch(int(rate * bench.seconds))
    return asyncio.run(open_loop(bench.server.port, requests, rate))


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else float("nan")


def report(figures: dict[str, Figures], rounds: int) -> None:
    print(f"\nmedians over {rounds} round(s)")
    print("| figure | " + " | ".join(figures) + " |")
    print("|---|" + "---|" * len(figures))

    def row(name: str, cells: list[str]) -> None:
        print(f"| {name} | " + " | ".join(cells) + " |")

    row(
        "webhooks/s, closed loop, turns running",
        [f"{_median(f.closed):.0f}" for f in figures.values()],
    )
    row(
        "webhooks/s, closed loop, turns deferred",
        [f"{_median(f.ingest):.0f}" for f in figures.values()],
    )
    row("server CPU per webhook (ms)", [f"{_median(f.cpu_ms):.2f}" for f in figures.values()])
    for key in ("write transactions", "other transactions", "rollbacks", "statements"):
        row(
            f"{key} per webhook",
            [f"{f.per_webhook[key] / max(1, f.webhooks):.2f}" for f in figures.values()],
        )
    rates = sorted({r for f in figures.values() for r in f.acks})
    for rate in rates:
        cells = []
        for f in figures.values():
            steps = f.acks.get(rate, [])
            p50 = _median([s[0] for s in steps])
            p99 = _median([s[1] for s in steps])
            cells.append(f"{p50:.0f} / {p99:.0f} ms ({sum(s[2] for s in steps)} err)")
        row(f"ack p50 / p99 at {rate}/s", cells)
    for f in figures.values():
        for path in f.profiles:
            if not path.exists():
                continue
            inclusive, top = shares(path)
            print(f"\nprofile {path.name} (py-spy, % of samples by innermost group):")
            print(", ".join(f"{group} {share:.0f}%" for group, share in inclusive.items()))
            print("top leaf frames: " + "; ".join(f"{frame} {share:.1f}%" for frame, share in top))


def parse_config(text: str) -> tuple[str, dict[str, str]]:
    name, _, pairs = text.partition(":")
    env = dict(pair.split("=", 1) for pair in pairs.split(",") if pair)
    return name, env


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pg-url", default=os.environ.get("WA_TEST_POSTGRES_URL", DEFAULT_PG))
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--conns", type=int, default=32)
    parser.add_argument(
        "--rates", type=lambda s: [int(x) for x in s.split(",")], default=[100, 200, 400]
    )
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--profile", help="a folder: py-spy records the server in each ingest run")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--log-level", default="info")
    parser.add_argument("--slow-latency", type=float, default=2.0, help=argparse.SUPPRESS)
    parser.add_argument("--search", choices=sorted(SEARCH), default="default")
    parser.add_argument(
        "--config", action="append", type=parse_config,
        help="NAME:WA_X=1,WA_Y=2 (repeatable); default off:WA_GROUP_COMMIT_BATCH=1 and on:",
    )  # fmt: skip
    args = parser.parse_args()
    configs = dict(args.config or [("off", {"WA_GROUP_COMMIT_BATCH": "1"}), ("on", {})])
    workdir = Path(tempfile.mkdtemp(prefix="wa-bench-"))
    children = Children(workdir)
    figures = {name: Figures() for name in configs}
    try:
        with private_schema(args.pg_url) as url:
            try:
                env, urls = prepare(args, children, workdir, url)
                server = Server(children, env, workdir)
                server.start()
                setup(server.url, urls["bridge"])
                bench = Bench(url, server, urls["bridge"], Webhooks(server.port), args.seconds)
                for n in range(args.rounds):
                    for name, overrides in configs.items():
                        print(f"  round {n + 1}: {name}", flush=True)
                        one_round(bench, name, overrides, args, figures[name])
                server.stop()
            finally:
                children.close()
        report(figures, args.rounds)
    finally:
        children.close()
        if os.environ.get("BENCH_KEEP"):
            print(f"logs kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
