"""``wa-agents`` with two measuring probes, for the pipeline benchmark.

    python -m benchmarks.probe serve --host 127.0.0.1 --port P   (BENCH_PROBE_FILE=path)

Runs the unchanged CLI (``wa_agents.entrypoints.cli.main``) after registering, from outside:
  - SQLAlchemy ``Engine`` events (class level, so they see the server's engine): every
    statement the server executes through SQLAlchemy, by kind and table, and every COMMIT,
    split into write transactions (some INSERT/UPDATE/DELETE touched a row) and the others.
    BEGIN is implicit in psycopg and is not counted as a statement.
  - an event-loop lag sampler: a task that sleeps 10 ms in a loop and records how late it
    wakes up. It is started on the first statement seen in each event loop (the server's
    first one runs at start-up), so no line of ``src/`` changes.
Every 0.5 s the probe appends to BENCH_PROBE_FILE one ``C <time> <counters json>`` line and
``L <time> <lag ms>`` lines for the samples since the last write.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
import time
from collections import Counter
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

PERIOD = 0.010
FROM = re.compile(r"\sFROM\s+(\w+)")
counters: Counter[str] = Counter()
lags: list[tuple[float, float]] = []
loops: set[int] = set()
wrote: set[int] = set()  # id() of the connections whose open transaction changed a row


def _kind(statement: str) -> str:
    words = statement.split(None, 3)
    verb = words[0].upper() if words else "?"
    if "SKIP LOCKED" in statement:
        return "claim"
    if verb == "INSERT" and len(words) > 2:
        return f"INSERT {words[2]}"
    if verb == "UPDATE" and len(words) > 1:
        return f"UPDATE {words[1]}"
    if verb == "DELETE" and len(words) > 2:
        return f"DELETE {words[2]}"
    if verb == "SELECT":
        match = FROM.search(statement)
        return f"SELECT {match.group(1) if match else '-'}"
    return verb


def _before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
    _ensure_sampler()


def _after(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
    kind = _kind(statement)
    rows = getattr(cursor, "rowcount", -1)
    if kind == "claim" and rows == 0:
        kind = "claim (empty)"
    counters["statements"] += 1
    counters["stmt " + kind] += 1
    if kind.startswith(("INSERT", "UPDATE", "DELETE", "claim")) and rows and rows > 0:
        wrote.add(id(conn))


# Listeners read nothing from the connection: on an invalidated one (a task cancelled mid
# statement) even ``conn.info`` raises, and that would change how the server shuts down.
def _commit(conn: Any) -> None:
    key = id(conn)
    counters["write transactions" if key in wrote else "other transactions"] += 1
    wrote.discard(key)


def _rollback(conn: Any) -> None:
    wrote.discard(id(conn))
    counters["rollbacks"] += 1


def _ensure_sampler() -> None:
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    if id(loop) in loops:
        return
    loops.add(id(loop))
    loop.call_soon(lambda: loop.create_task(_sample(loop)))


async def _sample(loop: asyncio.AbstractEventLoop) -> None:
    path = os.environ.get("BENCH_PROBE_FILE")
    last_write = loop.time()
    while True:
        before = loop.time()
        await asyncio.sleep(PERIOD)
        now = loop.time()
        lags.append((time.time(), max(0.0, now - before - PERIOD) * 1000))
        if path and now - last_write >= 0.5:
            last_write = now
            _write(path)


def _write(path: str) -> None:
    batch = lags[:]
    del lags[: len(batch)]
    lines = [f"L {t:.4f} {lag:.3f}" for t, lag in batch]
    lines.append(f"C {time.time():.4f} {json.dumps(dict(counters))}")
    with open(path, "a") as out:
        out.write("\n".join(lines) + "\n")


def main() -> int:
    event.listen(Engine, "before_cursor_execute", _before)
    event.listen(Engine, "after_cursor_execute", _after)
    event.listen(Engine, "commit", _commit)
    event.listen(Engine, "rollback", _rollback)
    from wa_agents.entrypoints.cli import main as cli

    return cli(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
