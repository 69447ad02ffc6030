"""The OpenAI adapter against the fake server: what goes over the wire, and failures."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.support.fake_openai import API_KEY, FakeOpenAI, serve
from wa_agents.adapters.openai import OpenAIChatModel
from wa_agents.domain.model.chat import ChatMessage, ChatRole, ToolCall
from wa_agents.domain.model.errors import LLMUnavailable
from wa_agents.domain.model.tools import BUILTIN_TOOLS


@pytest.fixture
async def fake() -> AsyncIterator[tuple[FakeOpenAI, str]]:
    server_state = FakeOpenAI()
    with serve(server_state) as server:
        yield server_state, server.url + "/v1"


async def test_the_request_carries_tools_and_tool_results(fake: tuple[FakeOpenAI, str]) -> None:
    state, url = fake
    model = OpenAIChatModel(API_KEY, base_url=url, max_retries=0)
    call = ToolCall("call_1", "current_time", {})
    messages = [
        ChatMessage(role=ChatRole.SYSTEM, content="sys"),
        ChatMessage(role=ChatRole.USER, content="time?"),
        ChatMessage(role=ChatRole.ASSISTANT, tool_calls=(call,)),
        ChatMessage(
            role=ChatRole.TOOL, content="12:00", tool_call_id="call_1", name="current_time"
        ),
    ]
    completion = await model.complete(
        messages, [BUILTIN_TOOLS["current_time"]], model="gpt-x", temperature=0.3, max_tokens=50
    )
    [request] = state.requests
    assert (
        request["model"] == "gpt-x"
        and request["temperature"] == 0.3
        and request["max_tokens"] == 50
    )
    assert request["tools"][0]["function"]["name"] == "current_time"
    assert request["messages"][2]["tool_calls"][0]["function"] == {
        "name": "current_time",
        "arguments": "{}",
    }
    assert request["messages"][3] == {"role": "tool", "content": "12:00", "tool_call_id": "call_1"}
    assert completion.text == "echo: time?" and completion.usage.completion_tokens == 7
    await model.aclose()


@pytest.mark.parametrize("status", [429, 500, 503])
async def test_http_errors_become_llm_unavailable(
    fake: tuple[FakeOpenAI, str], status: int
) -> None:
    state, url = fake
    state.fail(status)
    model = OpenAIChatModel(API_KEY, base_url=url, max_retries=0)
    with pytest.raises(LLMUnavailable, match="call failed"):
        await model.complete([ChatMessage(role=ChatRole.USER, content="hi")], model="m")


async def test_a_wrong_key_is_llm_unavailable(fake: tuple[FakeOpenAI, str]) -> None:
    _, url = fake
    model = OpenAIChatModel("sk-wrong", base_url=url, max_retries=0)
    with pytest.raises(LLMUnavailable):
        await model.complete([ChatMessage(role=ChatRole.USER, content="hi")], model="m")


async def test_sdk_retries_recover_from_a_transient_error(fake: tuple[FakeOpenAI, str]) -> None:
    state, url = fake
    state.fail(500)
    state.answer_text("recovered")
    model = OpenAIChatModel(API_KEY, base_url=url, max_retries=1)
    completion = await model.complete([ChatMessage(role=ChatRole.USER, content="hi")], model="m")
    assert completion.text == "recovered" and len(state.requests) == 2


async def test_unreachable_server_is_llm_unavailable() -> None:
    model = OpenAIChatModel(API_KEY, base_url="http://127.0.0.1:9/v1", max_retries=0, timeout=2)
    with pytest.raises(LLMUnavailable):
        await model.complete([ChatMessage(role=ChatRole.USER, content="hi")], model="m")


async def test_malformed_tool_arguments_are_refused_in_band(fake: tuple[FakeOpenAI, str]) -> None:
    state, url = fake
    state.replies.append(
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "c",
                    "type": "function",
                    "function": {"name": "search_history", "arguments": "{not json"},
                }
            ],
        }
    )
    model = OpenAIChatModel(API_KEY, base_url=url, max_retries=0)
    completion = await model.complete([ChatMessage(role=ChatRole.USER, content="x")], model="m")
    assert completion.tool_calls[0].arguments == {"__unparsable__": "{not json"}
