"""Metrics in the Prometheus text format (prometheus-client)."""

from wa_agents.adapters.prometheus.telemetry import PrometheusTelemetry

__all__ = ["PrometheusTelemetry"]
