"""The whole pipeline under load: signed webhooks in, replies out through a fake bridge.

Run by hand:  .venv/bin/python -m benchmarks.pipeline [--pg-url URL] [--search light] [--quick]

Processes (all on 127.0.0.1): ``wa-agents serve`` on PostgreSQL (a private schema, dropped
at the end) with WA_LLM=openai, WA_DEBOUNCE_MS=0 and WA_SEND_MIN_INTERVAL_MS=0, launched
through ``benchmarks.probe`` (the unchanged CLI plus a statement counter and an event-loop
lag sampler); a fake bridge and a fake OpenAI model with a set latency (``benchmarks.fakes``);
for the reference figure, a bare Litestar "hello JSON" app on uvicorn. This process is the
load generator: a minimal HTTP/1.1 client on asyncio keep-alive connections, requests built
and signed before each phase.

Phases (the server is restarted on emptied tables before each one):
  hello     the bare app, closed loop (32 connections, 4 s): its request rate
  saturate  webhooks the same way: our rate and its ratio to hello JSON
  ack@500   open loop at 500/s for 5 s: webhook ack latency p50/p99
  ladder    open loop at 100, 200, 400, 600, 800, 1000, ... for 5 s each, until p99 > 50 ms
            twice in a row: the highest rate with p99 <= 50 ms
  e2e 0ms   N webhooks from N contacts as fast as they are accepted, 0 ms model: replies/s from
            the first webhook to the last reply the fake bridge recorded; statements and
            transactions per message from the probe over the same window
  e2e 2s    the same with a 2 s model and WA_WORKERS=64, plus the loop lag p99 in the server

Open loop means each request has a due time fixed in advance and goes out then on a free
(or a new) connection whatever the earlier ones are doing; its latency is measured from the
due time, so a stalled server is charged for the requests queued behind it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import httpx
from tests.support.fake_bridge import API_KEY as BRIDGE_KEY
from tests.support.fake_openai import API_KEY as MODEL_KEY
from tests.support.server_process import free_port
from tests.support.webhooks import SECRET

from benchmarks.bench_constants import ADMIN, DEFAULT_PG, LADDER, PASSWORD, SESSION
from benchmarks.bench_database import empty_tables, private_schema, xacts
from benchmarks.bench_load import Run, Webhooks, closed_loop, open_loop
from benchmarks.bench_probe_file import probe_counters, probe_lags
from benchmarks.bench_processes import Children, Server, Usage
from benchmarks.bench_report import EndToEnd, Results, report


# -- the phases --------------------------------------------------------------------------------
@dataclass
class Bench:
    url: str
    server: Server
    bridge_url: str
    hooks: Webhooks
    seconds: float

    def restart(self, *, settle: bool = False, **overrides: str) -> None:
        """A fresh server on emptied tables, its pools warmed by 100 webhooks at 100/s."""
        self.server.stop()
        empty_tables(self.url)
        self.server.start(**overrides)
        sends = self.sends()
        asyncio.run(open_loop(self.server.port, self.hooks.batch(100), 100))
        if settle:  # wait for the warm-up's replies, so the next count starts clean
            self.wait_for_sends(sends + 100, timeout=120)

    def bridge_stats(self) -> dict[str, float]:
        stats: dict[str, float] = httpx.get(self.bridge_url + "/_bench/stats").json()
        return stats

    def sends(self) -> int:
        return int(self.bridge_stats()["sends"])

    def wait_for_sends(self, count: int, timeout: float) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            stats = self.bridge_stats()
            if stats["sends"] >= count:
                return float(stats["last"])
            time.sleep(0.1)
        raise RuntimeError(f"only {self.sends()} of {count} replies arrived")

    def ack(self, rate: int) -> tuple[Run, Usage]:
        self.restart()
        requests = self.hooks.batch(int(rate * self.seconds))
        with Usage(self.server, self.server.children) as usage:
            run = asyncio.run(open_loop(self.server.port, requests, rate))
        return run, usage

    def e2e(self, n: int, conns: int = 16) -> EndToEnd:
        """N webhooks from N contacts as fast as they are accepted; wait for the N replies."""
        before = self.sends()
        requests = self.hooks.batch(n)
        with Usage(self.server, self.server.children) as usage:
            first = time.time()
            ingest = asyncio.run(
                closed_loop(self.server.port, lambda i: requests[i], conns, 600, limit=n)
            )
            last = self.wait_for_sends(before + n, timeout=60 + n / 5)
        time.sleep(1.2)  # the probe's next snapshot holds the last send's settling
        return EndToEnd(n, first, last, ingest, usage)


def per_message(probe: Path, run: EndToEnd) -> dict[str, float]:
    delta = probe_counters(probe, run.last + 0.6, after=True)
    delta.subtract(probe_counters(probe, run.first, after=False))
    counts = {k: v / run.n for k, v in delta.items() if v}
    empty = delta["stmt claim (empty)"]
    counts["statements, without empty claim polls"] = (delta["statements"] - empty) / run.n
    counts["all transactions"] = (
        delta["write transactions"] + delta["other transactions"] + delta["rollbacks"]
    ) / run.n
    counts["empty claim polls (total)"] = empty
    return counts


def run(args: argparse.Namespace) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="wa-bench-"))
    children = Children(workdir)
    try:
        with private_schema(args.pg_url) as url:
            try:
                results = _phases(args, children, workdir, url)
            finally:
                children.close()  # before the schema goes: nothing holds its locks
        report(args, results)
    finally:
        children.close()
        if args.keep:
            print(f"logs kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


# What indexes each message for search: the platform's defaults (the offline MiniLM embedder
# and embedded chromadb, in the server process), or the lightest (hashing, in memory), which
# leaves the pipeline's own cost.
SEARCH = {
    "default": {},
    "light": {"WA_EMBEDDER": "hashing", "WA_VECTOR_STORE": "memory"},
}


def prepare(
    args: argparse.Namespace, children: Children, workdir: Path, url: str
) -> tuple[dict[str, str], dict[str, str]]:
    """The fakes started and the schema migrated: the server's environment, and the fakes'
    URLs (``bridge``, ``fast`` and ``slow`` model)."""
    _bridge, bridge_url = children.fake("bridge")
    _fast_model, fast_url = children.fake("model", "--latency", "0")
    _slow_model, slow_url = children.fake("model", "--latency", str(args.slow_latency))
    env = {
        "WA_DATABASE_URL": url,
        "WA_DATA_DIR": str(workdir / "data"),
        "WA_BRIDGE_URL": bridge_url,
        "WA_BRIDGE_API_KEY": BRIDGE_KEY,
        "WA_WEBHOOK_SECRET": SECRET,
        "WA_ADMIN_USERNAME": ADMIN,
        "WA_ADMIN_PASSWORD": PASSWORD,
        "WA_SECRET_KEY": "b" * 40,
        "WA_LLM": "openai",
        "WA_OPENAI_API_KEY": MODEL_KEY,
        "WA_OPENAI_BASE_URL": fast_url + "/v1",
        "WA_DEBOUNCE_MS": "0",
        "WA_SEND_MIN_INTERVAL_MS": "0",
        "WA_WORKERS": str(args.workers),
        "WA_LOG_LEVEL": args.log_level,
        **SEARCH[args.search],
    }
    migrate = subprocess.run(
        [str(Path(sys.executable).parent / "wa-agents"), "migrate"],
        env={**env, "PATH": os.environ.get("PATH", "/usr/bin:/bin")},
        capture_output=True,
        text=True,
    )
    if migrate.returncode:
        raise RuntimeError(f"wa-agents migrate failed: {migrate.stderr}")
    return env, {"bridge": bridge_url, "fast": fast_url, "slow": slow_url}


def _phases(args: argparse.Namespace, children: Children, workdir: Path, url: str) -> Results:
    env, urls = prepare(args, children, workdir, url)
    bridge_url, slow_url = urls["bridge"], urls["slow"]
    server = Server(children, env, workdir)
    server.start()
    setup(server.url, bridge_url)
    bench = Bench(url, server, bridge_url, Webhooks(server.port), args.seconds)

    # hello JSON, then webhooks, through the same closed loop
    hello_port = free_port()
    hello_app = children.start(
        [sys.executable, "-m", "benchmarks.fakes", "hello", "--port", str(hello_port)],
        stdin=subprocess.PIPE,
    )
    _wait_http(f"http://127.0.0.1:{hello_port}/")
    get = f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{hello_port}\r\n\r\n".encode()
    asyncio.run(closed_loop(hello_port, lambda i: get, args.conns, 1.0))  # warm-up
    hello = asyncio.run(closed_loop(hello_port, lambda i: get, args.conns, args.seconds))
    children.stop(hello_app)
    bench.restart()
    with Usage(server, children) as saturate_usage:
        saturate = asyncio.run(closed_loop(server.port, bench.hooks.one, args.conns, args.seconds))
    bench.restart(WA_DEBOUNCE_MS="60000")  # the turns wait a minute: the webhook path alone
    with Usage(server, children) as ingest_usage:
        ingest = asyncio.run(closed_loop(server.port, bench.hooks.one, args.conns, args.seconds))
    print(f"  closed loop: hello JSON {_rate(hello)}, webhooks {_rate(saturate)},", end="")
    print(f" webhooks with turns deferred {_rate(ingest)}")

    ack = bench.ack(500)
    ack_end = time.time()
    time.sleep(0.6)
    ack_lag = probe_lags(server.probe, ack_end - args.seconds, ack_end)
    print(f"  ack at 500/s: p99 {ack[0].pct(99):.1f} ms")

    ladder: list[tuple[int, Run, Usage]] = []
    misses = 0
    for rate in LADDER[: 5 if args.quick else None]:
        step, usage = bench.ack(rate)
        ladder.append((rate, step, usage))
        print(f"  ladder {rate}/s: p99 {step.pct(99):.1f} ms, {step.errors} errors")
        misses = misses + 1 if step.pct(99) > 50 or step.errors else 0
        if misses == 2:
            break

    bench.restart(settle=True)
    time.sleep(1.0)
    before = xacts(url)
    probe_start = _last_counters(server.probe)
    fast = bench.e2e(args.n)
    print(f"  e2e 0 ms model: {fast.rate:.0f} replies/s")
    counts = per_message(server.probe, fast)
    server.stop()  # its backends exit and flush their statistics
    after = xacts(url)
    life = _last_counters(server.probe)
    life.subtract(probe_start)

    bench.restart(
        settle=True, WA_OPENAI_BASE_URL=slow_url + "/v1", WA_WORKERS=str(args.slow_workers)
    )
    slow = bench.e2e(args.n_slow)
    slow_lag = probe_lags(server.probe, slow.first, slow.last)
    print(f"  e2e {args.slow_latency:g} s model: {slow.rate:.1f} replies/s")
    server.stop()
    return Results(
        hello,
        saturate,
        saturate_usage,
        ingest,
        ingest_usage,
        ack,
        ack_lag,
        ladder,
        fast,
        counts,
        (after[0] - before[0], after[1] - before[1], life),
        slow,
        slow_lag,
    )


def _last_counters(path: Path) -> Counter[str]:
    return probe_counters(path, time.time() + 3600, after=False)


def _rate(run: object) -> str:
    assert isinstance(run, Run)
    return f"{(len(run.latencies)) / run.elapsed:.0f}/s"


def _wait_http(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            httpx.get(url, timeout=1)
            return
        time.sleep(0.05)
    raise RuntimeError(f"{url} did not come up")


def setup(url: str, bridge_url: str) -> None:
    client = httpx.Client(base_url=url, timeout=30)
    token = client.post(
        "/api/v1/auth/login", json={"username": ADMIN, "password": PASSWORD}
    ).json()["access_token"]
    client.headers["Authorization"] = f"Bearer {token}"
    agent = client.post(
        "/api/v1/agents",
        json={"name": "Bench", "model": "fake-model", "system_prompt": "Answer briefly."},
    ).json()
    created = client.post("/api/v1/sessions", json={"id": SESSION, "agent_id": agent["id"]})
    if created.status_code != 201:
        raise RuntimeError(f"could not create the session: {created.text}")
    httpx.post(f"{bridge_url}/_bench/scan/{SESSION}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--pg-url", default=os.environ.get("WA_TEST_POSTGRES_URL", DEFAULT_PG), help="PostgreSQL"
    )
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each load step")
    parser.add_argument("--conns", type=int, default=32, help="closed-loop connections")
    parser.add_argument("--n", type=int, default=2000, help="messages in the 0 ms e2e run")
    parser.add_argument("--n-slow", type=int, default=640, help="messages in the slow e2e run")
    parser.add_argument("--slow-latency", type=float, default=2.0, help="slow model, seconds")
    parser.add_argument("--workers", type=int, default=4, help="WA_WORKERS for the 0 ms runs")
    parser.add_argument("--slow-workers", type=int, default=64, help="WA_WORKERS, slow run")
    parser.add_argument("--log-level", default="info", help="the server's WA_LOG_LEVEL")
    parser.add_argument(
        "--search",
        choices=sorted(SEARCH),
        default="default",
        help="default: every message embedded (MiniLM) into chromadb, as `serve` does; "
        "light: hashing into memory, the pipeline's own cost",
    )
    parser.add_argument("--quick", action="store_true", help="a shorter ladder")
    parser.add_argument("--keep", action="store_true", help="keep the server's logs")
    args = parser.parse_args()

    def interrupted(_signum: int, _frame: object) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second one must not cut the cleanup
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)  # also when started in the background
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    try:
        run(args)
    except KeyboardInterrupt:
        print("interrupted: children stopped, schema dropped", file=sys.stderr)
        sys.exit(130)


if __name__ == "__main__":
    main()
