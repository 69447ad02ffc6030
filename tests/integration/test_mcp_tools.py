"""MCP tools against a real MCP server (the official SDK, streamable HTTP, on loopback):
listed with their schemas, only allowed ones offered, called through the SDK client with the
token from the environment, refused on an address that is not allowed."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.support.mcp_server import TOKEN, McpSite, mcp_server
from tests.support.tool_world import World, tool_world
from wa_agents.domain.model.agent_tools import ToolKind

SECRETS = {"WA_TOOL_SECRET_MCP": TOKEN}


@pytest.fixture
def site() -> Iterator[McpSite]:
    with mcp_server() as served:
        yield served


async def _attach(world: World, url: str, **fields: object) -> None:
    values: dict[str, object] = {
        "name": "crm",
        "url": url,
        "headers": {"Authorization": "Bearer ${WA_TOOL_SECRET_MCP}"},
        "allowed_tools": ["lookup_order"],
        "timeout_seconds": 10,
        **fields,
    }
    await world.platform.agent_tools.add_mcp(world.agent_id, actor="op", **values)


async def test_allowed_tools_are_listed_with_their_schemas(site: McpSite) -> None:
    async with tool_world(SECRETS) as world:
        await world.link(tools=("current_time",))
        await _attach(world, site.url)
        listing = await world.platform.agent_tools.tools(world.agent_id)
    by_name = {t.name: t for t in listing.tools}
    assert set(by_name) == {"current_time", "crm__lookup_order"}  # delete_all_orders is not
    mcp = by_name["crm__lookup_order"]
    assert mcp.kind == ToolKind.MCP and mcp.description == "Look up an order by its id."
    assert mcp.parameters["properties"]["order_id"]["type"] == "string"
    assert mcp.parameters["required"] == ["order_id"]
    assert listing.unavailable == {}


async def test_a_turn_calls_the_mcp_tool_and_answers_once(site: McpSite) -> None:
    async with tool_world(SECRETS) as world:
        await world.link()
        await _attach(world, site.url)
        world.fake.answer_tool_calls(("c1", "crm__lookup_order", {"order_id": "42"}))
        world.fake.answer_text("Your order has shipped.")
        await world.say("where is order 42?")
        replies = await world.replies()
    assert site.calls == [("lookup_order", {"order_id": "42"})]
    assert world.tool_messages() == ["Order 42 has shipped."]
    assert [r.content for r in replies] == ["Your order has shipped."]
    offered = [t["function"]["name"] for t in world.fake.requests[0]["tools"]]
    assert offered == ["crm__lookup_order"]
    assert TOKEN not in json.dumps(world.fake.requests)


async def test_a_tool_not_on_the_allow_list_is_never_called(site: McpSite) -> None:
    async with tool_world(SECRETS) as world:
        await world.link()
        await _attach(world, site.url)
        world.fake.answer_tool_calls(("c1", "crm__delete_all_orders", {}))
        world.fake.answer_text("I cannot do that.")
        await world.say("delete every order")
        replies = await world.replies()
    assert site.calls == []
    assert world.tool_messages() == ["error: tool 'crm__delete_all_orders' is not available"]
    assert len(replies) == 1


async def test_without_the_token_the_server_is_unavailable_and_the_turn_still_answers(
    site: McpSite,
) -> None:
    async with tool_world({}) as world:  # WA_TOOL_SECRET_MCP unset
        await world.link()
        await _attach(world, site.url, headers={"Authorization": "Bearer wrong"})
        listing = await world.platform.agent_tools.tools(world.agent_id)
        await world.say("hello")
        replies = await world.replies()
    assert site.unauthorised >= 1 and site.calls == []
    assert "crm" in listing.unavailable and listing.tools == []
    assert [r.content for r in replies] == ["echo: hello"]


async def test_a_server_on_an_address_not_allowed_is_refused() -> None:
    with mcp_server("127.0.0.2") as private:
        async with tool_world(SECRETS) as world:
            await world.link()
            await _attach(world, private.url)
            listing = await world.platform.agent_tools.tools(world.agent_id)
    assert "non-public address (127.0.0.2)" in listing.unavailable["crm"]
    assert private.calls == [] and private.unauthorised == 0  # nothing reached it


async def test_a_server_that_is_down_times_out_into_a_result() -> None:
    async with tool_world(SECRETS) as world:
        await world.link()
        await _attach(world, "http://127.0.0.1:9/mcp", timeout_seconds=2)
        listing = await world.platform.agent_tools.tools(world.agent_id)
        await world.say("hi")
        replies = await world.replies()
    assert "crm" in listing.unavailable
    assert [r.content for r in replies] == ["echo: hi"]
