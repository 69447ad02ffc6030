"""JobRunner: claim a job, run its handler, settle it. The loop every worker runs.

A handler that raises ``SessionNotConnected``, ``Unavailable`` (an open circuit, a model
outage) or ``SendDeferred`` (the send governor) puts its job back to wait (no attempt used);
any other error retries with capped jittered backoff until ``max_attempts``, then the job is
dead (and ``on_dead`` is told, e.g. to mark the reply failed).

A handler that completed its job itself, inside the unit of work that wrote the job's result
(``uow.jobs.complete``, fenced by the lease), returns ``Done``: there is nothing left to
settle. ``Done.then`` is a follow-up that unit of work enqueued already leased to this worker
(a turn's send): the runner runs it next, as if it had claimed it. A crash in between costs
nothing but time: the follow-up's lease runs out and any worker claims it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from wa_agents.domain.model.errors import (
    LeaseLost,
    SendDeferred,
    SessionNotConnected,
    Unavailable,
)
from wa_agents.domain.model.job import Job, RetryPolicy
from wa_agents.domain.services.correlation import CORRELATION_KEY, correlation_id
from wa_agents.ports.clock import Clock
from wa_agents.ports.jobs import JobQueue


@dataclass(frozen=True, slots=True)
class Done:
    """The handler completed its job in its own unit of work; ``then`` (leased to this
    worker) runs next, through ``run`` when given (it may carry what the job already read),
    else through the handler of its kind."""

    then: Job | None = None
    run: Callable[[Job], Awaitable[Done | None]] | None = None


Handler = Callable[[Job], Awaitable[Done | None]]


log = logging.getLogger("wa_agents.jobs")


@dataclass(frozen=True, slots=True)
class RunnerSettings:
    worker_id: str = "worker"
    lease: timedelta = timedelta(seconds=20)  # renewed every quarter while the job runs
    wait_for_session: timedelta = timedelta(seconds=15)
    retry: RetryPolicy = field(default_factory=RetryPolicy)


class JobRunner:
    def __init__(
        self,
        queue: JobQueue,
        handlers: Mapping[str, Handler],
        clock: Clock,
        settings: RunnerSettings | None = None,
        on_dead: Callable[[Job, str], Awaitable[None]] | None = None,
    ) -> None:
        self._queue, self._handlers, self._clock = queue, dict(handlers), clock
        self._settings, self._on_dead = settings or RunnerSettings(), on_dead
        self._kinds = frozenset(self._handlers)

    async def run_once(self) -> Job | None:
        """Claim and run one due job; None when nothing is due."""
        s = self._settings
        job = await self._queue.claim(
            self._kinds, worker_id=s.worker_id, lease=s.lease, now=self._clock.now()
        )
        if job is None:
            return None
        # The job's log lines (and the jobs it enqueues) carry the message's correlation id.
        token = correlation_id.set(job.payload.get(CORRELATION_KEY) or f"job-{job.id}")
        try:
            await self._settle(job)
        finally:
            correlation_id.reset(token)
        return job

    async def _settle(self, job: Job, handler: Handler | None = None) -> None:
        s = self._settings
        try:
            done = await self._run(job, handler or self._handlers[job.kind])
        except asyncio.CancelledError:  # shutting down: hand the job back for the next worker
            await self._queue.release(job.id, worker_id=s.worker_id)
            raise
        except LeaseLost as exc:  # not ours to settle any more
            log.warning("%s", exc)
        except SessionNotConnected:
            await self._queue.release(
                job.id, worker_id=s.worker_id, run_at=self._clock.now() + s.wait_for_session
            )
        except (Unavailable, SendDeferred) as exc:  # an outage, or a budget: wait, no attempt
            await self._queue.release(job.id, worker_id=s.worker_id, run_at=exc.retry_at)
        except Exception as exc:
            await self._failed(job, f"{type(exc).__name__}: {exc}")
        else:
            if done is None:
                await self._queue.complete(job.id, worker_id=s.worker_id)
            elif done.then is not None:
                await self._settle(done.then, done.run)

    async def _run(self, job: Job, handler: Handler) -> Done | None:
        """The handler, with a heartbeat renewing the lease: a crash is noticed within one
        lease, however long a healthy job takes. If the lease is lost all the same (another
        worker took the job), the handler is stopped: two runs must not both write."""
        s = self._settings
        work: asyncio.Future[Done | None] = asyncio.ensure_future(handler(job))
        lost = False

        async def heartbeat() -> None:
            nonlocal lost
            while True:
                await asyncio.sleep(s.lease.total_seconds() / 4)
                try:
                    until = self._clock.now() + s.lease
                    renewed = await self._queue.extend(
                        job.id, worker_id=s.worker_id, lease_until=until
                    )
                except Exception:  # the database hiccuped: try again at the next beat
                    log.warning("job %s: could not renew its lease", job.id, exc_info=True)
                    continue
                if not renewed:
                    lost = True
                    work.cancel()
                    return

        beat = asyncio.create_task(heartbeat())
        try:
            return await work
        except asyncio.CancelledError:
            if not lost:
                raise  # the worker itself is stopping
            raise LeaseLost(
                f"job {job.id}: another worker took it over; this run stopped"
            ) from None
        finally:
            beat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beat

    async def _failed(self, job: Job, error: str) -> None:
        s = self._settings
        if job.attempts < job.max_attempts:
            retry_at = self._clock.now() + s.retry.delay(job.attempts)
            log.warning("job %s (%s) failed, retrying: %s", job.id, job.kind, error)
            await self._queue.fail(job.id, worker_id=s.worker_id, error=error, retry_at=retry_at)
            return
        log.error(
            "job %s (%s) is dead after %d attempts: %s", job.id, job.kind, job.attempts, error
        )
        if (
            await self._queue.fail(job.id, worker_id=s.worker_id, error=error, retry_at=None)
            and self._on_dead
        ):
            try:
                await self._on_dead(job, error)
            except Exception:  # the job is dead either way; its epitaph failing changes nothing
                log.exception("after job %s died, its follow-up failed", job.id)

    async def run_until_idle(self, limit: int = 10_000) -> int:
        """Run due jobs until none is left (or ``limit``); returns how many ran."""
        ran = 0
        while ran < limit and await self.run_once() is not None:
            ran += 1
        return ran
