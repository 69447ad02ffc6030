"""Attack: no bearer token in a URL; the stream opens with a short-lived single-use ticket.

Found: ``/api/v1/events`` took ``?access_token=`` (URLs end up in proxy and browser logs) while
docs/security.md said it took no token in the URL. Now: ``POST /api/v1/events/ticket`` (with
the bearer header) gives a ticket that opens one stream, once, within 30 s.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.attack_api import AttackApi, Listener, attack_api
from tests.support.databases import BACKENDS

EVENTS = "/api/v1/events"


@pytest.fixture(params=BACKENDS, scope="module")
def api(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AttackApi]:
    directory: Path = tmp_path_factory.mktemp(f"ticket-{request.param}")
    with attack_api(request.param, directory) as served:
        yield served


def test_a_token_in_the_url_is_refused(api: AttackApi) -> None:
    token = api.token()
    refused = api.http.get(EVENTS, params={"access_token": token})
    assert refused.status_code == 401 and "bearer" in refused.json()["detail"]


def test_a_ticket_opens_one_stream_once(api: AttackApi) -> None:
    viewer = api.user("viewer", "ticket-viewer")
    ticket = viewer.post("/api/v1/events/ticket")
    assert ticket.status_code == 201
    body = ticket.json()
    assert set(body) == {"ticket", "expires_in"} and body["expires_in"] == 30
    assert len(body["ticket"]) >= 32
    listener = Listener(api.url + EVENTS, {"ticket": body["ticket"]})
    assert listener.status == 200
    listener.wait_for(": connected")
    again = api.http.get(EVENTS, params={"ticket": body["ticket"]})
    assert again.status_code == 401, "a ticket is single-use"


def test_a_ticket_expires(api: AttackApi) -> None:
    admin = api.client(api.token())
    ticket = admin.post("/api/v1/events/ticket").json()["ticket"]
    api.clock.skip(31)
    try:
        assert api.http.get(EVENTS, params={"ticket": ticket}).status_code == 401
    finally:
        api.clock.skip(-31)


def test_a_ticket_needs_a_valid_token_and_dies_with_its_user(api: AttackApi) -> None:
    assert api.http.post("/api/v1/events/ticket").status_code == 401
    forged = api.client("forged").post("/api/v1/events/ticket")
    assert forged.status_code == 401
    admin = api.client(api.token())
    doomed = api.user("viewer", "ticket-doomed")
    user_id = doomed.get("/api/v1/auth/me").json()["id"]
    ticket = doomed.post("/api/v1/events/ticket").json()["ticket"]
    assert admin.patch(f"/api/v1/users/{user_id}", json={"is_active": False}).status_code == 200
    assert api.http.get(EVENTS, params={"ticket": ticket}).status_code == 401


def test_a_ticket_opens_nothing_but_the_stream(api: AttackApi) -> None:
    admin = api.client(api.token())
    ticket = admin.post("/api/v1/events/ticket").json()["ticket"]
    assert api.http.get("/api/v1/agents", params={"ticket": ticket}).status_code == 401
    assert api.client(ticket).get("/api/v1/agents").status_code == 401


def test_a_bearer_header_still_opens_the_stream(api: AttackApi) -> None:
    """For clients that can send headers (curl, the dashboard's fetch reader)."""
    listener = Listener(api.url + EVENTS, headers={"Authorization": f"Bearer {api.token()}"})
    assert listener.status == 200
    listener.wait_for(": connected")
