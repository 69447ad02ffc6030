"""Every documented error of every route, produced over real HTTP.

The (route, 4xx status) pairs come from the app's own OpenAPI document, so a new route or a
new ``errors(...)`` code shows up here by itself; ``TABLE`` holds, for each pair, the realistic
request that produces it. ``test_every_documented_error_has_an_entry`` fails when a pair has
none (or when an entry outlives its pair).

A few pairs no client can produce. They stay in the table as ``Unreachable``, with the reason
and a *probe*: the nearest request, and what it gets instead. Two kinds:

* Litestar adds a 400 ("Bad request syntax") to the OpenAPI of every operation that has a
  parameter. Where the only parameter is a ``:str`` path segment, nothing can fail to parse:
  any string is a valid id, and a bad one is a 404. The guard test recomputes this set from
  ``app.routes`` instead of trusting the table.
* ``errors(...)`` lists shared by several handlers (``WRITE`` in users.py, ``ACT`` in
  sessions.py) name codes some of those handlers never raise. These must stay few.

Out of scope here: ``/webhooks/...`` (tests/integration/test_webhook.py covers their 400, 401
and 413 over real HTTP), and ``/ready``'s documented 503, which is not an error body but a
``Readiness`` one (and needs a broken database). One server (memory store, no workers) serves
the whole module; every entry uses its own resources, so entries do not depend on order.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.routes import HTTPRoute

from tests.support.api import Api, api_container, api_settings, serving
from tests.support.webhooks import TOKEN, event
from wa_agents.domain.model.approval import Approval, ApprovalStatus
from wa_agents.entrypoints.http import create_app
from wa_agents.entrypoints.http.throttle import PER_ACCOUNT, Limit, LoginThrottle

JID = "15551230000@s.whatsapp.net"
STRANGER = "15550009999@s.whatsapp.net"  # a valid JID nobody has talked to
GHOST = "no-such-thing"
NO_BODY: Any = object()  # (``None`` is a body: JSON null)
METHODS = ("get", "post", "put", "patch", "delete")

Key = tuple[str, str, int]  # (method, OpenAPI path, status)


# --- what the app documents ------------------------------------------------------------------


def _app() -> Litestar:
    return create_app(api_container(api_settings(Path("/nonexistent"))), workers=0)


APP = _app()
SCHEMA: dict[str, Any] = APP.openapi_schema.to_schema()


def documented(schema: dict[str, Any]) -> set[Key]:
    """Every (method, path, 4xx) the OpenAPI document lists, webhooks aside."""
    found = set()
    for path, item in schema["paths"].items():
        if path.startswith("/webhooks/"):  # tests/integration/test_webhook.py
            continue
        for method in METHODS:
            for code in item.get(method, {}).get("responses", {}):
                if 400 <= int(code) < 500:
                    found.add((method.upper(), path, int(code)))
    return found


def handler_of(method: str, path: str) -> HTTPRouteHandler:
    for route in APP.routes:
        # route paths carry the parameters' types ({session_id:str}); OpenAPI's do not
        if isinstance(route, HTTPRoute) and re.sub(r":\w+}", "}", route.path) == path:
            for handler in route.route_handlers:
                if method in handler.http_methods:
                    return handler
    raise LookupError(f"{method} {path}")


def litestar_added_400s() -> set[Key]:
    """The 400s Litestar documents on its own: the handler does not declare one, and the only
    parameters are path segments (no query, no body), so nothing is left to fail parsing."""
    found = set()
    for method, path, code in documented(SCHEMA):
        if code != 400 or 400 in (handler_of(method, path).responses or {}):
            continue
        operation = SCHEMA["paths"][path][method.lower()]
        where = {p["in"] for p in operation.get("parameters", [])}
        if where == {"path"} and "requestBody" not in operation:
            found.add((method, path, code))
    return found


DOCUMENTED = documented(SCHEMA)


# --- the world the requests run against ------------------------------------------------------


@dataclass
class World:
    api: Api
    clients: dict[str, httpx.Client]
    ids: dict[str, str]

    def login_attempt(self, username: str, password: str) -> httpx.Response:
        return self.api.http.post(
            "/api/v1/auth/login", json={"username": username, "password": password}
        )


@dataclass(frozen=True)
class Call:
    """One request: who sends it, and what. ``{name}`` in the path is one of ``World.ids``."""

    who: str  # anonymous, forged, viewer, operator or admin
    method: str
    path: str
    json: Any = NO_BODY
    params: dict[str, Any] | None = None
    files: dict[str, Any] | None = None  # a multipart body instead of JSON
    before: Callable[[World], object] | None = None  # puts the world in the needed state
    detail: str = ""  # a piece of the expected detail: the error is the one meant

    def send(self, world: World) -> httpx.Response:
        if self.before is not None:
            self.before(world)
        kwargs: dict[str, Any] = {"params": self.params}
        if self.json is not NO_BODY:
            kwargs["json"] = self.json
        if self.files is not None:
            kwargs["files"] = self.files
        path = self.path.format_map(world.ids)
        return world.clients[self.who].request(self.method, path, **kwargs)


@dataclass(frozen=True)
class Unreachable:
    """A documented code no request can produce; ``probe`` gets ``instead``."""

    why: str
    probe: Call
    instead: int
    added_by_litestar: bool = False


Entry = Call | Unreachable

# The real resources of the world, for requests that should fail for one reason only.
REAL = {
    "user_id": "{user}",
    "agent_id": "{agent}",
    "session_id": "shop",
    "jid": JID,
    "job_id": "{job}",
    "document_id": "{document}",
    "tool_id": "{http_tool}",
    "server_id": "{mcp_server}",
    "tool_name": "current_time",
    "approval_id": "{approval}",
}
VALID_BODY: dict[tuple[str, str], Any] = {
    ("POST", "/api/v1/users"): {
        "username": "newcomer",
        "email": "newcomer@example.com",
        "password": "a-long-test-passphrase",
        "role": "viewer",
    },
    ("PATCH", "/api/v1/users/{user_id}"): {"role": "operator"},
    ("POST", "/api/v1/users/{user_id}/reset-password"): {"password": "another-fine-passphrase"},
    ("POST", "/api/v1/agents"): {"name": "Helper", "model": "scripted", "system_prompt": "Hi."},
    ("PATCH", "/api/v1/agents/{agent_id}"): {"temperature": 0.2},
    ("POST", "/api/v1/sessions"): {"id": "another-shop"},
    ("PATCH", "/api/v1/sessions/{session_id}"): {"agent_id": None},
    ("PATCH", "/api/v1/sessions/{session_id}/conversations/{jid}"): {"mode": "human"},
    ("POST", "/api/v1/sessions/{session_id}/conversations/{jid}/messages"): {"text": "Hello!"},
    ("POST", "/api/v1/sandbox/sessions/{session_id}/inbound"): {"from": JID, "text": "hi"},
    ("POST", "/api/v1/agents/{agent_id}/documents"): {"title": "FAQ", "content": "We open at 9."},
    ("POST", "/api/v1/sessions/{session_id}/pairing-code"): {"phone_number": "+5511988887777"},
    ("PUT", "/api/v1/sessions/{session_id}/governor"): {"per_minute": 20},
    ("POST", "/api/v1/agents/{agent_id}/http-tools"): {
        "name": "another_tool",
        "description": "An order",
        "url": "https://crm.example.com/orders",
    },
    ("PUT", "/api/v1/agents/{agent_id}/http-tools/{tool_id}"): {
        "name": "order_status",
        "description": "An order",
        "url": "https://crm.example.com/orders",
    },
    ("POST", "/api/v1/agents/{agent_id}/mcp-servers"): {
        "name": "other",
        "url": "https://mcp.example.com/mcp",
        "allowed_tools": ["lookup"],
    },
    ("PUT", "/api/v1/agents/{agent_id}/mcp-servers/{server_id}"): {
        "name": "crm",
        "url": "https://mcp.example.com/mcp",
        "allowed_tools": ["lookup"],
    },
    ("PUT", "/api/v1/agents/{agent_id}/tools/{tool_name}/approval"): {"requires_approval": True},
}


def real(path: str) -> str:
    for name, value in REAL.items():
        path = path.replace("{" + name + "}", value)
    return path


def refused(who: str, method: str, path: str) -> Call:
    """A well-formed request on real resources, from someone who may not make it."""
    return Call(who, method, real(path), json=VALID_BODY.get((method, path), NO_BODY))


def litestar_400(method: str, path: str) -> Unreachable:
    weird = "%00%FF" + "x" * 300  # a NUL, a byte that is no UTF-8, and a long tail
    return Unreachable(
        "Litestar documents a 400 for any parameter; this route's only one is a :str path "
        "segment, which every string satisfies: a bad id is a 404",
        Call("admin", method, path.replace(path[path.index("{") : path.index("}") + 1], weird)),
        404,
        added_by_litestar=True,
    )


def hammer(username: str) -> Callable[[World], object]:
    """Use up the per-account login allowance of ``username``."""

    def before(world: World) -> object:
        return [world.login_attempt(username, "wrong-every-time") for _ in range(PER_ACCOUNT.count)]

    return before


def logged_out(session_id: str) -> Callable[[World], object]:
    def before(world: World) -> object:
        return world.clients["operator"].post(f"/api/v1/sessions/{session_id}/logout")

    return before


USERS = "/api/v1/users"
USER = "/api/v1/users/{user_id}"
RESET = USER + "/reset-password"
UNLOCK = USER + "/unlock"
AGENTS = "/api/v1/agents"
AGENT = "/api/v1/agents/{agent_id}"
SESSIONS = "/api/v1/sessions"
SESSION = "/api/v1/sessions/{session_id}"
PAIRING = SESSION + "/pairing-code"
GOVERNOR = SESSION + "/governor"
RESUME = GOVERNOR + "/resume"
CONVERSATIONS = SESSION + "/conversations"
CONVERSATION = CONVERSATIONS + "/{jid}"
MESSAGES = CONVERSATION + "/messages"
SANDBOX = "/api/v1/sandbox/sessions/{session_id}"
DOCUMENTS = AGENT + "/documents"
DOCUMENT = DOCUMENTS + "/{document_id}"
SEARCH = "/api/v1/search"
USAGE = "/api/v1/usage"
CONTACT = "/api/v1/contacts/{jid}"
EXPORT = CONTACT + "/export"
JOBS = "/api/v1/jobs"
JOB = "/api/v1/jobs/{job_id}"
MEDIA = "/api/v1/messages/{message_id}/media"
SEND_MEDIA = CONVERSATION + "/media"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64)
LOGIN, REFRESH, LOGOUT, ME = (f"/api/v1/auth/{p}" for p in ("login", "refresh", "logout", "me"))

TABLE: dict[Key, Entry] = {
    # auth
    ("POST", LOGIN, 400): Call("anonymous", "POST", LOGIN, {"username": "root"}, detail="password"),
    ("POST", LOGIN, 401): Call(
        "anonymous", "POST", LOGIN, {"username": "nobody-here", "password": "a-guess-that-fails"}
    ),
    ("POST", LOGIN, 429): Call(
        "anonymous",
        "POST",
        LOGIN,
        {"username": "hammered", "password": "wrong-every-time"},
        before=hammer("hammered"),
        detail="too many login attempts",
    ),
    ("POST", REFRESH, 400): Call("anonymous", "POST", REFRESH, {"refresh_token": ""}),
    ("POST", REFRESH, 401): Call("anonymous", "POST", REFRESH, {"refresh_token": "not-a-token"}),
    ("POST", LOGOUT, 400): Call("anonymous", "POST", LOGOUT, {}, detail="refresh_token"),
    ("GET", ME, 401): Call("forged", "GET", ME, detail="invalid or expired token"),
    # users (admin only)
    ("GET", USERS, 400): Call("admin", "GET", USERS, params={"limit": 0}, detail="limit"),
    ("GET", USERS, 401): refused("anonymous", "GET", USERS),
    ("GET", USERS, 403): refused("operator", "GET", USERS),
    ("POST", USERS, 400): Call(
        "admin", "POST", USERS, {**VALID_BODY[("POST", USERS)], "password": "short"}, detail="pass"
    ),
    ("POST", USERS, 401): refused("anonymous", "POST", USERS),
    ("POST", USERS, 403): refused("operator", "POST", USERS),
    ("POST", USERS, 404): Unreachable(
        "creating a user looks nothing up (the one reference, role, is an enum: a 400); "
        "404 comes with the WRITE list users.py shares between its handlers",
        Call("admin", "POST", USERS, {**VALID_BODY[("POST", USERS)], "role": "superuser"}),
        400,
    ),
    ("POST", USERS, 409): Call(
        "admin",
        "POST",
        USERS,
        {**VALID_BODY[("POST", USERS)], "username": "viewer-user"},
        detail="already exists",
    ),
    ("POST", USERS, 422): Call(
        "admin",
        "POST",
        USERS,
        {**VALID_BODY[("POST", USERS)], "password": "password123"},
        detail="too common",
    ),
    ("GET", USER, 400): litestar_400("GET", USER),
    ("GET", USER, 401): refused("anonymous", "GET", USER),
    ("GET", USER, 403): refused("operator", "GET", USER),
    ("GET", USER, 404): Call("admin", "GET", f"{USERS}/{GHOST}", detail=GHOST),
    ("PATCH", USER, 400): Call("admin", "PATCH", real(USER), {"role": "superuser"}, detail="role"),
    ("PATCH", USER, 401): refused("anonymous", "PATCH", USER),
    ("PATCH", USER, 403): refused("operator", "PATCH", USER),
    ("PATCH", USER, 404): Call("admin", "PATCH", f"{USERS}/{GHOST}", {"role": "viewer"}),
    ("PATCH", USER, 409): Unreachable(
        "only role and is_active change: nothing unique, no state machine (WRITE list)",
        Call("admin", "PATCH", "/api/v1/users/{spare_user}", {"role": "viewer", "is_active": True}),
        200,
    ),
    ("PATCH", USER, 422): Unreachable(
        "role is an enum and is_active a bool, both checked as a 400; no domain rule is left "
        "(e.g. nothing stops demoting or disabling the last admin) (WRITE list)",
        Call("admin", "PATCH", "/api/v1/users/{spare_user}", {"role": "Admin"}),
        400,
    ),
    ("POST", RESET, 400): Call("admin", "POST", real(RESET), {"password": "short"}),
    ("POST", RESET, 401): refused("anonymous", "POST", RESET),
    ("POST", RESET, 403): refused("operator", "POST", RESET),
    ("POST", RESET, 404): Call(
        "admin", "POST", f"{USERS}/{GHOST}/reset-password", VALID_BODY[("POST", RESET)]
    ),
    ("POST", RESET, 409): Unreachable(
        "a new password conflicts with nothing (WRITE list)",
        Call(
            "admin",
            "POST",
            "/api/v1/users/{spare_user}/reset-password",
            {"password": "a-fresh-passphrase-2"},
        ),
        200,
    ),
    ("POST", RESET, 422): Call(
        "admin", "POST", real(RESET), {"password": "password123"}, detail="too common"
    ),
    ("POST", UNLOCK, 400): litestar_400("POST", UNLOCK),
    ("POST", UNLOCK, 401): refused("anonymous", "POST", UNLOCK),
    ("POST", UNLOCK, 403): refused("operator", "POST", UNLOCK),
    ("POST", UNLOCK, 404): Call("admin", "POST", f"{USERS}/{GHOST}/unlock", detail=GHOST),
    # agents
    ("GET", AGENTS, 400): Call("viewer", "GET", AGENTS, params={"offset": -1}, detail="offset"),
    ("GET", AGENTS, 401): refused("anonymous", "GET", AGENTS),
    ("POST", AGENTS, 400): Call(
        "operator",
        "POST",
        AGENTS,
        {**VALID_BODY[("POST", AGENTS)], "temperature": 2.5},
        detail="temperature",
    ),
    ("POST", AGENTS, 401): refused("anonymous", "POST", AGENTS),
    ("POST", AGENTS, 403): refused("viewer", "POST", AGENTS),
    ("POST", AGENTS, 422): Call(  # blank passes the schema's min_length, not the entity
        "operator", "POST", AGENTS, {**VALID_BODY[("POST", AGENTS)], "name": "   "}, detail="name"
    ),
    ("GET", AGENT, 400): litestar_400("GET", AGENT),
    ("GET", AGENT, 401): refused("anonymous", "GET", AGENT),
    ("GET", AGENT, 404): Call("viewer", "GET", f"{AGENTS}/{GHOST}", detail=GHOST),
    ("PATCH", AGENT, 400): Call("operator", "PATCH", real(AGENT), {"max_history_tokens": 5}),
    ("PATCH", AGENT, 401): refused("anonymous", "PATCH", AGENT),
    ("PATCH", AGENT, 403): refused("viewer", "PATCH", AGENT),
    ("PATCH", AGENT, 404): Call("operator", "PATCH", f"{AGENTS}/{GHOST}", {"temperature": 0.2}),
    ("PATCH", AGENT, 422): Call("operator", "PATCH", real(AGENT), {"model": "  "}, detail="model"),
    ("DELETE", AGENT, 400): litestar_400("DELETE", AGENT),
    ("DELETE", AGENT, 401): refused("anonymous", "DELETE", AGENT),
    ("DELETE", AGENT, 403): refused("viewer", "DELETE", AGENT),
    ("DELETE", AGENT, 404): Call("operator", "DELETE", f"{AGENTS}/{GHOST}", detail=GHOST),
    ("DELETE", AGENT, 409): Call("operator", "DELETE", real(AGENT), detail="reassign"),  # in use
    # sessions
    ("GET", SESSIONS, 400): Call("viewer", "GET", SESSIONS, params={"limit": 501}, detail="limit"),
    ("GET", SESSIONS, 401): refused("anonymous", "GET", SESSIONS),
    ("POST", SESSIONS, 400): Call("operator", "POST", SESSIONS, {"id": "bad id!"}, detail="id"),
    ("POST", SESSIONS, 401): refused("anonymous", "POST", SESSIONS),
    ("POST", SESSIONS, 403): refused("viewer", "POST", SESSIONS),
    ("POST", SESSIONS, 404): Call(
        "operator", "POST", SESSIONS, {"id": "new-shop", "agent_id": GHOST}, detail=GHOST
    ),
    ("POST", SESSIONS, 409): Call("operator", "POST", SESSIONS, {"id": "shop"}, detail="exists"),
    # The schema's pattern ends in ``$``, which lets one trailing newline through; the domain's
    # fullmatch does not.
    ("POST", SESSIONS, 422): Call("operator", "POST", SESSIONS, {"id": "shop\n"}, detail="match"),
    ("GET", SESSION, 400): litestar_400("GET", SESSION),
    ("GET", SESSION, 401): refused("anonymous", "GET", SESSION),
    ("GET", SESSION, 404): Call("viewer", "GET", f"{SESSIONS}/{GHOST}", detail=GHOST),
    ("PATCH", SESSION, 400): Call(
        "operator", "PATCH", real(SESSION), {"send_min_interval_ms": -1}, detail="send_min"
    ),
    ("PATCH", SESSION, 401): refused("anonymous", "PATCH", SESSION),
    ("PATCH", SESSION, 403): refused("viewer", "PATCH", SESSION),
    ("PATCH", SESSION, 404): Call(
        "operator", "PATCH", real(SESSION), {"agent_id": GHOST}, detail=GHOST
    ),
    ("DELETE", SESSION, 400): litestar_400("DELETE", SESSION),
    ("DELETE", SESSION, 401): refused("anonymous", "DELETE", SESSION),
    ("DELETE", SESSION, 403): refused("viewer", "DELETE", SESSION),
    ("DELETE", SESSION, 404): Call("operator", "DELETE", f"{SESSIONS}/{GHOST}", detail=GHOST),
    ("POST", SESSION + "/logout", 400): litestar_400("POST", SESSION + "/logout"),
    ("POST", SESSION + "/logout", 401): refused("anonymous", "POST", SESSION + "/logout"),
    ("POST", SESSION + "/logout", 403): refused("viewer", "POST", SESSION + "/logout"),
    ("POST", SESSION + "/logout", 404): Call("operator", "POST", f"{SESSIONS}/{GHOST}/logout"),
    ("POST", SESSION + "/reconnect", 400): litestar_400("POST", SESSION + "/reconnect"),
    ("POST", SESSION + "/reconnect", 401): refused("anonymous", "POST", SESSION + "/reconnect"),
    ("POST", SESSION + "/reconnect", 403): refused("viewer", "POST", SESSION + "/reconnect"),
    ("POST", SESSION + "/reconnect", 404): Call(
        "operator", "POST", f"{SESSIONS}/{GHOST}/reconnect", detail=GHOST
    ),
    ("POST", PAIRING, 400): Call(
        "operator",
        "POST",
        f"{SESSIONS}/unscanned/pairing-code",
        {"phone_number": "12"},
        detail="phone_number",
    ),
    # the send governor of a number
    ("GET", GOVERNOR, 400): litestar_400("GET", GOVERNOR),
    ("GET", GOVERNOR, 401): refused("anonymous", "GET", GOVERNOR),
    ("GET", GOVERNOR, 404): Call("viewer", "GET", f"{SESSIONS}/{GHOST}/governor", detail=GHOST),
    ("PUT", GOVERNOR, 400): Call(
        "operator", "PUT", real(GOVERNOR), {"min_interval_ms": -5}, detail="min_interval_ms"
    ),
    ("PUT", GOVERNOR, 401): refused("anonymous", "PUT", GOVERNOR),
    ("PUT", GOVERNOR, 403): refused("viewer", "PUT", GOVERNOR),
    ("PUT", GOVERNOR, 404): Call(
        "operator", "PUT", f"{SESSIONS}/{GHOST}/governor", {"per_minute": 20}, detail=GHOST
    ),
    ("POST", RESUME, 400): litestar_400("POST", RESUME),
    ("POST", RESUME, 401): refused("anonymous", "POST", RESUME),
    ("POST", RESUME, 403): refused("viewer", "POST", RESUME),
    ("POST", RESUME, 404): Call(
        "operator", "POST", f"{SESSIONS}/{GHOST}/governor/resume", detail=GHOST
    ),
    ("POST", PAIRING, 401): refused("anonymous", "POST", PAIRING),
    ("POST", PAIRING, 403): refused("viewer", "POST", PAIRING),
    ("POST", PAIRING, 404): Call(
        "operator",
        "POST",
        f"{SESSIONS}/{GHOST}/pairing-code",
        {"phone_number": "5511988887777"},
        detail=GHOST,
    ),
    ("POST", PAIRING, 409): Call(
        "operator", "POST", real(PAIRING), {"phone_number": "5511988887777"}, detail="connected"
    ),  # shop is linked already
    ("POST", PAIRING, 422): Call(
        "operator",
        "POST",
        f"{SESSIONS}/unscanned/pairing-code",
        {"phone_number": "call-me-maybe"},
        detail="international format",
    ),
    # conversations
    ("GET", CONVERSATIONS, 400): Call("viewer", "GET", real(CONVERSATIONS), params={"limit": 0}),
    ("GET", CONVERSATIONS, 401): refused("anonymous", "GET", CONVERSATIONS),
    ("GET", CONVERSATIONS, 404): Call(
        "viewer", "GET", f"{SESSIONS}/{GHOST}/conversations", detail=GHOST
    ),
    ("PATCH", CONVERSATION, 400): Call(
        "operator", "PATCH", real(CONVERSATION), {"mode": "robot"}, detail="mode"
    ),
    ("PATCH", CONVERSATION, 401): refused("anonymous", "PATCH", CONVERSATION),
    ("PATCH", CONVERSATION, 403): refused("viewer", "PATCH", CONVERSATION),
    ("PATCH", CONVERSATION, 404): Call(
        "operator", "PATCH", f"{SESSIONS}/shop/conversations/{STRANGER}", {"mode": "human"}
    ),
    ("PATCH", CONVERSATION, 422): Call(
        "operator",
        "PATCH",
        f"{SESSIONS}/shop/conversations/nobody",
        {"mode": "human"},
        detail="nobody",
    ),
    ("GET", MESSAGES, 400): Call("viewer", "GET", real(MESSAGES), params={"limit": 0}),
    ("GET", MESSAGES, 401): refused("anonymous", "GET", MESSAGES),
    ("GET", MESSAGES, 404): Call(
        "viewer", "GET", f"{SESSIONS}/shop/conversations/{STRANGER}/messages"
    ),
    ("GET", MESSAGES, 422): Call(
        "viewer", "GET", f"{SESSIONS}/shop/conversations/nobody/messages", detail="nobody"
    ),
    ("POST", MESSAGES, 400): Call("operator", "POST", real(MESSAGES), {"text": ""}, detail="text"),
    ("POST", MESSAGES, 401): refused("anonymous", "POST", MESSAGES),
    ("POST", MESSAGES, 403): refused("viewer", "POST", MESSAGES),
    ("POST", MESSAGES, 404): Call(
        "operator", "POST", f"{SESSIONS}/{GHOST}/conversations/{JID}/messages", {"text": "Hi"}
    ),
    ("POST", MESSAGES, 422): Call(
        "operator", "POST", real(MESSAGES), {"text": "  "}, detail="text"
    ),
    # sandbox
    ("POST", SANDBOX + "/scan", 400): litestar_400("POST", SANDBOX + "/scan"),
    ("POST", SANDBOX + "/scan", 401): refused("anonymous", "POST", SANDBOX + "/scan"),
    ("POST", SANDBOX + "/scan", 403): refused("viewer", "POST", SANDBOX + "/scan"),
    ("POST", SANDBOX + "/scan", 404): Call(
        "operator", "POST", f"/api/v1/sandbox/sessions/{GHOST}/scan", detail=GHOST
    ),
    ("POST", SANDBOX + "/scan", 409): Call(
        "operator", "POST", "/api/v1/sandbox/sessions/retired/scan", detail="logged out"
    ),
    ("POST", SANDBOX + "/inbound", 400): Call(
        "operator", "POST", real(SANDBOX + "/inbound"), {"from": JID}, detail="text"
    ),
    ("POST", SANDBOX + "/inbound", 401): refused("anonymous", "POST", SANDBOX + "/inbound"),
    ("POST", SANDBOX + "/inbound", 403): refused("viewer", "POST", SANDBOX + "/inbound"),
    ("POST", SANDBOX + "/inbound", 404): Call(
        "operator",
        "POST",
        f"/api/v1/sandbox/sessions/{GHOST}/inbound",
        {"from": JID, "text": "hi"},
        detail=GHOST,
    ),
    ("POST", SANDBOX + "/inbound", 409): Call(
        "operator",
        "POST",
        "/api/v1/sandbox/sessions/unscanned/inbound",
        {"from": JID, "text": "hi"},
        detail="not connected",
    ),
    ("POST", SANDBOX + "/inbound", 422): Call(
        "operator",
        "POST",
        real(SANDBOX + "/inbound"),
        {"from": "nobody", "text": "hi"},
        detail="nobody",
    ),
    # logs, audit, stats, events
    ("GET", "/api/v1/logs", 400): Call(
        "viewer", "GET", "/api/v1/logs", params={"level": "loud"}, detail="level"
    ),
    ("GET", "/api/v1/logs", 401): refused("anonymous", "GET", "/api/v1/logs"),
    ("GET", "/api/v1/audit", 400): Call(
        "viewer", "GET", "/api/v1/audit", params={"since": "yesterday"}, detail="since"
    ),
    ("GET", "/api/v1/audit", 401): refused("anonymous", "GET", "/api/v1/audit"),
    ("GET", USAGE, 400): Call(
        "viewer", "GET", USAGE, params={"group_by": "week"}, detail="group_by"
    ),
    ("GET", USAGE, 401): refused("anonymous", "GET", USAGE),
    ("GET", USAGE, 422): Call(
        "viewer",
        "GET",
        USAGE,
        params={"from": "2026-02-01T00:00:00", "to": "2026-01-01T00:00:00"},
        detail="before",
    ),
    ("GET", EXPORT, 400): Call(
        "operator", "GET", real(EXPORT), params={"session_id": "s" * 65}, detail="session_id"
    ),
    ("GET", EXPORT, 401): refused("anonymous", "GET", EXPORT),
    ("GET", EXPORT, 403): refused("viewer", "GET", EXPORT),
    ("GET", EXPORT, 404): Call(
        "operator", "GET", real(EXPORT), params={"session_id": "nope"}, detail="session"
    ),
    ("GET", EXPORT, 422): Call("operator", "GET", "/api/v1/contacts/not-a-jid!/export"),
    ("DELETE", CONTACT, 400): Call(
        "admin", "DELETE", real(CONTACT), params={"session_id": "s" * 65}, detail="session_id"
    ),
    ("DELETE", CONTACT, 401): refused("anonymous", "DELETE", CONTACT),
    ("DELETE", CONTACT, 403): refused("operator", "DELETE", CONTACT),
    ("DELETE", CONTACT, 404): Call(
        "admin", "DELETE", real(CONTACT), params={"session_id": "nope"}, detail="session"
    ),
    ("DELETE", CONTACT, 422): Call("admin", "DELETE", "/api/v1/contacts/not-a-jid!"),
    ("GET", "/api/v1/stats", 400): Call(
        "viewer", "GET", "/api/v1/stats", params={"tz": "x" * 65}, detail="tz"
    ),
    ("GET", "/api/v1/stats", 401): refused("anonymous", "GET", "/api/v1/stats"),
    ("GET", "/api/v1/stats", 422): Call(
        "viewer", "GET", "/api/v1/stats", params={"tz": "Mars/Olympus"}, detail="time zone"
    ),
    ("GET", "/api/v1/conversations", 400): Call(
        "viewer", "GET", "/api/v1/conversations", params={"mode": "robot"}, detail="mode"
    ),
    ("GET", "/api/v1/conversations", 401): refused("anonymous", "GET", "/api/v1/conversations"),
    ("GET", "/api/v1/events", 401): refused("anonymous", "GET", "/api/v1/events"),
    ("GET", "/api/v1/events", 400): Call(
        "anonymous", "GET", "/api/v1/events", params={"ticket": "t" * 129}, detail="ticket"
    ),
    ("POST", "/api/v1/events/ticket", 401): refused("anonymous", "POST", "/api/v1/events/ticket"),
    ("POST", "/api/v1/auth/logout-everywhere", 401): refused(
        "forged", "POST", "/api/v1/auth/logout-everywhere"
    ),
    # knowledge documents and search
    ("GET", DOCUMENTS, 400): Call("viewer", "GET", real(DOCUMENTS), params={"limit": 0}),
    ("GET", DOCUMENTS, 401): refused("anonymous", "GET", DOCUMENTS),
    ("GET", DOCUMENTS, 404): Call("viewer", "GET", f"{AGENTS}/{GHOST}/documents", detail=GHOST),
    ("POST", DOCUMENTS, 400): Call("operator", "POST", real(DOCUMENTS), {}, detail="content"),
    ("POST", DOCUMENTS, 401): refused("anonymous", "POST", DOCUMENTS),
    ("POST", DOCUMENTS, 403): refused("viewer", "POST", DOCUMENTS),
    ("POST", DOCUMENTS, 404): Call(
        "operator",
        "POST",
        f"{AGENTS}/{GHOST}/documents",
        VALID_BODY[("POST", DOCUMENTS)],
        detail=GHOST,
    ),
    ("POST", DOCUMENTS, 415): Call(
        "operator",
        "POST",
        real(DOCUMENTS),
        files={"file": ("photo.png", b"\x89PNG\r\n", "image/png")},
        detail="image/png",
    ),
    ("POST", DOCUMENTS, 422): Call(
        "operator", "POST", real(DOCUMENTS), {"title": "Blank", "content": "  \n "}, detail="text"
    ),
    ("DELETE", DOCUMENT, 400): Unreachable(
        "Litestar documents a 400 for any parameter; this route's are :str path segments, "
        "which every string satisfies: a bad id is a 404",
        Call("operator", "DELETE", real(DOCUMENTS) + "/%00%FF" + "x" * 300),
        404,
        added_by_litestar=True,
    ),
    ("DELETE", DOCUMENT, 401): refused("anonymous", "DELETE", DOCUMENT),
    ("DELETE", DOCUMENT, 403): refused("viewer", "DELETE", DOCUMENT),
    ("DELETE", DOCUMENT, 404): Call(
        "operator", "DELETE", real(DOCUMENTS) + f"/{GHOST}", detail=GHOST
    ),
    ("GET", SEARCH, 400): Call("viewer", "GET", SEARCH, params={"q": ""}, detail="q"),
    ("GET", SEARCH, 401): refused("anonymous", "GET", SEARCH),
    ("GET", SEARCH, 422): Call(
        "viewer", "GET", SEARCH, params={"q": "hours", "contact": "nobody"}, detail="nobody"
    ),
    # media
    ("GET", MEDIA, 400): litestar_400("GET", MEDIA),
    ("GET", MEDIA, 401): Call("anonymous", "GET", f"/api/v1/messages/{GHOST}/media"),
    ("GET", MEDIA, 404): Call("viewer", "GET", f"/api/v1/messages/{GHOST}/media", detail=GHOST),
    ("POST", SEND_MEDIA, 400): Call(
        "operator", "POST", real(SEND_MEDIA), files={"other": ("x", b"x")}, detail="file"
    ),
    ("POST", SEND_MEDIA, 401): refused("anonymous", "POST", SEND_MEDIA),
    ("POST", SEND_MEDIA, 403): refused("viewer", "POST", SEND_MEDIA),
    ("POST", SEND_MEDIA, 404): Call(
        "operator",
        "POST",
        f"{SESSIONS}/{GHOST}/conversations/{JID}/media",
        files={"file": ("a.jpg", JPEG, "image/jpeg")},
        detail=GHOST,
    ),
    ("POST", SEND_MEDIA, 415): Call("operator", "POST", real(SEND_MEDIA), detail="multipart"),
    ("POST", SEND_MEDIA, 422): Call(
        "operator",
        "POST",
        real(SEND_MEDIA),
        files={"file": ("a.exe", b"MZ\x90\x00" + bytes(60))},
        detail="executable",
    ),
    # jobs
    ("GET", JOBS, 400): Call("viewer", "GET", JOBS, params={"status": "zombie"}, detail="status"),
    ("GET", JOBS, 401): refused("anonymous", "GET", JOBS),
    ("GET", JOB, 400): litestar_400("GET", JOB),
    ("GET", JOB, 401): refused("anonymous", "GET", JOB),
    ("GET", JOB, 404): Call("viewer", "GET", f"{JOBS}/{GHOST}", detail=GHOST),
    ("POST", JOB + "/retry", 400): litestar_400("POST", JOB + "/retry"),
    ("POST", JOB + "/retry", 401): refused("anonymous", "POST", JOB + "/retry"),
    ("POST", JOB + "/retry", 403): refused("viewer", "POST", JOB + "/retry"),
    ("POST", JOB + "/retry", 404): Call("operator", "POST", f"{JOBS}/{GHOST}/retry", detail=GHOST),
    # the job is pending (no worker runs here): only a dead one may be retried
    ("POST", JOB + "/retry", 409): Call("operator", "POST", real(JOB + "/retry")),
}

# --- agent tools and approvals (docs/tools.md) ------------------------------------------------
HTTP_TOOLS = AGENT + "/http-tools"
HTTP_TOOL = HTTP_TOOLS + "/{tool_id}"
MCP_SERVERS = AGENT + "/mcp-servers"
MCP_SERVER = MCP_SERVERS + "/{server_id}"
TOOLS = AGENT + "/tools"
TOOL_APPROVAL = TOOLS + "/{tool_name}/approval"
APPROVALS = "/api/v1/approvals"
APPROVAL = APPROVALS + "/{approval_id}"


def _ghost(path: str, name: str) -> str:
    return real(path).replace(REAL[name], GHOST)


def _definitions(
    many: str, one: str, body_key: tuple[str, str], bad: dict[str, Any]
) -> dict[Key, Entry]:
    create = VALID_BODY[body_key]
    replace_key = ("PUT", one)
    replace = VALID_BODY[replace_key]
    ident = "tool_id" if "{tool_id}" in one else "server_id"
    return {
        ("GET", many, 400): Call("viewer", "GET", real(many), params={"limit": 0}),
        ("GET", many, 401): refused("anonymous", "GET", many),
        ("GET", many, 404): Call("viewer", "GET", _ghost(many, "agent_id"), detail=GHOST),
        ("POST", many, 400): Call(
            "operator",
            "POST",
            real(many),
            {"name": "x"},
            detail="description" if "http" in many else "url",
        ),
        ("POST", many, 401): refused("anonymous", "POST", many),
        ("POST", many, 403): refused("viewer", "POST", many),
        ("POST", many, 404): Call(
            "operator", "POST", _ghost(many, "agent_id"), create, detail=GHOST
        ),
        ("POST", many, 409): Call("operator", "POST", real(many), replace, detail="already exists"),
        ("POST", many, 422): Call("operator", "POST", real(many), {**create, **bad}),
        ("GET", one, 400): _litestar_400_last("GET", one),
        ("GET", one, 401): refused("anonymous", "GET", one),
        ("GET", one, 404): Call("viewer", "GET", _ghost(one, ident), detail=GHOST),
        ("PUT", one, 400): Call("operator", "PUT", real(one), {"name": "x"}),
        ("PUT", one, 401): refused("anonymous", "PUT", one),
        ("PUT", one, 403): refused("viewer", "PUT", one),
        ("PUT", one, 404): Call("operator", "PUT", _ghost(one, ident), replace, detail=GHOST),
        ("PUT", one, 409): Call(
            "operator",
            "PUT",
            real(one),
            create,
            before=_second(many, create, replace),
            detail="already exists",
        ),
        ("PUT", one, 422): Call("operator", "PUT", real(one), {**replace, **bad}),
        ("DELETE", one, 400): _litestar_400_last("DELETE", one),
        ("DELETE", one, 401): refused("anonymous", "DELETE", one),
        ("DELETE", one, 403): refused("viewer", "DELETE", one),
        ("DELETE", one, 404): Call("operator", "DELETE", _ghost(one, ident), detail=GHOST),
    }


def _litestar_400_last(method: str, path: str) -> Unreachable:
    """Like ``litestar_400``, for a route whose last segment is the id (the agent is real)."""
    weird = "%00%FF" + "x" * 300
    return Unreachable(
        "Litestar documents a 400 for any parameter; these are :str path segments, which "
        "every string satisfies: a bad id is a 404",
        Call("admin", method, real(path).rsplit("/", 1)[0] + "/" + weird),
        404,
        added_by_litestar=True,
    )


def _second(
    many: str, create: dict[str, Any], replace: dict[str, Any]
) -> Callable[[World], object]:
    """A second definition, so renaming the first to its name clashes."""

    def before(world: World) -> object:
        return world.clients["operator"].post(real(many).format_map(world.ids), json=create)

    return before


TOOL_TABLE: dict[Key, Entry] = {
    **_definitions(
        HTTP_TOOLS,
        HTTP_TOOL,
        ("POST", HTTP_TOOLS),
        {"url": "http://{host}/x"},
    ),
    **_definitions(
        MCP_SERVERS,
        MCP_SERVER,
        ("POST", MCP_SERVERS),
        {"allowed_tools": []},
    ),
    ("GET", TOOLS, 400): Call("viewer", "GET", real(TOOLS), params={"limit": 0}),
    ("GET", TOOLS, 401): refused("anonymous", "GET", TOOLS),
    ("GET", TOOLS, 404): Call("viewer", "GET", _ghost(TOOLS, "agent_id"), detail=GHOST),
    ("PUT", TOOL_APPROVAL, 400): Call(
        "operator", "PUT", real(TOOL_APPROVAL), {"requires_approval": "yes"}
    ),
    ("PUT", TOOL_APPROVAL, 401): refused("anonymous", "PUT", TOOL_APPROVAL),
    ("PUT", TOOL_APPROVAL, 403): refused("viewer", "PUT", TOOL_APPROVAL),
    ("PUT", TOOL_APPROVAL, 404): Call(
        "operator",
        "PUT",
        _ghost(TOOL_APPROVAL, "tool_name"),
        {"requires_approval": True},
        detail=GHOST,
    ),
    ("GET", APPROVALS, 400): Call("viewer", "GET", APPROVALS, params={"status": "bogus"}),
    ("GET", APPROVALS, 401): refused("anonymous", "GET", APPROVALS),
    ("GET", APPROVAL, 400): litestar_400("GET", APPROVAL),
    ("GET", APPROVAL, 401): refused("anonymous", "GET", APPROVAL),
    ("GET", APPROVAL, 404): Call("viewer", "GET", f"{APPROVALS}/{GHOST}", detail=GHOST),
    ("POST", APPROVAL + "/approve", 400): litestar_400("POST", APPROVAL + "/approve"),
    ("POST", APPROVAL + "/approve", 401): refused("anonymous", "POST", APPROVAL + "/approve"),
    ("POST", APPROVAL + "/approve", 403): refused("viewer", "POST", APPROVAL + "/approve"),
    ("POST", APPROVAL + "/approve", 404): Call(
        "operator", "POST", f"{APPROVALS}/{GHOST}/approve", detail=GHOST
    ),
    ("POST", APPROVAL + "/approve", 409): Call(
        "operator", "POST", APPROVALS + "/{decided}/approve", detail="already"
    ),
    ("POST", APPROVAL + "/reject", 400): Call(
        "operator", "POST", real(APPROVAL) + "/reject", {"reason": 5}, detail="reason"
    ),
    ("POST", APPROVAL + "/reject", 401): refused("anonymous", "POST", APPROVAL + "/reject"),
    ("POST", APPROVAL + "/reject", 403): refused("viewer", "POST", APPROVAL + "/reject"),
    ("POST", APPROVAL + "/reject", 404): Call(
        "operator", "POST", f"{APPROVALS}/{GHOST}/reject", detail=GHOST
    ),
    ("POST", APPROVAL + "/reject", 409): Call(
        "operator", "POST", APPROVALS + "/{decided}/reject", detail="already"
    ),
}
TABLE.update(TOOL_TABLE)


ALLOWED_DOMAIN_GAPS = 6  # Unreachable entries that are not Litestar's automatic 400


# --- the served app --------------------------------------------------------------------------


def _ok(response: httpx.Response) -> Any:
    assert response.status_code < 300, response.text
    return response.json() if response.content else None


async def _approvals(container: Any) -> tuple[str, str]:
    """One pending approval and one decided already, stored as a turn would store them."""
    platform = container.platform()
    now = platform.clock.now()
    made = []
    async with platform.uow() as uow:
        for status in (ApprovalStatus.PENDING, ApprovalStatus.APPROVED):
            approval = Approval(
                id=platform.ids.new_id(),
                agent_id="a",
                session_id="shop",
                contact_jid=JID,
                tool="current_time",
                arguments={},
                status=status,
                created_at=now,
                expires_at=now + timedelta(hours=1),
            )
            await uow.approvals.add(approval)
            made.append(approval.id)
        await uow.commit()
    return made[0], made[1]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    settings = api_settings(tmp_path_factory.mktemp("errors"), workers=0, webhook_token=TOKEN)
    container = api_container(settings)
    # One client address sends every login of the module: lift the per-address limits, keep
    # the per-account one (what the 429 entry trips).
    throttle = LoginThrottle(
        per_address=Limit(10_000, 60), failures_per_address=Limit(10_000, 3600)
    )
    with serving(create_app(container, throttle=throttle, workers=0)) as url:
        api = Api(url, container)
        admin = api.client(api.token())
        clients = {
            "admin": admin,
            "viewer": api.user("viewer"),
            "operator": api.user("operator"),
            "anonymous": api.client(None),
            "forged": api.client("not.a.jwt"),
        }
        op = clients["operator"]
        for name in ("target", "spare"):
            body = {**VALID_BODY[("POST", USERS)], "username": name, "email": f"{name}@example.com"}
            _ok(admin.post(USERS, json=body))
        users = {u["username"]: u["id"] for u in _ok(admin.get(USERS))["items"]}
        agent = _ok(op.post(AGENTS, json=VALID_BODY[("POST", AGENTS)]))
        # shop: connected, answered by the agent, with one conversation (and its pending jobs)
        _ok(op.post(SESSIONS, json={"id": "shop", "agent_id": agent["id"]}))
        _ok(op.post("/api/v1/sandbox/sessions/shop/scan"))
        _ok(op.post("/api/v1/sandbox/sessions/shop/inbound", json={"from": JID, "text": "hi"}))
        _ok(op.post(f"{SESSIONS}/shop/conversations/{JID}/messages", json={"text": "Hello!"}))
        for session_id in ("unscanned", "retired", "drifted", "leaving", "doomed"):
            _ok(op.post(SESSIONS, json={"id": session_id}))
        _ok(op.post(f"{SESSIONS}/retired/logout"))
        _ok(op.post("/api/v1/sandbox/sessions/doomed/scan"))
        _ok(op.post("/api/v1/sandbox/sessions/doomed/inbound", json={"from": JID, "text": "x"}))
        connected = event("drifted", "session.connected", {"phoneNumber": "15550001111"})
        headers = {"content-type": "application/json"}
        _ok(api.http.post(f"/webhooks/bridge/{TOKEN}", content=connected, headers=headers))
        jobs = _ok(admin.get(JOBS, params={"status": "pending"}))["items"]
        document = _ok(
            op.post(f"{AGENTS}/{agent['id']}/documents", json=VALID_BODY[("POST", DOCUMENTS)])
        )
        http_tool = _ok(
            op.post(f"{AGENTS}/{agent['id']}/http-tools", json=VALID_BODY[("PUT", HTTP_TOOL)])
        )
        mcp = _ok(
            op.post(f"{AGENTS}/{agent['id']}/mcp-servers", json=VALID_BODY[("PUT", MCP_SERVER)])
        )
        pending, decided = asyncio.run(_approvals(container))
        ids = {
            "http_tool": http_tool["id"],
            "mcp_server": mcp["id"],
            "approval": pending,
            "decided": decided,
            "document": document["id"],
            "user": users["target"],
            "spare_user": users["spare"],
            "agent": agent["id"],
            "job": jobs[0]["id"],
        }
        yield World(api, clients, ids)
        for client in (*clients.values(), api.http):
            client.close()


def assert_error(response: httpx.Response, status: int, detail: str = "") -> None:
    """The documented status, in the one error shape, and the error that was meant."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"status_code", "detail"}, body
    assert body["status_code"] == status and isinstance(body["detail"], str) and body["detail"]
    assert "Traceback" not in body["detail"]
    assert detail in body["detail"], body
    if status == 401:
        assert response.headers.get("www-authenticate") == "Bearer"
    if status == 403:
        assert "role" in body["detail"], body
    if status == 404:  # the route matched: this is no router 404 for a mistyped path
        assert body["detail"] != "Not Found", response.request.url
    if status == 429:
        assert int(response.headers["retry-after"]) > 0


