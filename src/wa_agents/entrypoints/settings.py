"""Typed settings, loaded once from ``WA_*`` environment variables.

Every variable is optional. A bad value stops the start with one line that names the variable
and what it accepts (``SettingsError``).
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from wa_agents.domain.model.errors import WaAgentsError

T = TypeVar("T")


class SettingsError(WaAgentsError):
    """A configuration value is wrong; the message names the variable."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    data_dir: Path = Path("./var")
    database_url: str | None = None
    secret_key: str | None = None
    admin_username: str | None = None
    admin_password: str | None = field(default=None, repr=False)
    openai_api_key: str | None = field(default=None, repr=False)
    openai_base_url: str | None = None
    llm: str = "scripted"
    embedder: str = "hashing"
    vector_store: str = "memory"
    bridge_url: str | None = None
    bridge_api_key: str | None = field(default=None, repr=False)
    webhook_secrets: tuple[str, ...] = field(default=(), repr=False)
    webhook_token: str | None = field(default=None, repr=False)
    public_url: str | None = None
    debounce_ms: int = 2000
    send_min_interval_ms: int = 1000
    workers: int = 4
    cors_origins: tuple[str, ...] = ()
    log_format: str = "console"
    log_level: str = "info"
    redis_url: str | None = None

    @property
    def messaging(self) -> str:
        return "bridge" if self.bridge_url else "sandbox"

    @property
    def storage(self) -> str:
        """``memory`` (``WA_DATABASE_URL=memory``: nothing kept) or ``sql``."""
        return "memory" if self.database_url == "memory" else "sql"

    @property
    def resolved_database_url(self) -> str:
        """The database to use: ``WA_DATABASE_URL``, else a SQLite file in the data dir."""
        if self.database_url and self.database_url != "memory":
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'wa_agents.db').resolve()}"

    @property
    def embedded_database(self) -> bool:
        """SQLite migrates itself on start; a shared server is migrated by ``wa-agents migrate``."""
        return self.resolved_database_url.startswith("sqlite")


def _choice(*options: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        value = raw.strip().lower()
        if value not in options:
            raise ValueError(f"one of {', '.join(options)}")
        return value

    return parse


def _int_range(low: int, high: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        try:
            value = int(raw.strip())
        except ValueError:
            raise ValueError(f"a whole number from {low} to {high}") from None
        if not low <= value <= high:
            raise ValueError(f"a whole number from {low} to {high}")
        return value

    return parse


def _url(*schemes: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        value = raw.strip()
        scheme, sep, rest = value.partition("://")
        if not sep or scheme.lower() not in schemes or not rest:
            raise ValueError(f"a URL starting with {' or '.join(s + '://' for s in schemes)}")
        return value.rstrip("/")

    return parse


def _database_url(raw: str) -> str:
    value = raw.strip()
    if value != "memory" and not value.startswith(("sqlite", "postgresql", "postgres://")):
        raise ValueError("a sqlite+aiosqlite:///… or postgresql+psycopg://… URL, or memory")
    return value


def parse_database_url(raw: str) -> str:
    """Check a database URL given on the command line (same rules as WA_DATABASE_URL)."""
    value = _database_url(raw)
    if value == "memory":
        raise ValueError("memory keeps nothing: give a sqlite or postgresql URL")
    return value


def _secret_key(raw: str) -> str:
    if len(raw.encode()) < 32:
        raise ValueError("at least 32 bytes (256 bits); generate one with `openssl rand -hex 32`")
    return raw


def _list(raw: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in raw.split(",") if part.strip())


def _webhook_secrets(raw: str) -> tuple[str, ...]:
    secrets = _list(raw)
    if not 1 <= len(secrets) <= 2 or not all(_is_whsec(s) for s in secrets):
        raise ValueError("one or two comma-separated secrets: whsec_ followed by base64")
    return secrets


def _is_whsec(secret: str) -> bool:
    if not secret.startswith("whsec_"):
        return False
    try:
        return len(base64.b64decode(secret[len("whsec_") :], validate=True)) >= 16
    except (binascii.Error, ValueError):
        return False


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read the environment once. ``OPENAI_API_KEY``/``OPENAI_BASE_URL`` are fallbacks."""
    env = dict(os.environ if environ is None else environ)
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        if env.get(name) and not env.get("WA_" + name):
            env["WA_" + name] = env[name]

    def get(name: str, parse: Callable[[str], T]) -> T | None:
        raw = env.get(name)
        if raw is None or raw.strip() == "":
            return None
        try:
            return parse(raw)
        except ValueError as exc:
            raise SettingsError(f"{name}={raw!r} is not valid: expected {exc}") from None

    values: dict[str, object] = {
        "data_dir": get("WA_DATA_DIR", Path),
        "database_url": get("WA_DATABASE_URL", _database_url),
        "secret_key": get("WA_SECRET_KEY", _secret_key),
        "admin_username": get("WA_ADMIN_USERNAME", str.strip),
        "admin_password": get("WA_ADMIN_PASSWORD", str),
        "openai_api_key": get("WA_OPENAI_API_KEY", str.strip),
        "openai_base_url": get("WA_OPENAI_BASE_URL", _url("http", "https")),
        "llm": get("WA_LLM", _choice("openai", "scripted")),
        "embedder": get("WA_EMBEDDER", _choice("openai", "local", "hashing")),
        "vector_store": get("WA_VECTOR_STORE", _choice("chroma", "memory")),
        "bridge_url": get("WA_BRIDGE_URL", _url("http", "https")),
        "bridge_api_key": get("WA_BRIDGE_API_KEY", str.strip),
        "webhook_secrets": get("WA_WEBHOOK_SECRET", _webhook_secrets),
        "webhook_token": get("WA_WEBHOOK_TOKEN", str.strip),
        "public_url": get("WA_PUBLIC_URL", _url("http", "https")),
        "debounce_ms": get("WA_DEBOUNCE_MS", _int_range(0, 60_000)),
        "send_min_interval_ms": get("WA_SEND_MIN_INTERVAL_MS", _int_range(0, 600_000)),
        "workers": get("WA_WORKERS", _int_range(1, 256)),
        "cors_origins": get("WA_CORS_ORIGINS", _list),
        "log_format": get("WA_LOG_FORMAT", _choice("json", "console")),
        "log_level": get("WA_LOG_LEVEL", _choice("debug", "info", "warning", "error")),
        "redis_url": get("WA_REDIS_URL", _url("redis", "rediss")),
    }
    settings = Settings(**{k: v for k, v in values.items() if v is not None})  # type: ignore[arg-type]
    if values["llm"] is None and settings.openai_api_key:
        settings = replace(settings, llm="openai")
    if settings.llm == "openai" and not settings.openai_api_key:
        raise SettingsError("WA_LLM=openai needs WA_OPENAI_API_KEY (or OPENAI_API_KEY)")
    if settings.embedder == "openai" and not settings.openai_api_key:
        raise SettingsError("WA_EMBEDDER=openai needs WA_OPENAI_API_KEY (or OPENAI_API_KEY)")
    return settings
