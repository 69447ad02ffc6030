"""``/metrics``: the Prometheus scrape, on the API port (with ``WA_METRICS_TOKEN``) or on an
internal port of its own (``WA_METRICS_PORT``, for ``wa-agents worker`` too).

Per-process, not prometheus-client's multiprocess mode: each ``serve`` replica and each
``wa-agents worker`` is one process with one event loop, so each is its own scrape target and
Prometheus adds the ``instance`` label; counters are summed across targets in queries. Gauges
read from shared state (queue, sessions, health) are the same on every target: use ``max``.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
from collections.abc import AsyncIterator
from typing import Any

import uvicorn

from wa_agents.domain.services.platform import Platform
from wa_agents.entrypoints.settings import Settings
from wa_agents.ports.telemetry import MetricsExporter

log = logging.getLogger("wa_agents.metrics")


async def scrape(container: Any) -> tuple[bytes, str]:
    """The exposition text, gauges refreshed from shared state first (best effort)."""
    exporter: MetricsExporter = container.telemetry()
    platform: Platform = container.platform()
    try:
        exporter.refresh(await platform.metrics.collect())
    except Exception:  # the database is down: the counters are still worth scraping
        log.warning("metrics: could not read the queue and sessions", exc_info=True)
    return exporter.exposition()


def authorized(settings: Settings, authorization: str | None) -> bool:
    """True when no token is configured, or the header carries ``Bearer <token>``."""
    if not settings.metrics_token:
        return True
    scheme, _, given = (authorization or "").partition(" ")
    expected = settings.metrics_token.encode()
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), expected)


def metrics_app(container: Any) -> Any:
    """A minimal ASGI app for the internal port: ``GET /metrics`` and nothing else."""
    settings: Settings = container.settings()

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        if scope["path"] != "/metrics":
            status, body, kind = 404, b'{"status_code":404,"detail":"only /metrics here"}', "json"
        elif not authorized(settings, headers.get("authorization")):
            status, body, kind = 401, b'{"status_code":401,"detail":"metrics token needed"}', "json"
        else:
            body, kind = await scrape(container)
            status = 200
        content_type = "application/json" if kind == "json" else kind
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", content_type.encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})

    return app


@contextlib.asynccontextmanager
async def metrics_listener(container: Any, host: str = "0.0.0.0") -> AsyncIterator[None]:
    """Serve ``/metrics`` on ``WA_METRICS_PORT`` while the block runs (nothing when unset)."""
    settings: Settings = container.settings()
    if settings.metrics_port is None:
        yield
        return
    config = uvicorn.Config(
        metrics_app(container),
        host=host,
        port=settings.metrics_port,
        lifespan="off",
        log_config=None,
        access_log=False,
        server_header=False,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        yield
    finally:
        server.should_exit = True
        with contextlib.suppress(Exception):
            await asyncio.wait_for(task, 5)