# --- the tests -------------------------------------------------------------------------------

BODY_ROUTES = sorted(
    (method.upper(), path)
    for path, item in SCHEMA["paths"].items()
    for method in METHODS
    if "requestBody" in item.get(method, {}) and not path.startswith("/webhooks/")
)
TOO_LARGE = {(method, path, 413) for method, path in BODY_ROUTES}  # test_a_too_large_body…
PAIRS = sorted((DOCUMENTED | set(TABLE)) - TOO_LARGE)


def test_every_documented_error_has_an_entry() -> None:
    missing = sorted(DOCUMENTED - set(TABLE) - TOO_LARGE)
    assert not missing, f"documented errors with no request in TABLE: {missing}"
    stale = sorted(set(TABLE) - DOCUMENTED)
    assert TOO_LARGE <= DOCUMENTED, "every route that takes a body documents its 413"
    assert not stale, f"TABLE entries for errors the app no longer documents: {stale}"
    unreachable = {key: entry for key, entry in TABLE.items() if isinstance(entry, Unreachable)}
    automatic = {key for key, entry in unreachable.items() if entry.added_by_litestar}
    assert automatic == litestar_added_400s(), "only Litestar's own 400s may be marked as such"
    gaps = {key: entry for key, entry in unreachable.items() if not entry.added_by_litestar}
    assert len(gaps) <= ALLOWED_DOMAIN_GAPS, sorted(gaps)
    for key, entry in gaps.items():
        assert len(entry.why) > 30 and entry.instead != key[2], key
    assert len(DOCUMENTED) - len(unreachable) >= 100  # most of the table is real requests


