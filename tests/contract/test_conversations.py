"""The ConversationRepository contract, over every adapter in conftest.py."""

from wa_agents.testing.contracts.conversations import (
    ConversationRepositoryContract,
)


class TestConversationRepository(ConversationRepositoryContract):
    pass
