"""The send governor's rules for one WhatsApp number: budgets, warm-up, pauses, health.

Pure values and functions; ``SendGovernor`` (domain/services/governor.py) applies them to the
shared state of each number. Times are POSIX seconds (floats), so the state is plain JSON.
"""

from __future__ import annotations

import enum
import math
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from wa_agents.domain.model.errors import ValidationError

MINUTE, HOUR, DAY = 60.0, 3600.0, 86400.0
MAX_BUDGET = 100_000
FRACTIONS = ("warmup_start", "jitter")


class Restriction(enum.StrEnum):
    """What the bridge reports when WhatsApp limits a number (docs/bridge.md)."""

    RATE_LIMITED = "rate-limited"
    RESTRICTED = "restricted"
    BANNED = "banned"


class Decision(enum.StrEnum):
    """What the governor said about one send (the ``wa_governor_decisions_total`` label)."""

    ALLOWED = "allowed"
    PACED = "paced"  # allowed, after waiting its pacing slot
    DEFERRED = "deferred"  # a budget is spent: the send waits in the queue
    PAUSED = "paused"  # the number is paused after a restriction
    RESTRICTED = "restricted"  # the bridge refused the send as a restriction


@dataclass(frozen=True, slots=True, kw_only=True)
class SendPolicy:
    """Budgets of one number; 0 means no limit. Budgets shrink during the warm-up."""

    per_minute: int = 0
    per_hour: int = 0
    per_day: int = 0
    first_contacts_per_day: int = 0  # sends to contacts who never wrote to the number
    warmup_days: int = 0  # 0: no warm-up; else budgets grow linearly over these days
    warmup_start: float = 0.2  # the fraction of each budget on the number's first day
    min_interval_ms: int = 0  # pacing: at least this long between two sends, plus jitter
    jitter: float = 0.5  # up to this fraction of the interval again, at random

    def __post_init__(self) -> None:
        for name in ("per_minute", "per_hour", "per_day", "first_contacts_per_day"):
            if not 0 <= getattr(self, name) <= MAX_BUDGET:
                raise ValidationError(f"{name} must be 0-{MAX_BUDGET}")
        if not 0 <= self.warmup_days <= 365:
            raise ValidationError("warmup_days must be 0-365")
        if not 0 < self.warmup_start <= 1 or not 0 <= self.jitter <= 1:
            raise ValidationError("warmup_start must be in (0, 1] and jitter in [0, 1]")
        if not 0 <= self.min_interval_ms <= 600_000:
            raise ValidationError("min_interval_ms must be 0-600000")

    def merged(self, overrides: dict[str, Any] | None) -> SendPolicy:
        """This policy with a session's overrides (unknown keys are a ValidationError)."""
        if not overrides:
            return self
        known = {f.name for f in fields(self)}
        unknown = set(overrides) - known
        if unknown:
            raise ValidationError(f"unknown send policy fields: {', '.join(sorted(unknown))}")
        for name, value in overrides.items():
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if not number or (name not in FRACTIONS and not isinstance(value, int)):
                raise ValidationError(f"send policy {name} must be a number")
        return replace(self, **overrides)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def warmup_factor(self, age_seconds: float) -> float:
        if self.warmup_days <= 0:
            return 1.0
        progress = max(0.0, age_seconds) / (self.warmup_days * DAY)
        return min(1.0, self.warmup_start + (1 - self.warmup_start) * progress)

    def budgets(self, age_seconds: float) -> dict[float, int]:
        """Window length → sends allowed in it, warm-up applied (at least one)."""
        factor = self.warmup_factor(age_seconds)
        limits = {MINUTE: self.per_minute, HOUR: self.per_hour, DAY: self.per_day}
        return {w: max(1, math.floor(n * factor)) for w, n in limits.items() if n > 0}


@dataclass(slots=True, kw_only=True)
class NumberState:
    """What the governor remembers of one number (shared between processes)."""

    sends: list[float] = field(default_factory=list)  # send times within the last day
    first_contacts: list[float] = field(default_factory=list)
    next_at: float = 0.0  # the pacing: no send before this
    paused_until: float | None = None
    paused_forever: bool = False  # banned: until an operator resumes the number
    pause_reason: str | None = None
    strikes: int = 0  # restrictions since the number was last healthy
    penalty: float = 0.0  # health points lost at the last strike
    last_strike_at: float | None = None

    def forget_before(self, now: float) -> None:
        self.sends = [t for t in self.sends if t > now - DAY]
        self.first_contacts = [t for t in self.first_contacts if t > now - DAY]

    def paused(self, now: float) -> bool:
        return self.paused_forever or (self.paused_until is not None and self.paused_until > now)

    def health(self, now: float) -> float:
        """100 is healthy; each restriction costs points, won back at 10 an hour."""
        if self.paused_forever:
            return 0.0
        if self.last_strike_at is None:
            return 100.0
        recovered = 10.0 * max(0.0, now - self.last_strike_at) / HOUR
        return max(0.0, min(100.0, 100.0 - self.penalty + recovered))

    # Both ways copy the lists (and nothing else holds a mutable value), so a governor change
    # never touches the state it was given: what lets a store hand it its own copy. Cheaper
    # than ``asdict`` or ``deepcopy``, which walk every float of the day's sends.
    def to_json(self) -> dict[str, Any]:
        return {name: _copied(getattr(self, name)) for name in _STATE_FIELDS}

    @classmethod
    def from_json(cls, raw: dict[str, Any] | None) -> NumberState:
        if not raw:
            return cls()
        return cls(**{k: _copied(v) for k, v in raw.items() if k in _STATE_FIELDS})


_STATE_FIELDS = frozenset(f.name for f in fields(NumberState))


def _copied(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


PENALTIES = {
    Restriction.RATE_LIMITED: 20.0,
    Restriction.RESTRICTED: 50.0,
    Restriction.BANNED: 100.0,
}
RESTRICTED_PAUSE = 6 * HOUR
MAX_RATE_LIMIT_PAUSE = HOUR


def pause_for(state: NumberState, reason: Restriction, retry_after: float | None) -> float | None:
    """Seconds to pause after ``reason`` (None: until resumed). A rate limit's pause doubles
    with every strike in a row, from the bridge's ``retryAfter`` (or a minute) up to an hour."""
    if reason == Restriction.BANNED:
        return None
    if reason == Restriction.RESTRICTED:
        return RESTRICTED_PAUSE
    base = retry_after if retry_after and retry_after > 0 else MINUTE
    return float(min(MAX_RATE_LIMIT_PAUSE, base * 2 ** max(0, state.strikes - 1)))


def strike(state: NumberState, reason: Restriction, now: float, retry_after: float | None) -> None:
    """Record a restriction: lower the health and pause the number."""
    healthy_again = state.health(now) >= 100.0
    state.strikes = 1 if healthy_again else state.strikes + 1
    state.penalty = min(100.0, 100.0 - state.health(now) + PENALTIES[reason])
    state.last_strike_at = now
    state.pause_reason = reason.value
    seconds = pause_for(state, reason, retry_after)
    if seconds is None:
        state.paused_forever = True
    else:
        state.paused_until = max(state.paused_until or 0.0, now + seconds)
