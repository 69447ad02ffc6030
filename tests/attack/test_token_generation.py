"""Attack: an access token must not survive what should end it.

Found: after an admin's ``reset-password`` (and after a disable followed by a re-enable) the
old access token still created an agent (201) for up to 15 minutes. A reset, disable, role
change or logout everywhere ends every access token issued before it; a new login works.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.api import PASSWORD
from tests.support.attack_api import AttackApi, attack_api
from tests.support.databases import BACKENDS

NEW_PASSWORD = "a-brand-new-passphrase"
AGENT = {"name": "Probe", "model": "scripted", "system_prompt": "Hi"}


@pytest.fixture(params=BACKENDS, scope="module")
def api(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AttackApi]:
    directory: Path = tmp_path_factory.mktemp(f"tokens-{request.param}")
    with attack_api(request.param, directory) as served:
        yield served


def _reset(admin: httpx.Client, user_id: str, _: httpx.Client) -> str:
    path = f"/api/v1/users/{user_id}/reset-password"
    assert admin.post(path, json={"password": NEW_PASSWORD}).status_code == 200
    return NEW_PASSWORD


def _disable_enable(admin: httpx.Client, user_id: str, _: httpx.Client) -> str:
    for active in (False, True):
        patched = admin.patch(f"/api/v1/users/{user_id}", json={"is_active": active})
        assert patched.status_code == 200
    return PASSWORD


def _promote(admin: httpx.Client, user_id: str, _: httpx.Client) -> str:
    assert admin.patch(f"/api/v1/users/{user_id}", json={"role": "admin"}).status_code == 200
    return PASSWORD


def _everywhere(_: httpx.Client, __: str, user: httpx.Client) -> str:
    assert user.post("/api/v1/auth/logout-everywhere").status_code == 204
    return PASSWORD


Change = Callable[[httpx.Client, str, httpx.Client], str]


@pytest.mark.parametrize(
    "change",
    [_reset, _disable_enable, _promote, _everywhere],
    ids=["password-reset", "disable-then-enable", "role-change", "logout-everywhere"],
)
def test_the_old_access_token_dies_and_a_new_login_works(api: AttackApi, change: Change) -> None:
    name = f"gen-{change.__name__.strip('_').replace('_', '-')}"
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
    assert user.post("/api/v1/agents", json={**AGENT, "name": f"{name}-1"}).status_code == 201

    password = change(admin, created.json()["id"], user)

    late = user.post("/api/v1/agents", json={**AGENT, "name": f"{name}-2"})
    assert late.status_code == 401, late.text
    assert user.get("/api/v1/auth/me").status_code == 401
    refreshed = api.http.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    if change is _promote:  # the login goes on, with a token that carries the new role
        assert refreshed.status_code == 200
        assert (
            api.client(refreshed.json()["access_token"]).get("/api/v1/auth/me").json()["role"]
            == "admin"
        )
    else:
        assert refreshed.status_code == 401
    again = api.client(api.login(name, password)["access_token"])
    assert again.post("/api/v1/agents", json={**AGENT, "name": f"{name}-3"}).status_code == 201


def test_a_patch_that_changes_nothing_keeps_the_tokens(api: AttackApi) -> None:
    """Only a change ends tokens: patching a user to what it already is keeps them."""
    admin = api.client(api.token())
    viewer = api.user("viewer", "gen-steady")
    me = viewer.get("/api/v1/auth/me").json()
    same = admin.patch(f"/api/v1/users/{me['id']}", json={"role": "viewer", "is_active": True})
    assert same.status_code == 200
    assert viewer.get("/api/v1/auth/me").status_code == 200
