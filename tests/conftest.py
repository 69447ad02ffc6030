"""Shared fixtures: a whole platform on memory adapters with a manual clock."""

from __future__ import annotations

import pytest
from hypothesis import settings

from wa_agents.adapters.memory import (
    HashingEmbedder,
    ManualClock,
    MemoryJobQueue,
    MemoryMessagingGateway,
    MemoryTokenService,
    MemoryUnitOfWorkFactory,
    MemoryVectorIndex,
    Pbkdf2PasswordHasher,
    SequentialIdGenerator,
)
from wa_agents.adapters.scripted import ScriptedChatModel
from wa_agents.domain.services.platform import Platform

# CI machines are small and shared: never fail a property on timing alone.
settings.register_profile("wa_agents", deadline=None)
settings.load_profile("wa_agents")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def model() -> ScriptedChatModel:
    return ScriptedChatModel()


@pytest.fixture
def gateway() -> MemoryMessagingGateway:
    return MemoryMessagingGateway()


@pytest.fixture
def platform(
    clock: ManualClock, model: ScriptedChatModel, gateway: MemoryMessagingGateway
) -> Platform:
    ids = SequentialIdGenerator()
    uow = MemoryUnitOfWorkFactory(clock, ids)
    return Platform(
        uow=uow,
        queue=MemoryJobQueue(uow.db),
        gateway=gateway,
        model=model,
        clock=clock,
        ids=ids,
        hasher=Pbkdf2PasswordHasher(),
        tokens=MemoryTokenService(clock),
        knowledge=MemoryVectorIndex(HashingEmbedder()),
        debounce_ms=0,
    )
