"""The UsageRepository and ContactRepository contract, over every adapter in conftest.py."""

from wa_agents.testing.contracts.usage import (
    ContactRepositoryContract,
    ConversationMemoryContract,
    UsageRepositoryContract,
)


class TestUsageRepository(UsageRepositoryContract):
    pass


class TestContactRepository(ContactRepositoryContract):
    pass


class TestConversationMemory(ConversationMemoryContract):
    pass
