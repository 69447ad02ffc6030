"""The load generator: a minimal HTTP/1.1 client on asyncio, open and closed loops, webhooks."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.support.webhooks import signed_headers, text_message

from benchmarks.bench_constants import SESSION

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
