"""The composition root: the ONE place that names concrete adapters.

Adapters are picked from ``Settings`` with ``providers.Selector``; tests override providers
(``container.chat_model.override(...)``). Nothing connects at import time.
"""

from __future__ import annotations

from dependency_injector import containers, providers

from wa_agents.adapters.bridge import BridgeHttpMessagingGateway
from wa_agents.adapters.bridge.media import BridgeHttpMediaSource
from wa_agents.adapters.chroma import ChromaVectorIndex
from wa_agents.adapters.documents import PypdfDocumentReader
from wa_agents.adapters.embeddings import OnnxMiniLMEmbedder
from wa_agents.adapters.mcp import SdkMcpClient
from wa_agents.adapters.media import FileSystemMediaStore, S3MediaStore
from wa_agents.adapters.memory import (
    HashingEmbedder,
    MemoryEventBus,
    MemoryJobQueue,
    MemoryMediaSource,
    MemoryMediaStore,
    MemoryUnitOfWorkFactory,
    MemoryVectorIndex,
    SystemClock,
    TimeOrderedIdGenerator,
)
from wa_agents.adapters.openai import OpenAIChatModel, OpenAIEmbedder
from wa_agents.adapters.openai.embedder import dimension_of
from wa_agents.adapters.openai.transcriber import OpenAITranscriber
from wa_agents.adapters.outbound import HttpcoreOutboundHttp
from wa_agents.adapters.prometheus import PrometheusTelemetry
from wa_agents.adapters.redis import (
    RedisEventBus,
    RedisGovernorStore,
    RedisHitWindows,
)
from wa_agents.adapters.redis import (
    connect as redis_client,
)
from wa_agents.adapters.sandbox import SandboxMessagingGateway
from wa_agents.adapters.scripted import ScriptedChatModel
from wa_agents.adapters.security import Argon2PasswordHasher, JwtTokenService
from wa_agents.adapters.sqlalchemy import (
    Database,
    DatabaseUnavailable,
    SqlAlchemyJobQueue,
    SqlAlchemyUnitOfWorkFactory,
)
from wa_agents.adapters.sqlalchemy.copy import CopyReport, copy_database
from wa_agents.adapters.sqlalchemy.job_signals import PostgresJobSignals
from wa_agents.domain.model.governor import SendPolicy
from wa_agents.domain.model.media import MediaLimits
from wa_agents.domain.services.circuit_breakers import CircuitBreakers
from wa_agents.domain.services.governor import LocalGovernorStore
from wa_agents.domain.services.group_commit import GroupCommitSettings
from wa_agents.domain.services.media import MediaSettings
from wa_agents.domain.services.platform import Platform
from wa_agents.domain.services.rate_windows import LocalHitWindows
from wa_agents.domain.services.threads import Offloader
from wa_agents.entrypoints.keys import signing_key
from wa_agents.entrypoints.settings import Settings, SettingsError


def send_policy(settings: Settings) -> SendPolicy:
    """The send governor's defaults per number, from WA_SEND_* and WA_SEND_MIN_INTERVAL_MS."""
    return SendPolicy(
        per_minute=settings.send_per_minute,
        per_hour=settings.send_per_hour,
        per_day=settings.send_per_day,
        first_contacts_per_day=settings.send_first_contacts_per_day,
        warmup_days=settings.send_warmup_days,
        min_interval_ms=settings.send_min_interval_ms,
    )


POSTGRES_BATCHES_IN_FLIGHT = 2  # one in its transaction while the next is built (see docs)


def group_commit(settings: Settings) -> GroupCommitSettings:
    """Webhooks per shared transaction and the collecting window, from WA_GROUP_COMMIT_*."""
    sqlite = settings.storage == "memory" or settings.resolved_database_url.startswith("sqlite")
    return GroupCommitSettings(
        max_batch=settings.group_commit_batch,
        window_ms=settings.group_commit_window_ms,
        in_flight=1 if sqlite else POSTGRES_BATCHES_IN_FLIGHT,  # SQLite has one writer
    )


def openai_embedder(settings: Settings) -> OpenAIEmbedder:
    """The OpenAI embedder; a model of unknown dimension is a settings error."""
    model, dimensions = settings.openai_embedding_model, settings.openai_embedding_dimensions
    try:
        dimension_of(model, dimensions)
    except ValueError:
        raise SettingsError(
            f"WA_OPENAI_EMBEDDING_MODEL={model!r} is not an OpenAI model whose dimension is "
            "known: set WA_OPENAI_EMBEDDING_DIMENSIONS"
        ) from None
    return OpenAIEmbedder(
        settings.openai_api_key or "",
        model=model,
        dimensions=dimensions,
        base_url=settings.openai_base_url,
    )


