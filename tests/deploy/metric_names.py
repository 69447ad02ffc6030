"""The Prometheus metrics wa_agents exposes, in one place: names, types and label names.

The alert rules (deploy/prometheus/alerts.yml) may use only these, and the /metrics scrape
tests check the backend and the bridge against the same list.
"""

from __future__ import annotations

HISTOGRAM, COUNTER, GAUGE = "histogram", "counter", "gauge"

BACKEND: dict[str, tuple[str, tuple[str, ...]]] = {
    "wa_http_request_duration_seconds": (HISTOGRAM, ("route", "method", "status")),
    "wa_webhook_events_total": (COUNTER, ("type", "outcome")),
    "wa_reply_latency_seconds": (HISTOGRAM, ()),  # inbound message to its reply
    "wa_jobs_queued": (GAUGE, ("kind",)),
    "wa_job_oldest_age_seconds": (GAUGE, ("kind",)),
    "wa_jobs_dead": (GAUGE, ("kind",)),
    "wa_turns_total": (COUNTER, ("agent",)),
    "wa_tool_calls_total": (COUNTER, ("agent", "tool")),
    "wa_llm_latency_seconds": (HISTOGRAM, ("agent",)),
    "wa_llm_tokens_total": (COUNTER, ("agent", "direction")),
    "wa_sends_total": (COUNTER, ("outcome",)),
    "wa_sessions": (GAUGE, ("status",)),
    "wa_circuit_state": (GAUGE, ("name",)),  # 0 closed, 1 half-open, 2 open
    "wa_governor_decisions_total": (COUNTER, ("decision",)),
    "wa_number_health_score": (GAUGE, ("session",)),
}
BRIDGE: dict[str, tuple[str, tuple[str, ...]]] = {
    "wa_bridge_sessions": (GAUGE, ("status",)),
    "wa_bridge_reconnects_total": (COUNTER, ()),
    "wa_bridge_webhook_queue_depth": (GAUGE, ("session",)),
    "wa_bridge_webhook_queue_oldest_age_seconds": (GAUGE, ("session",)),
    "wa_bridge_webhook_delivery_failures_total": (COUNTER, ()),
}
METRICS = {**BACKEND, **BRIDGE}
# Series and labels Prometheus adds itself: `up` per target, and every target's job/instance.
PROMETHEUS_SERIES = {"up": (GAUGE, ())}
TARGET_LABELS = ("job", "instance")
_SERIES_SUFFIXES = {HISTOGRAM: ("_bucket", "_count", "_sum"), COUNTER: ("",), GAUGE: ("",)}


def series() -> dict[str, tuple[str, ...]]:
    """Every series name a query may select, with the labels it may match on."""
    names: dict[str, tuple[str, ...]] = {}
    for metric, (kind, labels) in {**METRICS, **PROMETHEUS_SERIES}.items():
        for suffix in _SERIES_SUFFIXES[kind]:
            extra = ("le",) if suffix == "_bucket" else ()
            names[metric + suffix] = (*labels, *extra, *TARGET_LABELS)
    return names
