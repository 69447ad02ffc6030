"""SendGovernor: may this number send now? Budgets, warm-up, pacing and pauses, per number.

The state of each number lives in a ``GovernorStore`` shared by every worker process (Redis
with ``WA_REDIS_URL``), so two workers together keep one number's rate. ``reserve`` either
grants a slot (a time at most ``max_wait`` ahead, which the caller waits for) or raises
``SendDeferred``: the send job goes back to the queue until then (never dropped, never
doubled; the queue keeps each conversation's order). ``restricted`` pauses the number after
the bridge reported a restriction and lowers its health score.
"""

from __future__ import annotations

import asyncio
import copy
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from wa_agents.domain.model.errors import SendDeferred
from wa_agents.domain.model.governor import (
    DAY,
    Decision,
    NumberState,
    Restriction,
    SendPolicy,
    strike,
)
from wa_agents.ports.clock import Clock
from wa_agents.ports.governor import GovernorStore, State
from wa_agents.ports.telemetry import Telemetry

SAME_STRIKE = 10.0  # seconds within which the same restriction is one event
BANNED_RECHECK = 900.0  # a banned number's sends look again every 15 minutes
T = TypeVar("T")


class LocalGovernorStore(GovernorStore):
    """The state in this process: one process, a test, or a Redis store's fallback."""

    def __init__(self) -> None:
        self.states: dict[str, State] = {}  # inspection: every number's state

    async def update(self, number: str, change: Callable[[State | None], tuple[State, T]]) -> T:
        # No await between the read and the write: atomic within one event loop. ``change`` is
        # pure (the port's contract; ``NumberState`` copies what it reads), so it is given the
        # stored state itself: a deep copy per send was ~5% of the send path's CPU.
        state, result = change(self.states.get(number))
        self.states[number] = state
        return result

    async def read(self, number: str) -> State | None:
        return copy.deepcopy(self.states.get(number))


@dataclass(frozen=True, slots=True)
class Grant:
    at: datetime  # send at (or after) this time
    decision: Decision


@dataclass(frozen=True, slots=True)
class NumberReport:
    """What the API and the metrics show of one number."""

    health: float
    paused: bool
    paused_until: datetime | None
    pause_reason: str | None
    sent_last_minute: int
    sent_last_hour: int
    sent_last_day: int
    first_contacts_last_day: int
    warmup_factor: float
    policy: SendPolicy
    overrides: dict[str, Any] = field(default_factory=dict)  # the number's own (set by operators)


def _at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


