"""Shared fixtures: a whole platform on memory adapters with a manual clock."""

from __future__ import annotations

import pytest
from hypothesis import settings

from tests.support.memory_platform import memory_platform
from wa_agents.adapters.memory import (
    HashingEmbedder,
    ManualClock,
    MemoryMessagingGateway,
    MemoryVectorIndex,
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
    return memory_platform(clock, gateway, model, knowledge=MemoryVectorIndex(HashingEmbedder()))
