"""The whole pipeline under load: signed webhooks in, replies out through a fake bridge.

Run by hand:  .venv/bin/python -m benchmarks.pipeline [--pg-url URL] [--quick]

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
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import httpx
import psycopg
from sqlalchemy.engine import make_url
from tests.support.fake_bridge import API_KEY as BRIDGE_KEY
from tests.support.fake_openai import API_KEY as MODEL_KEY
from tests.support.server_process import free_port
from tests.support.webhooks import SECRET, signed_headers, text_message

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SESSION, ADMIN, PASSWORD = "bench", "bench", "bench-passphrase-123"
TABLES = "messages, jobs, conversations, audit, logs"
LADDER = (100, 200, 400, 600, 800, 1000, 1200, 1400, 1600, 2000, 2400)


# -- child processes ---------------------------------------------------------------------------
class Children:
    """Every process the benchmark starts; ``close`` ends them all (stdin first, then signals)."""

    def __init__(self, workdir: Path) -> None:
        self._procs: list[subprocess.Popen[bytes]] = []
        self._workdir = workdir

    def start(self, command: list[str], **kwargs: object) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(  # type: ignore[call-overload]
            command, cwd=ROOT, start_new_session=True, **kwargs
        )
        self._procs.append(proc)
        return proc  # type: ignore[no-any-return]

    def fake(self, mode: str, *args: str) -> tuple[subprocess.Popen[bytes], str]:
        command = [sys.executable, "-m", "benchmarks.fakes", mode, *args]
        with (self._workdir / f"{mode}-{len(self._procs)}.log").open("ab") as log:
            proc = self.start(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log)
        assert proc.stdout is not None
        url = proc.stdout.readline().decode().strip()
        if not url.startswith("http://"):
            raise RuntimeError(f"benchmarks.fakes {mode} did not start")
        return proc, url

    def stop(self, proc: subprocess.Popen[bytes]) -> None:
        if proc.stdin is not None:
            with contextlib.suppress(OSError):
                proc.stdin.close()
        if proc.poll() is None:
            proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc in self._procs:
            self._procs.remove(proc)

    def pids(self) -> list[int]:
        return [proc.pid for proc in self._procs if proc.poll() is None]

    def close(self) -> None:
        for proc in reversed(self._procs[:]):
            self.stop(proc)


class Server:
    """``wa-agents serve`` (through ``benchmarks.probe``), restartable with other settings."""

    def __init__(self, children: Children, env: dict[str, str], workdir: Path) -> None:
        base = {k: v for k, v in os.environ.items() if not k.startswith(("WA_", "OPENAI_"))}
        self.children, self.env, self.workdir = children, {**base, **env}, workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.probe = workdir / "probe.log"
        self.log = workdir / "server.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, **overrides: str) -> None:
        env = {**self.env, **overrides, "BENCH_PROBE_FILE": str(self.probe)}
        command = [sys.executable, "-m", "benchmarks.probe", "serve"]
        command += ["--host", "127.0.0.1", "--port", str(self.port)]
        with self.log.open("ab") as log:
            self.proc = self.children.start(command, env=env, stdout=log, stderr=log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited: see {self.log}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.url + "/health", timeout=1).status_code == 200:
                    return
            time.sleep(0.05)
        raise RuntimeError(f"the server did not come up: see {self.log}")

    def stop(self) -> None:
        if self.proc is not None:
            self.children.stop(self.proc)
            self.proc = None

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def cpu_seconds(self) -> float:
        return _proc_cpu(self.proc.pid) if self.proc else 0.0


def _proc_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _postgres_cpu() -> float:
    total = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if (entry / "comm").read_text().strip() == "postgres":
                    total += _proc_cpu(int(entry.name))
    return total


def _machine_cpu() -> float:
    """Busy CPU seconds over all cores since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(values) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")


