"""What ``wa-agents serve`` prints when it starts: where to go, and what it runs on."""

from __future__ import annotations

from urllib.parse import urlsplit

from wa_agents.entrypoints.settings import Settings


def database(settings: Settings) -> str:
    """The database in words, never with its password."""
    if settings.storage == "memory":
        return "in memory (nothing is kept when the process stops)"
    url = settings.resolved_database_url
    if url.startswith("sqlite"):
        return f"SQLite file {url.split(':///', 1)[-1]}"
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "(default)"
    return f"PostgreSQL {parts.hostname or 'localhost'}:{parts.port or 5432}/{name}"


def whatsapp(settings: Settings) -> str:
    if settings.messaging == "bridge":
        return f"bridge at {settings.bridge_url}"
    return "sandbox (simulated phones; set WA_BRIDGE_URL for real numbers)"


def model(settings: Settings) -> str:
    if settings.llm == "openai":
        where = settings.openai_base_url or "OpenAI's default endpoint"
        return f"OpenAI-compatible API at {where}"
    return "scripted (offline demo replies; set WA_OPENAI_API_KEY to use OpenAI)"


def banner(settings: Settings, url: str, *, dashboard: bool) -> str:
    open_at = f"{url}/" if dashboard else f"{url}/schema (no dashboard build: run `make run`)"
    rows = [
        ("open", open_at),
        ("API", f"{url}/api/v1 (docs {url}/schema)"),
        ("database", database(settings)),
        ("WhatsApp", whatsapp(settings)),
        ("model", model(settings)),
    ]
    lines = [f"wa-agents: serving on {url}"] + [f"  {name:<9} {value}" for name, value in rows]
    return "\n".join(lines)
