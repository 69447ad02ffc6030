"""An agent's handoff policy, business hours and enabled commands, as the API shows them."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Literal

import msgspec

from wa_agents.domain.model.handoff import (
    DEFAULT_HANDOFF_MESSAGE,
    DEFAULT_RESUME_MESSAGE,
    DEFAULT_RESUME_WORD,
    MAX_MESSAGE,
    MAX_TIMEOUT_MINUTES,
    HandoffPolicy,
)
from wa_agents.domain.model.hours import (
    DEFAULT_OUT_OF_HOURS,
    BusinessHours,
    hours_document,
    hours_from,
)
from wa_agents.entrypoints.http.dto.common import text

CommandName = Literal["help", "reset", "agent", "search", "summarize", "tasks", "human"]
# No constraints on these: the OpenAPI document loses the constraints of values nested in
# lists and maps, so a check here would refuse (400) what the schema allows. The domain checks
# them instead (a 422): HH:MM times, ranges that are pairs, at most 12 ranges a day.
Clock = Annotated[str, msgspec.Meta(description="HH:MM, 24:00 ends a day")]
Range = Annotated[list[Clock], msgspec.Meta(description="[start, end]")]
Day = Annotated[list[Range], msgspec.Meta(description="at most 12 ranges")]
Date = Annotated[str, msgspec.Meta(description="YYYY-MM-DD")]


class HandoffIO(msgspec.Struct):
    """How the agent hands a chat to a person and takes it back. An empty message says
    nothing; an empty ``resume_word`` leaves it to an operator or the timeout;
    ``timeout_minutes`` null: the handoff lasts until an operator ends it."""

    message: Annotated[str, text(MAX_MESSAGE)] = DEFAULT_HANDOFF_MESSAGE
    resume_message: Annotated[str, text(MAX_MESSAGE)] = DEFAULT_RESUME_MESSAGE
    resume_word: Annotated[str, text(32)] = DEFAULT_RESUME_WORD
    timeout_minutes: Annotated[int, msgspec.Meta(ge=1, le=MAX_TIMEOUT_MINUTES)] | None = None

    def policy(self) -> HandoffPolicy:
        return HandoffPolicy(**msgspec.structs.asdict(self))

    @classmethod
    def of(cls, policy: HandoffPolicy) -> HandoffIO:
        return cls(**asdict(policy))


class HoursIO(msgspec.Struct):
    """Opening hours in ``time_zone`` (IANA, e.g. ``America/Sao_Paulo``): ``weekly`` maps
    ``mon``..``sun`` to ``[["09:00", "12:00"], ["13:00", "18:00"]]``; a missing day is
    closed; ``holidays`` are closed dates. Outside them the agent answers anyway
    (``outside: answer``) or sends ``message`` and hands off (``outside: handoff``)."""

    time_zone: Annotated[str, text(64, 1)]
    weekly: dict[str, Day] = msgspec.field(default_factory=dict)
    holidays: Annotated[list[Date], msgspec.Meta(max_length=400)] = msgspec.field(
        default_factory=list
    )
    outside: Literal["answer", "handoff"] = "answer"
    message: Annotated[str, text(1_000)] = DEFAULT_OUT_OF_HOURS

    def hours(self) -> BusinessHours:
        """The domain value (``ValidationError``, a 422, on a bad zone, day or range)."""
        return hours_from(msgspec.structs.asdict(self))

    @classmethod
    def of(cls, hours: BusinessHours | None) -> HoursIO | None:
        return None if hours is None else msgspec.convert(hours_document(hours), cls)
