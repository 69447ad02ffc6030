"""Attack: a refresh double-submitted by a client.

Found: 20 parallel refreshes of one refresh token: one won, then the winner's new token was
revoked too, logging the user out. Within a short grace window (10 s) the same old token
answers the same new pair; a reuse after the window, or after the new token was used, still
revokes the whole family (OAuth 2.0 Security BCP, refresh token reuse detection).
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.attack_api import AttackApi, attack_api
from tests.support.databases import BACKENDS

REFRESH = "/api/v1/auth/refresh"
PARALLEL = 20


@pytest.fixture(params=BACKENDS, scope="module")
def api(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AttackApi]:
    directory: Path = tmp_path_factory.mktemp(f"refresh-{request.param}")
    with attack_api(request.param, directory) as served:
        yield served


def refresh(api: AttackApi, token: str) -> httpx.Response:
    with httpx.Client(base_url=api.url, timeout=30) as client:
        return client.post(REFRESH, json={"refresh_token": token})


def refresh_at_once(api: AttackApi, token: str) -> list[httpx.Response]:
    with ThreadPoolExecutor(PARALLEL) as pool:
        return list(pool.map(lambda _: refresh(api, token), range(PARALLEL)))


def test_twenty_parallel_refreshes_all_get_the_same_pair(api: AttackApi) -> None:
    pair = api.login("root", "root-passphrase-for-tests")
    answers = refresh_at_once(api, pair["refresh_token"])
    assert [a.status_code for a in answers] == [200] * PARALLEL, [a.text for a in answers]
    pairs: list[dict[str, Any]] = [a.json() for a in answers]
    assert all(p == pairs[0] for p in pairs)
    new = pairs[0]
    assert new["refresh_token"] != pair["refresh_token"]
    assert api.client(new["access_token"]).get("/api/v1/auth/me").status_code == 200
    assert refresh(api, new["refresh_token"]).status_code == 200, "the winner's token lives"


def test_a_reuse_after_the_window_revokes_the_family(api: AttackApi) -> None:
    pair = api.login("root", "root-passphrase-for-tests")
    new = refresh(api, pair["refresh_token"]).json()
    api.clock.skip(11)
    try:
        assert refresh(api, pair["refresh_token"]).status_code == 401
        assert refresh(api, new["refresh_token"]).status_code == 401, "the family died"
    finally:
        api.clock.skip(-11)


def test_a_reuse_after_the_new_token_was_used_revokes_the_family(api: AttackApi) -> None:
    pair = api.login("root", "root-passphrase-for-tests")
    new = refresh(api, pair["refresh_token"]).json()
    newest = refresh(api, new["refresh_token"]).json()
    assert refresh(api, pair["refresh_token"]).status_code == 401
    assert refresh(api, newest["refresh_token"]).status_code == 401
