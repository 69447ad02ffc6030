"""The composition root: the ONE place that names concrete adapters.

Adapters are picked from ``Settings`` with ``providers.Selector``; tests override providers
(``container.chat_model.override(...)``). Nothing connects at import time.
"""

from __future__ import annotations

from dependency_injector import containers, providers

from wa_agents.adapters.memory import (
    HashingEmbedder,
    MemoryJobQueue,
    MemoryMessagingGateway,
    MemoryTokenService,
    MemoryUnitOfWorkFactory,
    MemoryVectorIndex,
    Pbkdf2PasswordHasher,
    SystemClock,
    TimeOrderedIdGenerator,
)
from wa_agents.adapters.openai import OpenAIChatModel
from wa_agents.adapters.scripted import ScriptedChatModel
from wa_agents.domain.services.platform import Platform
from wa_agents.entrypoints.settings import Settings


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)

    clock = providers.Singleton(SystemClock)
    ids = providers.Singleton(TimeOrderedIdGenerator)

    uow = providers.Singleton(MemoryUnitOfWorkFactory, clock=clock, ids=ids)
    queue = providers.Singleton(MemoryJobQueue, db=uow.provided.db)

    gateway = providers.Selector(
        settings.provided.messaging,
        sandbox=providers.Singleton(MemoryMessagingGateway, auto_connect=True),
    )
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
    hasher = providers.Singleton(Pbkdf2PasswordHasher, iterations=200_000)
    tokens = providers.Singleton(MemoryTokenService, clock=clock)

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
    )


def build_container(settings: Settings) -> Container:
    container = Container(settings=settings)
    return container
