"""GroupCommit: concurrent small writes share one transaction (group commit).

A caller hands ``run`` its *work*: an async function of a ``UnitOfWork`` that reads and
writes through it and does **not** commit. A collector runs up to ``max_batch`` works, one
after the other, in one unit of work and commits once; each ``run`` returns only after the
commit that holds its work, so whatever the caller acknowledges after ``run`` is committed.
Effects that must follow the commit (live events) are the caller's, after ``run`` returns.

When a batch starts: an idle collector runs the first work at once (a lone caller never
waits for a window). Works that arrive while a batch is in its transaction wait for it and go
together in the next one. With ``window_ms`` > 0, a collector that is busy (its previous batch
ended less than a window ago) also waits until the oldest waiting work is ``window_ms`` old,
or the batch is full, before it starts.

A failed batch (any exception from any work, a database error, the commit itself) is rolled
back whole, and each of its works is run again alone in a unit of work of its own: only the
bad one fails, with its own exception. A work may therefore run twice and must have no
effect outside its unit of work. Each work runs in its caller's ``contextvars`` context
(request and correlation ids follow it).

``max_batch=1`` turns grouping off: every work runs in its caller's task in a unit of work of
its own, as if there were no collector. ``close`` refuses new work with ``ShuttingDown`` and
returns once everything accepted before it has been committed or has failed.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import math
from collections import Counter, deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

from wa_agents.domain.model.errors import ShuttingDown
from wa_agents.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger("wa_agents.group_commit")
T = TypeVar("T")
Work = Callable[[UnitOfWork], Coroutine[Any, Any, T]]


@dataclass(frozen=True, slots=True)
class GroupCommitSettings:
    max_batch: int = 1  # works per transaction; 1: off (each its own transaction)
    window_ms: float = 0.0  # how long a busy collector waits for more before it starts
    in_flight: int = 1  # batches in their transactions at once (1 for SQLite: one writer)

    def __post_init__(self) -> None:
        if self.max_batch < 1 or self.in_flight < 1 or not 0 <= self.window_ms <= 1000:
            raise ValueError("max_batch and in_flight must be ≥ 1, window_ms within 0..1000")


@dataclass(slots=True)
class _Item:
    work: Work[Any]
    future: asyncio.Future[Any]
    context: contextvars.Context
    arrived: float
    key: str | None


class GroupCommit:
    def __init__(self, uow: UnitOfWorkFactory, settings: GroupCommitSettings | None = None):
        self._uow = uow
        self.settings = settings or GroupCommitSettings()
        self._pending: deque[_Item] = deque()
        self._arrival = asyncio.Event()
        self._collectors: set[asyncio.Task[None]] = set()
        self._held: Counter[str] = Counter()  # keys of the works in a transaction now
        self._closed = False
        self._last_end = -math.inf
        self.transactions = 0  # batches committed (inspection, for tests and metrics)

    async def run(self, work: Work[T], *, key: str | None = None) -> T:
        """``work``'s result, once the transaction holding it is committed; its exception
        (after its batch was retried item by item) when it failed. Works of one ``key``
        (what they lock: a conversation) never run in two transactions at once, so
        concurrent batches cannot deadlock on it."""
        if self._closed:
            raise ShuttingDown("shutting down: nothing was written, deliver again")
        if self.settings.max_batch == 1:
            return await self._alone(work)
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._pending.append(_Item(work, future, contextvars.copy_context(), loop.time(), key))
        self._arrival.set()
        # (a collector that just finished is done before its discard callback has run)
        if sum(not task.done() for task in self._collectors) < self.settings.in_flight:
            collector = loop.create_task(self._collect(), name="group-commit")
            self._collectors.add(collector)
            collector.add_done_callback(self._collectors.discard)
        return await future

    async def close(self) -> None:
        """Refuse new work; flush what was accepted (each caller gets its answer)."""
        self._closed = True
        self._arrival.set()
        while running := [task for task in self._collectors if not task.done()]:
            await asyncio.wait(running)

    async def _collect(self) -> None:
        try:
            while self._pending:
                await self._gather()
                batch = self._take()
                if not batch:
                    return  # what is left waits for a key in flight: its holder takes it
                try:
                    await self._commit(batch)
                finally:
                    self._held.subtract(item.key for item in batch if item.key is not None)
                    self._last_end = asyncio.get_running_loop().time()
        except asyncio.CancelledError:  # the loop is going away: nobody waits for ever
            while self._pending:
                _settle(self._pending.popleft(), exc=ShuttingDown("shutting down"))
            raise

    async def _gather(self) -> None:
        """With a window, a busy collector lets the batch fill up a little first."""
        window = self.settings.window_ms / 1000
        loop = asyncio.get_running_loop()
        if window == 0 or loop.time() - self._last_end >= window:
            return
        deadline = self._pending[0].arrived + window
        while len(self._pending) < self.settings.max_batch and not self._closed:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return
            self._arrival.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrival.wait(), remaining)

    def _take(self) -> list[_Item]:
        """Up to ``max_batch`` waiting works, oldest first, but none whose key another
        batch holds (those keep their place in the queue)."""
        batch: list[_Item] = []
        kept: deque[_Item] = deque()
        while self._pending and len(batch) < self.settings.max_batch:
            item = self._pending.popleft()
            if item.future.done():  # its caller went away before it started
                continue
            if item.key is not None and self._held[item.key] > 0:  # (held by another batch)
                kept.append(item)
                continue
            batch.append(item)
        for item in batch:
            if item.key is not None:
                self._held[item.key] += 1
        self._pending.extendleft(reversed(kept))
        return batch

    async def _commit(self, batch: list[_Item]) -> None:
        try:
            async with self._uow() as uow:
                results = [await _in_context(item, uow) for item in batch]
                await uow.commit()
        except asyncio.CancelledError:  # the loop is going away mid-batch: nothing committed
            for item in batch:
                _settle(item, exc=ShuttingDown("shutting down: nothing was written"))
            raise
        except Exception as exc:
            if len(batch) == 1:
                _settle(batch[0], exc=exc)
                return
            log.info("a batch of %d failed (%s): committing each alone", len(batch), exc)
            for item in batch:
                await self._retry_alone(item)
            return
        self.transactions += 1
        for item, result in zip(batch, results, strict=True):
            _settle(item, result=result)

    async def _retry_alone(self, item: _Item) -> None:
        try:
            async with self._uow() as uow:
                result = await _in_context(item, uow)
                await uow.commit()
        except Exception as exc:
            _settle(item, exc=exc)
            return
        self.transactions += 1
        _settle(item, result=result)

    async def _alone(self, work: Work[T]) -> T:
        async with self._uow() as uow:
            result = await work(uow)
            await uow.commit()
        self.transactions += 1
        return result


async def _in_context(item: _Item, uow: UnitOfWork) -> Any:
    """The work, run in its caller's context (a task of its own carries that context)."""
    return await asyncio.get_running_loop().create_task(item.work(uow), context=item.context)


def _settle(item: _Item, *, result: Any = None, exc: BaseException | None = None) -> None:
    if item.future.done():  # the caller was cancelled while its batch ran
        return
    if exc is not None:
        item.future.set_exception(exc)
    else:
        item.future.set_result(result)
