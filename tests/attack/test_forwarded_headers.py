"""X-Forwarded-For is believed only from WA_TRUSTED_PROXIES (empty by default): a client that
sends a new forged address with every login attempt is still throttled as itself."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.support.attack_server import served

LIMIT = 20  # login attempts a minute from one address (entrypoints/http/throttle.py)


def attempts(url: str, count: int) -> list[int]:
    """``count`` failed logins, each at a new username and from a new forged address."""
    statuses = []
    with httpx.Client(base_url=url, timeout=60) as http:
        for n in range(count):
            answer = http.post(
                "/api/v1/auth/login",
                json={"username": f"nobody{n}", "password": "wrong-password"},
                headers={"X-Forwarded-For": f"203.0.113.{n + 1}"},
            )
            statuses.append(answer.status_code)
    return statuses


def test_a_forged_forwarded_for_does_not_evade_the_address_limit(tmp_path: Path) -> None:
    with served(tmp_path) as server:
        statuses = attempts(server.url, LIMIT + 3)
    assert statuses[:LIMIT] == [401] * LIMIT
    assert statuses[LIMIT:] == [429] * 3


def test_a_trusted_proxy_reports_each_client(tmp_path: Path) -> None:
    with served(tmp_path, WA_TRUSTED_PROXIES="127.0.0.1/32,::1") as server:
        statuses = attempts(server.url, LIMIT + 3)
    assert statuses == [401] * (LIMIT + 3)  # 23 different clients behind our proxy
