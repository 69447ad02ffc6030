"""The ChatModel contract, over every adapter in conftest.py."""

from wa_agents.testing.contracts.chat_model import (
    ChatModelContract,
)


class TestChatModel(ChatModelContract):
    pass
