"""The send governor of one number: its report, and the policy an operator sets."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec

from wa_agents.domain.services.governor import NumberReport

# gt=-1, not ge=0: the OpenAPI generator drops a bound of 0 (a falsy value) from the schema
Budget = Annotated[int, msgspec.Meta(gt=-1, le=100_000, description="0: no limit")]
Fraction = Annotated[float, msgspec.Meta(gt=-0.000001, le=1)]


class PolicyIn(msgspec.Struct, forbid_unknown_fields=True):
    """Overrides of the server's WA_SEND_* defaults for this number; a field left out (or
    null) keeps the server's value. ``min_interval_ms`` is the number's pacing."""

    per_minute: Budget | None = None
    per_hour: Budget | None = None
    per_day: Budget | None = None
    first_contacts_per_day: Budget | None = None
    warmup_days: Annotated[int, msgspec.Meta(gt=-1, le=365)] | None = None
    warmup_start: Fraction | None = None
    min_interval_ms: Annotated[int, msgspec.Meta(gt=-1, le=600_000)] | None = None
    jitter: Fraction | None = None

    def overrides(self) -> dict[str, Any]:
        return {
            name: getattr(self, name)
            for name in self.__struct_fields__
            if getattr(self, name) is not None
        }


class PolicyOut(msgspec.Struct):
    per_minute: int
    per_hour: int
    per_day: int
    first_contacts_per_day: int
    warmup_days: int
    warmup_start: float
    min_interval_ms: int
    jitter: float


class OverridesOut(msgspec.Struct):
    """The number's own values (null: the server's WA_SEND_* value, or the session's pacing)."""

    per_minute: int | None = None
    per_hour: int | None = None
    per_day: int | None = None
    first_contacts_per_day: int | None = None
    warmup_days: int | None = None
    warmup_start: float | None = None
    min_interval_ms: int | None = None
    jitter: float | None = None


class GovernorOut(msgspec.Struct):
    session_id: str
    health: float  # 100 healthy … 0 banned
    paused: bool
    paused_until: datetime | None  # null while paused: until an operator resumes
    pause_reason: str | None  # rate-limited, restricted or banned
    sent_last_minute: int
    sent_last_hour: int
    sent_last_day: int
    first_contacts_last_day: int
    warmup_factor: float  # the share of each budget a new number has today
    policy: PolicyOut  # the effective policy: the server's defaults and this number's overrides
    overrides: OverridesOut  # what PUT set for this number (a PUT replaces them whole)

    @classmethod
    def of(cls, session_id: str, r: NumberReport) -> GovernorOut:
        return cls(
            session_id,
            r.health,
            r.paused,
            r.paused_until,
            r.pause_reason,
            r.sent_last_minute,
            r.sent_last_hour,
            r.sent_last_day,
            r.first_contacts_last_day,
            r.warmup_factor,
            PolicyOut(**r.policy.as_dict()),
            OverridesOut(**r.overrides),
        )
