"""The composition root: the ONE place that names concrete adapters.

Adapters are picked from ``Settings`` with ``providers.Selector``; tests override providers
(``container.chat_model.override(...)``). Nothing connects at import time.
"""

from __future__ import annotations

from dependency_injector import containers, providers

from wa_agents.adapters.bridge import BridgeHttpMessagingGateway
from wa_agents.adapters.memory import (
    HashingEmbedder,
    MemoryEventBus,
    MemoryJobQueue,
    MemoryUnitOfWorkFactory,
    MemoryVectorIndex,
    SystemClock,
    TimeOrderedIdGenerator,
)
from wa_agents.adapters.openai import OpenAIChatModel
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
from wa_agents.domain.services.platform import Platform
from wa_agents.entrypoints.keys import signing_key
from wa_agents.entrypoints.settings import Settings


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
    events = providers.Singleton(MemoryEventBus)
    chat_model = providers.Selector(
        settings.provided.llm,
        scripted=providers.Singleton(ScriptedChatModel),
        openai=providers.Singleton(
            OpenAIChatModel,
            api_key=settings.provided.openai_api_key,
            base_url=settings.provided.openai_base_url,
        ),
    )
    embedder = providers.Selector(
        settings.provided.embedder, hashing=providers.Singleton(HashingEmbedder)
    )
    knowledge = providers.Selector(
        settings.provided.vector_store,
        memory=providers.Singleton(MemoryVectorIndex, embedder=embedder),
    )
    hasher = providers.Singleton(Argon2PasswordHasher)
    tokens = providers.Singleton(
        JwtTokenService, key=providers.Callable(signing_key, settings), clock=clock
    )

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
    )


def build_container(settings: Settings) -> Container:
    container = Container(settings=settings)
    return container


async def open_resources(container: Container) -> None:
    """Start-up: an embedded SQLite database migrates itself; a server must be current."""
    settings: Settings = container.settings()
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
    if settings.storage == "sql":
        await container.database().close()
    if settings.llm == "openai":
        await container.chat_model().aclose()
    if settings.messaging == "bridge":
        await container.gateway().aclose()


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