class Usage:
    """CPU use over a phase, in % of one core: the server process, PostgreSQL (every
    backend on the host), the benchmark (this load generator and the fakes), everything else,
    and the whole machine (100% per core)."""

    def __init__(self, server: Server, children: Children) -> None:
        self.server, self.children = server, children
        self.shares: dict[str, float] = {}
        self.server_seconds = 0.0

    def _sample(self) -> dict[str, float]:
        ours = sum(_proc_cpu(pid) for pid in self.children.pids() if pid != self.server.pid)
        return {
            "time": time.monotonic(),
            "server": self.server.cpu_seconds(),
            "postgres": _postgres_cpu(),
            "bench": ours + sum(os.times()[:2]),
            "machine": _machine_cpu(),
        }

    def __enter__(self) -> Usage:
        self._start = self._sample()
        return self

    def __exit__(self, *exc: object) -> None:
        end = self._sample()
        elapsed = end["time"] - self._start["time"]
        used = {k: end[k] - self._start[k] for k in end if k != "time"}
        self.server_seconds = used["server"]
        self.shares = {k: v / elapsed * 100 for k, v in used.items()}
        self.shares["others"] = self.shares["machine"] - sum(
            self.shares[k] for k in ("server", "postgres", "bench")
        )

    def __str__(self) -> str:
        s = self.shares
        return (
            f"{s['server']:.0f} / {s['postgres']:.0f} / {s['bench']:.0f} / {s['others']:.0f}"
            f" / {s['machine']:.0f}"
        )


CPU_HEADER = "CPU % server / postgres / bench / others / machine"


# -- the load generator ------------------------------------------------------------------------
Conn = tuple[asyncio.StreamReader, asyncio.StreamWriter]


async def roundtrip(conn: Conn, request: bytes) -> int:
    reader, writer = conn
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    at = head.lower().find(b"content-length:")
    if at < 0:
        raise ValueError("a response without Content-Length")
    length = int(head[at + 15 : head.index(b"\r\n", at)])
    if length:
        await reader.readexactly(length)
    return int(head[9:12])


