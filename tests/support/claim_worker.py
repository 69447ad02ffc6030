"""A worker process for the concurrency and crash tests: claims jobs from a real database.

``drain``: claim and complete until nothing is due, appending each claimed id to ``--out``.
``hold``: claim one job, write its id, then sleep holding the lease (to be SIGKILLed).
"""

from __future__ import annotations

import argparse
import asyncio
import os
from datetime import UTC, datetime, timedelta

from wa_agents.adapters.sqlalchemy import Database, SqlAlchemyJobQueue

KINDS = frozenset({"work"})


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--mode", choices=["drain", "hold"], default="drain")
    parser.add_argument("--lease", type=float, default=30.0)
    args = parser.parse_args()
    db = Database(args.url, pool_size=2)
    queue = SqlAlchemyJobQueue(db)
    worker = f"pid-{os.getpid()}"
    lease = timedelta(seconds=args.lease)
    with open(args.out, "a", buffering=1) as out:
        while True:
            job = await queue.claim(KINDS, worker_id=worker, lease=lease, now=datetime.now(UTC))
            if job is None:
                break
            out.write(job.id + "\n")
            if args.mode == "hold":
                await asyncio.sleep(3600)
            await queue.complete(job.id, worker_id=worker)
    await db.close()


if __name__ == "__main__":
    asyncio.run(main())
