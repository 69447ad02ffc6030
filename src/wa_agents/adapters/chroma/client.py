"""Opening chromadb: an embedded ``PersistentClient`` in a directory, or an ``HttpClient`` to
a server. chromadb is imported here, on first use only (it costs seconds and ~100 MB)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


def open_client(path: Path | None, url: str | None) -> Any:
    """A chromadb client (telemetry off). ``url`` wins over ``path``."""
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False)
    if url:
        parts = urlsplit(url)
        ssl = parts.scheme == "https"
        return chromadb.HttpClient(
            host=parts.hostname or "localhost",
            port=parts.port or (443 if ssl else 8000),
            ssl=ssl,
            settings=settings,
        )
    if path is None:
        raise ValueError("an embedded chromadb needs a directory")
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


def where_clause(where: Any) -> dict[str, Any] | None:
    """Our ``Where`` as chromadb's: equalities and ``$gte``, joined by ``$and``."""
    from wa_agents.domain.model.knowledge import AtLeast

    clauses = [
        {key: {"$gte": value.value}} if isinstance(value, AtLeast) else {key: value}
        for key, value in (where or {}).items()
    ]
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
