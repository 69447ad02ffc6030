"""``MemoryTelemetry``: counts what the use cases report, for tests and embedding hosts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from wa_agents.ports.telemetry import Telemetry


class MemoryTelemetry(Telemetry):
    def __init__(self) -> None:
        self.counts: Counter[tuple[str, ...]] = Counter()  # (metric, *labels) → count
        self.timings: dict[str, list[float]] = {}
        self.health: dict[str, float] = {}

    def _time(self, name: str, seconds: float) -> None:
        self.timings.setdefault(name, []).append(seconds)

    def turn(
        self,
        agent: str,
        *,
        tools: Sequence[str],
        llm_seconds: float,
        tokens_in: int,
        tokens_out: int,
    ) -> None:
        self.counts["turns", agent] += 1
        for tool in tools:
            self.counts["tool_calls", agent, tool] += 1
        self.counts["tokens", agent, "in"] += tokens_in
        self.counts["tokens", agent, "out"] += tokens_out
        self._time("llm", llm_seconds)

    def sent(self, outcome: str) -> None:
        self.counts["sends", outcome] += 1

    def reply_latency(self, seconds: float) -> None:
        self._time("reply", seconds)

    def governor(self, decision: str) -> None:
        self.counts["governor", decision] += 1

    def number_health(self, session_id: str, score: float) -> None:
        self.health[session_id] = score

    def webhook(self, event_type: str, outcome: str) -> None:
        self.counts["webhook", event_type, outcome] += 1

    def request(self, route: str, method: str, status: int, seconds: float) -> None:
        self.counts["http", route, method, str(status)] += 1
        self._time("http", seconds)
