"""The turn + send path in one process, without HTTP: replies/s and where the time goes.

    .venv/bin/python -m benchmarks.turn_path [--pg-url URL] [--n 400] [--workers 4] [--profile]

Accepts ``--n`` messages from as many contacts (through ``InboundService.accept``, not timed),
then runs ``--workers`` job runners on one event loop until every message has its reply: the
replies/s of that phase, with the real SQLAlchemy adapters on PostgreSQL (a private schema,
dropped afterwards), the scripted model and the memory gateway. Statements and write
transactions of the phase are counted with SQLAlchemy engine events. ``--profile`` runs the
phase under cProfile and prints the top frames by cumulative and by own time.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import time
import uuid
from collections import Counter
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from tests.support.sql_platform import linked_platform

from wa_agents.adapters.memory import (
    MemoryMessagingGateway,
    SystemClock,
)
from wa_agents.adapters.sqlalchemy import Database
from wa_agents.domain.model.job import JobKind
from wa_agents.domain.services.inbound import InboundMessage


class Counts:
    def __init__(self) -> None:
        self.kinds: Counter[str] = Counter()
        self.writes = 0
        self._wrote: set[int] = set()

    def after(self, conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        verb = statement.split(None, 1)[0].upper()
        rows = getattr(cursor, "rowcount", -1)
        if verb == "UPDATE" and "LIMIT" in statement and not rows:
            self.kinds["empty claim"] += 1
            return
        self.kinds[verb] += 1
        if verb in ("INSERT", "UPDATE", "DELETE") and rows and rows > 0:
            self._wrote.add(id(conn))

    def commit(self, conn: Any) -> None:
        self.writes += id(conn) in self._wrote
        self._wrote.discard(id(conn))


async def run(args: argparse.Namespace) -> None:
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(args.pg_url)
    async with admin.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(args.pg_url).update_query_dict({"options": f"-csearch_path={schema}"})
    database = Database(url.render_as_string(hide_password=False), pool_size=args.workers + 4)
    try:
        await database.create_all()
        await phase(args, database)
    finally:
        await database.close()
        async with admin.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


async def phase(args: argparse.Namespace, database: Database) -> None:
    gateway = MemoryMessagingGateway()
    platform = await linked_platform(database, SystemClock(), gateway)
    for n in range(args.n):
        message = InboundMessage(
            session_id="shop", from_jid=f"5511{n:08d}@s.whatsapp.net", content=f"hi {n}",
            wa_message_id=f"W{n}",
        )  # fmt: skip
        await platform.inbound.accept(message)
    kinds = frozenset({JobKind.TURN.value, JobKind.SEND.value})
    runners = [platform.runner_for(f"w{i}") for i in range(args.workers)]
    for runner in runners:
        runner._kinds = kinds  # only the reply path: index jobs are not what is measured here

    async def work(runner: Any) -> None:
        while len(gateway.sent) < args.n:
            if await runner.run_once() is None:
                await asyncio.sleep(0.005)

    counts, engine = Counts(), database.engine.sync_engine
    event.listen(engine, "after_cursor_execute", counts.after)
    event.listen(engine, "commit", counts.commit)
    profiler = cProfile.Profile() if args.profile else None
    started, cpu = time.perf_counter(), time.process_time()
    if profiler is not None:
        profiler.enable()
    await asyncio.gather(*(work(r) for r in runners))
    if profiler is not None:
        profiler.disable()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    statements = sum(v for k, v in counts.kinds.items() if k != "empty claim")
    print(f"{args.n} replies in {elapsed:.2f} s: {args.n / elapsed:.0f} replies/s,")
    print(f"  {cpu / args.n * 1000:.2f} ms CPU of this process per reply,")
    print(f"  {statements / args.n:.2f} statements and {counts.writes / args.n:.2f} write")
    print(f"  transactions per reply (turn + send; {dict(counts.kinds)})")
    if profiler is not None:
        print_shares(pstats.Stats(profiler), args.top)


def _area(filename: str) -> str:
    for marker in ("site-packages/", "/src/", "/lib/python3.11/"):
        if marker in filename:
            rest = filename.split(marker, 1)[1]
            return rest.split("/", 1)[0] if marker != "/src/" else rest.rsplit("/", 1)[-1]
    return filename


def print_shares(stats: pstats.Stats, top: int) -> None:
    """Own time (cProfile's tottime) of the phase: by package, then the top functions."""
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(v[2] for v in raw.values()) or 1.0
    areas: Counter[str] = Counter()
    for (filename, _line, _name), v in raw.items():
        areas[_area(filename)] += v[2]
    print(f"own time by package or module ({total:.2f} s profiled):")
    for area, seconds in areas.most_common(top // 2):
        print(f"  {100 * seconds / total:5.1f}%  {area}")
    print("top functions by own time:")
    ranked = sorted(raw.items(), key=lambda kv: -kv[1][2])[:top]
    for (filename, line, name), v in ranked:
        print(f"  {100 * v[2] / total:5.1f}%  {_area(filename)}:{line}({name})  calls {v[1]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pg-url", default=os.environ.get("WA_TEST_POSTGRES_URL"))
    parser.add_argument("--n", type=int, default=400, help="messages, one contact each")
    parser.add_argument("--workers", type=int, default=4, help="job runners on the loop")
    parser.add_argument("--profile", action="store_true", help="cProfile the phase")
    parser.add_argument("--top", type=int, default=30, help="frames printed per table")
    args = parser.parse_args()
    if not args.pg_url:
        parser.error("--pg-url (or WA_TEST_POSTGRES_URL) is required")
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
