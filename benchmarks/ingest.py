"""Inbound ingest throughput: message + job insert transactions per second.

Run by hand:  .venv/bin/python -m benchmarks.ingest [--n 3000] [--pg-url URL]

For SQLite (a temp file) and PostgreSQL (a temp schema; WA_TEST_POSTGRES_URL or --pg-url),
it times, in the same run:
  bare      the same two INSERTs in one transaction through the bare driver (sqlite3 / psycopg)
  adapters  messages.add + jobs.enqueue in one unit of work through our SQLAlchemy adapters
  accept    InboundService.accept: the real webhook path (dedup insert, conversation upsert,
            turn job with coalescing), also one transaction
  accept×16 the same path on 16 concurrent tasks (a pool of connections, as the server runs)
and prints transactions per second and the ratio adapters / bare (target >= 0.5).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from wa_agents.adapters.memory import SystemClock, TimeOrderedIdGenerator
from wa_agents.adapters.sqlalchemy import Database, SqlAlchemyUnitOfWorkFactory
from wa_agents.domain.model.message import Direction, Message
from wa_agents.domain.model.session import Session
from wa_agents.domain.services.inbound import InboundMessage, InboundService

MESSAGE_SQL = (
    "INSERT INTO messages (id, session_id, contact_jid, direction, message_type, content,"
    " media_url, metadata, wa_message_id, status, timestamp)"
    " VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p})"
)
JOB_SQL = (
    "INSERT INTO jobs (id, kind, payload, key, status, attempts, max_attempts, run_at, created_at)"
    " VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p})"
)


def rows(n: int, ts: object) -> tuple[tuple[object, ...], tuple[object, ...]]:
    mid = uuid.uuid4().hex
    message = (
        mid,
        "bench",
        f"{n % 50}@s.whatsapp.net",
        "inbound",
        "text",
        f"hello {n}",
        None,
        json.dumps({}),
        f"BARE{n}",
        "received",
        ts,
    )
    job = (
        uuid.uuid4().hex,
        "turn",
        json.dumps({"n": n}),
        f"bench/{n % 50}",
        "pending",
        0,
        5,
        ts,
        ts,
    )
    return message, job


def bare_sqlite(path: str, n: int) -> float:
    connection = sqlite3.connect(path, isolation_level=None)
    for pragma in (
        "journal_mode=WAL",
        "synchronous=NORMAL",
        "foreign_keys=ON",
        "busy_timeout=30000",
    ):
        connection.execute(f"PRAGMA {pragma}")
    ts = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    started = time.perf_counter()
    for i in range(n):
        message, job = rows(i, ts)
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(MESSAGE_SQL.format(p="?"), message)
        connection.execute(JOB_SQL.format(p="?"), job)
        connection.execute("COMMIT")
    elapsed = time.perf_counter() - started
    connection.close()
    return n / elapsed


def bare_postgres(url: str, n: int) -> float:
    parsed = make_url(url)
    conninfo = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo) as connection:
        ts = datetime.now(UTC)
        started = time.perf_counter()
        for i in range(n):
            message, job = rows(i, ts)
            with connection.transaction():
                connection.execute(MESSAGE_SQL.format(p="%s"), message)
                connection.execute(JOB_SQL.format(p="%s"), job)
        return n / (time.perf_counter() - started)


async def timed(n: int, step: Callable[[int], Awaitable[object]], tasks: int = 1) -> float:
    """Transactions per second running ``step(0..n-1)`` on ``tasks`` concurrent tasks."""
    started = time.perf_counter()

    async def lane(first: int) -> None:
        for i in range(first, n, tasks):
            await step(i)

    await asyncio.gather(*(lane(t) for t in range(tasks)))
    return n / (time.perf_counter() - started)


async def ours(database: Database, n: int) -> tuple[float, float, float]:
    clock, ids = SystemClock(), TimeOrderedIdGenerator()
    uow = SqlAlchemyUnitOfWorkFactory(database, clock, ids)
    now = clock.now()
    async with uow() as u:
        await u.sessions.add(Session(id="bench", created_at=now, updated_at=now))
        await u.commit()

    async def adapters(i: int) -> None:
        async with uow() as u:
            await u.messages.add(
                Message(
                    id=ids.new_id(),
                    session_id="bench",
                    contact_jid=f"{i % 50}@s.whatsapp.net",
                    direction=Direction.INBOUND,
                    content=f"hello {i}",
                    timestamp=now,
                    wa_message_id=f"OURS{i}",
                )
            )
            await u.jobs.enqueue("turn", {"n": i}, key=f"bench/{i % 50}")
            await u.commit()

    inbound = InboundService(uow, clock, ids, debounce_ms=0)

    async def accept(i: int) -> None:
        await inbound.accept(
            InboundMessage(
                session_id="bench", from_jid=f"{i % 50}", content=f"hi {i}", wa_message_id=f"ACC{i}"
            )
        )

    async def accept_again(i: int) -> None:
        await accept(n + i)

    sequential = await timed(n, adapters), await timed(n, accept)
    return (*sequential, await timed(n, accept_again, tasks=16))


async def run_sqlite(n: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        database = Database(f"sqlite+aiosqlite:///{path}")
        await database.migrate()
        adapters, accept, concurrent = await ours(database, n)
        await database.close()
        bare = bare_sqlite(str(path), n)
    return {"bare": bare, "adapters": adapters, "accept": accept, "concurrent": concurrent}


async def run_postgres(url: str, n: int) -> dict[str, float]:
    import sqlalchemy
    from sqlalchemy.ext.asyncio import create_async_engine

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(url)
    async with admin.begin() as connection:
        await connection.execute(sqlalchemy.text(f'CREATE SCHEMA "{schema}"'))
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    scoped_url = scoped.render_as_string(hide_password=False)
    try:
        database = Database(scoped_url)
        await database.migrate()
        adapters, accept, concurrent = await ours(database, n)
        await database.close()
        bare = bare_postgres(scoped_url, n)
    finally:
        async with admin.begin() as connection:
            await connection.execute(sqlalchemy.text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()
    return {"bare": bare, "adapters": adapters, "accept": accept, "concurrent": concurrent}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=3000, help="transactions per path")
    parser.add_argument("--pg-url", default=os.environ.get("WA_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    results = {"SQLite": asyncio.run(run_sqlite(args.n))}
    if args.pg_url:
        results["PostgreSQL"] = asyncio.run(run_postgres(args.pg_url, args.n))
    print(f"ingest benchmark: {args.n} transactions per path, message + job insert each")
    header = (
        "backend",
        "bare tx/s",
        "adapters tx/s",
        "ratio",
        "accept tx/s",
        "ratio",
        "accept x16",
    )
    print("{:<11} {:>10} {:>14} {:>6} {:>12} {:>6} {:>11}".format(*header))
    for name, r in results.items():
        cells = (
            name,
            f"{r['bare']:.0f}",
            f"{r['adapters']:.0f}",
            f"{r['adapters'] / r['bare']:.2f}",
            f"{r['accept']:.0f}",
            f"{r['accept'] / r['bare']:.2f}",
            f"{r['concurrent']:.0f}",
        )
        print("{:<11} {:>10} {:>14} {:>6} {:>12} {:>6} {:>11}".format(*cells))


if __name__ == "__main__":
    main()
