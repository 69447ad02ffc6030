"""Contract of ``ChatModel``. Fixture: ``chat`` -> ``ChatModelHarness``."""

from __future__ import annotations

import pytest

from wa_agents.domain.model.chat import ChatMessage, ChatRole, Completion, ToolCall, ToolSpec
from wa_agents.domain.model.errors import LLMUnavailable
from wa_agents.testing.harness import ChatModelHarness

PROMPT = [
    ChatMessage(role=ChatRole.SYSTEM, content="You are terse."),
    ChatMessage(role=ChatRole.USER, content="Hello"),
]
TOOL = ToolSpec(
    "lookup",
    "Look a word up.",
    {"type": "object", "properties": {"word": {"type": "string"}}, "required": ["word"]},
)


class ChatModelContract:
    async def test_a_text_answer_comes_back_with_usage(self, chat: ChatModelHarness) -> None:
        await chat.will_answer(Completion(text="Hi there"))
        completion = await chat.model.complete(PROMPT, model="m", temperature=0.0)
        assert completion.text == "Hi there"
        assert completion.tool_calls == ()
        assert completion.usage.prompt_tokens >= 0 and completion.usage.completion_tokens >= 0

    async def test_tool_calls_come_back_with_parsed_arguments(self, chat: ChatModelHarness) -> None:
        call = ToolCall("call_1", "lookup", {"word": "ação"})
        await chat.will_answer(Completion(tool_calls=(call,)))
        completion = await chat.model.complete(PROMPT, [TOOL], model="m")
        assert [(c.name, c.arguments) for c in completion.tool_calls] == [
            ("lookup", {"word": "ação"})
        ]
        assert completion.tool_calls[0].id

    async def test_a_full_tool_round_trip_is_accepted(self, chat: ChatModelHarness) -> None:
        call = ToolCall("call_9", "lookup", {"word": "x"})
        await chat.will_answer(Completion(text="done"))
        conversation = [
            *PROMPT,
            ChatMessage(role=ChatRole.ASSISTANT, tool_calls=(call,)),
            ChatMessage(
                role=ChatRole.TOOL, content="x means y", tool_call_id="call_9", name="lookup"
            ),
        ]
        completion = await chat.model.complete(conversation, [TOOL], model="m")
        assert completion.text == "done"

    async def test_a_failure_is_llm_unavailable(self, chat: ChatModelHarness) -> None:
        await chat.will_fail()
        with pytest.raises(LLMUnavailable):
            await chat.model.complete(PROMPT, model="m")
