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
    status: str  # "ready" or "not_ready"
    checks: dict[str, str]


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
        summary="Readiness: database reachable and migrated, bridge reachable when configured",
        responses={503: ResponseSpec(data_container=Readiness, description="Not ready")},
    )
    async def ready(self, state: State) -> Response[Readiness]:
        container = state.container
        settings: Settings = container.settings()
        checks = {"database": await _hook(container.uow())}
        if settings.messaging == "bridge":
            checks["bridge"] = await _hook(container.gateway())
        checks["llm"] = settings.llm
        ok = all(not value.startswith("error") for value in checks.values())
        return Response(
            Readiness("ready" if ok else "not_ready", checks), status_code=200 if ok else 503
        )
