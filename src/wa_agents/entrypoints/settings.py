"""Typed settings, loaded once from ``WA_*`` environment variables.

Every variable is optional. A bad value stops the start with one line that names the variable
and what it accepts (``SettingsError``).
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from wa_agents.domain.model.agent_tools import SECRET_NAME
from wa_agents.domain.model.errors import ValidationError, WaAgentsError
from wa_agents.domain.model.usage import PriceTable

T = TypeVar("T")
EMBEDDERS = ("local", "openai", "hashing")  # WA_EMBEDDER, the default first
VECTOR_STORES = ("chroma", "memory")  # WA_VECTOR_STORE, the default first
MEDIA_STORES = ("filesystem", "s3", "memory")  # WA_MEDIA_STORE, the default first
MIB = 1024 * 1024


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
    embedder: str = EMBEDDERS[0]
    vector_store: str = VECTOR_STORES[0]
    chroma_url: str | None = None
    models_dir: Path | None = None
    openai_embedding_model: str = "text-embedding-3-small"
    openai_embedding_dimensions: int | None = None
    bridge_url: str | None = None
    bridge_api_key: str | None = field(default=None, repr=False)
    webhook_secrets: tuple[str, ...] = field(default=(), repr=False)
    webhook_token: str | None = field(default=None, repr=False)
    public_url: str | None = None
    debounce_ms: int = 2000
    send_min_interval_ms: int = 1000
    workers: int = 4
    group_commit_batch: int = 1  # webhooks per shared transaction (1: off, each commits alone)
    group_commit_window_ms: int = 0  # how long a busy collector waits for more
    cors_origins: tuple[str, ...] = ()
    log_format: str = "console"
    log_level: str = "info"
    redis_url: str | None = None
    metrics_token: str | None = field(default=None, repr=False)  # /metrics on the API port
    metrics_port: int | None = None  # a separate, internal /metrics listener
    webhook_rate_limit: int = 0  # webhook events a minute per number (0: no limit)
    send_per_minute: int = 0  # the send governor's defaults per number (0: no limit)
    send_per_hour: int = 0
    send_per_day: int = 0
    send_first_contacts_per_day: int = 0
    send_warmup_days: int = 0
    outbound_allow_cidrs: tuple[str, ...] = ()  # private networks outbound requests may reach
    trusted_proxies: tuple[str, ...] = ()  # peers whose X-Forwarded-For/-Proto we believe
    approval_expiry_seconds: int = 3600  # a tool call nobody approved by then is not run
    # WA_TOOL_SECRET_<NAME>: header secrets HTTP and MCP tools name (never stored, never shown)
    tool_secrets: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    model_prices: PriceTable = field(default_factory=PriceTable)  # USD per 1M tokens
    media_store: str = MEDIA_STORES[0]
    media_s3_bucket: str | None = None
    media_s3_prefix: str = "media/"
    media_s3_endpoint_url: str | None = None
    media_s3_region: str | None = None
    media_s3_access_key: str | None = field(default=None, repr=False)
    media_s3_secret_key: str | None = field(default=None, repr=False)
    media_retention_days: int = 30
    media_max_image_bytes: int = 10 * MIB
    media_max_audio_bytes: int = 16 * MIB
    media_max_video_bytes: int = 64 * MIB
    media_max_document_bytes: int = 32 * MIB
    transcriber: str = "none"
    transcription_base_url: str | None = None
    transcription_api_key: str | None = field(default=None, repr=False)
    transcription_model: str = "whisper-1"

    @property
    def messaging(self) -> str:
        return "bridge" if self.bridge_url else "sandbox"

    @property
    def shared_state(self) -> str:
        """``redis`` (events, limits and budgets shared by replicas) or ``local``."""
        return "redis" if self.redis_url else "local"

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
    def chroma_path(self) -> Path:
        """The embedded chromadb's directory (unused with ``WA_CHROMA_URL``)."""
        return self.data_dir / "chroma"

    @property
    def media_path(self) -> Path:
        """The file-system media store's folder (``WA_MEDIA_STORE=filesystem``)."""
        return self.data_dir / "media"

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


