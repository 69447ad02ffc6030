"""The send governor over HTTP: read a number's report, set its budgets, a restriction the
bridge reports by webhook pauses it, an operator resumes it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.api import Api, api_container, api_settings, serving
from tests.support.webhooks import SECRET, event, signed_headers
from wa_agents.entrypoints.http import create_app


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Api]:
    settings = api_settings(tmp_path, webhook_secrets=(SECRET,), send_per_day=500)
    container = api_container(settings)
    with serving(create_app(container, workers=0)) as url:
        yield Api(url, container)


def test_a_numbers_governor_is_read_set_paused_by_the_bridge_and_resumed(served: Api) -> None:
    admin = served.client(served.token())
    assert admin.post("/api/v1/sessions", json={"id": "shop"}).status_code == 201
    report = admin.get("/api/v1/sessions/shop/governor").json()
    assert report["health"] == 100 and report["paused"] is False
    assert report["policy"]["per_day"] == 500 and report["policy"]["per_minute"] == 0
    assert set(report["overrides"].values()) == {None}  # nothing of its own yet

    changed = admin.put("/api/v1/sessions/shop/governor", json={"per_minute": 5, "warmup_days": 7})
    assert changed.status_code == 200, changed.text
    policy = changed.json()["policy"]
    assert (policy["per_minute"], policy["warmup_days"], policy["per_day"]) == (5, 7, 500)
    assert changed.json()["warmup_factor"] == pytest.approx(0.2, abs=0.01)
    own = {k: v for k, v in changed.json()["overrides"].items() if v is not None}
    assert own == {"per_minute": 5, "warmup_days": 7}  # what the number set; per_day the server's
    again = admin.put("/api/v1/sessions/shop/governor", json={"per_hour": 100})
    own = {k: v for k, v in again.json()["overrides"].items() if v is not None}
    assert own == {"per_hour": 100}  # a PUT replaces the overrides whole
    assert again.json()["policy"]["per_minute"] == 0
    assert admin.get("/api/v1/sessions/shop/governor").json()["overrides"]["per_hour"] == 100
    bad = admin.put("/api/v1/sessions/shop/governor", json={"per_minute": -1})
    assert bad.status_code == 400 and bad.json()["detail"]
    unknown = admin.put("/api/v1/sessions/shop/governor", json={"per_week": 1})
    assert unknown.status_code == 400
    assert admin.get("/api/v1/sessions/nope/governor").status_code == 404

    body = event("shop", "session.status", {"status": "disconnected", "reason": "banned"})
    delivered = httpx.post(
        served.url + "/webhooks/bridge", content=body, headers=signed_headers(body, "evt-ban")
    )
    assert delivered.status_code == 200, delivered.text
    banned = admin.get("/api/v1/sessions/shop/governor").json()
    assert banned["paused"] and banned["pause_reason"] == "banned" and banned["health"] == 0
    viewer = served.user("viewer")
    assert viewer.post("/api/v1/sessions/shop/governor/resume").status_code == 403
    resumed = admin.post("/api/v1/sessions/shop/governor/resume")
    assert resumed.status_code == 200 and resumed.json()["paused"] is False
