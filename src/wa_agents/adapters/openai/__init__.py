"""OpenAI (or any OpenAI-compatible server) behind the ``ChatModel`` and ``Embedder`` ports."""

from wa_agents.adapters.openai.chat_model import OpenAIChatModel
from wa_agents.adapters.openai.embedder import OpenAIEmbedder

__all__ = ["OpenAIChatModel", "OpenAIEmbedder"]
