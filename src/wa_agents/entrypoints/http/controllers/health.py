"""``GET /health`` (the process answers) and ``GET /ready`` (it can do its job)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Response, get
from litestar.datastructures import State
from litestar.openapi.datastructures import ResponseSpec

from wa_agents.entrypoints.settings import Settings


class Health(msgspec.Struct):
    status: str


class Readiness(msgspec.Struct):
    status: str  # "ready", "degraded" (the model is unreachable: answers wait) or "not_ready"
    checks: dict[str, str]


def _model_check(container: Any, llm: str) -> str:
    """The configured model, or ``unreachable: …`` while its circuit is open (messages are
    still accepted and stored; their turns wait for the model)."""
    breaker = container.breakers().model
    now = container.clock().now()
    if breaker.opened_at is None:
        return llm
    return (
        f"unreachable: {llm} failed {breaker.failures} times in a row (circuit open since "
        f"{breaker.opened_at:%Y-%m-%dT%H:%M:%SZ}); next try at {breaker.retry_at(now):%H:%M:%SZ}"
    )


async def _hook(component: object) -> str:
    """``ok`` (or what the component reports) unless its ``readiness`` hook fails."""
    hook = getattr(component, "readiness", None)
    if hook is None:
        return "ok"
    try:
        report: Any = await hook()
    except Exception as exc:
        return f"error: {exc}"
    if isinstance(report, dict) and report.get("migrations") not in (None, "current"):
        return f"error: migrations are {report['migrations']}: run `wa-agents migrate`"
    return "ok"


class HealthController(Controller):
    tags = ("health",)

    @get("/health", exclude_from_auth=True, security=[], summary="Liveness")
    async def health(self) -> Health:
        return Health("ok")

    @get(
        "/ready",
        exclude_from_auth=True,
        security=[],
        summary=(
            "Readiness: database reachable and migrated, bridge reachable when configured, "
            "chat model reachable (degraded when not)"
        ),
        responses={503: ResponseSpec(data_container=Readiness, description="Not ready")},
    )
    async def ready(self, state: State) -> Response[Readiness]:
        container = state.container
        settings: Settings = container.settings()
        checks = {"database": await _hook(container.uow())}
        if settings.messaging == "bridge":
            checks["bridge"] = await _hook(container.gateway())
        checks["llm"] = _model_check(container, settings.llm)
        ok = all(not value.startswith("error") for value in checks.values())
        status = "not_ready" if not ok else "ready"
        if ok and checks["llm"].startswith("unreachable"):
            status = "degraded"  # still takes webhooks (stored, answered later): stays in service
        return Response(Readiness(status, checks), status_code=200 if ok else 503)
