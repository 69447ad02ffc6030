"""An offline, deterministic chat model for demos and tests."""

from wa_agents.adapters.scripted.chat_model import ScriptedChatModel, ToolRule

__all__ = ["ScriptedChatModel", "ToolRule"]
