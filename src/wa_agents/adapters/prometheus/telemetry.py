"""``PrometheusTelemetry``: the ``Telemetry`` port as prometheus-client metrics, plus the
gauges of a ``Snapshot`` and the text exposition for ``GET /metrics``.

One registry per instance (not the library's global one), so several apps in one test process
never share counters. Per-process: each process (``serve`` replica, ``wa-agents worker``) is its
own scrape target; see docs/operations.md#metrics for why not the multiprocess mode.
"""

from __future__ import annotations

from collections.abc import Sequence

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)

from wa_agents.domain.model.metrics import Snapshot
from wa_agents.ports.telemetry import MetricsExporter

HTTP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
REPLY_BUCKETS = (0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600)
LLM_BUCKETS = (0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60)
disable_created_metrics()  # type: ignore[no-untyped-call]  # no `_created` series: they double the output and no rule uses them


class PrometheusTelemetry(MetricsExporter):
    def __init__(self) -> None:
        r = self.registry = CollectorRegistry(auto_describe=True)
        self.http = Histogram(
            "wa_http_request_duration_seconds",
            "API request time by route template, method and status",
            ("route", "method", "status"),
            buckets=HTTP_BUCKETS,
            registry=r,
        )
        self.webhooks = Counter(
            "wa_webhook_events",
            "Bridge webhook events by type and outcome",
            ("type", "outcome"),
            registry=r,
        )
        self.reply = Histogram(
            "wa_reply_latency_seconds",
            "Inbound message to its reply on WhatsApp",
            (),
            buckets=REPLY_BUCKETS,
            registry=r,
        )
        self.queued = Gauge("wa_jobs_queued", "Jobs pending or running", ("kind",), registry=r)
        self.oldest = Gauge(
            "wa_job_oldest_age_seconds",
            "How long the oldest due job has waited",
            ("kind",),
            registry=r,
        )
        self.dead = Gauge("wa_jobs_dead", "Jobs past their attempts", ("kind",), registry=r)
        self.turns = Counter("wa_turns", "Agent turns", ("agent",), registry=r)
        self.tools = Counter("wa_tool_calls", "Tool calls", ("agent", "tool"), registry=r)
        self.llm = Histogram(
            "wa_llm_latency_seconds",
            "Chat model time per turn",
            ("agent",),
            buckets=LLM_BUCKETS,
            registry=r,
        )
        self.tokens = Counter(
            "wa_llm_tokens",
            "Model tokens by direction (in, out)",
            ("agent", "direction"),
            registry=r,
        )
        self.sends = Counter("wa_sends", "Send attempts by outcome", ("outcome",), registry=r)
        self.sessions = Gauge("wa_sessions", "WhatsApp numbers by status", ("status",), registry=r)
        self.circuits = Gauge(
            "wa_circuit_state",
            "Circuit breakers: 0 closed, 1 half-open, 2 open",
            ("name",),
            registry=r,
        )
        self.decisions = Counter(
            "wa_governor_decisions", "Send governor decisions", ("decision",), registry=r
        )
        self.health = Gauge(
            "wa_number_health_score",
            "Each number's health (100 healthy, 0 banned)",
            ("session",),
            registry=r,
        )

    def turn(
        self,
        agent: str,
        *,
        tools: Sequence[str],
        llm_seconds: float,
        tokens_in: int,
        tokens_out: int,
    ) -> None:
        self.turns.labels(agent).inc()
        for tool in tools:
            self.tools.labels(agent, tool).inc()
        self.llm.labels(agent).observe(llm_seconds)
        self.tokens.labels(agent, "in").inc(tokens_in)
        self.tokens.labels(agent, "out").inc(tokens_out)

    def sent(self, outcome: str) -> None:
        self.sends.labels(outcome).inc()

    def reply_latency(self, seconds: float) -> None:
        self.reply.observe(seconds)

    def governor(self, decision: str) -> None:
        self.decisions.labels(decision).inc()

    def number_health(self, session_id: str, score: float) -> None:
        self.health.labels(session_id).set(score)

    def webhook(self, event_type: str, outcome: str) -> None:
        self.webhooks.labels(event_type, outcome).inc()

    def request(self, route: str, method: str, status: int, seconds: float) -> None:
        self.http.labels(route, method, str(status)).observe(seconds)

    def refresh(self, snapshot: Snapshot) -> None:
        """Set the gauges read from shared state (a number or kind that is gone is dropped)."""
        for gauge in (self.queued, self.oldest, self.dead, self.sessions, self.health):
            gauge.clear()
        for b in snapshot.backlog:
            self.queued.labels(b.kind).set(b.queued)
            self.dead.labels(b.kind).set(b.dead)
            self.oldest.labels(b.kind).set(snapshot.oldest_age.get(b.kind, 0.0))
        for status, count in snapshot.sessions.items():
            self.sessions.labels(status).set(count)
        for session_id, score in snapshot.health.items():
            self.health.labels(session_id).set(score)
        for name, value in snapshot.circuits.items():
            self.circuits.labels(name).set(value)

    def exposition(self) -> tuple[bytes, str]:
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
