"""HTTP tools through a real turn: the fake OpenAI server scripts the tool calls, the real
outbound client calls a local fake CRM (127.0.0.1, allowed as an admin CIDR) and must never
reach 127.0.0.2 (just as local, not allowed), nor a host off the tool's allow-list."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.http_server import LocalServer, Response, json_response
from tests.support.tool_world import World, tool_world
from wa_agents.domain.model.errors import ValidationError
from wa_agents.domain.model.page import PageRequest
from wa_agents.ports.logs import AuditFilter

SECRET = "sk-crm-5f1e2d3c4b5a69788796a5b4"
ORDER = {
    "type": "object",
    "properties": {"order_id": {"type": "string", "minLength": 1, "maxLength": 40}},
    "required": ["order_id"],
    "additionalProperties": False,
}


class Crm:
    def __init__(self) -> None:
        self.seen: list[tuple[str, str, dict[str, str], bytes]] = []
        self.private_url = ""

    def route(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Response:
        self.seen.append((method, path, headers, body))
        if path.startswith("/orders/"):
            # a careless server echoes the credentials it was sent
            echo = {"order": path.removeprefix("/orders/"), "auth": headers.get("authorization")}
            return json_response(200, {**echo, "status": "shipped"})
        if path == "/to-private":
            return (302, {"Location": self.private_url + "/secret"}, b"")
        if path == "/to-other-host":
            return (302, {"Location": "http://localhost" + self.port_part + "/orders/1"}, b"")
        if path == "/slow":
            time.sleep(1.5)
            return json_response(200, {"late": True})
        if path == "/big":
            return (200, {"Content-Type": "text/plain"}, b"x" * 5000)
        return json_response(404, {"error": "no such page"})

    port_part = ""
    private_site: Crm | None = None


@pytest.fixture
def crm() -> Iterator[tuple[Crm, LocalServer, LocalServer]]:
    site, private = Crm(), Crm()
    with LocalServer(site.route) as server, LocalServer(private.route, "127.0.0.2") as other:
        site.private_url, site.private_site = other.url, private
        site.port_part = ":" + server.url.rsplit(":", 1)[1]
        yield site, server, other


async def _tool(world: World, **fields: Any) -> None:
    defaults: dict[str, Any] = {
        "name": "order_status",
        "description": "Look up an order's status",
        "parameters": ORDER,
        "method": "GET",
    }
    await world.platform.agent_tools.add_http(world.agent_id, actor="op", **{**defaults, **fields})


async def _call(world: World, args: dict[str, Any], answer: str = "Done.") -> str:
    world.fake.answer_tool_calls(("c1", "order_status", args))
    world.fake.answer_text(answer)
    await world.say("where is my order?")
    return world.tool_messages()[-1]


async def test_the_tool_calls_the_crm_with_the_secret_which_nobody_else_sees(
    crm: tuple[Crm, LocalServer, LocalServer], caplog: pytest.LogCaptureFixture
) -> None:
    site, server, _ = crm
    caplog.set_level(logging.DEBUG)
    async with tool_world({"WA_TOOL_SECRET_CRM": SECRET}) as world:
        await world.link()
        await _tool(
            world,
            url=server.url + "/orders/{order_id}",
            headers={"Authorization": "Bearer ${WA_TOOL_SECRET_CRM}"},
            allowed_hosts=["127.0.0.1"],
        )
        shown = await _call(world, {"order_id": "42/../../admin"})
        [reply] = await world.replies()
        async with world.platform.uow() as uow:
            audit = await uow.audit.query(AuditFilter(), PageRequest(limit=100))
    method, path, headers, _ = site.seen[-1]
    assert (method, path) == ("GET", "/orders/42%2F..%2F..%2Fadmin")  # stays one path segment
    assert headers["authorization"] == f"Bearer {SECRET}"
    assert shown.startswith("HTTP 200") and "shipped" in shown
    assert "[redacted]" in shown  # the echoed credential was removed before the model read it
    assert reply.content == "Done."
    everything = json.dumps(world.fake.requests) + caplog.text + repr(audit.items) + repr(reply)
    assert SECRET not in everything
    async with world.platform.uow() as uow:
        [stored] = await uow.tools.http_tools(world.agent_id)
    assert SECRET not in repr(stored)  # only the secret's name is stored


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/to-private", "non-public address (127.0.0.2)"),
        ("/to-other-host", "not on this tool's allow-list"),
    ],
)
async def test_a_redirect_off_limits_is_refused(
    crm: tuple[Crm, LocalServer, LocalServer], path: str, expected: str
) -> None:
    site, server, _ = crm
    async with tool_world() as world:
        await world.link()
        await _tool(
            world,
            url=server.url + path,
            parameters={"type": "object", "properties": {}},
            allowed_hosts=["127.0.0.1", "127.0.0.2"],
        )
        shown = await _call(world, {}, answer="Sorry, I could not check.")
        replies = await world.replies()
    assert shown.startswith("error: refused") and expected in shown
    assert [r.content for r in replies] == ["Sorry, I could not check."]
    assert site.private_site is not None and site.private_site.seen == []  # never reached


async def test_a_private_address_is_refused_before_any_request(
    crm: tuple[Crm, LocalServer, LocalServer],
) -> None:
    site, _, other = crm
    async with tool_world() as world:
        await world.link()
        await _tool(world, url=other.url + "/orders/{order_id}", allowed_hosts=["127.0.0.2"])
        shown = await _call(world, {"order_id": "1"})
        replies = await world.replies()
    assert "non-public address" in shown
    assert site.private_site is not None and site.private_site.seen == []
    assert len(replies) == 1


async def test_the_metadata_address_is_refused() -> None:
    async with tool_world() as world:
        await world.link()
        await _tool(world, url="http://169.254.169.254/latest/meta-data/{order_id}")
        shown = await _call(world, {"order_id": "iam"})
    assert shown.startswith("error: refused") and "169.254.169.254" in shown


async def test_bad_arguments_make_no_request(crm: tuple[Crm, LocalServer, LocalServer]) -> None:
    site, server, _ = crm
    async with tool_world() as world:
        await world.link()
        await _tool(world, url=server.url + "/orders/{order_id}")
        shown = await _call(world, {"order_id": 42, "extra": "x"})
        replies = await world.replies()
    assert shown.startswith("error: bad arguments: $.order_id must be of type string")
    assert site.seen == [] and len(replies) == 1


@pytest.mark.parametrize(
    ("path", "fields", "expected"),
    [
        ("/slow", {"timeout_seconds": 0.3}, "error: the request failed"),
        ("/big", {"max_response_bytes": 100}, "larger than 100 bytes"),
        ("/nothing-here", {}, "HTTP 404"),
    ],
)
async def test_failures_are_results_the_model_reads(
    crm: tuple[Crm, LocalServer, LocalServer], path: str, fields: dict[str, Any], expected: str
) -> None:
    _, server, _ = crm
    async with tool_world() as world:
        await world.link()
        parameters = {"type": "object", "properties": {}}
        await _tool(world, url=server.url + path, parameters=parameters, **fields)
        shown = await _call(world, {}, answer="It did not work.")
        replies = await world.replies()
    assert expected in shown
    assert [r.content for r in replies] == ["It did not work."]


async def test_a_missing_secret_is_a_result_not_a_crash(
    crm: tuple[Crm, LocalServer, LocalServer],
) -> None:
    site, server, _ = crm
    async with tool_world() as world:
        await world.link()
        await _tool(
            world,
            url=server.url + "/orders/{order_id}",
            headers={"Authorization": "Bearer ${WA_TOOL_SECRET_UNSET}"},
        )
        shown = await _call(world, {"order_id": "1"})
    assert "WA_TOOL_SECRET_UNSET is not configured" in shown and site.seen == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"url": "http://{host}/x"}, "must be written out"),
        ({"url": "ftp://example.com/x"}, "only http and https"),
        ({"url": "https://api.example.com/{nope}"}, "not parameters"),
        ({"url": "https://evil.example/x", "allowed_hosts": ["api.example.com"]}, "not on"),
        ({"headers": {"X-Key": "${HOME}"}}, "WA_TOOL_SECRET_"),
        ({"headers": {"Host": "x"}}, "may not be set"),
        ({"parameters": {"type": "object", "pattern": "x"}}, "unsupported JSON-schema"),
        ({"parameters": {"type": "string"}}, "of type object"),
        (
            {"parameters": {"type": "object", "properties": {"contact_jid": {"type": "string"}}}},
            "filled from the conversation",
        ),
        ({"name": "search_history"}, "built-in"),
        ({"method": "TRACE"}, "method must be"),
    ],
)
async def test_definitions_are_checked_when_written(fields: dict[str, Any], message: str) -> None:
    async with tool_world() as world:
        await world.link()
        base = {"url": "https://api.example.com/orders"}
        with pytest.raises(ValidationError, match=message):
            await _tool(world, **{**base, **fields})
