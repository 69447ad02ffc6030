"""Attack: the live event stream must not outlive the token and user behind it.

Found: ``GET /api/v1/events`` kept delivering ``message.new`` with contents after its user was
disabled, and 980 s after the token expired. A stream ends when its token expires, its user is
disabled or changed (demoted, password reset, logout everywhere) or that login is logged out;
no event published afterwards reaches it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.api import PASSWORD
from tests.support.attack_api import AttackApi, Listener, attack_api, linked_session, say
from tests.support.databases import BACKENDS
from wa_agents.entrypoints.http.controllers import events


@pytest.fixture(params=BACKENDS, scope="module")
def api(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AttackApi]:
    directory: Path = tmp_path_factory.mktemp(f"stream-{request.param}")
    with attack_api(request.param, directory) as served:
        linked_session(served)
        yield served


@pytest.fixture(autouse=True)
def quick_keep_alive(monkeypatch: pytest.MonkeyPatch) -> None:
    """An idle stream looks at its token every 0.2 s instead of every 15 s."""
    monkeypatch.setattr(events, "KEEP_ALIVE_SECONDS", 0.2)


def watch(api: AttackApi, user: httpx.Client) -> Listener:
    ticket = user.post("/api/v1/events/ticket")
    assert ticket.status_code == 201, ticket.text
    listener = Listener(api.url + "/api/v1/events", {"ticket": ticket.json()["ticket"]})
    assert listener.status == 200
    return listener


def assert_cut_off(api: AttackApi, listener: Listener, secret: str) -> None:
    """The stream ends, and a message published after the change never reaches it."""
    say(api, secret)
    assert listener.ended.wait(10), f"the stream went on: {listener.seen}"
    assert not any(secret in line for line in listener.seen)


def test_a_stream_ends_when_its_token_expires(api: AttackApi) -> None:
    viewer = api.user("viewer", "expiring-viewer")
    listener = watch(api, viewer)
    say(api, "before expiry")
    listener.wait_for("before expiry")
    api.clock.skip(901)  # access tokens live 900 s
    try:
        assert_cut_off(api, listener, "after expiry")
    finally:
        api.clock.skip(-901)


def _disable(api: AttackApi, admin: httpx.Client, user_id: str, _: httpx.Client, __: str) -> None:
    assert admin.patch(f"/api/v1/users/{user_id}", json={"is_active": False}).status_code == 200


def _demote(api: AttackApi, admin: httpx.Client, user_id: str, _: httpx.Client, __: str) -> None:
    assert admin.patch(f"/api/v1/users/{user_id}", json={"role": "viewer"}).status_code == 200


def _reset(api: AttackApi, admin: httpx.Client, user_id: str, _: httpx.Client, __: str) -> None:
    reset = admin.post(
        f"/api/v1/users/{user_id}/reset-password", json={"password": "a-brand-new-passphrase"}
    )
    assert reset.status_code == 200


def _logout(api: AttackApi, _: httpx.Client, __: str, user: httpx.Client, refresh: str) -> None:
    assert api.http.post("/api/v1/auth/logout", json={"refresh_token": refresh}).status_code == 204


def _everywhere(api: AttackApi, _: httpx.Client, __: str, user: httpx.Client, ___: str) -> None:
    assert user.post("/api/v1/auth/logout-everywhere").status_code == 204


Change = Callable[[AttackApi, httpx.Client, str, httpx.Client, str], None]


@pytest.mark.parametrize(
    "change",
    [_disable, _demote, _reset, _logout, _everywhere],
    ids=["disabled", "demoted", "password-reset", "logged-out", "logout-everywhere"],
)
def test_a_stream_ends_when_its_user_or_login_changes(api: AttackApi, change: Change) -> None:
    name = f"op-{change.__name__.strip('_')}"
    admin = api.client(api.token())
    created = admin.post(
        "/api/v1/users",
        json={
            "username": name,
            "email": f"{name}@example.com",
            "password": PASSWORD,
            "role": "operator",
        },
    )
    assert created.status_code == 201, created.text
    pair = api.login(name, PASSWORD)
    user = api.client(pair["access_token"])
    listener = watch(api, user)
    say(api, f"seen by {name}")
    listener.wait_for(f"seen by {name}")
    change(api, admin, created.json()["id"], user, pair["refresh_token"])
    assert_cut_off(api, listener, f"secret after {name} changed")
