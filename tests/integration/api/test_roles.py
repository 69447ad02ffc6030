"""The route x role matrix, generated from the app's own route table.

What each role may do is written here independently of the guards: GET is for everyone
logged in, except users (admin); writes are for operators, except users (admin) and one's own
auth calls; a contact's export is for operators and its erasure for admins. Every route is
called as every role; nobody gets a 2xx they should not, and nobody is refused what they may do.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.api import (
    ADMIN,
    ADMIN_PASSWORD,
    PASSWORD,
    Api,
    api_container,
    api_settings,
    serving,
)
from wa_agents.entrypoints.http import create_app

RANK = {"anonymous": 0, "viewer": 1, "operator": 2, "admin": 3}
PUBLIC = {"/health", "/ready", "/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/logout"}
STREAM_TICKET = "/api/v1/events/ticket"  # watching is reading: a viewer may ask for a ticket
EVERYWHERE = "/api/v1/auth/logout-everywhere"
LOGINS = {"viewer": ("viewer-user", PASSWORD), "operator": ("operator-user", PASSWORD)}
SAMPLE = {
    "session_id": "shop",
    "jid": "15551230000@s.whatsapp.net",
    "agent_id": "ghost-agent",
    "user_id": "ghost-user",
    "token": "not-the-token",
}


def needed(method: str, path: str) -> str:
    if path in PUBLIC:
        return "anonymous"
    if path.startswith("/api/v1/users"):
        return "admin"
    if path.startswith("/api/v1/contacts/"):  # a contact's data: export is work, erasure is admin's
        return "admin" if method == "DELETE" else "operator"
    if method == "GET" or path.startswith("/api/v1/auth/") or path == STREAM_TICKET:
        return "viewer"
    return "operator"


def routes() -> list[tuple[str, str]]:
    app = create_app(api_container(api_settings(Path("/nonexistent"))))
    found = []
    for route in app.routes:
        if route.path.startswith("/schema"):
            continue
        for method in sorted(getattr(route, "methods", set()) - {"OPTIONS", "HEAD"}):
            found.append((method, route.path))
    return sorted(found)


ROUTES = routes()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, httpx.Client]]:
    container = api_container(api_settings(tmp_path_factory.mktemp("roles"), workers=0))
    with serving(create_app(container)) as url:
        api = Api(url, container)
        admin = api.client(api.token())
        admin.post("/api/v1/sessions", json={"id": "shop"})
        clients = {role: api.user(role) for role in ("viewer", "operator")}
        clients["admin"] = admin
        clients["anonymous"] = api.client(None)
        yield clients


def concrete(path: str) -> str:
    for name, value in SAMPLE.items():
        path = path.replace("{" + name + "}", value)
    return path


def test_the_table_covers_every_route() -> None:
    assert len(ROUTES) >= 30
    assert ("GET", "/api/v1/events") in ROUTES and ("POST", "/api/v1/users") in ROUTES


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
@pytest.mark.parametrize("role", list(RANK))
def test_no_role_gets_what_it_should_not(
    world: dict[str, httpx.Client], role: str, method: str, path: str
) -> None:
    if path == "/api/v1/events" and RANK[role] >= RANK["viewer"]:
        with world[role].stream("GET", path) as stream:  # an endless stream: read the head
            assert stream.status_code == 200
        return
    # a body that passes no validation: allowed roles get 4xx for it, refused ones 401/403
    response = world[role].request(method, concrete(path), json={"__": 1})
    if path.startswith("/webhooks/"):  # a signature or path token authorises these, no role does
        assert response.status_code == 401, response.text
        return
    if path == "/metrics":  # WA_METRICS_TOKEN opens it, no role does (unset here: not served)
        assert response.status_code == 404, response.text
        return
    allowed = RANK[role] >= RANK[needed(method, path)]
    if allowed and path == EVERYWHERE:  # it worked: log this role in again for the next routes
        assert response.status_code == 204, response.text
        username, password = LOGINS.get(role, (ADMIN, ADMIN_PASSWORD))
        login = world[role].post(
            "/api/v1/auth/login", json={"username": username, "password": password}
        )
        world[role].headers["Authorization"] = f"Bearer {login.json()['access_token']}"
    elif allowed:
        assert response.status_code not in (401, 403), response.text
    else:
        assert response.status_code == (401 if role == "anonymous" else 403), response.text
    assert response.status_code < 500, response.text
