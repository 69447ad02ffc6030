"""The HTTP API (Litestar): ``create_app(container)``; ``asgi(app)`` is what a server runs."""

from wa_agents.entrypoints.http.app import asgi, create_app

__all__ = ["asgi", "create_app"]
