"""Live events for dashboards: session status and QR changes, new messages, status updates.

An event is a notification, not a record (the record is in the database). ``publish`` never
blocks on a slow subscriber and never fails the caller's use case. Each ``EventStream`` sees
every event published after ``subscribe`` returned, in publish order, until it falls more than
its buffer behind: then it loses the oldest ones. ``next(timeout)`` returns the next event, or
None when none came within ``timeout`` seconds; ``close`` ends the subscription (idempotent).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class Event:
    kind: str  # dotted and stable: "session.status", "message.new", "message.status", ...
    data: dict[str, Any] = field(default_factory=dict)  # JSON-safe values only


class EventStream(Protocol):
    async def next(self, wait: float) -> Event | None: ...
    def close(self) -> None: ...


class EventBus(Protocol):
    async def publish(self, event: Event) -> None: ...
    def subscribe(self) -> EventStream: ...