def _close(conn: Conn | None) -> None:
    if conn is not None:
        conn[1].close()


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)  # ms, sorted
    errors: int = 0
    elapsed: float = 0.0
    late: float = 0.0  # ms: how late the generator itself sent its latest request

    def pct(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        return self.latencies[min(len(self.latencies) - 1, int(q / 100 * len(self.latencies)))]


async def open_loop(port: int, requests: list[bytes], rate: float) -> Run:
    loop = asyncio.get_running_loop()
    idle: list[Conn] = []
    n = len(requests)
    latency, status = [0.0] * n, [0] * n
    limit = asyncio.Semaphore(2000)
    run = Run()

    async def one(i: int, due: float) -> None:
        async with limit:
            conn = idle.pop() if idle else None
            try:
                if conn is None:
                    conn = await asyncio.open_connection("127.0.0.1", port)
                status[i] = await roundtrip(conn, requests[i])
            except (OSError, ValueError, asyncio.IncompleteReadError):
                _close(conn)
                conn, status[i] = None, -1
            latency[i] = (loop.time() - due) * 1000
            if conn is not None:
                idle.append(conn)

    tasks = []
    start = loop.time() + 0.05
    for i in range(n):
        due = start + i / rate
        wait = due - loop.time()
        if wait > 0.0005:
            await asyncio.sleep(wait)
        run.late = max(run.late, (loop.time() - due) * 1000)
        tasks.append(asyncio.create_task(one(i, due)))
    await asyncio.gather(*tasks)
    run.elapsed = loop.time() - start
    for conn in idle:
        _close(conn)
    run.latencies = sorted(latency)
    run.errors = sum(1 for s in status if s != 200)
    return run


async def closed_loop(
    port: int, make: Callable[[int], bytes], conns: int, seconds: float, limit: int | None = None
) -> Run:
    """``conns`` connections, each sending its next request when the last answer arrived,
    for ``seconds`` or until ``limit`` requests went out."""
    loop = asyncio.get_running_loop()
    counter = itertools.count()
    run, latencies = Run(), []
    start = loop.time()
    stop_at = start + seconds

    async def lane() -> None:
        conn = await asyncio.open_connection("127.0.0.1", port)
        try:
            while loop.time() < stop_at:
                i = next(counter)
                if limit is not None and i >= limit:
                    return
                sent = loop.time()
                if await roundtrip(conn, make(i)) != 200:
                    run.errors += 1
                latencies.append((loop.time() - sent) * 1000)
        finally:
            _close(conn)

    await asyncio.gather(*(lane() for _ in range(conns)))
    run.elapsed = loop.time() - start
    run.latencies = sorted(latencies)
    return run


class Webhooks:
    """Signed ``message.received`` requests, each from a contact of its own."""

    def __init__(self, port: int) -> None:
        self._head = f"POST /webhooks/bridge HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n".encode()
        self._n = itertools.count(1)

    def one(self, _i: int = 0) -> bytes:
        n = next(self._n)
        body = text_message(SESSION, f"1{n:010d}", f"hello number {n}", f"BENCH{n:010d}")
        headers = signed_headers(body, f"msg_bench{n:010d}")
        lines = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        return self._head + f"{lines}Content-Length: {len(body)}\r\n\r\n".encode() + body

    def batch(self, count: int) -> list[bytes]:
        return [self.one() for _ in range(count)]


# -- the database ------------------------------------------------------------------------------
def libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@contextlib.contextmanager
def private_schema(url: str) -> Iterator[str]:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(libpq(url), autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    try:
        scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
        yield scoped.render_as_string(hide_password=False)
    finally:
        with psycopg.connect(libpq(url), autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


def empty_tables(url: str) -> None:
    with psycopg.connect(libpq(url), autocommit=True) as connection:
        connection.execute(f"TRUNCATE {TABLES}")


def xacts(url: str) -> tuple[int, int]:
    with psycopg.connect(libpq(url), autocommit=True) as connection:
        row = connection.execute(
            "SELECT xact_commit, xact_rollback FROM pg_stat_database WHERE datname ="
            " current_database()"
        ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


# -- the probe's file --------------------------------------------------------------------------
def probe_counters(path: Path, at: float, after: bool) -> Counter[str]:
    """The server's counters at the last snapshot before ``at`` (or the first one after)."""
    snapshots = []
    for line in path.read_text().splitlines():
        if line.startswith("C "):
            _, stamp, data = line.split(" ", 2)
            snapshots.append((float(stamp), data))
    if after:
        found = next((data for stamp, data in snapshots if stamp >= at), None)
    else:
        found = next((data for stamp, data in reversed(snapshots) if stamp <= at), None)
    return Counter(json.loads(found)) if found else Counter()


def probe_lags(path: Path, start: float, end: float) -> list[float]:
    lags = []
    for line in path.read_text().splitlines():
        if line.startswith("L "):
            _, stamp, lag = line.split()
            if start <= float(stamp) <= end:
                lags.append(float(lag))
    return sorted(lags)


def pct(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(q / 100 * len(values)))] if values else float("nan")


# -- the phases --------------------------------------------------------------------------------
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


def _phases(args: argparse.Namespace, children: Children, workdir: Path, url: str) -> Results:
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
    }
    migrate = subprocess.run(
        [str(Path(sys.executable).parent / "wa-agents"), "migrate"],
        env={**env, "PATH": os.environ.get("PATH", "/usr/bin:/bin")},
        capture_output=True,
        text=True,
    )
    if migrate.returncode:
        raise RuntimeError(f"wa-agents migrate failed: {migrate.stderr}")
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


# -- the report --------------------------------------------------------------------------------
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
    print(f"pipeline benchmark, {date.today().isoformat()}, {os.cpu_count()} cores, PostgreSQL")
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