def test_the_served_schema_documents_the_same_errors(world: World) -> None:
    served = world.clients["anonymous"].get("/schema/openapi.json")
    assert served.status_code == 200
    assert documented(served.json()) == DOCUMENTED


@pytest.mark.parametrize(
    ("method", "path", "status"), PAIRS, ids=[f"{m} {p} {s}" for m, p, s in PAIRS]
)
def test_each_documented_error_over_http(world: World, method: str, path: str, status: int) -> None:
    entry = TABLE.get((method, path, status))
    assert entry is not None, "no entry in TABLE (see test_every_documented_error_has_an_entry)"
    if isinstance(entry, Unreachable):
        response = entry.probe.send(world)
        if entry.instead >= 400:
            assert_error(response, entry.instead)
        else:
            assert response.status_code == entry.instead, response.text
        return
    assert entry.method == method
    assert_error(entry.send(world), status, entry.detail)


# --- happy paths no other test in tests/integration/api takes --------------------------------
# (POST /api/v1/jobs/{id}/retry needs a dead job, i.e. a worker: tests/integration/
# test_jobs_api.py retries one over real HTTP.)


def test_one_agent_one_job_and_the_job_list(world: World) -> None:
    viewer = world.clients["viewer"]
    agent = viewer.get(f"{AGENTS}/{world.ids['agent']}")
    assert agent.status_code == 200, agent.text
    assert (agent.json()["id"], agent.json()["name"]) == (world.ids["agent"], "Helper")
    pending = viewer.get(JOBS, params={"status": "pending", "limit": 1})
    assert pending.status_code == 200, pending.text
    page = pending.json()
    assert page["total"] >= 2 and page["limit"] == 1 and len(page["items"]) == 1
    assert viewer.get(JOBS).json()["total"] == 0  # the default view: dead letters, none here
    job = viewer.get(f"{JOBS}/{world.ids['job']}")
    assert job.status_code == 200, job.text
    assert (job.json()["id"], job.json()["status"]) == (world.ids["job"], "pending")