def _metrics_token(raw: str) -> str:
    value = raw.strip()
    if len(value) < 16:
        raise ValueError("at least 16 characters (e.g. `openssl rand -hex 24`)")
    return value


def _list(raw: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in raw.split(",") if part.strip())


def _cidrs(raw: str) -> tuple[str, ...]:
    cidrs = _list(raw)
    for cidr in cidrs:
        try:
            ipaddress.ip_network(cidr, strict=False)
        except ValueError:
            raise ValueError(
                f"comma-separated CIDRs such as 10.0.0.0/8 ({cidr!r} is not one)"
            ) from None
    return cidrs


def _prices(raw: str) -> PriceTable:
    """JSON ``{"model": {"input": USD, "output": USD}}`` per 1M tokens, or a file holding it."""
    text = raw.strip()
    shape = '{"gpt-4o-mini": {"input": 0.15, "output": 0.6}} (USD per 1M tokens) or its file'
    if not text.startswith("{"):
        try:
            text = Path(text).read_text(encoding="utf-8")
        except OSError:
            raise ValueError(f"JSON such as {shape}; no file {raw.strip()!r}") from None
    try:
        table = json.loads(text)
        if not isinstance(table, dict):
            raise ValueError(shape)
        return PriceTable.parse(table)
    except (ValueError, ValidationError) as exc:
        raise ValueError(f"JSON such as {shape} ({exc})") from None


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
        "embedder": get("WA_EMBEDDER", _choice(*EMBEDDERS)),
        "vector_store": get("WA_VECTOR_STORE", _choice(*VECTOR_STORES)),
        "chroma_url": get("WA_CHROMA_URL", _url("http", "https")),
        "models_dir": get("WA_MODELS_DIR", Path),
        "openai_embedding_model": get("WA_OPENAI_EMBEDDING_MODEL", str.strip),
        "openai_embedding_dimensions": get("WA_OPENAI_EMBEDDING_DIMENSIONS", _int_range(1, 16_384)),
        "bridge_url": get("WA_BRIDGE_URL", _url("http", "https")),
        "bridge_api_key": get("WA_BRIDGE_API_KEY", str.strip),
        "webhook_secrets": get("WA_WEBHOOK_SECRET", _webhook_secrets),
        "webhook_token": get("WA_WEBHOOK_TOKEN", str.strip),
        "public_url": get("WA_PUBLIC_URL", _url("http", "https")),
        "debounce_ms": get("WA_DEBOUNCE_MS", _int_range(0, 60_000)),
        "send_min_interval_ms": get("WA_SEND_MIN_INTERVAL_MS", _int_range(0, 600_000)),
        "workers": get("WA_WORKERS", _int_range(1, 256)),
        "group_commit_batch": get("WA_GROUP_COMMIT_BATCH", _int_range(1, 1000)),
        "group_commit_window_ms": get("WA_GROUP_COMMIT_WINDOW_MS", _int_range(0, 1000)),
        "cors_origins": get("WA_CORS_ORIGINS", _list),
        "log_format": get("WA_LOG_FORMAT", _choice("json", "console")),
        "log_level": get("WA_LOG_LEVEL", _choice("debug", "info", "warning", "error")),
        "redis_url": get("WA_REDIS_URL", _url("redis", "rediss")),
        "outbound_allow_cidrs": get("WA_OUTBOUND_ALLOW_CIDRS", _cidrs),
        "trusted_proxies": get("WA_TRUSTED_PROXIES", _cidrs),
        "approval_expiry_seconds": get("WA_APPROVAL_EXPIRY_SECONDS", _int_range(1, 30 * 86_400)),
        "tool_secrets": {k: v for k, v in env.items() if SECRET_NAME.fullmatch(k) and v},
        "model_prices": get("WA_MODEL_PRICES", _prices),
        **_media(get),
        "metrics_token": get("WA_METRICS_TOKEN", _metrics_token),
        "metrics_port": get("WA_METRICS_PORT", _int_range(1, 65_535)),
        "webhook_rate_limit": get("WA_WEBHOOK_RATE_LIMIT", _int_range(0, 1_000_000)),
        "send_per_minute": get("WA_SEND_PER_MINUTE", _int_range(0, 100_000)),
        "send_per_hour": get("WA_SEND_PER_HOUR", _int_range(0, 100_000)),
        "send_per_day": get("WA_SEND_PER_DAY", _int_range(0, 100_000)),
        "send_first_contacts_per_day": get(
            "WA_SEND_FIRST_CONTACTS_PER_DAY", _int_range(0, 100_000)
        ),
        "send_warmup_days": get("WA_SEND_WARMUP_DAYS", _int_range(0, 365)),
    }
    settings = Settings(**{k: v for k, v in values.items() if v is not None})  # type: ignore[arg-type]
    if values["llm"] is None and settings.openai_api_key:
        settings = replace(settings, llm="openai")
    if settings.llm == "openai" and not settings.openai_api_key:
        raise SettingsError("WA_LLM=openai needs WA_OPENAI_API_KEY (or OPENAI_API_KEY)")
    if settings.embedder == "openai" and not settings.openai_api_key:
        raise SettingsError("WA_EMBEDDER=openai needs WA_OPENAI_API_KEY (or OPENAI_API_KEY)")
    if settings.media_store == "s3" and not settings.media_s3_bucket:
        raise SettingsError("WA_MEDIA_STORE=s3 needs WA_MEDIA_S3_BUCKET")
    if settings.transcriber == "openai" and not (
        settings.transcription_api_key or settings.openai_api_key or settings.transcription_base_url
    ):
        raise SettingsError(
            "WA_TRANSCRIBER=openai needs WA_TRANSCRIPTION_BASE_URL (a self-hosted server) "
            "or an API key (WA_TRANSCRIPTION_API_KEY or WA_OPENAI_API_KEY)"
        )
    if settings.chroma_url and settings.vector_store != "chroma":
        raise SettingsError("WA_CHROMA_URL needs WA_VECTOR_STORE=chroma (or unset)")
    return settings