def media_settings(settings: Settings) -> MediaSettings:
    limits = MediaLimits(
        image=settings.media_max_image_bytes,
        sticker=min(settings.media_max_image_bytes, MediaLimits().sticker),
        audio=settings.media_max_audio_bytes,
        video=settings.media_max_video_bytes,
        document=settings.media_max_document_bytes,
    )
    return MediaSettings(limits=limits, retention_days=settings.media_retention_days)


def make_transcriber(settings: Settings) -> OpenAITranscriber | None:
    if settings.transcriber != "openai":
        return None
    return OpenAITranscriber(
        settings.transcription_api_key or settings.openai_api_key,
        base_url=settings.transcription_base_url or settings.openai_base_url,
        model=settings.transcription_model,
    )


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)

    clock = providers.Singleton(SystemClock)
    ids = providers.Singleton(TimeOrderedIdGenerator)

    database = providers.Singleton(Database, url=settings.provided.resolved_database_url)
    memory_uow = providers.Singleton(MemoryUnitOfWorkFactory, clock=clock, ids=ids)
    uow = providers.Selector(
        settings.provided.storage,
        sql=providers.Singleton(
            SqlAlchemyUnitOfWorkFactory, database=database, clock=clock, ids=ids
        ),
        memory=memory_uow,
    )
    queue = providers.Selector(
        settings.provided.storage,
        sql=providers.Singleton(SqlAlchemyJobQueue, database=database),
        memory=providers.Singleton(MemoryJobQueue, db=memory_uow.provided.db),
    )

    gateway = providers.Selector(
        settings.provided.messaging,
        sandbox=providers.Singleton(SandboxMessagingGateway, clock=clock),
        bridge=providers.Singleton(
            BridgeHttpMessagingGateway,
            base_url=settings.provided.bridge_url,
            api_key=settings.provided.bridge_api_key,
        ),
    )
    phone = providers.Selector(  # the sandbox's "scan" and "inbound" calls; no bridge has one
        settings.provided.messaging, sandbox=gateway, bridge=providers.Object(None)
    )
    # Shared state: Redis with WA_REDIS_URL (every replica), else this process's memory.
    redis = providers.Singleton(redis_client, settings.provided.redis_url)
    events = providers.Selector(
        settings.provided.shared_state,
        local=providers.Singleton(MemoryEventBus),
        redis=providers.Singleton(RedisEventBus, client=redis),
    )
    governor_store = providers.Selector(
        settings.provided.shared_state,
        local=providers.Singleton(LocalGovernorStore),
        redis=providers.Singleton(RedisGovernorStore, client=redis),
    )
    hit_windows = providers.Selector(  # the login throttle and the webhook limit
        settings.provided.shared_state,
        local=providers.Singleton(LocalHitWindows),
        redis=providers.Singleton(RedisHitWindows, client=redis),
    )
    telemetry = providers.Singleton(PrometheusTelemetry)  # GET /metrics, per process
    chat_model = providers.Selector(
        settings.provided.llm,
        scripted=providers.Singleton(ScriptedChatModel),
        openai=providers.Singleton(
            OpenAIChatModel,
            api_key=settings.provided.openai_api_key,
            base_url=settings.provided.openai_base_url,
        ),
    )
    offloader = providers.Singleton(Offloader)  # the one bounded pool for blocking calls
    embedder = providers.Selector(
        settings.provided.embedder,
        local=providers.Singleton(
            OnnxMiniLMEmbedder, offload=offloader, cache_dir=settings.provided.models_dir
        ),
        openai=providers.Singleton(openai_embedder, settings),
        hashing=providers.Singleton(HashingEmbedder),
    )
    knowledge = providers.Selector(
        settings.provided.vector_store,
        chroma=providers.Singleton(
            ChromaVectorIndex,
            embedder=embedder,
            path=settings.provided.chroma_path,
            url=settings.provided.chroma_url,
            offload=offloader,
        ),
        memory=providers.Singleton(MemoryVectorIndex, embedder=embedder),
    )
    # Requests to URLs from operators and tools (HTTP tools, knowledge URLs, media by URL).
    outbound = providers.Singleton(
        HttpcoreOutboundHttp, allow_cidrs=settings.provided.outbound_allow_cidrs
    )
    mcp = providers.Singleton(SdkMcpClient, allow_cidrs=settings.provided.outbound_allow_cidrs)
    media_store = providers.Selector(
        settings.provided.media_store,
        filesystem=providers.Singleton(
            FileSystemMediaStore, root=settings.provided.media_path, clock=clock
        ),
        s3=providers.Singleton(
            S3MediaStore,
            bucket=settings.provided.media_s3_bucket,
            clock=clock,
            prefix=settings.provided.media_s3_prefix,
            endpoint_url=settings.provided.media_s3_endpoint_url,
            region=settings.provided.media_s3_region,
            access_key=settings.provided.media_s3_access_key,
            secret_key=settings.provided.media_s3_secret_key,
        ),
        memory=providers.Singleton(MemoryMediaStore, clock=clock),
    )
    media_source = providers.Selector(  # the sandbox has no media to download
        settings.provided.messaging,
        sandbox=providers.Singleton(MemoryMediaSource),
        bridge=providers.Singleton(
            BridgeHttpMediaSource,
            base_url=settings.provided.bridge_url,
            api_key=settings.provided.bridge_api_key,
        ),
    )
    transcriber = providers.Singleton(make_transcriber, settings)
    hasher = providers.Singleton(Argon2PasswordHasher)
    tokens = providers.Singleton(
        JwtTokenService, key=providers.Callable(signing_key, settings), clock=clock
    )

    breakers = providers.Singleton(CircuitBreakers)  # read by /ready and metrics, too

    platform = providers.Singleton(
        Platform,
        uow=uow,
        queue=queue,
        gateway=gateway,
        model=chat_model,
        clock=clock,
        ids=ids,
        hasher=hasher,
        tokens=tokens,
        knowledge=knowledge,
        debounce_ms=settings.provided.debounce_ms,
        send_min_interval_ms=settings.provided.send_min_interval_ms,
        events=events,
        phone=phone,
        breakers=breakers,
        offloader=offloader,
        reader=providers.Singleton(PypdfDocumentReader, offload=offloader),
        outbound=outbound,
        mcp=mcp,
        tool_secrets=settings.provided.tool_secrets,
        approval_expiry_seconds=settings.provided.approval_expiry_seconds,
        prices=settings.provided.model_prices,
        media_store=media_store,
        media_source=media_source,
        transcriber=transcriber,
        media_settings=providers.Callable(media_settings, settings),
        governor_store=governor_store,
        send_policy=providers.Callable(send_policy, settings),
        telemetry=telemetry,
        group_commit=providers.Callable(group_commit, settings),
    )


