"""Counters and timings the use cases report, for metrics (``/metrics``) or inspection.

Every method is synchronous, cheap and never raises; label values are short and bounded
(agent ids, tool names, outcome words), never message text or phone numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from wa_agents.domain.model.metrics import Snapshot


class Telemetry(Protocol):
    def turn(
        self,
        agent: str,
        *,
        tools: Sequence[str],
        llm_seconds: float,
        tokens_in: int,
        tokens_out: int,
    ) -> None: ...
    def sent(self, outcome: str) -> None: ...
    def reply_latency(self, seconds: float) -> None: ...
    def governor(self, decision: str) -> None: ...
    def number_health(self, session_id: str, score: float) -> None: ...
    def webhook(self, event_type: str, outcome: str) -> None: ...
    def request(self, route: str, method: str, status: int, seconds: float) -> None: ...


class MetricsExporter(Telemetry, Protocol):
    """Telemetry that also serves a scrape: gauges set from a snapshot, then the text."""

    def refresh(self, snapshot: Snapshot) -> None: ...
    def exposition(self) -> tuple[bytes, str]: ...
