"""The MessageRepository contract, over every adapter in conftest.py."""

from wa_agents.testing.contracts.messages import (
    MessageRepositoryContract,
)


class TestMessageRepository(MessageRepositoryContract):
    pass