class SendGovernor:
    def __init__(
        self,
        store: GovernorStore,
        clock: Clock,
        defaults: SendPolicy | None = None,
        *,
        telemetry: Telemetry | None = None,
        rng: random.Random | None = None,
        max_wait: float = 10.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        """``max_wait``: the longest pacing wait a send holds its job for (longer: deferred)."""
        self._store, self._clock = store, clock
        self.defaults = defaults or SendPolicy()
        self._telemetry, self._rng, self._max_wait = telemetry, rng or random.Random(), max_wait
        self._sleep = sleep

    async def wait_for(self, grant: Grant) -> None:
        """Sleep until the granted slot (pacing)."""
        wait = (grant.at - self._clock.now()).total_seconds()
        if wait > 0:
            await self._sleep(wait)

    def policy(self, overrides: dict[str, object] | None, interval_ms: int | None) -> SendPolicy:
        """The server's defaults, the session's pacing and its policy overrides, in that order."""
        policy = self.defaults
        if interval_ms is not None:
            policy = policy.merged({"min_interval_ms": interval_ms})
        return policy.merged(overrides)

    async def reserve(
        self, number: str, policy: SendPolicy, *, first_contact: bool, linked_at: datetime
    ) -> Grant:
        """A slot to send in, recorded against the budgets; or ``SendDeferred``."""
        now = self._clock.now().timestamp()
        jitter = self._rng.uniform(0, policy.jitter)

        def change(raw: State | None) -> tuple[State, tuple[str, float]]:
            state = NumberState.from_json(raw)
            state.forget_before(now)
            verdict = self._decide(state, policy, now, jitter, first_contact, linked_at)
            return state.to_json(), verdict

        verdict, when = await self._store.update(number, change)
        self._count(verdict)
        if verdict in (Decision.ALLOWED, Decision.PACED):
            return Grant(_at(when), Decision(verdict))
        raise SendDeferred(verdict, _at(when))

    def _decide(
        self,
        state: NumberState,
        policy: SendPolicy,
        now: float,
        jitter: float,
        first_contact: bool,
        linked_at: datetime,
    ) -> tuple[str, float]:
        if state.paused(now):
            until = now + BANNED_RECHECK if state.paused_forever else state.paused_until
            return Decision.PAUSED, float(until or now)
        waits = []
        for window, budget in policy.budgets(now - linked_at.timestamp()).items():
            recent = [t for t in state.sends if t > now - window]
            if len(recent) >= budget:
                waits.append(recent[-budget] + window)
        limit = policy.first_contacts_per_day
        if first_contact and limit > 0 and len(state.first_contacts) >= limit:
            waits.append(state.first_contacts[0] + DAY)
        slot = max(now, state.next_at)
        if waits or slot - now > self._max_wait:
            return Decision.DEFERRED, max([*waits, slot])
        interval = policy.min_interval_ms / 1000
        state.next_at = slot + interval * (1 + jitter)
        state.sends.append(slot)
        if first_contact:
            state.first_contacts.append(slot)
        return (Decision.PACED if slot > now else Decision.ALLOWED), slot

    async def restricted(self, number: str, reason: str, retry_after: float | None = None) -> None:
        """The bridge said WhatsApp limits this number: pause it and lower its health."""
        try:
            kind = Restriction(reason)
        except ValueError:
            return  # not a restriction token (a plain disconnect): nothing to do
        now = self._clock.now().timestamp()

        def change(raw: State | None) -> tuple[State, float]:
            state = NumberState.from_json(raw)
            last = state.last_strike_at
            echo = last is not None and now - last < SAME_STRIKE and state.pause_reason == kind
            if not echo:  # the send's refusal and the bridge's session event: one strike
                strike(state, kind, now, retry_after)
            return state.to_json(), state.health(now)

        health = await self._store.update(number, change)
        self._count(Decision.RESTRICTED)
        if self._telemetry is not None:
            self._telemetry.number_health(number, health)

    async def resume(self, number: str) -> None:
        """An operator lifts the pause (a banned number stays at low health)."""

        def change(raw: State | None) -> tuple[State, None]:
            state = NumberState.from_json(raw)
            state.paused_until, state.paused_forever = None, False
            return state.to_json(), None

        await self._store.update(number, change)

    async def report(self, number: str, policy: SendPolicy, linked_at: datetime) -> NumberReport:
        now = self._clock.now().timestamp()
        state = NumberState.from_json(await self._store.read(number))
        state.forget_before(now)
        health = state.health(now)
        if self._telemetry is not None:
            self._telemetry.number_health(number, health)
        return NumberReport(
            health=round(health, 1),
            paused=state.paused(now),
            paused_until=_at(state.paused_until)
            if state.paused_until and state.paused(now)
            else None,
            pause_reason=state.pause_reason if state.paused(now) else None,
            sent_last_minute=sum(1 for t in state.sends if t > now - 60),
            sent_last_hour=sum(1 for t in state.sends if t > now - 3600),
            sent_last_day=len(state.sends),
            first_contacts_last_day=len(state.first_contacts),
            warmup_factor=round(policy.warmup_factor(now - linked_at.timestamp()), 3),
            policy=policy,
        )

    def _count(self, decision: str) -> None:
        if self._telemetry is not None:
            self._telemetry.governor(str(decision))
