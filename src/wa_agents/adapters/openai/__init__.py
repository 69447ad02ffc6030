"""OpenAI (or any OpenAI-compatible server) behind the ``ChatModel`` port."""

from wa_agents.adapters.openai.chat_model import OpenAIChatModel

__all__ = ["OpenAIChatModel"]