_SIGNALS: dict[int, PostgresJobSignals] = {}  # per open container: its LISTEN/NOTIFY tasks


def build_container(settings: Settings) -> Container:
    container = Container(settings=settings)
    return container


async def open_resources(container: Container) -> None:
    """Start-up: an embedded SQLite database migrates itself; a server must be current."""
    settings: Settings = container.settings()
    container.knowledge()  # a bad embedder or store setting fails here, not at first use
    if settings.storage != "sql":
        return
    database: Database = container.database()
    if settings.embedded_database:
        await database.migrate()
        return
    state = await database.readiness()
    if state["migrations"] != "current":
        raise DatabaseUnavailable(
            "the database schema is not current: run `wa-agents migrate` first"
        )
    if database.dialect == "postgresql":  # jobs committed here wake workers elsewhere
        bell = container.platform().bell
        assert bell is not None, "the platform makes its bell"
        signals = PostgresJobSignals(settings.resolved_database_url, bell)
        await signals.start()
        _SIGNALS[id(container)] = signals


async def preflight(settings: Settings) -> None:
    """Open and close the resources once, so a bad database is reported before serving."""
    container = build_container(settings)
    try:
        await open_resources(container)
    finally:
        await close_resources(container)


async def close_resources(container: Container) -> None:
    """Shut-down: dispose of pools and clients that were opened."""
    settings: Settings = container.settings()
    signals = _SIGNALS.pop(id(container), None)
    if signals is not None:
        await signals.stop()
    if settings.storage == "sql":
        await container.database().close()
    if settings.llm == "openai":
        await container.chat_model().aclose()
    if settings.embedder == "openai":
        await container.embedder().aclose()
    if settings.messaging == "bridge":
        await container.gateway().aclose()
        await container.media_source().aclose()
    speech = container.transcriber() if settings.transcriber == "openai" else None
    if speech is not None:
        await speech.aclose()
    await container.outbound().aclose()  # a pool that never connected closes at once
    if settings.shared_state == "redis":
        await container.events().aclose()
        await container.redis().aclose()


async def copy_database_to(settings: Settings, target_url: str) -> CopyReport:
    """``wa-agents copy-database``: every row from the configured database into ``target_url``."""
    source, target = Database(settings.resolved_database_url), Database(target_url)
    try:
        await target.migrate()
        return await copy_database(source, target)
    finally:
        await source.close()
        await target.close()


async def migrate_database(settings: Settings) -> tuple[str | None, str]:
    """``wa-agents migrate``: upgrade to head; returns (revision before, revision after)."""
    database = Database(settings.resolved_database_url)
    try:
        before = await database.revision()
        await database.migrate()
        return before, await database.revision() or "?"
    finally:
        await database.close()
