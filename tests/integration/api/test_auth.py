"""Login, refresh rotation, logout, lockout, enumeration and throttling, over real HTTP."""

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
from wa_agents.entrypoints.http.throttle import Limit, LoginThrottle

LOGIN = "/api/v1/auth/login"


def attempt(api: Api, username: str, password: str) -> httpx.Response:
    return api.http.post(LOGIN, json={"username": username, "password": password})


def test_login_me_refresh_and_logout(api: Api) -> None:
    pair = api.login(ADMIN, ADMIN_PASSWORD)
    assert pair["token_type"] == "bearer" and 0 < pair["expires_in"] <= 900
    me = api.client(pair["access_token"]).get("/api/v1/auth/me")
    assert me.status_code == 200 and me.json()["username"] == ADMIN
    assert me.json()["role"] == "admin" and "hashed_password" not in me.json()

    rotated = api.http.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert rotated.status_code == 200
    newer = rotated.json()
    assert newer["refresh_token"] != pair["refresh_token"]
    # the same refresh again at once (a double submit) answers the very same pair
    again = api.http.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert again.status_code == 200 and again.json() == newer
    # once its successor was used, the old token is a leak: presenting it revokes the family
    newest = api.http.post("/api/v1/auth/refresh", json={"refresh_token": newer["refresh_token"]})
    assert newest.status_code == 200
    reuse = api.http.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert reuse.status_code == 401
    dead = api.http.post(
        "/api/v1/auth/refresh", json={"refresh_token": newest.json()["refresh_token"]}
    )
    assert dead.status_code == 401

    fresh = api.login(ADMIN, ADMIN_PASSWORD)
    out = api.http.post("/api/v1/auth/logout", json={"refresh_token": fresh["refresh_token"]})
    assert out.status_code == 204
    after = api.http.post("/api/v1/auth/refresh", json={"refresh_token": fresh["refresh_token"]})
    assert after.status_code == 401
    assert api.http.post("/api/v1/auth/logout", json={}).status_code == 400


def test_unknown_user_wrong_password_and_locked_account_look_the_same(api: Api) -> None:
    api.user("operator", "alice")
    answers = [attempt(api, "nobody", "whatever-password") for _ in range(2)]
    answers += [attempt(api, "alice", "wrong-password") for _ in range(5)]
    locked = attempt(api, "alice", PASSWORD)  # the right password, but locked now
    answers.append(locked)
    assert {(r.status_code, r.text) for r in answers} == {
        (401, '{"status_code":401,"detail":"invalid username or password"}')
    }
    assert all(r.headers["www-authenticate"] == "Bearer" for r in answers)
    admin = api.client(api.token())
    [alice] = [u for u in admin.get("/api/v1/users").json()["items"] if u["username"] == "alice"]
    assert alice["locked_until"] is not None
    assert admin.post(f"/api/v1/users/{alice['id']}/unlock").status_code == 200
    assert attempt(api, "alice", PASSWORD).status_code == 200


def test_a_disabled_user_is_shut_out_at_once(api: Api) -> None:
    bob = api.user("viewer", "bob")
    admin = api.client(api.token())
    [row] = [u for u in admin.get("/api/v1/users").json()["items"] if u["username"] == "bob"]
    assert bob.get("/api/v1/agents").status_code == 200
    assert admin.patch(f"/api/v1/users/{row['id']}", json={"is_active": False}).status_code == 200
    assert bob.get("/api/v1/agents").status_code == 401
    assert attempt(api, "bob", PASSWORD).status_code == 401


@pytest.fixture
def strict(tmp_path: Path) -> Iterator[Api]:
    throttle = LoginThrottle(
        per_address=Limit(6, 60), per_account=Limit(3, 60), failures_per_address=Limit(5, 3600)
    )
    container = api_container(api_settings(tmp_path))
    with serving(create_app(container, throttle=throttle)) as url:
        yield Api(url, container)


def test_login_is_throttled_per_account_and_per_address(strict: Api) -> None:
    codes = [attempt(strict, "carol", "nope-nope-nope").status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    limited = attempt(strict, "CAROL", "nope-nope-nope")
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 0
    assert limited.json() == {
        "status_code": 429,
        "detail": "too many login attempts; try again later",
    }
    codes = [attempt(strict, f"user{n}", "nope-nope-nope").status_code for n in range(3)]
    assert codes == [401, 401, 429]  # the address has failed 5 times this hour