# --- errors the app answers but does not document -------------------------------------------
# Each test checks what the app really answers, then marks the documentation gap as an expected
# failure. Once the code is documented the test passes, and the guard test above asks for a
# TABLE entry.

TOO_BIG = b'{"text": "' + b"x" * (1024 * 1024 + 1) + b'"}'  # app.MAX_BODY is 1 MiB
BIGGER = {  # routes with their own limit
    DOCUMENTS: b'{"content": "' + b"x" * (11 << 20) + b'"}',
    SEND_MEDIA: b'{"url": "' + b"x" * (17 << 20) + b'"}',
}


@pytest.mark.parametrize(("method", "path"), BODY_ROUTES, ids=[f"{m} {p}" for m, p in BODY_ROUTES])
def test_a_too_large_body_is_a_413(world: World, method: str, path: str) -> None:
    who = "anonymous" if path.startswith("/api/v1/auth/") else "admin"
    response = world.clients[who].request(
        method,
        real(path).format_map(world.ids),
        content=BIGGER.get(path, TOO_BIG),
        headers={"content-type": "application/json"},
    )
    assert_error(response, 413)
    assert (method, path, 413) in DOCUMENTED


def test_deleting_an_agent_in_use_is_a_409(world: World) -> None:
    response = world.clients["operator"].delete(real(AGENT).format_map(world.ids))
    assert_error(response, 409, "reassign")  # shop uses the agent
    assert ("DELETE", AGENT, 409) in DOCUMENTED


def test_an_unknown_tool_is_refused_as_the_route_says(world: World) -> None:
    body = {**VALID_BODY[("POST", AGENTS)], "tools": ["rm_rf"]}
    response = world.clients["operator"].post(AGENTS, json=body)
    assert response.status_code in (400, 422)
    assert_error(response, response.status_code)
    description = SCHEMA["paths"][AGENTS]["post"].get("description", "")
    assert f"is a {response.status_code}" in description