def _media(get: Callable[[str, Callable[[str], object]], object]) -> dict[str, object]:
    """The media settings (see docs/media.md)."""
    size = _int_range(1024, 2 * 1024 * MIB)
    return {
        "media_store": get("WA_MEDIA_STORE", _choice(*MEDIA_STORES)),
        "media_s3_bucket": get("WA_MEDIA_S3_BUCKET", str.strip),
        "media_s3_prefix": get("WA_MEDIA_S3_PREFIX", str.strip),
        "media_s3_endpoint_url": get("WA_MEDIA_S3_ENDPOINT_URL", _url("http", "https")),
        "media_s3_region": get("WA_MEDIA_S3_REGION", str.strip),
        "media_s3_access_key": get("WA_MEDIA_S3_ACCESS_KEY", str.strip),
        "media_s3_secret_key": get("WA_MEDIA_S3_SECRET_KEY", str.strip),
        "media_retention_days": get("WA_MEDIA_RETENTION_DAYS", _int_range(0, 36_500)),
        "media_max_image_bytes": get("WA_MEDIA_MAX_IMAGE_BYTES", size),
        "media_max_audio_bytes": get("WA_MEDIA_MAX_AUDIO_BYTES", size),
        "media_max_video_bytes": get("WA_MEDIA_MAX_VIDEO_BYTES", size),
        "media_max_document_bytes": get("WA_MEDIA_MAX_DOCUMENT_BYTES", size),
        "transcriber": get("WA_TRANSCRIBER", _choice("none", "openai")),
        "transcription_base_url": get("WA_TRANSCRIPTION_BASE_URL", _url("http", "https")),
        "transcription_api_key": get("WA_TRANSCRIPTION_API_KEY", str.strip),
        "transcription_model": get("WA_TRANSCRIPTION_MODEL", str.strip),
    }
