"""Worker processes against real databases: nothing claimed twice, nothing lost, even on SIGKILL."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.support.databases import BACKENDS, database_for
from wa_agents.adapters.memory import SystemClock, TimeOrderedIdGenerator
from wa_agents.adapters.sqlalchemy import Database, SqlAlchemyJobQueue, SqlAlchemyUnitOfWorkFactory
from wa_agents.domain.model.job import JobStatus

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(params=BACKENDS)
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    async with database_for(request.param, tmp_path) as database:
        yield database


def worker_command(db: Database, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "tests.support.claim_worker",
        "--url",
        db.url,
        "--out",
        str(out),
        *extra,
    ]


async def enqueue(db: Database, count: int) -> list[str]:
    factory = SqlAlchemyUnitOfWorkFactory(db, SystemClock(), TimeOrderedIdGenerator())
    ids: list[str] = []
    past = datetime.now(UTC) - timedelta(seconds=1)
    for start in range(0, count, 500):
        async with factory() as uow:
            for n in range(start, min(start + 500, count)):
                ids.append((await uow.jobs.enqueue("work", {"n": n}, run_at=past)).id)
            await uow.commit()
    return ids


async def test_two_processes_drain_2000_jobs_without_sharing_one(
    db: Database, tmp_path: Path
) -> None:
    ids = await enqueue(db, 2000)
    outs = [tmp_path / f"worker{n}.txt" for n in range(2)]
    procs = [subprocess.Popen(worker_command(db, out), cwd=ROOT) for out in outs]
    for proc in procs:
        assert proc.wait(timeout=300) == 0
    claimed = Counter(line for out in outs for line in out.read_text().split())
    assert sorted(claimed) == sorted(ids)  # zero lost
    assert max(claimed.values()) == 1  # zero claimed twice
    assert all(out.read_text() for out in outs), "both workers should have taken a share"
    counts = await SqlAlchemyJobQueue(db).counts()
    assert counts[JobStatus.DONE] == 2000


async def test_a_killed_workers_job_is_claimed_again_after_its_lease(
    db: Database, tmp_path: Path
) -> None:
    [job_id] = await enqueue(db, 1)
    held = tmp_path / "held.txt"
    holder = subprocess.Popen(worker_command(db, held, "--mode", "hold", "--lease", "2"), cwd=ROOT)
    deadline = time.monotonic() + 60
    while not (held.exists() and held.read_text().strip()):
        assert time.monotonic() < deadline, "the holder never claimed"
        await asyncio.sleep(0.05)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=30)
    queue = SqlAlchemyJobQueue(db)
    assert (await queue.get(job_id)).status == JobStatus.RUNNING
    assert (
        await queue.claim(
            frozenset({"work"}),
            worker_id="early",
            lease=timedelta(seconds=5),
            now=datetime.now(UTC),
        )
        is None
    )
    await asyncio.sleep(2.2)
    rescue = tmp_path / "rescue.txt"
    subprocess.run(worker_command(db, rescue), cwd=ROOT, check=True, timeout=120)
    assert rescue.read_text().split() == [job_id]
    job = await queue.get(job_id)
    assert (job.status, job.attempts) == (JobStatus.DONE, 2)
