"""What a scrape reads from shared state (MetricsSnapshot collects it)."""

from __future__ import annotations

from dataclasses import dataclass, field

from wa_agents.domain.model.job import KindBacklog


@dataclass(frozen=True, slots=True)
class Snapshot:
    backlog: tuple[KindBacklog, ...] = ()
    oldest_age: dict[str, float] = field(default_factory=dict)  # kind → seconds
    sessions: dict[str, int] = field(default_factory=dict)  # status → count
    health: dict[str, float] = field(default_factory=dict)  # session id → 0-100
    circuits: dict[str, int] = field(default_factory=dict)  # name → 0 closed, 1 half, 2 open
